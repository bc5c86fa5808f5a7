# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import Command
from odoo.tests import Form, new_test_user, tagged
from odoo.tests.common import freeze_time

from .common_attribution import MONDAY, AttributionCommon


@tagged("post_install", "-at_install")
class TestFirstResponse(AttributionCommon):
    def _reply(self, lead, user, when, **kwargs):
        with freeze_time(when):
            lead.with_user(user).message_post(
                body="Thanks for your request, when can we call you?",
                message_type="comment",
                subtype_xmlid=kwargs.pop("subtype_xmlid", "mail.mt_comment"),
                **kwargs,
            )

    def test_outbound_email_sets_first_response_once(self):
        monday_10 = MONDAY.replace(hour=10)
        lead = self._lead(monday_10)
        # An internal note and the prospect's own email are not responses.
        self._reply(
            lead,
            self.salesman,
            monday_10 + timedelta(minutes=10),
            subtype_xmlid="mail.mt_note",
        )
        with freeze_time(monday_10 + timedelta(minutes=20)):
            lead.message_post(
                body="Any news?",
                message_type="email",
                author_id=self.env["res.partner"].create({"name": "Prospect"}).id,
            )
        self.assertFalse(lead.first_response_date)
        self.assertEqual(lead.response_delay_hours, 0.0)

        self._reply(lead, self.salesman, monday_10 + timedelta(minutes=90))
        self.assertEqual(lead.first_response_date, monday_10 + timedelta(minutes=90))
        self.assertAlmostEqual(lead.response_delay_hours, 1.5)

        # Set once: a later email does not move it.
        self._reply(lead, self.salesman, monday_10 + timedelta(hours=3))
        self.assertEqual(lead.first_response_date, monday_10 + timedelta(minutes=90))
        self.assertAlmostEqual(lead.response_delay_hours, 1.5)

    def test_reply_in_the_second_of_creation_counts(self):
        # An automatic first reply: same second as the creation, whose timestamp keeps
        # its microseconds while message dates are whole seconds.
        created = MONDAY.replace(hour=10, microsecond=600000)
        lead = self._lead(created)
        self._reply(lead, self.salesman, MONDAY.replace(hour=10))
        self.assertEqual(lead.first_response_date, MONDAY.replace(hour=10))
        self.assertEqual(lead.response_delay_hours, 0.0)

    def test_logged_call_sets_first_response(self):
        monday_10 = MONDAY.replace(hour=10)
        lead = self._lead(monday_10)
        with freeze_time(MONDAY.replace(hour=14)):
            activity = lead.activity_schedule(
                "mail.mail_activity_data_call", user_id=self.salesman.id
            )
            self.assertFalse(lead.first_response_date, "A planned call is no response")
            activity.with_user(self.salesman).action_feedback(feedback="Talked to him")
        self.assertEqual(lead.first_response_date, MONDAY.replace(hour=14))
        self.assertAlmostEqual(lead.response_delay_hours, 4.0)

    def test_meeting_sets_first_response(self):
        lead = self._lead(MONDAY.replace(hour=10))
        self.env["calendar.event"].with_user(self.salesman).create(
            {
                "name": "Discovery meeting",
                "opportunity_id": lead.id,
                "start": MONDAY.replace(hour=15),
                "stop": MONDAY.replace(hour=16),
            }
        )
        self.assertEqual(lead.first_response_date, MONDAY.replace(hour=15))
        self.assertAlmostEqual(lead.response_delay_hours, 5.0)

    def test_delay_across_weekend_in_working_hours(self):
        friday_16 = MONDAY.replace(day=6, hour=16)
        lead = self._lead(friday_16)
        self._reply(lead, self.salesman, MONDAY.replace(day=9, hour=10))
        # Friday 16-17 and Monday 9-10: two working hours out of 66 on the clock.
        self.assertAlmostEqual(lead.response_delay_hours, 2.0)

        # Created and answered during the weekend: no working hour elapsed.
        saturday = MONDAY.replace(day=7, hour=11)
        weekend_lead = self._lead(saturday)
        self._reply(weekend_lead, self.salesman, saturday + timedelta(hours=2))
        self.assertEqual(weekend_lead.response_delay_hours, 0.0)

    def test_calendar_defaults_to_company_and_is_used_per_team(self):
        team = self.env["crm.team"].create({"name": "Default hours team"})
        self.assertEqual(
            team.response_calendar_id, self.env.company.resource_calendar_id
        )
        with Form(self.team) as form:
            form.response_sla_hours = 2
        self.assertEqual(self.team.response_sla_hours, 2)


