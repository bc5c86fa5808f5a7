# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models

CONTACT_MODEL = "crm.rented.list.contact"
# A response never goes back: a click does not hide a reply, nothing hides an opt-out.
RESPONSE_RANK = {"none": 0, "clicked": 1, "bounced": 2, "replied": 3, "opted_out": 4}


class MailingTrace(models.Model):
    _inherit = "mailing.trace"

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
