# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models
from odoo.tools import SQL

from ..models.crm_lead import DISTRIBUTOR_STATES


class CrmDistributorReport(models.Model):
    """Distributor performance: one row per lead passed to a distributor (its last
    hand-over), with 0/1 measures so that any grouping (distributor, campaign, team,
    month) sums to counts and averages to rates."""

    _name = "crm.distributor.report"
    _description = "Distributor Performance"
    _auto = False
    _rec_name = "lead_id"
    _order = "passed_date desc"
    _depends = {
        "crm.lead": [
            "active",
            "campaign_id",
            "company_id",
            "distributor_accept_date",
            "distributor_amount",
            "distributor_answered_in_sla",
            "distributor_answer_date",
            "distributor_id",
            "distributor_outcome_date",
            "distributor_passed_date",
            "distributor_state",
            "medium_id",
            "source_id",
            "team_id",
        ],
    }

    lead_id = fields.Many2one("crm.lead", readonly=True)
    distributor_id = fields.Many2one("res.partner", readonly=True)
    distributor_state = fields.Selection(
        DISTRIBUTOR_STATES, string="Status", readonly=True
    )
    passed_date = fields.Datetime(string="Passed On", readonly=True)
    campaign_id = fields.Many2one("utm.campaign", readonly=True)
    source_id = fields.Many2one("utm.source", readonly=True)
    medium_id = fields.Many2one("utm.medium", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    company_currency_id = fields.Many2one(
        "res.currency", string="Currency", readonly=True
    )
    received_count = fields.Integer(string="Leads Received", readonly=True)
    accepted_count = fields.Integer(string="Accepted", readonly=True)
    declined_count = fields.Integer(string="Declined", readonly=True)
    answered_in_sla_count = fields.Integer(string="Answered Within SLA", readonly=True)
    won_count = fields.Integer(string="Won", readonly=True)
    lost_count = fields.Integer(string="Lost", readonly=True)
    recalled_count = fields.Integer(string="Recalled", readonly=True)
    revenue = fields.Monetary(
        currency_field="company_currency_id",
        readonly=True,
        help="Sales the distributor reported, in the current company's currency.",
    )
    accepted_rate = fields.Float(string="Accepted (%)", aggregator="avg", readonly=True)
    in_sla_rate = fields.Float(
        string="Answered Within SLA (%)", aggregator="avg", readonly=True
    )
    won_rate = fields.Float(string="Won (%)", aggregator="avg", readonly=True)

    @property
    def _table_query(self):
        # Per query, as the lifecycle report: money in the current company's currency.
        lifecycle = self.env["crm.lead.lifecycle.report"]
        return SQL(
            """
            SELECT l.id AS id,
                   l.id AS lead_id,
                   l.distributor_id,
                   l.distributor_state,
                   l.distributor_passed_date AS passed_date,
                   l.campaign_id,
                   l.source_id,
                   l.medium_id,
                   l.team_id,
                   l.company_id,
                   %(currency)s AS company_currency_id,
                   1 AS received_count,
                   f.accepted AS accepted_count,
                   CASE WHEN l.distributor_state = 'declined' THEN 1 ELSE 0 END
                       AS declined_count,
                   f.in_sla AS answered_in_sla_count,
                   f.won AS won_count,
                   CASE WHEN l.distributor_state = 'lost' THEN 1 ELSE 0 END
                       AS lost_count,
                   CASE WHEN l.distributor_state = 'recalled' THEN 1 ELSE 0 END
                       AS recalled_count,
                   CASE WHEN f.won = 1
                        THEN COALESCE(l.distributor_amount, 0) * %(factor)s
                        ELSE 0 END AS revenue,
                   100.0 * f.accepted AS accepted_rate,
                   100.0 * f.in_sla AS in_sla_rate,
                   100.0 * f.won AS won_rate
              FROM crm_lead l
         LEFT JOIN res_company c ON c.id = l.company_id
        CROSS JOIN LATERAL (
                SELECT CASE WHEN l.distributor_accept_date IS NOT NULL
                              OR l.distributor_state IN ('won', 'lost')
                            THEN 1 ELSE 0 END AS accepted,
                       CASE WHEN l.distributor_answered_in_sla THEN 1 ELSE 0 END
                           AS in_sla,
                       CASE WHEN l.distributor_state = 'won' THEN 1 ELSE 0 END AS won
            ) f
             WHERE l.distributor_id IS NOT NULL
               AND l.distributor_passed_date IS NOT NULL
            """,
            currency=self.env.company.currency_id.id,
            factor=lifecycle._currency_factor_sql(
                SQL("c.currency_id"),
                SQL("COALESCE(l.distributor_outcome_date, l.create_date::date)"),
            ),
        )
