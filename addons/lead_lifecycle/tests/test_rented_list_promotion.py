# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common_rented_list import RentedListCase


@tagged("post_install", "-at_install")
class TestRentedListPromotion(RentedListCase):
    def setUp(self):
        super().setUp()
        self._import()
        self.rule = self.env.ref("lead_lifecycle.base_automation_rented_list_promote")

    def _reply(self, contact):
        contact.message_post(
            body="Interested, call me",
            message_type="email",
            author_id=False,
            email_from=contact.email,
        )

    def test_reply_promotes_with_utm_and_link(self):
        alice = self._contact("alice@acme.example")
        self._reply(alice)
        self.assertEqual(alice.response, "replied")
        lead = alice.promoted_lead_id
        self.assertTrue(lead, "the shipped automation rule promotes a replied contact")
        self.assertEqual(alice.state, "promoted")
        self.assertEqual(lead.rented_list_id, self.rented_list)
        self.assertEqual(lead.rented_list_contact_id, alice)
        self.assertEqual(lead.campaign_id, self.campaign)
        self.assertEqual(lead.source_id, self.source)
        self.assertEqual(lead.medium_id, self.medium)
        self.assertEqual(lead.email_from, "alice@acme.example")
        self.assertEqual(lead.contact_name, "Alice Martin")
        self.assertEqual(lead.partner_name, "Acme")
        self.assertEqual(lead.country_id, self.env.ref("base.be"))
        self.assertEqual(lead.website, "https://acme.example")
        self.assertEqual(lead.type, "lead")
        self.assertEqual(lead.lifecycle_state, "new")
        self.assertEqual(self.rented_list.promoted_count, 1)

    def test_promoted_lead_gets_no_automatic_first_reply(self):
        self.env["crm.first.reply"].search([]).write({"auto_send": True})
        alice = self._contact("alice@acme.example")
        self._reply(alice)
        lead = alice.promoted_lead_id
        self.assertTrue(lead)
        self.assertFalse(lead.first_reply_sent_date)
        self.assertEqual(lead._first_reply_skip_reason(), "promoted from a rented list")
        self.assertFalse(
            self.env["mail.mail"].search([("email_to", "ilike", "alice@acme.example")])
        )

    def test_rule_disabled_only_eligible(self):
        self.rule.active = False
        alice = self._contact("alice@acme.example")
        self._reply(alice)
        self.assertTrue(alice.promotion_eligible)
        self.assertFalse(alice.promoted_lead_id)
        alice.action_promote()
        self.assertTrue(alice.promoted_lead_id)
        self.assertFalse(alice.promotion_eligible)
        with self.assertRaisesRegex(UserError, "None of the selected contacts"):
            alice.action_promote()

    def test_n_contacts_make_eligible(self):
        self.rule.active = False
        policy = self.env["crm.qualification.policy"]._get_default_policy(
            self.env.company
        )
        with Form(policy) as form:
            form.established_contact_count = 2
        bob = self._contact("bob@globex.example")
        bob.action_log_call()
        self.assertEqual(bob.contact_count, 1)
        self.assertFalse(bob.promotion_eligible)
        with self.assertRaisesRegex(UserError, "None of the selected contacts"):
            bob.action_promote()
        bob.action_log_call()
        bob.invalidate_recordset(["promotion_eligible"])
        self.assertTrue(bob.promotion_eligible)
        self.assertIn(
            bob,
            self.env["crm.rented.list.contact"].search(
                [("promotion_eligible", "=", True)]
            ),
        )
        self.rule.active = True
        bob.action_log_call()
        self.assertTrue(bob.promoted_lead_id, "the rule promotes on the count too")

    def test_partner_match_links_partner(self):
        frank = self._contact("frank@known.example")
        self._reply(frank)
        self.assertEqual(frank.promoted_lead_id.partner_id, self.known_partner)

    def test_mass_promotion(self):
        self.rule.active = False
        contacts = self.rented_list.contact_ids
        for contact in contacts[:3]:
            contact.response = "replied"
        action = (
            self.env.ref("lead_lifecycle.crm_rented_list_contact_action_promote")
            .with_context(active_model=contacts._name, active_ids=contacts.ids)
            .run()
        )
        leads = self.env["crm.lead"].search(action["domain"])
        self.assertEqual(len(leads), 3)
        self.assertEqual(leads.rented_list_contact_id, contacts[:3])
        self.assertFalse(contacts[3:].promoted_lead_id)

    def test_figures_follow_leads(self):
        alice = self._contact("alice@acme.example")
        self._reply(alice)
        lead = alice.promoted_lead_id
        lead._lifecycle_qualify(override_reason="Test of the figures")
        self.assertEqual(lead.lifecycle_state, "qualified")
        self.assertEqual(self.rented_list.qualified_count, 1)
        self.assertEqual(self.rented_list.cost_per_qualified, 1000.0)
        lead.write({"expected_revenue": 5000.0})
        lead.action_set_won()
        self.assertEqual(self.rented_list.won_revenue, 5000.0)
        by_vendor = self.env["crm.rented.list"]._read_group(
            [("vendor_id", "=", self.vendor.id)],
            ["vendor_id"],
            ["qualified_count:sum", "won_revenue:sum", "row_count:sum"],
        )
        self.assertEqual(by_vendor, [(self.vendor, 1, 5000.0, 9)])
        # The lifecycle report counts the same sales per rented list and vendor.
        self.env.flush_all()
        report = self.env["crm.lead.lifecycle.report"]._read_group(
            [("rented_list_id", "=", self.rented_list.id)],
            ["rented_list_id", "rented_list_vendor_id"],
            [
                "lead_count:sum",
                "qualified_count:sum",
                "won_count:sum",
                "won_revenue:sum",
            ],
        )
        self.assertEqual(report, [(self.rented_list, self.vendor, 1, 1, 1, 5000.0)])
