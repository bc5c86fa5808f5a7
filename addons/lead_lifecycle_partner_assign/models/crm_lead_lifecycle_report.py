# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models
from odoo.tools import SQL


class CrmLeadLifecycleReport(models.Model):
    """Won revenue split into direct and indirect (won by the distributor a lead was
    passed to, reported from the portal or a sell-out file); won_revenue stays the
    total of both."""

    _inherit = "crm.lead.lifecycle.report"
    _depends = {"crm.lead": ["distributor_id", "distributor_state"]}

    distributor_id = fields.Many2one(
        "res.partner", string="Passed to Distributor", readonly=True
    )
    direct_revenue = fields.Monetary(
        currency_field="company_currency_id",
        readonly=True,
        help="Won revenue of the leads won by the company itself.",
    )
    indirect_revenue = fields.Monetary(
        currency_field="company_currency_id",
        readonly=True,
        help="Won revenue of the leads won by the distributor they were passed to.",
    )

    def _lead_rows_extra_columns(self):
        columns = super()._lead_rows_extra_columns()
        factor = self._won_revenue_factor_sql()
        columns.update(
            distributor_id=SQL("l.distributor_id"),
            indirect_revenue=SQL(
                """CASE WHEN f.won = 1 AND l.distributor_state = 'won'
                        THEN COALESCE(l.expected_revenue, 0) * %s ELSE 0 END""",
                factor,
            ),
            direct_revenue=SQL(
                """CASE WHEN f.won = 1
                         AND l.distributor_state IS DISTINCT FROM 'won'
                        THEN COALESCE(l.expected_revenue, 0) * %s ELSE 0 END""",
                factor,
            ),
        )
        return columns
