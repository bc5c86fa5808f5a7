# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import new_test_user

from odoo.addons.lead_lifecycle.models.base import lifecycle_server_write
from odoo.addons.lead_lifecycle.tests.common import LeadLifecycleCase


class DistributorCase(LeadLifecycleCase):
    """Two resellers (graded companies, each with a portal user) and helpers to
    qualify and pass leads."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team.write({"distributor_accept_days": 2, "distributor_outcome_days": 30})
        cls.grade = cls.env["res.partner.grade"].create(
            {"name": "Gold test", "partner_weight": 10}
        )
        cls.reseller, cls.reseller_user = cls._reseller("Brussels Resellers", "bxl")
        cls.other, cls.other_user = cls._reseller("Antwerp Resellers", "antw")
        cls.lost_reason = cls.env["crm.lost.reason"].create(
            {"name": "Bought elsewhere"}
        )

    @classmethod
    def _reseller(cls, name, login):
        company = cls.env["res.partner"].create(
            {
                "name": name,
                "is_company": True,
                "email": f"sales@{login}.example",
                "grade_id": cls.grade.id,
                "country_id": cls.country_be.id,
            }
        )
        user = new_test_user(
            cls.env,
            f"ll_reseller_{login}",
            groups="base.group_portal",
            name=f"{name} Portal",
            email=f"portal@{login}.example",
        )
        user.partner_id.parent_id = company
        return company, user

    def _qualified_lead(self, **values):
        lead = self._lead(**values)
        with lifecycle_server_write():
            lead.write({"lifecycle_state": "qualified"})
        return lead

    def _pass(self, leads, partner=None, user=None):
        """Pass through Odoo's Forward to Partner wizard, as a manager does."""
        env = self.env(user=user or self.manager)
        wizard = (
            env["crm.lead.forward.to.partner"]
            .with_context(
                active_ids=leads.ids,
                active_model="crm.lead",
                default_composition_mode="forward",
            )
            .create(
                {"forward_type": "single", "partner_id": (partner or self.reseller).id}
            )
        )
        wizard.action_forward()
        return wizard
