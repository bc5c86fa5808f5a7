# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# Concern: scheduled messages (Send later): a staged lead's email kept for the sending.
from odoo import api, models


class MailScheduledMessage(models.Model):
    _inherit = "mail.scheduled.message"

    @api.model
    def _notification_parameters_whitelist(self):
        """ "Send later" on a staged lead: the composer keeps the lead's email in the
        notification parameters (``lifecycle_email_to``, see crm_lead_staging.py);
        posting the message mails it as it would have been mailed at once."""
        return super()._notification_parameters_whitelist() | {"lifecycle_email_to"}
