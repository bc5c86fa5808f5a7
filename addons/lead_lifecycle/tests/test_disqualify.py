# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Disqualification: the categories of the lost reasons, do-not-contact, losing a
qualified opportunity, restoring, and the not-contactable suggestions."""

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import LeadLifecycleCase


@tagged("post_install", "-at_install")
class TestDisqualify(LeadLifecycleCase):
    def _lose(self, lead, xmlid):
        reason = self.env.ref(xmlid)
        self.env["crm.lead.lost"].create(
            {"lead_ids": lead.ids, "lost_reason_id": reason.id}
        ).action_lost_reason_apply()

    def test_each_reason_category(self):
        Blacklist = self.env["mail.blacklist"]
        for index, (xmlid, category) in enumerate(
            [
                ("lead_lifecycle.lost_reason_bounced", "not_contactable"),
                ("lead_lifecycle.lost_reason_no_project", "not_interested"),
                ("lead_lifecycle.lost_reason_duplicate", "duplicate"),
                ("crm.lost_reason_2", "other"),
            ]
        ):
            email = f"keep{index}@prospect.example"
            lead = self._lead(email_from=email)
            self._lose(lead, xmlid)
            self.assertEqual(lead.lost_reason_id.lifecycle_category, category)
            self.assertEqual(lead.lifecycle_state, "disqualified")
            self.assertTrue(lead.disqualified_date)
            self.assertFalse(lead.active)
            self.assertEqual(lead.email_from, email, "contact data is kept")
            self.assertFalse(
                Blacklist.search([("email", "=", email)]),
                "email stays usable for marketing",
            )

    def test_do_not_contact_blacklists(self):
        lead = self._lead(email_from="stop@prospect.example")
        self._lose(lead, "lead_lifecycle.lost_reason_do_not_contact")
        self.assertTrue(
            self.env["mail.blacklist"].search([("email", "=", "stop@prospect.example")])
        )

    def test_lost_qualified_opportunity_stays_qualified(self):
        lead = self._lead()
        self._log_call(lead)
        lead.action_qualify(create_opportunity=True)
        lead.action_set_lost(lost_reason_id=self.env.ref("crm.lost_reason_1").id)
        self.assertEqual(lead.lifecycle_state, "qualified")

    def test_restore_puts_lead_back(self):
        lead = self._lead()
        self._log_call(lead)
        self._lose(lead, "lead_lifecycle.lost_reason_no_project")
        self.assertEqual(lead.lifecycle_state, "disqualified")
        lead.action_unarchive()
        self.assertEqual(lead.lifecycle_state, "contacted")

    def test_suggestions_bounce_invalid_phone_no_answer(self):
        bounced = self._lead(email_from="gone@prospect.example")
        bounced.message_bounce = 1
        invalid = self._lead(email_from="p@prospect.example", phone="12", mobile=False)
        silent = self._lead(email_from="s@prospect.example")
        for _i in range(3):
            self._send_email(silent)
        fine = self._lead(email_from="f@prospect.example")
        self.assertEqual(bounced.not_contactable_hint, "bounced")
        self.assertEqual(invalid.not_contactable_hint, "invalid_phone")
        self.assertEqual(silent.not_contactable_hint, "no_answer")
        self.assertFalse(fine.not_contactable_hint)
        found = self.env["crm.lead"].search(
            [("not_contactable_hint", "!=", False), ("team_id", "=", self.team.id)]
        )
        self.assertEqual(found, bounced | invalid | silent)
        (bounced | invalid | silent | fine).filtered("not_contactable_hint")
        (bounced | invalid | silent).action_disqualify_suggested()
        self.assertEqual(
            bounced.lost_reason_id, self.env.ref("lead_lifecycle.lost_reason_bounced")
        )
        self.assertEqual(
            invalid.lost_reason_id,
            self.env.ref("lead_lifecycle.lost_reason_invalid_phone"),
        )
        self.assertEqual(
            silent.lost_reason_id, self.env.ref("lead_lifecycle.lost_reason_no_answer")
        )
        self.assertEqual(
            set((bounced | invalid | silent).mapped("lifecycle_state")),
            {"disqualified"},
        )
        with self.assertRaisesRegex(UserError, "not contactable"):
            fine.action_disqualify_suggested()
