# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# Concern: mailing traces: a rented-list contact's responses (click, reply, bounce, opt-
# out) and the score events of leads' mailings.
from odoo import models

CONTACT_MODEL = "crm.rented.list.contact"
# A response never goes back: a click does not hide a reply, nothing hides an opt-out.
RESPONSE_RANK = {"none": 0, "clicked": 1, "bounced": 2, "replied": 3, "opted_out": 4}
# Writing one of these is an open, a click or a reply to score (set_opened,
# set_clicked, set_replied); sending and bouncing write none of them.
SCORED_TRACE_FIELDS = {"open_datetime", "links_click_datetime", "reply_datetime"}


class MailingTrace(models.Model):
    _inherit = "mailing.trace"

    # ------------------------------------------------------------
    # ORM
    # ------------------------------------------------------------

    def write(self, vals):
        res = super().write(vals)
        if SCORED_TRACE_FIELDS & set(vals):
            lead_ids = {trace.res_id for trace in self if trace.model == "crm.lead"}
            if lead_ids:
                leads = self.env["crm.lead"].sudo().browse(lead_ids).exists()
                leads._scoring_refresh()
        return res

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def set_clicked(self, domain=None):
        traces = super().set_clicked(domain=domain)
        traces._rented_set_response("clicked")
        return traces

    def set_replied(self, domain=None):
        traces = super().set_replied(domain=domain)
        traces._rented_set_response("replied")
        return traces

    def set_bounced(self, domain=None, bounce_message=False):
        traces = super().set_bounced(domain=domain, bounce_message=bounce_message)
        traces._rented_set_response("bounced")
        return traces

    def _rented_set_response(self, response):
        """Record the response on the rented-list contacts the traces reached."""
        contacts = (
            self.env[CONTACT_MODEL]
            .sudo()
            .browse(self.filtered(lambda t: t.model == CONTACT_MODEL).mapped("res_id"))
            .exists()
        )
        contacts.filtered(
            lambda c: RESPONSE_RANK[c.response] < RESPONSE_RANK[response]
        ).write({"response": response})
