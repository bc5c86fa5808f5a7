# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""crm.lead.funnel.report: the lifecycle funnel, built on the lead analysis' rows."""

from odoo import fields, models, tools
from odoo.tools import SQL

FUNNEL_STAGES = [
    ("1_new", "New"),
    ("2_contacted", "Contacted"),
    ("3_qualified", "Qualified"),
    ("4_opportunity", "Opportunity"),
    ("5_won", "Won"),
]


class CrmLeadFunnelReport(models.Model):
    """The lifecycle funnel: one row per lead and per funnel stage it reached (every
    lead reached "new"), so a graph or pivot grouped by stage shows the funnel, per
    period and team. Built on the lifecycle report's rows: same definitions."""

    _name = "crm.lead.funnel.report"
    _description = "Lead Lifecycle Funnel"
    _inherit = ["lead.lifecycle.report.dimensions"]
    _auto = False
    _rec_name = "funnel_stage"
    _order = "funnel_stage"
    # The rows come from the lifecycle report's query: flush what it reads.
    _depends = {"crm.lead.lifecycle.report": []}

    # Dimensions: lead.lifecycle.report.dimensions
    funnel_stage = fields.Selection(FUNNEL_STAGES, readonly=True)
    lead_count = fields.Integer(string="Leads", readonly=True)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
            CREATE OR REPLACE VIEW %(table)s AS (
                SELECT r.lead_id * 10 + st.seq AS id,
                       r.lead_id, st.stage AS funnel_stage, r.create_date,
                       r.company_id, r.team_id, r.user_id,
                       r.campaign_id, r.source_id, r.medium_id,
                       r.rented_list_id, r.rented_list_vendor_id,
                       1 AS lead_count
                  FROM (%(rows)s) r
            CROSS JOIN LATERAL (VALUES
                       (1, '1_new', 1),
                       (2, '2_contacted', r.contacted_count),
                       (3, '3_qualified', r.qualified_count),
                       (4, '4_opportunity', r.opportunity_count),
                       (5, '5_won', r.won_count)
                   ) AS st(seq, stage, reached)
                 WHERE st.reached = 1
            )
                """,
                table=SQL.identifier(self._table),
                rows=self.env["crm.lead.lifecycle.report"]._lead_rows(),
            )
        )