@tagged("post_install", "-at_install")
class TestResponseSla(AttributionCommon):
    def _activities(self, leads):
        return self.env["mail.activity"].search(
            [("res_model", "=", "crm.lead"), ("res_id", "in", leads.ids)]
        )

    def test_sla_breach_flags_once_and_notifies_once(self):
        late = self._lead(MONDAY.replace(hour=9), name="Late")
        recent = self._lead(MONDAY.replace(hour=12), name="Recent")
        answered = self._lead(MONDAY.replace(hour=9), name="Answered")
        with freeze_time(MONDAY.replace(hour=10)):
            answered.with_user(self.salesman).message_post(
                body="Hello", message_type="comment", subtype_xmlid="mail.mt_comment"
            )
        no_sla_team = self.env["crm.team"].create({"name": "No SLA"})
        no_sla = self._lead(MONDAY.replace(hour=9), team_id=no_sla_team.id)
        all_leads = late | recent | answered | no_sla

        with freeze_time(MONDAY.replace(hour=14)):
            flagged = self.env["crm.lead"]._cron_lifecycle_response_overdue()
        self.assertEqual(flagged, late)
        self.assertTrue(late.response_overdue)
        self.assertEqual(late.response_overdue_date, MONDAY.replace(hour=14))
        self.assertFalse((all_leads - late).filtered("response_overdue"))
        activities = self._activities(all_leads)
        self.assertEqual(set(activities.mapped("res_id")), {late.id})
        self.assertEqual(activities.user_id, self.salesman | self.leader)

        # Running again changes nothing; later runs flag only newly overdue leads.
        with freeze_time(MONDAY.replace(hour=14, minute=30)):
            self.env["crm.lead"]._cron_lifecycle_response_overdue()
        self.assertEqual(self._activities(all_leads), activities)
        with freeze_time(MONDAY.replace(day=3, hour=10)):
            flagged = self.env["crm.lead"]._cron_lifecycle_response_overdue()
        self.assertEqual(flagged, recent)
        self.assertEqual(len(self._activities(late)), 2)
        self.assertEqual(len(self._activities(recent)), 2)
        self.assertEqual(
            self.env["crm.lead"].search(
                [("id", "in", all_leads.ids), ("response_overdue", "=", True)]
            ),
            late | recent,
        )

    def test_sla_counts_working_hours_not_the_weekend(self):
        lead = self._lead(MONDAY.replace(day=6, hour=16))
        with freeze_time(MONDAY.replace(day=9, hour=9, minute=30)):
            self.env["crm.lead"]._cron_lifecycle_response_overdue()
        self.assertFalse(lead.response_overdue, "1.5 working hours < 4 h SLA")
        with freeze_time(MONDAY.replace(day=9, hour=12)):
            self.env["crm.lead"]._cron_lifecycle_response_overdue()
        self.assertTrue(lead.response_overdue, "4 working hours reached on Monday")

    def test_overdue_lead_reassigned_and_tracked(self):
        self.team.response_overdue_reassign = True
        lead = self._lead(MONDAY.replace(hour=9)).with_context(tracking_disable=False)
        # As if created in an earlier transaction (Odoo tracks no change made in the
        # transaction that creates the record).
        self.env.cr.precommit.run()
        with freeze_time(MONDAY.replace(hour=15)):
            lead.env["crm.lead"]._cron_lifecycle_response_overdue()
        self.assertEqual(lead.user_id, self.salesman_2)
        self.assertTrue(
            any("Reassigned" in message.body for message in lead.message_ids)
        )
        self.assertEqual(self._activities(lead).user_id, self.salesman_2 | self.leader)
        self.env.cr.precommit.run()  # tracking values are written at commit
        lead.invalidate_recordset(["message_ids"])
        tracked = lead.message_ids.tracking_value_ids.field_id.mapped("name")
        self.assertIn("user_id", tracked)
        self.assertIn("response_overdue", tracked)

    def test_answered_late_keeps_sla_broken_flag(self):
        lead = self._lead(MONDAY.replace(hour=9))
        with freeze_time(MONDAY.replace(hour=15)):
            self.env["crm.lead"]._cron_lifecycle_response_overdue()
        with freeze_time(MONDAY.replace(hour=16)):
            lead.with_user(self.salesman).message_post(
                body="Sorry for the delay",
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
        self.assertTrue(lead.response_overdue)
        self.assertAlmostEqual(lead.response_delay_hours, 7.0)


@tagged("post_install", "-at_install")
class TestNewLeadNotification(AttributionCommon):
    def _notifications(self, record):
        return self.env["mail.message"].search(
            [
                ("model", "=", record._name),
                ("res_id", "=", record.id),
                ("message_type", "=", "user_notification"),
            ]
        )

    def _commit_hooks(self):
        """What a commit runs first: the team is told then, not at creation."""
        self.env.flush_all()
        self.env.cr.precommit.run()

    def test_shipped_rule_notifies_the_team(self):
        rule = self.env.ref("lead_lifecycle.base_automation_notify_team_new_lead")
        self.assertTrue(rule.active)
        self.assertEqual(
            rule.action_server_ids.code, "records._lifecycle_notify_team_new_lead()"
        )
        lead = self.env["crm.lead"].create(
            {"name": "Fresh lead", "team_id": self.team.id, "user_id": False}
        )
        self.assertFalse(self._notifications(lead), "told at commit, not before")
        self._commit_hooks()
        notification = self._notifications(lead)
        self.assertEqual(len(notification), 1)
        self.assertEqual(
            notification.partner_ids,
            (self.salesman | self.salesman_2 | self.leader).partner_id,
        )
        # Editing the lead notifies nobody again.
        lead.write({"description": "More details"})
        self._commit_hooks()
        self.assertEqual(len(self._notifications(lead)), 1)

    def test_leads_created_together_make_one_digest_per_team(self):
        """An import of many leads tells each team once, not once per lead."""
        other_salesman = new_test_user(
            self.env, "attr_other_team", groups="sales_team.group_sale_salesman"
        )
        other = self.env["crm.team"].create(
            {"name": "Other team", "member_ids": [Command.link(other_salesman.id)]}
        )
        names = [f"Imported lead {i}" for i in range(25)]
        leads = self.env["crm.lead"].create(
            [
                {"name": name, "team_id": self.team.id, "user_id": False}
                for name in names
            ]
            + [{"name": "Alone", "team_id": other.id, "user_id": False}]
        )
        self._commit_hooks()
        imported, alone = leads[:25], leads[25]
        digest = self._notifications(self.team)
        self.assertEqual(len(digest), 1)
        self.assertEqual(digest.subject, f"25 new leads for {self.team.name}")
        self.assertEqual(
            digest.partner_ids,
            (self.salesman | self.salesman_2 | self.leader).partner_id,
        )
        self.assertIn("Imported lead 0", digest.body)
        self.assertIn("Imported lead 19", digest.body)
        self.assertNotIn("Imported lead 20", digest.body)
        self.assertIn("and 5 more", digest.body)
        self.assertFalse(
            self.env["mail.message"].search_count(
                [
                    ("model", "=", "crm.lead"),
                    ("res_id", "in", imported.ids),
                    ("message_type", "=", "user_notification"),
                ]
            )
        )
        # A lead alone for its team is notified on the lead itself.
        self.assertEqual(
            self._notifications(alone).partner_ids, other_salesman.partner_id
        )
        self.assertFalse(self._notifications(other))
        # Nothing is queued any more: a later commit tells nobody again.
        self._commit_hooks()
        self.assertEqual(len(self._notifications(self.team)), 1)

    def test_lead_without_team_notifies_nobody(self):
        lead = self.env["crm.lead"].create({"name": "Teamless"})
        lead.team_id = False
        before = self._notifications(lead)
        self.assertTrue(lead._lifecycle_notify_team_new_lead())
        self.assertEqual(self._notifications(lead), before)

    def test_reassigning_a_lead_notifies_nobody_again(self):
        """Mass assignment changes teams: only a new lead is news."""
        lead = self.env["crm.lead"].create(
            {"name": "Moving", "team_id": self.team.id, "user_id": False}
        )
        self._commit_hooks()
        other = self.env["crm.team"].create({"name": "Other team"})
        lead.team_id = other
        lead.team_id = self.team
        self._commit_hooks()
        self.assertEqual(len(self._notifications(lead)), 1)
