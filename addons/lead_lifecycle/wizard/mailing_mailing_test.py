# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# Concern: a mailing's Test send: the rented list's rental period applies.
from odoo import models


class MailingMailingTest(models.TransientModel):
    _inherit = "mailing.mailing.test"

    def send_mail_test(self):
        """A test send of a mailing to rented contacts goes to the addresses the
        user types (their own, their team's), never to the list: it is no use of
        the list, not counted, and allowed when the uses are spent (the mailing
        itself stays refused). But it renders the mailing with one contact's data:
        a list whose rental ended or that is not active may not be used at all, so
        the test send is refused with the same message as the sending."""
        for wizard in self:
            wizard.mass_mailing_id._rented_lists_to_use(uses=False)
        return super().send_mail_test()
