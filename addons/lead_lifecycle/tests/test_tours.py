# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Browser tours of the qualification and marketing flows (Chromium)."""

from datetime import timedelta

from odoo import Command, fields
from odoo.tests import HttpCase, TransactionCase, new_test_user, tagged
from odoo.tests.common import freeze_time


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
        cls.prospects = cls.env.ref("lead_lifecycle.mailing_list_qualified_prospects")
        cls.policy = cls.env["crm.qualification.policy"].create(
            {
                "name": "Tour policy",
                "min_interactions": 1,
                "require_budget": True,
                "mailing_list_ids": [Command.link(cls.prospects.id)],
            }
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

    def _lead_tour(self, lead, tour, user):
        """Run the tour on the lead's form, logged in as the user."""
        self.start_tour(self._url(lead), tour, login=user.login)

    def test_telemarketer_qualifies_after_a_call(self):
        """Log the call in the chatter, rate B, enter the budget, qualify."""
        lead = self._lead(self.salesman)
        self._lead_tour(lead, "lead_lifecycle_telemarketer_tour", self.salesman)
        self.assertEqual(lead.call_count, 1)
        self.assertEqual(lead.lifecycle_state, "qualified")
        self.assertEqual(lead.rating, "b")
        self.assertEqual(lead.bant_budget, 25000)
        partner = lead.partner_id
        self.assertEqual(partner.parent_id.name, "Acme Logistics")
        self.assertEqual(partner.qualified_from_lead_id, lead)
        self.assertEqual(partner.lead_rating, "b")
        # The shipped rule puts the new partner on the policy's "Qualified prospects"
        # list, as base_automation's cron does a bit more than an hour later.
        self.env.flush_all()
        with freeze_time(fields.Datetime.now() + timedelta(minutes=62)):
            self.env["base.automation"]._check()
        self.env.cr.precommit.run()
        self.assertIn(
            partner,
            self.env["mailing.subscription"]
            .search([("list_id", "=", self.prospects.id)])
            .contact_id.partner_id,
        )

    def test_manager_overrides_with_a_reason(self):
        lead = self._lead(self.manager)
        lead.bant_budget = 10000
        self._lead_tour(lead, "lead_lifecycle_manager_override_tour", self.manager)
        self.assertEqual(lead.lifecycle_state, "qualified")
        self.assertEqual(
            lead.qualification_override_reason,
            "Met the CEO at the fair, project confirmed",
        )

    def test_salesman_is_refused(self):
        lead = self._lead(self.salesman)
        lead.bant_budget = 10000
        self._lead_tour(lead, "lead_lifecycle_salesman_refused_tour", self.salesman)
        self.assertEqual(lead.lifecycle_state, "new")

    def test_staged_lead_full_composer(self):
        """Chatter, full composer, send: the staged lead's email is mailed as an
        email, no partner is created from it."""
        lead = self._lead(self.salesman)
        self._lead_tour(lead, "lead_lifecycle_staged_full_composer_tour", self.salesman)
        email = "jane@acme-logistics.example"
        self.assertFalse(
            self.env["res.partner"]
            .with_context(active_test=False)
            .search([("email_normalized", "=", email)])
        )
        self.assertFalse(lead.partner_id)
        message = lead.message_ids.filtered(
            lambda m: m.message_type == "comment" and "fleet" in m.body
        )
        self.assertEqual(len(message), 1)
        self.assertFalse(message.partner_ids)
        mail = (
            self.env["mail.mail"].sudo().search([("mail_message_id", "=", message.id)])
        )
        self.assertEqual(len(mail), 1)
        self.assertIn(email, mail.email_to)
        self.assertFalse(mail.recipient_ids)


@tagged("post_install", "-at_install")
class TestLeadLifecycleMarketingTours(HttpCase):
    """Rented lists and reports as marketing and sales managers click them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.marketing = new_test_user(
            cls.env,
            "ll_tour_marketing",
            groups="sales_team.group_sale_salesman_all_leads,"
            "mass_mailing.group_mass_mailing_user,crm.group_use_lead",
            name="Max Marketing",
        )
        cls.reporter = new_test_user(
            cls.env,
            "ll_tour_reporter",
            groups="sales_team.group_sale_manager,crm.group_use_lead",
            name="Rita Reporter",
        )
        cls.env["res.partner"].create({"name": "Tour List Vendor", "is_company": True})
        cls.env["mail.blacklist"].create({"email": "eve@umbrella.example"})

    def test_marketing_imports_and_promotes(self):
        self.start_tour(
            "/odoo/action-lead_lifecycle.crm_rented_list_action",
            "lead_lifecycle_rented_list_import_tour",
            login="ll_tour_marketing",
        )
        rented_list = self.env["crm.rented.list"].search(
            [("name", "=", "Tour fair visitors")]
        )
        self.assertEqual(rented_list.state, "active")
        self.assertEqual(rented_list.row_count, 5)
        contacts = rented_list.contact_ids
        self.assertEqual(
            sorted(contacts.mapped("validity")),
            ["invalid_email", "valid", "valid", "valid", "valid"],
        )
        # Bob answers the list's mailing; the shipped rule would promote him at once:
        # switched off here so that the user promotes him.
        self.env.ref(
            "lead_lifecycle.base_automation_rented_list_promote"
        ).active = False
        bob = contacts.filtered(lambda c: c.email == "bob@globex.example")
        bob.message_post(
            body="Interested, call me",
            message_type="email",
            author_id=False,
            email_from=bob.email,
        )
        self.assertEqual(bob.response, "replied")
        self.assertEqual(rented_list.responded_count, 1)
        self.start_tour(
            f"/odoo/action-lead_lifecycle.crm_rented_list_action/{rented_list.id}",
            "lead_lifecycle_rented_list_promote_tour",
            login="ll_tour_marketing",
        )
        lead = bob.promoted_lead_id
        self.assertEqual(bob.state, "promoted")
        self.assertEqual(lead.rented_list_id, rented_list)
        self.assertEqual(lead.email_from, "bob@globex.example")

    def test_reporting_campaigns_and_response_time(self):
        campaign = self.env["utm.campaign"].create(
            {"name": "Tour Fair 2026", "cost": 3000.0}
        )
        leads = self.env["crm.lead"].create(
            [
                {
                    "name": f"Fair lead {index}",
                    "type": "lead",
                    "user_id": self.reporter.id,
                    "campaign_id": campaign.id,
                    "email_from": f"visitor{index}@fair.example",
                }
                for index in range(2)
            ]
        )
        answered, never = leads
        answered.first_response_date = answered.create_date + timedelta(minutes=20)
        won = self.env["crm.lead"].create(
            {
                "name": "Fair deal",
                "type": "opportunity",
                "user_id": self.reporter.id,
                "campaign_id": campaign.id,
                "expected_revenue": 12000,
            }
        )
        won.action_set_won()
        self.assertFalse(never.first_response_date)
        self.env.flush_all()
        self.start_tour(
            "/odoo/action-lead_lifecycle.utm_campaign_lifecycle_report_action",
            "lead_lifecycle_reporting_tour",
            login="ll_tour_reporter",
        )


@tagged("post_install", "-at_install")
class TestLeadLifecycleScreens(TransactionCase):
    """Where users find the screens, and what the lead cards show."""

    def _menu_path(self, xmlid):
        menu = self.env.ref(xmlid)
        names = []
        while menu:
            names.insert(0, menu.name)
            menu = menu.parent_id
        return " > ".join(names)

    def test_menus(self):
        expected = {
            "lead_lifecycle.crm_lead_menu_leads": "CRM > Leads > Leads",
            "lead_lifecycle.crm_rented_list_menu": "CRM > Leads > Rented Lists",
            "lead_lifecycle.crm_rented_list_menu_mailing": (
                "Email Marketing > Mailing Lists > Rented Lists"
            ),
            "lead_lifecycle.crm_lead_lifecycle_report_menu": (
                "CRM > Reporting > Lifecycle"
            ),
            "lead_lifecycle.utm_campaign_lifecycle_report_menu": (
                "CRM > Reporting > Campaigns"
            ),
            "lead_lifecycle.crm_lead_response_report_menu": (
                "CRM > Reporting > Response Time"
            ),
            "lead_lifecycle.crm_qualification_policy_menu": (
                "CRM > Configuration > Lead Lifecycle > Qualification Policies"
            ),
            "lead_lifecycle.crm_lead_scoring_rule_menu": (
                "CRM > Configuration > Lead Lifecycle > Scoring Rules"
            ),
            "lead_lifecycle.crm_lost_reason_menu": (
                "CRM > Configuration > Lead Lifecycle > Disqualification Reasons"
            ),
        }
        for xmlid, path in expected.items():
            self.assertEqual(self._menu_path(xmlid), path)

    def test_lead_cards_show_rating_score_and_overdue(self):
        for xmlid in ("crm.view_crm_lead_kanban", "crm.crm_case_kanban_view_leads"):
            arch = self.env["crm.lead"].get_view(self.env.ref(xmlid).id, "kanban")[
                "arch"
            ]
            for needle in ('name="rating"', 'name="score"', "o_lead_lifecycle_overdue"):
                self.assertIn(needle, arch, xmlid)
