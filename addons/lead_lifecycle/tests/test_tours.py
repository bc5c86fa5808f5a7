# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestLeadLifecycleTours(HttpCase):
    """The main qualification flows as users click them, in Chromium."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.salesman = new_test_user(
            cls.env,
            "ll_tour_salesman",
            groups="sales_team.group_sale_salesman,base.group_partner_manager,"
            "crm.group_use_lead",
            name="Tom Telemarketer",
        )
        cls.manager = new_test_user(
            cls.env,
            "ll_tour_manager",
            groups="sales_team.group_sale_manager,base.group_partner_manager,"
            "crm.group_use_lead",
            name="Mia Manager",
        )
        cls.policy = cls.env["crm.qualification.policy"].create(
            {"name": "Tour policy", "min_interactions": 1, "require_budget": True}
        )
        cls.team = cls.env["crm.team"].create(
            {
                "name": "Tour team",
                "use_leads": True,
                "qualification_policy_id": cls.policy.id,
            }
        )

    def _lead(self, user):
        return self.env["crm.lead"].create(
            {
                "name": "Tour lead: 40 trucks",
                "type": "lead",
                "team_id": self.team.id,
                "user_id": user.id,
                "partner_name": "Acme Logistics",
                "contact_name": "Jane Doe",
                "email_from": "jane@acme-logistics.example",
            }
        )

    def _url(self, lead):
        return f"/odoo/action-crm.crm_lead_all_leads/{lead.id}"

    def test_telemarketer_qualifies_after_a_call(self):
        lead = self._lead(self.salesman)
        lead.with_user(self.salesman).activity_schedule(
            "mail.mail_activity_data_call"
        ).action_feedback("Discussed the fleet project")
        self.start_tour(
            self._url(lead),
            "lead_lifecycle_telemarketer_tour",
            login="ll_tour_salesman",
        )
        self.assertEqual(lead.lifecycle_state, "qualified")
        self.assertEqual(lead.bant_budget, 25000)
        self.assertEqual(lead.partner_id.parent_id.name, "Acme Logistics")

    def test_manager_overrides_with_a_reason(self):
        lead = self._lead(self.manager)
        lead.bant_budget = 10000
        self.start_tour(
            self._url(lead),
            "lead_lifecycle_manager_override_tour",
            login="ll_tour_manager",
        )
        self.assertEqual(lead.lifecycle_state, "qualified")
        self.assertEqual(
            lead.qualification_override_reason,
            "Met the CEO at the fair, project confirmed",
        )

    def test_salesman_is_refused(self):
        lead = self._lead(self.salesman)
        lead.bant_budget = 10000
        self.start_tour(
            self._url(lead),
            "lead_lifecycle_salesman_refused_tour",
            login="ll_tour_salesman",
        )
        self.assertEqual(lead.lifecycle_state, "new")
