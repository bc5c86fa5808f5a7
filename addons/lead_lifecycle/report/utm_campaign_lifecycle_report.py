# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# Concern: the campaign performance report (SQL view): leads, sales and cost per
# campaign, in the company's currency.
from odoo import fields, models, tools
from odoo.tools import SQL


class UtmCampaignLifecycleReport(models.Model):
    """Campaign performance: one row per campaign with its lead counts (summed from
    the lifecycle report's rows: same definitions), its cost and the ratios computed on
    the campaign's own totals (cost per qualified lead, revenue / cost ...). The ratios
    are per campaign and have no aggregate: a sum or average of ratios over campaigns
    would be wrong; counts, cost and revenue add up in the pivot.

    Campaigns have no company: a row counts the leads of the user's active companies
    only (the companies a multi-company rule allows) and shows cost and revenue in
    the current company's currency, converted at the date (revenue at the date each
    lead was won, cost at the campaign's creation), as Odoo's sale report does."""

    _name = "utm.campaign.lifecycle.report"
    _description = "Campaign Performance"
    _inherit = ["lead.lifecycle.report.counts"]
    _auto = False
    _rec_name = "campaign_id"
    _order = "won_revenue desc, campaign_id"
    # The rows come from the lifecycle report's query: flush what it reads.
    _depends = {
        "crm.lead.lifecycle.report": [],
        "utm.campaign": [
            "cost",
            "cost_currency_id",
            "create_date",
            "stage_id",
            "user_id",
        ],
        "res.currency.rate": ["company_id", "currency_id", "name", "rate"],
    }

    campaign_id = fields.Many2one("utm.campaign", readonly=True)
    user_id = fields.Many2one("res.users", string="Responsible", readonly=True)
    stage_id = fields.Many2one("utm.stage", string="Campaign Stage", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    cost = fields.Monetary(readonly=True)
    # Counts (lead.lifecycle.report.counts)
    won_revenue = fields.Monetary(readonly=True)
    # Ratios on the campaign's own totals (no aggregate, see the class docstring)
    contacted_rate = fields.Float(string="Contacted (%)", aggregator=None)
    qualified_rate = fields.Float(string="Qualified (%)", aggregator=None)
    won_rate = fields.Float(string="Won (%)", aggregator=None)
    qualified_won_rate = fields.Float(string="Qualified to Won (%)", aggregator=None)
    cost_per_lead = fields.Monetary(aggregator=None)
    cost_per_qualified = fields.Monetary(
        string="Cost per Qualified Lead", aggregator=None
    )
    cost_per_won = fields.Monetary(string="Cost per Won Deal", aggregator=None)
    revenue_cost_ratio = fields.Float(string="Revenue / Cost", aggregator=None)

    # ------------------------------------------------------------
    # ORM
    # ------------------------------------------------------------

    @property
    def _table_query(self):
        # Evaluated per query: the leads of the user's active companies, the money in
        # the current company's currency (a view built once knows neither).
        report = self.env["crm.lead.lifecycle.report"]
        extra_sums = [SQL.identifier(name) for name in self._campaign_extra_sums()]
        return SQL(
            """
                WITH agg AS (
                    SELECT r.campaign_id,
                           sum(r.lead_count) AS lead_count,
                           sum(r.contacted_count) AS contacted_count,
                           sum(r.qualified_count) AS qualified_count,
                           sum(r.disqualified_count) AS disqualified_count,
                           sum(r.not_contactable_count) AS not_contactable_count,
                           sum(r.not_interested_count) AS not_interested_count,
                           sum(r.duplicate_count) AS duplicate_count,
                           sum(r.opportunity_count) AS opportunity_count,
                           sum(r.won_count) AS won_count,
                           sum(r.won_revenue) AS won_revenue
                           %(extra_sums)s
                      FROM (%(rows)s) r
                     WHERE r.campaign_id IS NOT NULL
                       AND (r.company_id IS NULL OR r.company_id IN %(company_ids)s)
                  GROUP BY r.campaign_id
                ), tot AS (
                    SELECT c.id, c.user_id, c.stage_id,
                           %(currency)s AS currency_id,
                           COALESCE(c.cost, 0) * %(cost_factor)s AS cost,
                           COALESCE(a.lead_count, 0) AS lead_count,
                           COALESCE(a.contacted_count, 0) AS contacted_count,
                           COALESCE(a.qualified_count, 0) AS qualified_count,
                           COALESCE(a.disqualified_count, 0) AS disqualified_count,
                           COALESCE(a.not_contactable_count, 0)
                               AS not_contactable_count,
                           COALESCE(a.not_interested_count, 0) AS not_interested_count,
                           COALESCE(a.duplicate_count, 0) AS duplicate_count,
                           COALESCE(a.opportunity_count, 0) AS opportunity_count,
                           COALESCE(a.won_count, 0) AS won_count,
                           COALESCE(a.won_revenue, 0) AS won_revenue
                           %(extra_totals)s
                      FROM utm_campaign c
                 LEFT JOIN agg a ON a.campaign_id = c.id
                )
                SELECT tot.*, tot.id AS campaign_id,
                       100.0 * contacted_count / NULLIF(lead_count, 0)
                           AS contacted_rate,
                       100.0 * qualified_count / NULLIF(lead_count, 0)
                           AS qualified_rate,
                       100.0 * won_count / NULLIF(lead_count, 0) AS won_rate,
                       100.0 * won_count / NULLIF(qualified_count, 0)
                           AS qualified_won_rate,
                       NULLIF(cost, 0) / NULLIF(lead_count, 0) AS cost_per_lead,
                       NULLIF(cost, 0) / NULLIF(qualified_count, 0)
                           AS cost_per_qualified,
                       NULLIF(cost, 0) / NULLIF(won_count, 0) AS cost_per_won,
                       won_revenue / NULLIF(cost, 0) AS revenue_cost_ratio
                       %(extra_ratios)s
                  FROM tot
            """,
            rows=report._lead_rows(),
            extra_sums=SQL("").join(
                SQL(", sum(r.%s) AS %s", col, col) for col in extra_sums
            ),
            extra_totals=SQL("").join(
                SQL(", COALESCE(a.%s, 0) AS %s", col, col) for col in extra_sums
            ),
            extra_ratios=SQL("").join(
                SQL(", %s AS %s", expr, SQL.identifier(name))
                for name, expr in self._campaign_extra_ratios().items()
            ),
            company_ids=tuple(self.env.companies.ids),
            currency=self.env.company.currency_id.id,
            cost_factor=report._currency_factor_sql(
                SQL("c.cost_currency_id"), SQL("c.create_date::date")
            ),
        )

    def _campaign_extra_sums(self):
        """Hook for bridge modules (lead_lifecycle_partner_assign): names of
        numeric columns of crm.lead.lifecycle.report's _lead_rows_extra_columns()
        summed per campaign (fields of the same name on the inheriting model)."""
        return []

    def _campaign_extra_ratios(self):
        """Hook for bridge modules: ``{column: SQL}`` over a campaign's totals
        (cost, the counts, won_revenue and the _campaign_extra_sums() columns)."""
        return {}

    def init(self):
        # The rows were a view before they were a table query: drop the stale view.
        tools.drop_view_if_exists(self.env.cr, self._table)
