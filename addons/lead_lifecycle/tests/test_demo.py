# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from unittest import SkipTest

from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestDemo(TransactionCase):
    """The demo story holds: every report of the module has meaningful figures.
    Skipped on a database without the demo data."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if not cls.env.ref("lead_lifecycle.lead_demo_00", raise_if_not_found=False):
            raise SkipTest("lead_lifecycle demo data not installed")
        demo_ids = cls.env["ir.model.data"].search(
            [
                ("module", "=", "lead_lifecycle"),
                ("model", "=", "crm.lead"),
                ("name", "=like", "lead_demo_%"),
            ]
        )
        cls.leads = (
            cls.env["crm.lead"]
            .with_context(active_test=False)
            .browse(demo_ids.mapped("res_id"))
        )
        cls.campaigns = (
            cls.env.ref("lead_lifecycle.utm_campaign_spring_fair_demo")
            | cls.env.ref("lead_lifecycle.utm_campaign_webinar_series_demo")
            | cls.env.ref("lead_lifecycle.utm_campaign_newsletter_q3_demo")
        )
        cls.rented_list = cls.env.ref(
            "lead_lifecycle.crm_rented_list_dach_logistics_demo"
        )

    def test_leads_cover_every_state_rating_and_score(self):
        leads = self.leads
        self.assertGreaterEqual(len(leads), 60)
        self.assertEqual(
            set(leads.mapped("lifecycle_state")),
            {"new", "contacted", "qualified", "disqualified"},
        )
        self.assertEqual(set(leads.mapped("rating")) - {False}, {"a", "b", "c", "d"})
        self.assertTrue(leads.filtered("sales_ready"))
        self.assertTrue(leads.filtered(lambda lead: not lead.sales_ready))
        self.assertGreater(len(set(leads.mapped("score"))), 5)
        self.assertTrue(leads.filtered("response_overdue"))
        self.assertTrue(leads.filtered("first_response_date"))

    def test_deals_won_and_lost(self):
        opportunities = self.leads.filtered(lambda lead: lead.type == "opportunity")
        won = opportunities.filtered(lambda lead: lead.stage_id.is_won)
        lost = opportunities.filtered(lambda lead: not lead.active)
        self.assertTrue(won)
        self.assertTrue(lost)
        # A lost deal is not a bad lead: it stays qualified.
        self.assertEqual(set(lost.mapped("lifecycle_state")), {"qualified"})

    def test_campaign_report_has_cost_and_won_revenue(self):
        rows = self.env["utm.campaign.lifecycle.report"].search_read(
            [("campaign_id", "in", self.campaigns.ids)],
            ["campaign_id", "cost", "lead_count", "qualified_count", "won_revenue"],
        )
        self.assertEqual(len(rows), 3)
        for row in rows:
            self.assertGreater(row["cost"], 0, row)
            self.assertGreater(row["lead_count"], 0, row)
            self.assertGreater(row["qualified_count"], 0, row)
            self.assertGreater(row["won_revenue"], 0, row)

    def test_lifecycle_and_response_reports(self):
        Report = self.env["crm.lead.lifecycle.report"]
        rows = Report.search([("campaign_id", "in", self.campaigns.ids)])
        self.assertTrue(rows)
        buckets = set(rows.mapped("response_bucket"))
        # Answered in minutes, hours or days (in working hours: how many buckets
        # depends on the time of day the demo was loaded), and never.
        self.assertIn("5_never", buckets)
        self.assertGreaterEqual(len(buckets), 3, buckets)
        self.assertTrue(
            Report.search_count([("rented_list_id", "=", self.rented_list.id)])
        )

    def test_rented_list_report_figures(self):
        rented_list = self.rented_list
        self.assertGreater(rented_list.cost, 0)
        self.assertTrue(rented_list.promoted_count)
        self.assertTrue(rented_list.qualified_count)
        self.assertGreater(rented_list.won_revenue, 0)
        self.assertGreater(rented_list.cost_per_qualified, 0)

    def test_rented_list_has_realistic_defects(self):
        contacts = self.rented_list.contact_ids
        self.assertEqual(self.rented_list.state, "active")
        self.assertTrue(self.rented_list.vendor_id)
        self.assertGreaterEqual(len(contacts), 200)
        validity = set(contacts.mapped("validity"))
        self.assertTrue({"valid", "invalid_email", "empty"} <= validity)
        # A bad phone or an unknown country next to a good email: a warning.
        warned = contacts.filtered("cleaning_warnings")
        self.assertTrue(warned)
        self.assertTrue(warned.filtered("is_mailable"))
        matches = set(contacts.mapped("match_status"))
        self.assertTrue(
            {"none", "duplicate", "blacklisted", "partner", "lead"} <= matches, matches
        )
        self.assertEqual(self.rented_list.row_count, len(contacts))
        self.assertTrue(self.rented_list.duplicate_count)
        self.assertTrue(self.rented_list.suppressed_count)
        self.assertTrue(contacts.filtered(lambda c: c.state == "contacted"))
        promoted = contacts.filtered(lambda c: c.state == "promoted")
        self.assertTrue(promoted)
        self.assertEqual(promoted.promoted_lead_id.rented_list_id, self.rented_list)
        # One reply waits for a salesperson.
        self.assertTrue(contacts.filtered("promotion_eligible"))

    def test_partners_on_lists(self):
        qualified = self.env.ref("lead_lifecycle.mailing_list_qualified_prospects")
        self.assertTrue(
            qualified.contact_ids.partner_id & self.leads.partner_id,
            "partners qualified from the demo leads are on Qualified prospects",
        )
