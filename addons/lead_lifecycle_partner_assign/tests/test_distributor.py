# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime, timedelta

from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tests.common import freeze_time

from .common import DistributorCase


@tagged("post_install", "-at_install")
class TestDistributorHandover(DistributorCase):
    def test_pass_records_who_when_whom(self):
        rented_list = self.env["crm.rented.list"].create(
            {"name": "Trade fair visitors 2026"}
        )
        lead = self._qualified_lead(rented_list_id=rented_list.id)
        with freeze_time("2026-03-02 09:00:00"):  # a Monday
            self._pass(lead)
        self.assertEqual(lead.partner_assigned_id, self.reseller)
        self.assertEqual(lead.distributor_id, self.reseller)
        self.assertEqual(lead.distributor_state, "passed")
        self.assertEqual(lead.distributor_passed_by_id, self.manager)
        self.assertEqual(lead.distributor_passed_date, datetime(2026, 3, 2, 9, 0))
        # Two working days of the team's calendar: Monday counts, Tuesday, Wednesday.
        self.assertEqual(
            lead.distributor_accept_deadline.date().isoformat(), "2026-03-04"
        )
        # The lead stays attributed to its campaign, source, medium and rented list.
        self.assertEqual(lead.campaign_id, self.campaign)
        self.assertEqual(lead.source_id, self.source)
        self.assertEqual(lead.medium_id, self.medium)
        self.assertEqual(lead.rented_list_id, rented_list)
        self.assertIn(
            "Passed to Brussels Resellers by Maria Manager",
            "\n".join(lead.message_ids.mapped("body")),
        )

    def test_pass_refused_for_unqualified_lead(self):
        lead = self._lead()
        self.assertEqual(lead.lifecycle_state, "new")
        with self.assertRaisesRegex(UserError, "Only qualified leads"):
            self._pass(lead)
        self.assertFalse(lead.partner_assigned_id)
        # The same guard on the field itself and on the automatic assignment.
        with self.assertRaisesRegex(UserError, "Qualify them first"):
            lead.with_user(self.manager).partner_assigned_id = self.reseller
        with self.assertRaisesRegex(UserError, "Only qualified leads"):
            lead.with_user(self.manager).action_assign_partner()
        self.assertFalse(lead.distributor_state)

    def test_handover_fields_are_server_only(self):
        lead = self._qualified_lead()
        self._pass(lead)
        with self.assertRaises(UserError):
            lead.with_user(self.manager).write({"distributor_state": "won"})
        self.assertEqual(lead.distributor_state, "passed")

    def test_accept(self):
        lead = self._qualified_lead()
        self._pass(lead)
        lead.with_user(self.reseller_user).partner_interested(comment="We call them")
        self.assertEqual(lead.distributor_state, "accepted")
        self.assertEqual(lead.type, "opportunity")
        self.assertTrue(lead.distributor_accept_date)
        self.assertTrue(lead.distributor_answered_in_sla)
        self.assertEqual(
            lead.distributor_outcome_deadline.date(),
            (lead.distributor_accept_date + timedelta(days=30)).date(),
        )

    def test_decline_keeps_reason_and_history(self):
        lead = self._qualified_lead()
        self._pass(lead)
        lead.with_user(self.reseller_user).partner_desinterested(
            comment="Outside our region", contacted=False, spam=False
        )
        self.assertFalse(lead.partner_assigned_id)
        self.assertEqual(lead.distributor_state, "declined")
        self.assertEqual(lead.distributor_decline_reason, "Outside our region")
        self.assertEqual(lead.distributor_id, self.reseller)
        self.assertIn(self.reseller_user.partner_id, lead.partner_declined_ids)
        # Passed again to another reseller: a new hand-over, the decline stays known.
        self._pass(lead, partner=self.other)
        self.assertEqual(lead.distributor_state, "passed")
        self.assertEqual(lead.distributor_id, self.other)
        self.assertIn(self.reseller_user.partner_id, lead.partner_declined_ids)

    def test_reminder_then_recall_after_sla(self):
        lead = self._qualified_lead()
        with freeze_time("2026-03-02 09:00:00"):
            self._pass(lead)
        cron = self.env["crm.lead"]._cron_distributor_sla
        with freeze_time("2026-03-04 12:00:00"):  # within the SLA
            cron()
        self.assertFalse(lead.distributor_reminder_date)
        with freeze_time("2026-03-05 09:00:00"):  # SLA missed: a reminder by email
            cron()
        self.assertEqual(lead.distributor_reminder_date, datetime(2026, 3, 5, 9, 0))
        reminder = lead.message_ids.filtered(
            lambda m: m.subject and m.subject.startswith("Reminder:")
        )
        self.assertEqual(reminder.partner_ids, self.reseller)
        self.assertFalse(lead.distributor_recall_due)
        # Before the recall is offered, a salesman cannot recall it.
        with self.assertRaisesRegex(UserError, "still within"):
            lead.with_user(self.salesman).action_distributor_recall()
        with freeze_time("2026-03-06 10:00:00"):  # a day later: offered for recall
            cron()
        self.assertTrue(lead.distributor_recall_due)
        activity = lead.activity_ids.filtered(
            lambda a: a.summary == "Recall from the distributor?"
        )
        self.assertEqual(activity.user_id, self.manager)
        lead.with_user(self.salesman).action_distributor_recall()
        self.assertFalse(lead.partner_assigned_id)
        self.assertEqual(lead.distributor_state, "recalled")
        self.assertFalse(lead.distributor_recall_due)
        self.assertEqual(lead.distributor_id, self.reseller)  # the history stays
        self.assertFalse(lead.activity_ids.filtered(lambda a: a == activity))
        self.assertIn(
            "Recalled from Brussels Resellers",
            "\n".join(lead.message_ids.mapped("body")),
        )
        # A recalled lead may be passed again.
        self._pass(lead, partner=self.other)
        self.assertEqual(lead.distributor_state, "passed")

    def test_outcome_deadline_reminder(self):
        lead = self._qualified_lead()
        with freeze_time("2026-03-02 09:00:00"):
            self._pass(lead)
            lead.with_user(self.reseller_user).partner_interested()
        cron = self.env["crm.lead"]._cron_distributor_sla
        with freeze_time("2026-03-20 09:00:00"):
            cron()
        self.assertFalse(lead.distributor_reminder_date)
        with freeze_time("2026-04-02 09:00:00"):  # 31 days after the acceptance
            cron()
        self.assertTrue(lead.distributor_reminder_date)

    def test_manager_recalls_any_time(self):
        lead = self._qualified_lead()
        self._pass(lead)
        lead.with_user(self.manager).action_distributor_recall()
        self.assertEqual(lead.distributor_state, "recalled")
        with self.assertRaisesRegex(UserError, "nothing to recall"):
            lead.with_user(self.manager).action_distributor_recall()
