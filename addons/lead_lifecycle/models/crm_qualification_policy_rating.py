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

    # ------------------------------------------------------------
    # ORM
    # ------------------------------------------------------------

    def write(self, vals):
        res = super().write(vals)
        if {"rating_a_revenue", "is_company_default", "company_id", "active"} & set(
            vals
        ):
            self._rating_resuggest()
        return res

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _rating_resuggest(self):
        """The ORM follows a team's own policy (a dependency of the suggestion); the
        company default applies to leads without one, which it cannot follow: mark their
        suggestion (and what depends on it) for recomputation."""
        defaults = self.filtered("is_company_default")
        if not defaults:
            return
        Lead = self.env["crm.lead"].with_context(active_test=False)
        leads = Lead.search(
            [
                "|",
                ("team_id", "=", False),
                ("team_id.qualification_policy_id", "=", False),
            ]
        )
        if leads:
            self.env.add_to_compute(Lead._fields["rating_suggested"], leads)
            leads.modified(["rating_suggested"])
