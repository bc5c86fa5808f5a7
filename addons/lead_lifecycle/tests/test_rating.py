# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from ast import literal_eval

from odoo.tests import Form, tagged

from .common_assessment import AssessmentCase


@tagged("post_install", "-at_install")
class TestRating(AssessmentCase):
    def test_rating_labels_and_meanings(self):
        field = self.env["crm.lead"]._fields["rating"]
        labels = dict(field._description_selection(self.env))
        self.assertEqual(list(labels), ["a", "b", "c", "d"])
        self.assertEqual(labels["a"], "A - Large project")
        self.assertEqual(labels["b"], "B - Small project")
        self.assertEqual(
            labels["c"], "C - No active project but worth keeping in touch"
        )
        self.assertEqual(labels["d"], "D - No project")
        for meaning in (
            "A: large project",
            "B: small project",
            "C: no active project but worth keeping in touch",
            "D: no project",
        ):
            self.assertIn(meaning, field.help)
        self.assertTrue(field.tracking)
        partner_field = self.env["res.partner"]._fields["lead_rating"]
        self.assertEqual(dict(partner_field._description_selection(self.env)), labels)

    def test_suggestion_follows_thresholds(self):
        lead = self._lead(expected_revenue=10000.0)
        self.assertEqual((lead.rating_suggested, lead.rating), ("a", "a"))
        lead.expected_revenue = 9999.0
        self.assertEqual((lead.rating_suggested, lead.rating), ("b", "b"))
        lead.expected_revenue = 0.0
        self.assertEqual(lead.rating_suggested, False)
        lead.email_from = "valid.contact@example.org"
        self.assertEqual((lead.rating_suggested, lead.rating), ("c", "c"))
        self.assertFalse(lead.rating_manual)
        self.policy.rating_a_revenue = 0.0
        big = self._lead(expected_revenue=10**6)
        self.assertEqual(big.rating, "b", "a threshold of 0 never proposes A")

    def test_suggestion_d_when_disqualified_as_not_interested(self):
        lead = self._lead(email_from="nope@example.org", expected_revenue=500.0)
        other = self._lead(email_from="bounced@example.org")
        lead.action_set_lost(lost_reason_id=self.not_interested.id)
        other.action_set_lost(lost_reason_id=self.not_contactable.id)
        self.assertEqual(lead.rating, "d")
        self.assertEqual(other.rating, "c", "not contactable is no reason for D")

    def test_manual_choice_is_kept_and_suggestion_shown(self):
        lead = self._lead(
            expected_revenue=500.0, email_from="a@example.org", user_id=self.salesman.id
        )
        self.assertEqual(lead.rating, "b")
        lead.with_user(self.salesman).write({"rating": "a"})
        self.assertTrue(lead.rating_manual)
        lead.expected_revenue = 0.0
        self.assertEqual(lead.rating, "a", "the user's choice wins")
        self.assertEqual(lead.rating_suggested, "c")
        lead.expected_revenue = 20000.0
        lead.expected_revenue = 100.0
        self.assertEqual(lead.rating, "a")
        lead.action_rating_use_suggestion()
        self.assertFalse(lead.rating_manual)
        self.assertEqual(lead.rating, "b")

    def test_manual_rating_at_create_and_cleared(self):
        lead = self._lead(expected_revenue=500.0, rating="d")
        self.assertEqual(lead.rating, "d")
        self.assertTrue(lead.rating_manual)
        lead.write({"rating": False})
        lead.expected_revenue = 20000.0
        self.assertFalse(lead.rating, "an explicit 'no rating' is a choice too")

    def test_form_follows_suggestion_until_the_user_chooses(self):
        lead = self._lead(email_from="form@example.org", type="opportunity")
        with Form(lead) as form:
            form.expected_revenue = 700.0
            self.assertEqual(form.rating, "b")
        self.assertEqual(lead.rating, "b")
        self.assertFalse(lead.rating_manual, "a value the suggestion set is no choice")
        with Form(lead) as form:
            form.rating = "a"
        self.assertTrue(lead.rating_manual)
        with Form(lead) as form:
            form.expected_revenue = 0.0
            self.assertEqual(form.rating, "a")
        self.assertEqual((lead.rating, lead.rating_suggested), ("a", "c"))
        self.assertTrue(lead.rating_date)

    def test_merge_keeps_the_rating(self):
        older = self._lead(name="Unrated", contact_name="Same Person")
        rated = self._lead(
            name="Rated", contact_name="Same Person", rating="a", probability=10
        )
        self.assertEqual((rated.rating, rated.rating_suggested), ("a", False))
        self.assertIn("rating", self.env["crm.lead"]._merge_get_fields())
        master = (older | rated)._merge_opportunity(auto_unlink=False)
        self.assertEqual(master.rating, "a")
        self.assertTrue(master.rating_manual)
        master.expected_revenue = 300.0
        self.assertEqual(master.rating, "a")

    def _qualify(self, lead):
        result = lead.with_user(self.manager)._lifecycle_qualify(
            create_opportunity=False, override_reason="Assessment test"
        )
        self.assertEqual(result["qualified"], lead, result["skipped"])
        return lead.partner_id

    def test_rating_carried_to_partner_on_qualification(self):
        lead = self._lead(
            contact_name="Carla Client",
            partner_name="Carried Rating Ltd",
            email_from="carla@carried-rating.example.org",
            expected_revenue=800.0,
        )
        lead.rating = "c"
        person = self._qualify(lead)
        self.assertEqual(person.lead_rating, "c")
        self.assertEqual(person.lead_rating_date, lead.rating_date)
        self.assertEqual(person.parent_id.lead_rating, "c")
        self.assertIn(
            person,
            self.env["res.partner"].search([("lead_rating", "=", "c")]),
            "the C partners are the keep-in-touch audience",
        )

    def test_partner_rating_rolls_up_to_the_company(self):
        Partner = self.env["res.partner"]
        company = Partner.create({"name": "Rollup Inc", "is_company": True})
        alice, bob = Partner.create(
            [
                {"name": "Alice", "parent_id": company.id},
                {"name": "Bob", "parent_id": company.id},
            ]
        )
        lead = self._lead(partner_id=alice.id, email_from="alice@rollup.example.org")
        self.assertEqual(lead.rating, "c")
        self.assertFalse(alice.lead_rating, "an unqualified lead does not rate")
        lead.lifecycle_state = "qualified"
        self.assertEqual(alice.lead_rating, "c")
        self.assertEqual(company.lead_rating, "c")
        opportunity = self._lead(
            type="opportunity", partner_id=bob.id, expected_revenue=50000.0
        )
        self.assertEqual(opportunity.rating, "a")
        self.assertEqual((bob.lead_rating, company.lead_rating), ("a", "a"))
        self.assertEqual(alice.lead_rating, "c")
        self.assertEqual(
            company.lead_rating_date, max(lead.rating_date, opportunity.rating_date)
        )
        opportunity.action_set_lost(lost_reason_id=self.not_contactable.id)
        self.assertFalse(bob.lead_rating, "a lost opportunity is no current project")
        self.assertEqual(company.lead_rating, "c")
        won = self._lead(type="opportunity", partner_id=bob.id, expected_revenue=9.0)
        self.assertEqual(company.lead_rating, "b")
        won.action_set_won()
        self.assertEqual(company.lead_rating, "c", "a won deal is no open project")

    def test_rating_offered_to_predictive_lead_scoring(self):
        frequency_field = self.env.ref("lead_lifecycle.frequency_field_rating")
        self.assertEqual(frequency_field.field_id.name, "rating")
        self.assertEqual(frequency_field.field_id.model, "crm.lead")
        pls_fields = self.env["ir.config_parameter"].sudo().get_param("crm.pls_fields")
        self.assertNotIn("rating", (pls_fields or "").split(","))
        data = self.env["ir.model.data"].search(
            [("module", "=", "lead_lifecycle"), ("name", "=", "frequency_field_rating")]
        )
        self.assertTrue(data.noupdate)

    def test_reports_one_click_from_crm_reporting(self):
        report_menu = self.env.ref("crm.crm_menu_report")
        rated_c = self.env.ref("lead_lifecycle.crm_lead_rated_c_menu")
        self.assertEqual(rated_c.parent_id, report_menu)
        c_lead = self._lead(email_from="c@example.org")
        b_lead = self._lead(expected_revenue=1.0)
        action = rated_c.action
        found = self.env["crm.lead"].search(literal_eval(action.domain))
        self.assertIn(c_lead, found)
        self.assertNotIn(b_lead, found)
        by_rating = self.env.ref("lead_lifecycle.crm_lead_rating_report_menu")
        self.assertEqual(by_rating.parent_id, report_menu)
        self.assertEqual(
            set(by_rating.action.view_mode.split(",")[:2]), {"graph", "pivot"}
        )
        partners = self.env.ref("lead_lifecycle.res_partner_rating_report_menu")
        self.assertEqual(partners.action.res_model, "res.partner")
        groups = self.env["crm.lead"]._read_group(
            [("id", "in", (c_lead | b_lead).ids)], ["team_id", "rating"], ["__count"]
        )
        self.assertEqual(
            sorted((rating, count) for _team, rating, count in groups),
            [("b", 1), ("c", 1)],
        )

    def test_company_default_threshold_change_resuggests(self):
        default = self.env["crm.qualification.policy"]._get_default_policy(
            self.env.company
        )
        default.rating_a_revenue = 50000.0
        lead = self._lead(team_id=False, expected_revenue=60000.0)
        manual = self._lead(team_id=False, expected_revenue=60000.0, rating="c")
        self.assertEqual((lead.rating, manual.rating), ("a", "c"))
        default.rating_a_revenue = 100000.0
        self.assertEqual((lead.rating_suggested, lead.rating), ("b", "b"))
        self.assertEqual((manual.rating_suggested, manual.rating), ("b", "c"))
