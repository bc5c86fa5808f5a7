# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models
from odoo.osv import expression

CONTACT_MODEL = "crm.rented.list.contact"


class MailingMailing(models.Model):
    _inherit = "mailing.mailing"

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_put_in_queue(self):
        for mailing in self:
            mailing._rented_lists_to_use()
        return super().action_put_in_queue()

    # ------------------------------------------------------------
    # MAILING
    # ------------------------------------------------------------

    def _get_recipients_domain(self):
        """Suppression wins over any domain a user writes."""
        domain = super()._get_recipients_domain()
        if self.mailing_model_real == CONTACT_MODEL:
            domain = expression.AND([domain, self._rented_suppression_domain()])
        return domain

    def _action_send_mail(self, res_ids=None):
        rented = self.filtered(lambda m: m.mailing_model_real == CONTACT_MODEL)
        lists_by_mailing = {
            mailing: mailing._rented_lists_to_use(res_ids) for mailing in rented
        }
        traces_before = rented._rented_traces()
        result = super()._action_send_mail(res_ids=res_ids)
        for mailing, lists in lists_by_mailing.items():
            lists._count_use(mailing)
        # Only the traces of this sending (a mailing sent in batches counts each
        # contact once); cancelled (suppressed) and failed mails reached nobody.
        new_traces = (rented._rented_traces() - traces_before).filtered(
            lambda t: t.trace_status not in ("cancel", "error")
        )
        self.env[CONTACT_MODEL].browse(
            new_traces.mapped("res_id")
        ).exists()._increment_contact_count()
        return result

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    @api.model
    def _rented_suppression_domain(self):
        return [
            ("is_blacklisted", "=", False),
            ("match_status", "not in", ("blacklisted", "opted_out", "partner")),
            ("response", "not in", ("opted_out", "bounced")),
            ("state", "in", ("new", "contacted")),
        ]

    def _rented_lists_to_use(self, res_ids=None):
        """Lists whose contacts the mailing targets, checked against their terms."""
        self.ensure_one()
        if self.mailing_model_real != CONTACT_MODEL:
            return self.env["crm.rented.list"]
        contacts = self.env[CONTACT_MODEL].browse(res_ids or [])
        if not res_ids:
            # The user's domain, before suppression: an expired list must be reported,
            # not silently skipped.
            contacts = self.env[CONTACT_MODEL].search(self._parse_mailing_domain())
        lists = contacts.rented_list_id
        return lists._check_mailing_terms(self)

    def _rented_traces(self):
        return self.env["mailing.trace"].search(
            [("mass_mailing_id", "in", self.ids), ("model", "=", CONTACT_MODEL)]
        )
