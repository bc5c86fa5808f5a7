# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# Concern: crm.lead, mailing lists: adding leads' contacts to lists and removing them
# (the server actions' entry points), opt-outs and the blacklist first.
from odoo import models


class CrmLead(models.Model):
    _inherit = "crm.lead"  # pylint: disable=consider-merging-classes-inherited

    # ------------------------------------------------------------
    # BUSINESS: mailing lists
    # ------------------------------------------------------------

    def _action_add_to_mailing_lists(
        self, lists, origin="rule", action=None, only_opted_in=False
    ):
        """Subscribe the leads to ``lists``: a lead with a partner subscribes its
        partner (one contact per partner); a lead without one subscribes its email as
        a plain mailing contact, so that no partner is created before qualification."""
        action = action or self.env["ir.actions.server"]._lifecycle_running_action()
        with_partner = self.filtered(lambda lead: lead.partner_id.email)
        vals_list = with_partner.partner_id._lifecycle_mailing_contact_vals() + [
            {
                "email": lead.email_from,
                "name": lead.contact_name or lead.partner_name or lead.email_from,
                "title_id": lead.title.id,
                "company_name": lead.partner_name,
                "country_id": lead.country_id.id,
            }
            for lead in self - with_partner
            if lead.email_normalized
        ]
        return lists._lifecycle_subscribe(
            vals_list, origin=origin, action=action, only_opted_in=only_opted_in
        )

    def _action_remove_from_mailing_lists(self, lists=None, mode="opt_out"):
        """Take the leads' emails off ``lists`` (every list when empty)."""
        lists = lists or self.env["mailing.list"]
        return lists._lifecycle_unsubscribe(
            emails=self.filtered("email_normalized").mapped("email_normalized"),
            mode=mode,
        )
