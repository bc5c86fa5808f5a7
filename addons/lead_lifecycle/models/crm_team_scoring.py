# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class CrmTeam(models.Model):
    _inherit = "crm.team"

    # Interaction scoring
    sales_ready_score = fields.Integer(
        string="Sales-Ready Score",
        help="A lead of this team whose score reaches this value becomes sales-ready. "
        "0 disables it.",
    )
    sales_ready_action = fields.Selection(
        [
            ("notify", "Notify the Team Leader"),
            ("assign", "Assign through the Assignment Rules"),
        ],
        string="When Sales-Ready",
        default="notify",
        required=True,
        help="Once per lead. Notify: an activity for the team leader (the salesperson "
        "when the team has no leader). Assign: an unassigned lead goes to the team "
        "member whose assignment domain it matches and who received the fewest leads "
        "in the last 30 days; the others are notified.",
    )

    _sql_constraints = [
        (
            "sales_ready_score_positive",
            "CHECK(sales_ready_score >= 0)",
            "The sales-ready score cannot be negative: use 0 to disable it.",
        ),
    ]
