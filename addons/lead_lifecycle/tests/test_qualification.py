# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Interactions and qualification of one lead: the counts, the qualify wizard, the
manager override, the conversion enforcement (disqualifying: test_disqualify.py,
mass qualification: test_mass_qualify.py)."""

from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, new_test_user, tagged

from .common import LeadLifecycleCase

RAW_EMAIL = """Return-Path: <{email}>
To: sales@lead-lifecycle.example
From: {name} <{email}>
Subject: {subject}
Date: Tue, 24 Nov 2026 10:00:00 +0000
Message-ID: {msgid}
{extra}MIME-Version: 1.0
Content-Type: text/plain; charset="utf-8"
Content-Transfer-Encoding: 8bit

{body}
"""


@tagged("post_install", "-at_install")
class TestInteractions(LeadLifecycleCase):
    def test_new_lead_is_new_without_interactions(self):
        lead = self._lead()
        self.assertEqual(lead.lifecycle_state, "new")
        self.assertEqual(lead.inbound_email_count, 0)
        self.assertFalse(lead.first_two_way_date)

    def test_logged_call_counts_and_marks_contacted(self):
        lead = self._lead()
        self._log_call(lead, user=self.salesman)
        self.assertEqual(lead.call_count, 1)
        self.assertEqual(lead.lifecycle_state, "contacted")
        self.assertTrue(lead.first_two_way_date)
        self.assertEqual(lead.last_interaction_date, lead.first_two_way_date)

    def test_todo_activity_done_is_not_a_call(self):
        lead = self._lead()
        lead.activity_schedule("mail.mail_activity_data_todo").action_feedback("ok")
        self.assertEqual(lead.call_count, 0)
        self.assertEqual(lead.lifecycle_state, "new")

    def test_inbound_email_counts_outbound_is_an_attempt(self):
        lead = self._lead()
        self._send_email(lead)
        self._send_email(lead)
        self.assertEqual(lead.inbound_email_count, 0)
        self.assertEqual(lead.contact_attempt_count, 2)
        self.assertEqual(lead.lifecycle_state, "new")
        self._receive_email(lead)
        self.assertEqual(lead.inbound_email_count, 1)
        self.assertEqual(lead.contact_attempt_count, 0, "attempts count after answer")
        self.assertEqual(lead.lifecycle_state, "contacted")
        self._send_email(lead)
        self.assertEqual(lead.contact_attempt_count, 1)

    def test_internal_note_is_no_interaction(self):
        lead = self._lead()
        lead.with_user(self.salesman).message_post(
            body="note", message_type="comment", subtype_xmlid="mail.mt_note"
        )
        self.assertEqual(lead.contact_attempt_count, 0)
        self.assertEqual(lead.inbound_email_count, 0)

    def test_alias_creation_email_is_not_a_reply(self):
        """The email that creates the lead through the gateway is the request
        itself; a later reply in the same thread is an interaction."""
        raw = RAW_EMAIL.format(
            email="paul@prospect.example",
            name="Paul Prospect",
            subject="Quote for 20 trucks",
            msgid="<request-1@prospect.example>",
            extra="",
            body="Could you send us a quote?",
        )
        lead_id = self.env["mail.thread"].message_process(
            "crm.lead", raw, custom_values={"team_id": self.team.id}
        )
        lead = self.env["crm.lead"].browse(lead_id)
        self.assertEqual(
            lead.lifecycle_origin_message_id, "<request-1@prospect.example>"
        )
        self.assertEqual(lead.inbound_email_count, 0)
        self.assertEqual(lead.lifecycle_state, "new")
        reply = RAW_EMAIL.format(
            email="paul@prospect.example",
            name="Paul Prospect",
            subject="Re: Quote for 20 trucks",
            msgid="<reply-1@prospect.example>",
            extra="In-Reply-To: <request-1@prospect.example>\n",
            body="Thanks, call me tomorrow.",
        )
        self.assertEqual(
            self.env["mail.thread"].message_process("crm.lead", reply), lead.id
        )
        self.assertEqual(lead.inbound_email_count, 1)
        self.assertEqual(lead.lifecycle_state, "contacted")

    def test_meeting_counts_once_started(self):
        lead = self._lead()
        now = fields.Datetime.now()
        Event = self.env["calendar.event"]
        Event.create(
            {
                "name": "Demo",
                "opportunity_id": lead.id,
                "start": now + timedelta(days=2),
                "stop": now + timedelta(days=2, hours=1),
            }
        )
        self.assertEqual(lead.meeting_count, 0)
        past = Event.create(
            {
                "name": "Discovery",
                "opportunity_id": lead.id,
                "start": now - timedelta(hours=2),
                "stop": now - timedelta(hours=1),
            }
        )
        self.assertEqual(lead.meeting_count, 1)
        self.assertEqual(lead.lifecycle_state, "contacted")
        past.unlink()
        self.assertEqual(lead.meeting_count, 0)
        self.assertEqual(lead.lifecycle_state, "new")

    def test_refresh_is_idempotent(self):
        lead = self._lead()
        self._log_call(lead)
        self._receive_email(lead)
        values = lead.read(
            [
                "inbound_email_count",
                "call_count",
                "first_two_way_date",
                "lifecycle_state",
            ]
        )
        lead._lifecycle_refresh_interactions()
        lead._lifecycle_refresh_interactions()
        self.assertEqual(
            lead.read(
                [
                    "inbound_email_count",
                    "call_count",
                    "first_two_way_date",
                    "lifecycle_state",
                ]
            ),
            values,
        )


@tagged("post_install", "-at_install")
class TestQualify(LeadLifecycleCase):
    def test_qualify_refused_names_missing_requirements(self):
        self.policy.write({"min_interactions": 2, "require_budget": True})
        lead = self._lead()
        self.assertFalse(lead.qualification_ready)
        self.assertIn("0 of 2", lead.qualification_checklist)
        with self.assertRaises(UserError) as error:
            lead.with_user(self.salesman).action_qualify()
        message = str(error.exception)
        self.assertIn("2 two-way interaction(s)", message)
        self.assertIn("budget", message)
        self.assertEqual(lead.lifecycle_state, "new")
        self.assertFalse(lead.partner_id)

    def test_call_and_inbound_email_then_qualify(self):
        self.policy.write({"min_interactions": 2})
        lead = self._lead()
        self._log_call(lead, user=self.salesman)
        with self.assertRaises(UserError):
            lead.with_user(self.salesman).action_qualify()
        self._receive_email(lead)
        self.assertTrue(lead.qualification_ready)
        lead.with_user(self.salesman).action_qualify()
        self.assertEqual(lead.lifecycle_state, "qualified")
        self.assertEqual(lead.qualified_by_id, self.salesman)
        self.assertTrue(lead.qualified_date)

    def test_qualify_creates_company_and_child_contact(self):
        lead = self._lead()
        self._log_call(lead)
        Partner = self.env["res.partner"]
        before = Partner.search_count([])
        lead.action_qualify()
        self.assertEqual(Partner.search_count([]), before + 2)
        person = lead.partner_id
        company = person.parent_id
        self.assertTrue(company.is_company)
        self.assertEqual(company.name, "Acme Logistics")
        self.assertFalse(company.email, "never the person's email on the company")
        self.assertFalse(company.phone)
        self.assertEqual(company.website, "https://www.acme-logistics.example")
        self.assertEqual(company.city, "Brussels")
        self.assertFalse(person.is_company)
        self.assertEqual(person.name, "Jane Doe")
        self.assertEqual(person.email, "Jane.Doe@acme-logistics.example")
        self.assertEqual(person.phone, "+32 2 290 34 90")
        self.assertEqual(person.mobile, "+32 470 12 34 56")
        self.assertEqual(person.function, "COO")
        self.assertEqual(person.street, "Rue de la Loi 16")
        self.assertEqual(person.country_id, self.country_be)
        # utm travels (first touch), and the partner remembers its lead
        for partner in (person, company):
            self.assertEqual(partner.source_id, self.source)
            self.assertEqual(partner.medium_id, self.medium)
            self.assertEqual(partner.campaign_id, self.campaign)
            self.assertEqual(partner.qualified_from_lead_id, lead)
            self.assertTrue(partner.qualified_date)
        self.assertEqual(person.qualified_lead_count, 1)
        # no opportunity unless asked
        self.assertEqual(lead.type, "lead")
        self.assertIn("Qualified into", lead.message_ids[0].body)

    def test_qualify_reuses_partner_matched_by_email(self):
        existing = self.env["res.partner"].create(
            {"name": "J. Doe", "email": "jane.doe@ACME-logistics.example"}
        )
        lead = self._lead()
        self._log_call(lead)
        count = self.env["res.partner"].search_count([])
        lead.action_qualify()
        self.assertEqual(lead.partner_id, existing)
        self.assertEqual(self.env["res.partner"].search_count([]), count)
        self.assertEqual(existing.qualified_from_lead_id, lead)

    def test_two_leads_same_person_one_partner(self):
        first, second = self._lead(), self._lead(name="Second request")
        self._log_call(first)
        self._log_call(second)
        result = (first | second)._lifecycle_qualify()
        self.assertEqual(result["qualified"], first | second)
        self.assertEqual(first.partner_id, second.partner_id)
        self.assertEqual(
            self.env["res.partner"].search_count(
                [("email_normalized", "=", "jane.doe@acme-logistics.example")]
            ),
            1,
        )
        self.assertEqual(
            first.partner_id.qualified_from_lead_id, first, "first touch is kept"
        )

    def test_qualify_reuses_company_by_name_and_domain(self):
        company = self.env["res.partner"].create(
            {
                "name": "ACME Logistics",
                "is_company": True,
                "website": "http://acme-logistics.example",
            }
        )
        other = self.env["res.partner"].create(
            {"name": "Acme Logistics", "is_company": True, "website": "acme.other"}
        )
        lead = self._lead()
        self._log_call(lead)
        lead.action_qualify()
        self.assertEqual(lead.partner_id.parent_id, company)
        self.assertNotEqual(lead.partner_id.parent_id, other)

    def test_lead_with_only_an_email_never_named_after_title(self):
        lead = self._lead(
            partner_name=False, contact_name=False, email_from="x@y.example"
        )
        self._log_call(lead)
        lead.action_qualify()
        self.assertNotEqual(lead.partner_id.name, lead.name)
        self.assertEqual(lead.partner_id.email, "x@y.example")
        self.assertFalse(lead.partner_id.parent_id)

    def test_lead_without_any_contact_is_refused(self):
        lead = self._lead(partner_name=False, contact_name=False, email_from=False)
        self._log_call(lead)
        with self.assertRaisesRegex(UserError, "no contact to promote"):
            lead.action_qualify()

    def test_qualify_with_opportunity(self):
        lead = self._lead()
        self._log_call(lead)
        lead.action_qualify(create_opportunity=True)
        self.assertEqual(lead.type, "opportunity")
        self.assertEqual(lead.lifecycle_state, "qualified")
        self.assertTrue(lead.stage_id)

    def test_policy_default_creates_opportunity(self):
        self.policy.create_opportunity = True
        lead = self._lead()
        self._log_call(lead)
        lead.action_qualify()
        self.assertEqual(lead.type, "opportunity")

    def test_qualify_twice_is_refused(self):
        lead = self._lead()
        self._log_call(lead)
        lead.action_qualify()
        with self.assertRaisesRegex(UserError, "Already qualified"):
            lead.action_qualify()

    def test_valid_email_and_phone_requirements(self):
        self.policy.write({"require_valid_email": True, "require_valid_phone": True})
        lead = self._lead(email_from="jane@hotmail", phone="12", mobile=False)
        self._log_call(lead)
        missing = [
            key for key, _l, met, _d in lead._lifecycle_requirements() if not met
        ]
        self.assertEqual(missing, ["email", "phone"])
        lead.write(
            {"email_from": "jane@acme-logistics.example", "phone": "+3222903490"}
        )
        self.assertTrue(lead.qualification_ready)

    def test_email_validator_rejects_what_odoo_accepts(self):
        self.policy.require_valid_email = True
        lead = self._lead(email_from="jane@.hotmail.com")
        self._log_call(lead)
        self.assertFalse(lead.qualification_ready)

    def test_bant_requirements(self):
        self.policy.write(
            {
                "require_budget": True,
                "require_authority": True,
                "require_need": True,
                "require_timing": True,
            }
        )
        lead = self._lead()
        self._log_call(lead)
        self.assertEqual(
            [key for key, _l, met, _d in lead._lifecycle_requirements() if not met],
            ["budget", "authority", "need", "timing"],
        )
        lead.write(
            {
                "bant_budget": 20000,
                "bant_authority": "decision_maker",
                "bant_need": "Fleet tracking",
                "bant_timing": "quarter",
            }
        )
        self.assertTrue(lead.qualification_ready)


@tagged("post_install", "-at_install")
class TestOverride(LeadLifecycleCase):
    def test_manager_override_is_logged(self):
        lead = self._lead()
        lead.with_user(self.manager).action_qualify(
            override_reason="CEO met them at the fair"
        )
        self.assertEqual(lead.lifecycle_state, "qualified")
        self.assertEqual(lead.qualification_override_reason, "CEO met them at the fair")
        body = lead.message_ids[0].body
        self.assertIn("overriding the qualification policy", body)
        self.assertIn("CEO met them at the fair", body)
        self.assertIn("two-way interaction", body)

    def test_salesman_cannot_override(self):
        lead = self._lead()
        with self.assertRaises(AccessError):
            lead.with_user(self.salesman).action_qualify(override_reason="trust me")
        self.assertEqual(lead.lifecycle_state, "new")

    def test_wizard_override_requires_reason(self):
        lead = self._lead()
        wizard_form = Form(
            self.env["crm.lead.qualify"]
            .with_user(self.manager)
            .with_context(active_model="crm.lead", active_ids=lead.ids)
        )
        self.assertFalse(wizard_form.all_ready)
        self.assertTrue(wizard_form.is_manager)
        wizard_form.override = True
        wizard_form.override_reason = "Signed NDA already"
        wizard = wizard_form.save()
        wizard.override_reason = "  "
        with self.assertRaisesRegex(UserError, "reason"):
            wizard.action_qualify()
        wizard.override_reason = "Signed NDA already"
        wizard.action_qualify()
        self.assertEqual(lead.lifecycle_state, "qualified")

    def test_wizard_for_salesman_refuses_unready_lead(self):
        lead = self._lead()
        wizard = (
            self.env["crm.lead.qualify"]
            .with_user(self.salesman)
            .with_context(active_model="crm.lead", active_ids=lead.ids)
            .create({})
        )
        self.assertFalse(wizard.is_manager)
        with self.assertRaisesRegex(UserError, "Missing"):
            wizard.action_qualify()


@tagged("post_install", "-at_install")
class TestEnforcement(LeadLifecycleCase):
    def _convert_wizard(self, lead, user):
        return (
            self.env["crm.lead2opportunity.partner"]
            .with_user(user)
            .with_context(
                active_model="crm.lead", active_id=lead.id, active_ids=lead.ids
            )
            .create({"name": "convert", "action": "nothing"})
        )

    def test_stock_wizard_refuses_unqualified_lead_of_enforcing_team(self):
        lead = self._lead()
        with self.assertRaisesRegex(UserError, "must be qualified"):
            self._convert_wizard(lead, self.salesman).action_apply()
        self.assertEqual(lead.type, "lead")
        self._log_call(lead)
        lead.action_qualify()
        self._convert_wizard(lead, self.salesman).action_apply()
        self.assertEqual(lead.type, "opportunity")

    def test_stock_wizard_converts_for_team_without_enforcement(self):
        lead = self._lead(team_id=self.free_team.id)
        self._convert_wizard(lead, self.salesman).action_apply()
        self.assertEqual(lead.type, "opportunity")

    def test_mass_convert_refuses_unqualified(self):
        leads = self._lead() | self._lead(name="other", team_id=self.free_team.id)
        wizard = (
            self.env["crm.lead2opportunity.partner.mass"]
            .with_user(self.manager)
            .with_context(active_model="crm.lead", active_ids=leads.ids)
            .create({"action": "nothing", "deduplicate": False})
        )
        with self.assertRaisesRegex(UserError, "Needs 50 seats"):
            wizard.action_mass_convert()
        self.assertEqual(set(leads.mapped("type")), {"lead"})

    def test_auto_assignment_assigns_without_converting(self):
        other = new_test_user(
            self.env, "ll_salesman_2", groups="sales_team.group_sale_salesman"
        )
        for team, user in ((self.team, self.salesman), (self.free_team, other)):
            team.write(
                {
                    "assignment_max": 30,
                    "crm_team_member_ids": [
                        Command.create({"user_id": user.id, "assignment_max": 30})
                    ],
                }
            )
        enforced = self._lead(email_from="a@a.example", partner_name="A", user_id=False)
        free = self._lead(
            email_from="b@b.example",
            partner_name="B",
            team_id=self.free_team.id,
            user_id=False,
        )
        (self.team | self.free_team)._action_assign_leads(force_quota=True)
        self.assertEqual(enforced.user_id, self.salesman)
        self.assertEqual(enforced.type, "lead", "unqualified lead stays a lead")
        self.assertEqual(free.user_id, other)
        self.assertEqual(free.type, "opportunity")
