# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# Concern: mail templates: a staged lead's email as a recipient without a partner.
from odoo import models, tools


class MailTemplate(models.Model):
    _inherit = "mail.template"

    def _generate_template_recipients(
        self, res_ids, render_fields, find_or_create_partners=False, render_results=None
    ):
        """Staged leads: their own email (``email_to``/``email_cc`` or the default
        recipients of ``use_default_to``) is never turned into a partner; it is given
        back as ``lifecycle_email_to`` (see crm_lead_staging.py). The other emails are
        found or created as partners as usual."""
        staged = self.env["crm.lead"]
        if find_or_create_partners and self.model == "crm.lead":
            staged = (
                self.env["crm.lead"].sudo().browse(res_ids).exists()._lifecycle_staged()
            )
        if not staged:
            return super()._generate_template_recipients(
                res_ids,
                render_fields,
                find_or_create_partners=find_or_create_partners,
                render_results=render_results,
            )
        others = [res_id for res_id in res_ids if res_id not in staged.ids]
        if render_results is None:
            render_results = {}
        if others:
            super()._generate_template_recipients(
                others,
                render_fields,
                find_or_create_partners=True,
                render_results=render_results,
            )
        staged_results = super()._generate_template_recipients(
            staged.ids, render_fields, find_or_create_partners=False
        )
        for lead in staged:
            values = staged_results.get(lead.id, {})
            emails = tools.email_split(values.pop("email_to", "") or "") + (
                tools.email_split(values.pop("email_cc", "") or "")
            )
            own, rest = lead._lifecycle_staged_split_emails(emails)
            record_values = render_results.setdefault(lead.id, {})
            record_values.update(values)
            if own:
                record_values["lifecycle_email_to"] = ",".join(own)
            if rest:
                partners = self.env["res.partner"]._find_or_create_from_emails(
                    rest,
                    additional_values={
                        email: {"company_id": lead.company_id.id} for email in rest
                    },
                )
                record_values.setdefault("partner_ids", []).extend(
                    partner.id for partner in partners if partner
                )
        return render_results
