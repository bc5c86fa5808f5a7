# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# Concern: campaigns: cost and the lifecycle figures of a campaign (leads, qualified,
# won, revenue).
from odoo import fields, models

REPORT_GROUPS = (
    "sales_team.group_sale_salesman_all_leads,mass_mailing.group_mass_mailing_user"
)


class UtmCampaign(models.Model):
    _inherit = "utm.campaign"

    # Cost (sale's utm.campaign has its own non-stored currency_id: not reused)
    cost = fields.Monetary(
        currency_field="cost_currency_id",
        help="What the campaign cost: the campaign report divides it by the leads, "
        "qualified leads and won deals it brought.",
    )
    cost_currency_id = fields.Many2one(
        "res.currency",
        default=lambda self: self.env.company.currency_id,
        required=True,
    )
    # Performance, read from the campaign report
    lifecycle_lead_count = fields.Integer(
        string="Leads (Lifecycle)",
        compute="_compute_lifecycle_figures",
        groups=REPORT_GROUPS,
    )
    lifecycle_qualified_count = fields.Integer(
        string="Qualified Leads",
        compute="_compute_lifecycle_figures",
        groups=REPORT_GROUPS,
    )
    lifecycle_won_count = fields.Integer(
        string="Won Deals", compute="_compute_lifecycle_figures", groups=REPORT_GROUPS
    )
    lifecycle_currency_id = fields.Many2one(
        "res.currency",
        string="Report Currency",
        compute="_compute_lifecycle_figures",
        groups=REPORT_GROUPS,
        help="The current company's currency, in which the report shows money.",
    )
    lifecycle_won_revenue = fields.Monetary(
        string="Won Revenue",
        currency_field="lifecycle_currency_id",
        compute="_compute_lifecycle_figures",
        groups=REPORT_GROUPS,
    )
    lifecycle_cost_per_qualified = fields.Monetary(
        string="Cost per Qualified Lead",
        currency_field="lifecycle_currency_id",
        compute="_compute_lifecycle_figures",
        groups=REPORT_GROUPS,
    )
    lifecycle_revenue_cost_ratio = fields.Float(
        string="Revenue / Cost",
        compute="_compute_lifecycle_figures",
        groups=REPORT_GROUPS,
    )

    def _compute_lifecycle_figures(self):
        # One read of the campaign report for all the campaigns shown.
        rows = {
            row["campaign_id"][0]: row
            for row in self.env["utm.campaign.lifecycle.report"].search_read(
                [("campaign_id", "in", self.ids)],
                [
                    "campaign_id",
                    "lead_count",
                    "qualified_count",
                    "won_count",
                    "won_revenue",
                    "cost_per_qualified",
                    "revenue_cost_ratio",
                ],
            )
        }
        for campaign in self:
            row = rows.get(campaign.id, {})
            campaign.lifecycle_currency_id = self.env.company.currency_id
            campaign.lifecycle_lead_count = row.get("lead_count", 0)
            campaign.lifecycle_qualified_count = row.get("qualified_count", 0)
            campaign.lifecycle_won_count = row.get("won_count", 0)
            campaign.lifecycle_won_revenue = row.get("won_revenue", 0.0)
            campaign.lifecycle_cost_per_qualified = row.get("cost_per_qualified", 0.0)
            campaign.lifecycle_revenue_cost_ratio = row.get("revenue_cost_ratio", 0.0)

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_view_lifecycle_report(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "lead_lifecycle.crm_lead_lifecycle_report_action"
        )
        action["domain"] = [("campaign_id", "=", self.id)]
        action["context"] = {"search_default_group_by_lifecycle_state": 1}
        return action

    def action_view_campaign_report(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "lead_lifecycle.utm_campaign_lifecycle_report_action"
        )
        action["domain"] = [("campaign_id", "=", self.id)]
        action["views"] = [(False, "list"), (False, "pivot"), (False, "graph")]
        return action
