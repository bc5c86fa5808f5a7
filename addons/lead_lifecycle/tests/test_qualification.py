# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta
from unittest.mock import patch

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


@tagged("post_install", "-at_install")
class TestMassQualify(LeadLifecycleCase):
    def test_mass_qualify_200_mixed_leads(self):
        self.policy.write({"min_interactions": 0, "require_valid_email": True})
        Lead = self.env["crm.lead"]
        vals = []
        for index in range(200):
            good = index % 2 == 0
            vals.append(
                {
                    "name": f"Lead {index}",
                    "type": "lead",
                    "team_id": self.team.id,
                    "user_id": self.salesman.id,
                    "partner_name": f"Company {index}",
                    "contact_name": f"Person {index}",
                    "email_from": f"person{index}@company{index}.example"
                    if good
                    else f"person{index}@invalid",
                }
            )
        leads = Lead.create(vals)
        good, bad = leads[::2], leads[1::2]
        partners_before = self.env["res.partner"].search_count([])
        wizard = (
            self.env["crm.lead.qualify"]
            .with_user(self.salesman)
            .with_context(active_model="crm.lead", active_ids=leads.ids)
            .create({})
        )
        action = wizard.action_qualify()
        self.assertEqual(action["res_model"], "crm.lead.qualify")
        self.assertEqual(wizard.state, "done")
        self.assertIn("Qualified 100, skipped 100.", wizard.summary)
        self.assertIn("Lead 1</b>", wizard.summary)
        self.assertIn("a valid email", wizard.summary)
        self.assertEqual(set(good.mapped("lifecycle_state")), {"qualified"})
        self.assertEqual(set(bad.mapped("lifecycle_state")), {"new"})
        self.assertFalse(bad.partner_id, "failed leads are untouched")
        self.assertEqual(
            self.env["res.partner"].search_count([]), partners_before + 200
        )

    def test_mass_qualify_shares_partners_within_the_batch(self):
        """Leads of one batch get what lead-by-lead qualification would give them:
        one company per name and web domain, one person per email, existing
        partners reused, first touch on the partners that were new."""
        self.policy.min_interactions = 0
        existing = self.env["res.partner"].create(
            {"name": "Known Person", "email": "known@globex.example"}
        )
        other_acme = self.env["res.partner"].create(
            {"name": "ACME LOGISTICS", "is_company": True, "website": "acme.other"}
        )
        jane = self._lead(name="Jane 1")
        jane_again = self._lead(
            name="Jane 2", email_from="JANE.DOE@acme-logistics.example"
        )
        john = self._lead(
            name="John",
            contact_name="John Roe",
            email_from="john@acme-logistics.example",
        )
        known = self._lead(
            name="Known", partner_name="Globex", email_from="known@globex.example"
        )
        only_company = self._lead(
            name="Company only",
            contact_name=False,
            email_from=False,
            partner_name="Initech",
            website=False,
        )
        leads = jane | jane_again | john | known | only_company
        partners_before = self.env["res.partner"].search_count([])
        result = leads._lifecycle_qualify()
        self.assertEqual(result["qualified"], leads)
        self.assertFalse(result["skipped"])
        self.assertEqual(jane.partner_id, jane_again.partner_id, "one person per email")
        acme = jane.partner_id.parent_id
        self.assertEqual(john.partner_id.parent_id, acme, "one company per name+domain")
        self.assertNotEqual(acme, other_acme, "another web domain: another company")
        self.assertEqual(acme.website, "https://www.acme-logistics.example")
        self.assertEqual(known.partner_id, existing)
        self.assertTrue(only_company.partner_id.is_company)
        self.assertEqual(only_company.partner_id.name, "Initech")
        # jane, john, acme, initech
        self.assertEqual(self.env["res.partner"].search_count([]), partners_before + 4)
        self.assertEqual(jane.partner_id.qualified_from_lead_id, jane)
        self.assertEqual(acme.qualified_from_lead_id, jane)
        self.assertEqual(john.partner_id.qualified_from_lead_id, john)
        self.assertEqual(existing.qualified_from_lead_id, known)
        self.assertEqual(jane.partner_id.campaign_id, self.campaign)
        for lead in leads:
            self.assertEqual(lead.lifecycle_state, "qualified")
            self.assertEqual(lead.qualified_by_id, self.env.user)
            self.assertIn(
                f"Qualified into {lead.partner_id.display_name}",
                lead.message_ids[0].body,
            )
            self.assertEqual(
                lead.message_ids[0].subtype_id, self.env.ref("mail.mt_note")
            )

    def test_mass_qualify_failing_lead_is_skipped_alone(self):
        """A lead failing in the middle of the batch (here: its partner cannot be
        created) leaves the others qualified; nothing of the failed one stays."""
        self.policy.min_interactions = 0
        leads = self._lead(name="A", email_from="a@a.example", partner_name="A Co")
        leads |= self._lead(name="B", email_from="b@b.example", partner_name="B Co")
        leads |= self._lead(name="C", email_from="c@c.example", partner_name="C Co")
        failing = leads[1]
        Lead = type(self.env["crm.lead"])
        origin = Lead._lifecycle_new_partner_values

        def new_partner_values(lead, name, is_company):
            if lead == failing and is_company:
                raise UserError(self.env._("The company B Co is refused"))
            return origin(lead, name, is_company)

        partners_before = self.env["res.partner"].search_count([])
        with patch.object(Lead, "_lifecycle_new_partner_values", new_partner_values):
            result = leads._lifecycle_qualify()
        self.assertEqual(result["qualified"], leads - failing)
        self.assertEqual(result["skipped"], {failing: "The company B Co is refused"})
        self.assertEqual(failing.lifecycle_state, "new")
        self.assertFalse(failing.partner_id)
        self.assertFalse(
            failing.message_ids.filtered(lambda m: "Qualified into" in (m.body or ""))
        )
        self.assertEqual(self.env["res.partner"].search_count([]), partners_before + 4)

    def test_mass_override_logs_each_lead_missing_items(self):
        self.policy.require_valid_email = True
        good = self._lead(name="Good")
        bad = self._lead(name="Bad", email_from="jane@invalid")
        (good | bad).with_user(self.manager)._lifecycle_qualify(
            override_reason="Met both at the fair"
        )
        for lead in good | bad:
            self.assertEqual(lead.lifecycle_state, "qualified")
            self.assertEqual(lead.qualification_override_reason, "Met both at the fair")
        self.assertIn("a valid email", bad.message_ids[0].body)
        self.assertNotIn("a valid email", good.message_ids[0].body)
        self.assertIn("two-way interaction", good.message_ids[0].body)
