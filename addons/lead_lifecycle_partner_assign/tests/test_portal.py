# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import re

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged

from .common import DistributorCase


@tagged("post_install", "-at_install")
class TestDistributorPortal(DistributorCase, HttpCase):
    """The reseller's portal user, through Odoo's portal routes and the bridge's."""

    def setUp(self):
        super().setUp()
        self.lead = self._make_passed("Bxl: 50 seats", self.reseller)
        self.other_lead = self._make_passed("Antwerp: 20 seats", self.other)

    def _make_passed(self, name, reseller):
        lead = self._qualified_lead(name=name)
        self._pass(lead, partner=reseller)
        return lead

    def _login(self, user):
        self.authenticate(user.login, user.login)

    def _csrf(self, url):
        page = self.url_open(url)
        self.assertEqual(page.status_code, 200)
        return re.search(
            r'(?:name="csrf_token" value="|csrf_token: ")([^"]+)"', page.text
        ).group(1)

    def _accept(self, lead):
        # What Odoo's portal button "I'm interested" calls.
        self.make_jsonrpc_request(
            "/web/dataset/call_kw/crm.lead/partner_interested",
            {
                "model": "crm.lead",
                "method": "partner_interested",
                "args": [lead.ids, "We call them today"],
                "kwargs": {},
            },
        )

    def _post_outcome(self, lead, **values):
        token = self._csrf("/my/leads")
        return self.url_open(
            f"/my/opportunity/{lead.id}/outcome",
            data=dict(values, csrf_token=token),
        )

    # ------------------------------------------------------------
    # Security
    # ------------------------------------------------------------

    def test_portal_lists_only_the_leads_passed_to_it(self):
        self._login(self.reseller_user)
        page = self.url_open("/my/leads")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Bxl: 50 seats", page.text)
        self.assertNotIn("Antwerp: 20 seats", page.text)
        self.assertEqual(self.url_open(f"/my/lead/{self.lead.id}").status_code, 200)
        self.assertNotEqual(
            self.url_open(f"/my/lead/{self.other_lead.id}").status_code, 200
        )

    def test_portal_rules_with_user(self):
        leads = self.env["crm.lead"].with_user(self.reseller_user)
        found = leads.search([("id", "in", (self.lead | self.other_lead).ids)])
        self.assertEqual(found, self.lead.with_user(self.reseller_user))
        with self.assertRaises(AccessError):
            self.other_lead.with_user(self.reseller_user).read(["name"])
        with self.assertRaises(AccessError):
            self.other_lead.with_user(self.reseller_user).distributor_report_outcome(
                "won", amount=100.0
            )
        # Recalled: the reseller loses the lead.
        self.lead.with_user(self.manager).action_distributor_recall()
        self.assertFalse(leads.search([("id", "=", self.lead.id)]))

    # ------------------------------------------------------------
    # Accept, decline, outcome
    # ------------------------------------------------------------

    def test_portal_accept_then_report_won(self):
        self._login(self.reseller_user)
        self._accept(self.lead)
        self.assertEqual(self.lead.distributor_state, "accepted")
        self.assertEqual(self.lead.type, "opportunity")
        page = self.url_open(f"/my/opportunity/{self.lead.id}")
        self.assertIn("o_distributor_outcome_form", page.text)
        response = self._post_outcome(
            self.lead, outcome="won", amount="1500.50", date="2026-03-10"
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self.lead.distributor_state, "won")
        self.assertEqual(self.lead.distributor_amount, 1500.50)
        self.assertEqual(self.lead.expected_revenue, 1500.50)
        self.assertTrue(self.lead.stage_id.is_won)
        self.assertEqual(self.lead.distributor_outcome_date.isoformat(), "2026-03-10")
        self.assertEqual(self.lead.date_closed.date().isoformat(), "2026-03-10")
        self.assertEqual(self.lead.distributor_id, self.reseller)
        message = self.lead.message_ids.filtered(
            lambda m: "Won by the distributor on 2026-03-10" in (m.body or "")
        )
        self.assertEqual(message.author_id, self.reseller_user.partner_id)

    def test_portal_report_lost_with_reason(self):
        self._login(self.reseller_user)
        self._accept(self.lead)
        self._post_outcome(
            self.lead, outcome="lost", lost_reason_id=str(self.lost_reason.id)
        )
        self.assertEqual(self.lead.distributor_state, "lost")
        self.assertEqual(self.lead.distributor_lost_reason_id, self.lost_reason)
        self.assertEqual(self.lead.lost_reason_id, self.lost_reason)
        self.assertFalse(self.lead.active)
        # A lost deal of a qualified lead stays qualified (lead_lifecycle's rule).
        self.assertEqual(self.lead.lifecycle_state, "qualified")

    def test_portal_outcome_errors(self):
        self._login(self.reseller_user)
        # Not accepted yet: refused, the page says why.
        page = self._post_outcome(self.lead, outcome="won", amount="100")
        self.assertIn("Accept these leads before reporting their outcome", page.text)
        self.assertEqual(self.lead.distributor_state, "passed")
        self._accept(self.lead)
        page = self._post_outcome(self.lead, outcome="won", amount="")
        self.assertIn("Give the amount of the sale", page.text)
        page = self._post_outcome(self.lead, outcome="lost")
        self.assertIn("Give a reason", page.text)
        self.assertEqual(self.lead.distributor_state, "accepted")
        # Another reseller's lead: not found, not changed.
        token = self._csrf("/my/leads")
        response = self.url_open(
            f"/my/opportunity/{self.other_lead.id}/outcome",
            data={"outcome": "won", "amount": "100", "csrf_token": token},
        )
        self.assertEqual(response.status_code, 404)
        self.assertEqual(self.other_lead.distributor_state, "passed")

    def test_portal_decline_keeps_the_reason(self):
        self._login(self.reseller_user)
        self.make_jsonrpc_request(
            "/web/dataset/call_kw/crm.lead/partner_desinterested",
            {
                "model": "crm.lead",
                "method": "partner_desinterested",
                "args": [self.lead.ids, "Too far from us", True, False],
                "kwargs": {},
            },
        )
        self.assertEqual(self.lead.distributor_state, "declined")
        self.assertEqual(self.lead.distributor_decline_reason, "Too far from us")
        self.assertFalse(self.lead.partner_assigned_id)
        self.assertNotEqual(self.url_open(f"/my/lead/{self.lead.id}").status_code, 200)
