# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models
from odoo.tools import SQL


class UtmCampaignLifecycleReport(models.Model):
    _inherit = "utm.campaign.lifecycle.report"

    direct_revenue = fields.Monetary(readonly=True)
    indirect_revenue = fields.Monetary(
        readonly=True,
        help="Won revenue of the campaign's leads won by the distributors they were "
        "passed to.",
    )
    cost_per_won_amount = fields.Float(
        string="Cost per Won Euro",
        aggregator=None,
        digits=(16, 4),
        help="Cost of the campaign divided by its won revenue, direct and indirect "
        "(in the company's currency: per won euro for a company in euros).",
    )

    def _campaign_extra_sums(self):
        return super()._campaign_extra_sums() + ["direct_revenue", "indirect_revenue"]

    def _campaign_extra_ratios(self):
        ratios = super()._campaign_extra_ratios()
        ratios["cost_per_won_amount"] = SQL("NULLIF(cost, 0) / NULLIF(won_revenue, 0)")
        return ratios
