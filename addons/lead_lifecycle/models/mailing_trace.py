# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models

# Writing one of these is an open, a click or a reply to score (set_opened,
# set_clicked, set_replied); sending and bouncing write none of them.
SCORED_TRACE_FIELDS = {"open_datetime", "links_click_datetime", "reply_datetime"}


class MailingTrace(models.Model):
    _inherit = "mailing.trace"

    def write(self, vals):
        res = super().write(vals)
        if SCORED_TRACE_FIELDS & set(vals):
            lead_ids = {trace.res_id for trace in self if trace.model == "crm.lead"}
            if lead_ids:
                leads = self.env["crm.lead"].sudo().browse(lead_ids).exists()
                leads._scoring_refresh()
        return res
