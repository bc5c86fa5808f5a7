# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


class MailComposeMessage(models.TransientModel):
    _inherit = "mail.compose.message"

    def _prepare_mail_values_rendered(self, res_ids):
        """Comment mode with a template on a staged lead (the composer, the first
        reply): the template's recipients include the lead's own email, which the
        composer could only show as a partner; send the message to that email
        (``lifecycle_email_to``) instead of creating a partner."""
        results = super()._prepare_mail_values_rendered(res_ids)
        if not (
            self.composition_mode == "comment"
            and self.model == "crm.lead"
            and self.template_id
        ):
            return results
        staged = self.env["crm.lead"].browse(res_ids)._lifecycle_staged()
        if not staged:
            return results
        recipients = self.template_id._generate_template_recipients(
            staged.ids,
            {"email_to", "email_cc", "partner_to"},
            find_or_create_partners=True,
        )
        for lead in staged:
            email_to = recipients.get(lead.id, {}).get("lifecycle_email_to")
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
