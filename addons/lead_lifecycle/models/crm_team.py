# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class CrmTeam(models.Model):
    _inherit = "crm.team"

    qualification_policy_id = fields.Many2one(
        "crm.qualification.policy",
        check_company=True,
        help="Leave empty to use the company's default policy.",
    )

    def _assign_and_convert_leads(self, force_quota=False):
        # Automatic assignment converts the leads it assigns: for teams that enforce
        # their
        # qualification policy, unqualified leads are assigned but stay leads.
        return super(
            CrmTeam, self.with_context(lead_lifecycle_assign_only=True)
        )._assign_and_convert_leads(force_quota=force_quota)
