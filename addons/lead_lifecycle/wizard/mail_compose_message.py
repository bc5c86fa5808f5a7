# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# Concern: the mail composer: a staged lead mailed at its email, without a partner.
from odoo import api, fields, models, tools
from odoo.tools.mail import email_split_and_format


class MailComposeMessage(models.TransientModel):
    _inherit = "mail.compose.message"

    # Staged leads: mailed at their email, without partner (see crm_lead_staging.py)
    lifecycle_staged = fields.Boolean(
        string="Staged Lead", compute="_compute_lifecycle_staged"
    )
    lifecycle_email_to = fields.Char(
        string="Email To",
        help="The email of a lead not qualified yet: it is mailed as an email, "
        "no contact is created from it. Qualify the lead to turn it into a contact.",
    )

    @api.depends("composition_mode", "model", "res_ids", "subtype_is_log")
    def _compute_lifecycle_staged(self):
        for composer in self:
            staged = False
            if (
                composer.composition_mode == "comment"
                and composer.model == "crm.lead"
                and not composer.subtype_is_log
            ):
                res_ids = composer._evaluate_res_ids()
                staged = bool(
                    self.env["crm.lead"].browse(res_ids).exists()._lifecycle_staged()
                )
            composer.lifecycle_staged = staged

    def _prepare_mail_values_rendered(self, res_ids):
        """Comment mode on a staged lead (the full composer, the first reply, a
        template): the lead's own email (the template's recipients and the
        composer's ``lifecycle_email_to``, as the chatter hands it over) is sent as
        ``lifecycle_email_to`` instead of a partner created from it."""
        results = super()._prepare_mail_values_rendered(res_ids)
        if not (
            self.composition_mode == "comment"
            and self.model == "crm.lead"
            and not self.subtype_is_log
        ):
            return results
        staged = self.env["crm.lead"].browse(res_ids)._lifecycle_staged()
        if not staged:
            return results
        recipients = {}
        if self.template_id:
            recipients = self.template_id._generate_template_recipients(
                staged.ids,
                {"email_to", "email_cc", "partner_to"},
                find_or_create_partners=True,
            )
        for lead in staged:
            email_to = self._lifecycle_merge_emails(
                recipients.get(lead.id, {}).get("lifecycle_email_to"),
                self.lifecycle_email_to,
            )
            if email_to:
                results.setdefault(lead.id, {})["lifecycle_email_to"] = email_to
        return results

    def _prepare_mail_values_dynamic(self, res_ids):
        """Mass mail mode with a template (e.g. "Send email" on selected leads): the
        staged lead's email comes back as ``lifecycle_email_to``, which a mail.mail
        knows as its ``email_to``."""
        results = super()._prepare_mail_values_dynamic(res_ids)
        if self.composition_mode == "mass_mail":
            for values in results.values():
                email_to = values.pop("lifecycle_email_to", False)
                if email_to:
                    values["email_to"] = ",".join(
                        filter(None, [values.get("email_to"), email_to])
                    )
        return results

    @api.model
    def _lifecycle_merge_emails(self, *email_lists):
        """Join comma-separated email lists, each address once (compared on
        its normalized form)."""
        seen, emails = set(), []
        for email in email_split_and_format(",".join(filter(None, email_lists))):
            normalized = tools.email_normalize(email) or email
            if normalized not in seen:
                seen.add(normalized)
                emails.append(email)
        return ",".join(emails)
