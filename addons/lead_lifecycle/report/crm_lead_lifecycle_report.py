# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""crm.lead.lifecycle.report: the lead analysis, one row per lead; its per-lead rows
(_lead_rows) feed the funnel and the campaign report."""

from odoo import fields, models, tools
from odoo.tools import SQL

from ..models.crm_lead_lifecycle import LIFECYCLE_STATES
from ..models.crm_lead_response import RESPONSE_BUCKETS


class CrmLeadLifecycleReport(models.Model):
    """One row per lead (archived and lost ones included), with 0/1 measures so that
    any grouping sums to counts, and 0/100 "rate" measures averaged by the pivot so
    that any grouping shows the right conversion rate of its own leads.

    The per-lead measures are defined once in _lead_rows() and reused by the campaign
    report, so both always agree. To add a dimension, add its column in _lead_rows()
    (select + join) and a field in lead.lifecycle.report.dimensions when the funnel
    shows it too (as the rented list and its vendor), else here."""

    _name = "crm.lead.lifecycle.report"
    _description = "Lead Lifecycle Analysis"
    _inherit = ["lead.lifecycle.report.counts", "lead.lifecycle.report.dimensions"]
    _auto = False
    _rec_name = "lead_id"
    _order = "create_date desc"
    _depends = {
        "crm.lead": [
            "active",
            "campaign_id",
            "company_id",
            "country_id",
            "create_date",
            "date_closed",
            "date_conversion",
            "expected_revenue",
            "first_response_date",
            "first_two_way_date",
            "lifecycle_state",
            "lost_reason_id",
            "medium_id",
            "response_delay_hours",
            "rented_list_id",
            "response_overdue",
            "source_id",
            "stage_id",
            "team_id",
            "type",
            "user_id",
        ],
        "crm.lost.reason": ["lifecycle_category"],
        "crm.rented.list": ["vendor_id"],
        "crm.stage": ["is_won"],
        "crm.team": ["response_sla_hours"],
        "res.company": ["currency_id"],
        "res.currency.rate": ["company_id", "currency_id", "name", "rate"],
    }

    # Dimensions: lead.lifecycle.report.dimensions, and
    date_closed = fields.Datetime(string="Closed On", readonly=True)
    country_id = fields.Many2one("res.country", readonly=True)
    lifecycle_state = fields.Selection(
        LIFECYCLE_STATES, string="Qualification", readonly=True
    )
    lead_type = fields.Selection(
        [("lead", "Lead"), ("opportunity", "Opportunity")], string="Type", readonly=True
    )
    stage_id = fields.Many2one("crm.stage", readonly=True)
    lost_reason_id = fields.Many2one(
        "crm.lost.reason", string="Disqualification Reason", readonly=True
    )
    disqualification_category = fields.Selection(
        [
            ("not_contactable", "Not Contactable"),
            ("not_interested", "Outside Our Interest"),
            ("duplicate", "Duplicate"),
            ("other", "Other"),
        ],
        readonly=True,
    )
    response_bucket = fields.Selection(
        RESPONSE_BUCKETS, string="Response Delay", readonly=True
    )
    first_response_date = fields.Datetime(string="First Response", readonly=True)
    # Counts (sum): lead.lifecycle.report.counts
    answered_count = fields.Integer(string="Answered", readonly=True)
    within_sla_count = fields.Integer(string="Answered Within SLA", readonly=True)
    overdue_count = fields.Integer(string="SLA Broken", readonly=True)
    won_revenue = fields.Monetary(
        currency_field="company_currency_id",
        readonly=True,
        help="Expected revenue of the won leads, in the currency of the current "
        "company, converted at the date each lead was won.",
    )
    company_currency_id = fields.Many2one(
        "res.currency", string="Currency", readonly=True
    )
    # Rates (avg of 0/100 per lead, NULL where the rate does not apply)
    contacted_rate = fields.Float(
        string="Contacted (%)", aggregator="avg", readonly=True
    )
    qualified_rate = fields.Float(
        string="Qualified (%)", aggregator="avg", readonly=True
    )
    won_rate = fields.Float(string="Won (%)", aggregator="avg", readonly=True)
    contacted_qualified_rate = fields.Float(
        string="Contacted to Qualified (%)", aggregator="avg", readonly=True
    )
    qualified_opportunity_rate = fields.Float(
        string="Qualified to Opportunity (%)", aggregator="avg", readonly=True
    )
    opportunity_won_rate = fields.Float(
        string="Opportunity to Won (%)", aggregator="avg", readonly=True
    )
    within_sla_rate = fields.Float(
        string="Within SLA (%)",
        aggregator="avg",
        readonly=True,
        help="Share of the leads of teams with an SLA answered within it.",
    )
    response_delay_hours = fields.Float(
        string="Response Delay (h)",
        aggregator="avg",
        readonly=True,
        help="Average working hours to the first response, of the answered leads.",
    )

    # ------------------------------------------------------------
    # ORM
    # ------------------------------------------------------------

    @property
    def _table_query(self):
        # Evaluated per query, as sale.report's: the revenue is converted into the
        # currency of the user's current company, which a view built once cannot know.
        return self._lead_rows()

    def init(self):
        # The rows were a view before they were a table query: drop the stale view.
        tools.drop_view_if_exists(self.env.cr, self._table)

    # ------------------------------------------------------------
    # CURRENCY
    # ------------------------------------------------------------

    def _currency_rate_sql(self, currency, date):
        """The rate of ``currency`` (an SQL expression) at ``date``, read as
        res.currency._get_rates() reads it for the current company: the last rate
        on or before the date (the company's own before the shared ones), else the
        first one, else 1."""
        company = SQL("%s", self.env.company.root_id.id)
        return SQL(
            """COALESCE(
                (SELECT cr.rate FROM res_currency_rate cr
                  WHERE cr.currency_id = %(currency)s AND cr.name <= %(date)s
                    AND (cr.company_id IS NULL OR cr.company_id = %(company)s)
               ORDER BY cr.company_id, cr.name DESC LIMIT 1),
                (SELECT cr.rate FROM res_currency_rate cr
                  WHERE cr.currency_id = %(currency)s
                    AND (cr.company_id IS NULL OR cr.company_id = %(company)s)
               ORDER BY cr.company_id, cr.name ASC LIMIT 1),
                1.0)""",
            currency=currency,
            date=date,
            company=company,
        )

    def _currency_factor_sql(self, currency, date):
        """What multiplies an amount in ``currency`` at ``date`` (SQL expressions)
        into the current company's currency, as res.currency._convert() does
        (target rate / source rate); 1 when all companies share one currency (as
        account's mono-currency table)."""
        target = self.env.company.currency_id
        currencies = self.env["res.company"].sudo().search([]).currency_id
        if currencies == target:
            return SQL("1.0")
        return SQL(
            "(%(target_rate)s / %(source_rate)s)",
            target_rate=self._currency_rate_sql(SQL("%s", target.id), date),
            source_rate=self._currency_rate_sql(
                SQL("COALESCE(%s, %s)", currency, target.id), date
            ),
        )

    def _lead_rows(self):
        """One row per lead with its dimensions and 0/1 measures (also the source of
        the campaign report), money in the current company's currency."""
        return SQL(
            """
            SELECT l.id AS id,
                   l.id AS lead_id,
                   l.create_date,
                   l.date_closed,
                   l.company_id,
                   %(currency)s AS company_currency_id,
                   l.team_id,
                   l.user_id,
                   l.campaign_id,
                   l.source_id,
                   l.medium_id,
                   l.country_id,
                   l.rented_list_id,
                   rl.vendor_id AS rented_list_vendor_id,
                   l.lifecycle_state,
                   l.type AS lead_type,
                   l.stage_id,
                   l.lost_reason_id,
                   CASE WHEN l.lifecycle_state = 'disqualified'
                        THEN COALESCE(r.lifecycle_category, 'other') END
                       AS disqualification_category,
                   l.first_response_date,
                   CASE WHEN l.first_response_date IS NULL THEN '5_never'
                        WHEN l.response_delay_hours < 1 THEN '1_lt1h'
                        WHEN l.response_delay_hours < 4 THEN '2_1_4h'
                        WHEN l.response_delay_hours < 24 THEN '3_4_24h'
                        ELSE '4_gt24h' END AS response_bucket,
                   CASE WHEN l.first_response_date IS NOT NULL
                        THEN l.response_delay_hours END AS response_delay_hours,
                   1 AS lead_count,
                   f.contacted AS contacted_count,
                   f.qualified AS qualified_count,
                   f.disqualified AS disqualified_count,
                   CASE WHEN l.lifecycle_state = 'disqualified'
                         AND r.lifecycle_category = 'not_contactable' THEN 1 ELSE 0 END
                       AS not_contactable_count,
                   CASE WHEN l.lifecycle_state = 'disqualified'
                         AND r.lifecycle_category = 'not_interested' THEN 1 ELSE 0 END
                       AS not_interested_count,
                   CASE WHEN l.lifecycle_state = 'disqualified'
                         AND r.lifecycle_category = 'duplicate' THEN 1 ELSE 0 END
                       AS duplicate_count,
                   f.opportunity AS opportunity_count,
                   f.won AS won_count,
                   CASE WHEN f.won = 1
                        THEN COALESCE(l.expected_revenue, 0) * %(revenue_factor)s
                        ELSE 0 END AS won_revenue,
                   CASE WHEN l.first_response_date IS NOT NULL THEN 1 ELSE 0 END
                       AS answered_count,
                   f.within_sla AS within_sla_count,
                   CASE WHEN l.response_overdue THEN 1 ELSE 0 END AS overdue_count,
                   100.0 * f.contacted AS contacted_rate,
                   100.0 * f.qualified AS qualified_rate,
                   100.0 * f.won AS won_rate,
                   CASE WHEN f.contacted = 1 THEN 100.0 * f.qualified END
                       AS contacted_qualified_rate,
                   CASE WHEN f.qualified = 1 THEN 100.0 * f.opportunity END
                       AS qualified_opportunity_rate,
                   CASE WHEN f.opportunity = 1 THEN 100.0 * f.won END
                       AS opportunity_won_rate,
                   CASE WHEN t.response_sla_hours > 0 THEN 100.0 * f.within_sla END
                       AS within_sla_rate
                   %(extra_columns)s
              FROM crm_lead l
         LEFT JOIN res_company c ON c.id = l.company_id
         LEFT JOIN crm_team t ON t.id = l.team_id
         LEFT JOIN crm_stage s ON s.id = l.stage_id
         LEFT JOIN crm_lost_reason r ON r.id = l.lost_reason_id
         LEFT JOIN crm_rented_list rl ON rl.id = l.rented_list_id
        CROSS JOIN LATERAL (
                SELECT
                   -- Each stage counts the leads that reached it or a later one.
                   CASE WHEN l.first_two_way_date IS NOT NULL
                          OR l.lifecycle_state IN ('contacted', 'qualified')
                          OR l.type = 'opportunity' THEN 1 ELSE 0 END AS contacted,
                   CASE WHEN l.lifecycle_state = 'qualified'
                          OR (l.type = 'opportunity' AND l.lifecycle_state
                              IS DISTINCT FROM 'disqualified') THEN 1 ELSE 0 END
                       AS qualified,
                   CASE WHEN l.lifecycle_state = 'disqualified' THEN 1 ELSE 0 END
                       AS disqualified,
                   CASE WHEN l.type = 'opportunity' OR l.date_conversion IS NOT NULL
                        THEN 1 ELSE 0 END AS opportunity,
                   CASE WHEN l.active AND s.is_won THEN 1 ELSE 0 END AS won,
                   CASE WHEN l.first_response_date IS NOT NULL
                         AND (COALESCE(t.response_sla_hours, 0) = 0
                              OR l.response_delay_hours <= t.response_sla_hours)
                        THEN 1 ELSE 0 END AS within_sla
            ) f
            """,
            currency=self.env.company.currency_id.id,
            # Won revenue at the date the lead was won (closed).
            revenue_factor=self._won_revenue_factor_sql(),
            extra_columns=SQL("").join(
                SQL(", %s AS %s", expr, SQL.identifier(name))
                for name, expr in self._lead_rows_extra_columns().items()
            ),
        )

    def _won_revenue_factor_sql(self):
        """What converts a lead's revenue into the current company's currency at the
        date it was won (aliases of _lead_rows())."""
        return self._currency_factor_sql(
            SQL("c.currency_id"),
            SQL("COALESCE(l.date_closed, l.create_date)::date"),
        )

    def _lead_rows_extra_columns(self):
        """Hook for bridge modules (lead_lifecycle_partner_assign): ``{column: SQL}``
        added to each row of _lead_rows(). The expressions may use the query's
        aliases (``l`` crm_lead, ``c`` res_company, ``t`` crm_team, ``s`` crm_stage,
        ``f`` the 0/1 stage flags) and _won_revenue_factor_sql(); the inheriting
        model declares a field of the same name."""
        return {}
