# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# Concern: mailing contacts: indexes for the automations' look-ups by email and partner.
from odoo import fields, models


class MailingContact(models.Model):
    _inherit = "mailing.contact"

    # Automations look contacts up by normalized email for whole batches of partners.
    email_normalized = fields.Char(index=True)
    # The one-partner-per-list check looks subscriptions up by partner.
    partner_id = fields.Many2one(index="btree_not_null")
