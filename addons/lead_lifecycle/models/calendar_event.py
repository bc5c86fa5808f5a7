# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# Concern: meetings: a meeting on a lead recounts its interactions.
from odoo import api, models


class CalendarEvent(models.Model):
    _inherit = "calendar.event"

    @api.model_create_multi
    def create(self, vals_list):
        events = super().create(vals_list)
        events.opportunity_id._lifecycle_refresh_interactions()
        return events

    def write(self, vals):
        leads = self.opportunity_id
        res = super().write(vals)
        if {"start", "stop", "opportunity_id", "active"} & set(vals):
            (leads | self.opportunity_id)._lifecycle_refresh_interactions()
        return res

    def unlink(self):
        leads = self.opportunity_id
        res = super().unlink()
        leads.exists()._lifecycle_refresh_interactions()
        return res
