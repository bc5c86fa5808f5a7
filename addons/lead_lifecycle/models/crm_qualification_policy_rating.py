# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class CrmQualificationPolicy(models.Model):
    _inherit = "crm.qualification.policy"

    # Rating suggestion
    rating_a_revenue = fields.Float(
        string="Rating A from Expected Revenue",
        default=50000.0,
        help="Leads whose expected revenue (in the company currency) is at or above "
        "this amount are proposed the rating A (large project); below it but above 0, "
        "B (small project). 0 never proposes A.",
    )

    _sql_constraints = [
        (
            "rating_a_revenue_positive",
            "CHECK(rating_a_revenue >= 0)",
            "The expected revenue of a rating A cannot be negative.",
        ),
    ]
