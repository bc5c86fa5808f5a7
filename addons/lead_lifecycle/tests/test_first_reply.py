# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged
from odoo.tools import formataddr, mute_logger

from .common_first_reply import REPLY_EMAIL, FirstReplyCase


@tagged("post_install", "-at_install")
class TestFirstReplyConfig(FirstReplyCase):
    def test_matching_source_team_generic(self):
        leads = (
            self._new_lead(name="fair + direct team")
            | self._new_lead(name="fair + other team", team_id=self.team_other.id)
            | self._new_lead(
                name="fair in French", team_id=False, lang_id=self.lang_fr.id
            )
            | self._new_lead(name="no source, other team", source_id=False)
            | self._new_lead(
                name="unknown source, other team",
                source_id=self.source_other.id,
                team_id=self.team_other.id,
            )
            | self._new_lead(name="no source, direct team", source_id=False)
            | self._new_lead(name="nothing", source_id=False, team_id=False)
        )
        leads[3].team_id = self.team_other
        configs = leads._first_reply_get_config()
        self.assertEqual(
            [configs[lead] for lead in leads],
            [
                self.reply_fair_team,  # source + team
                self.reply_fair,  # source beats the team's default
                self.reply_fair_fr,  # source + language
                self.reply_team_other,  # team default
                self.reply_team_other,  # unknown source: team default
                self.reply_generic,  # no reply of the team: generic
                self.reply_generic,
            ],
        )

    def test_matching_company_sequence_and_archived(self):
        lead = self._new_lead(source_id=False, team_id=False)
        company_2 = self.env["res.company"].create({"name": "Other Co"})
        other_company_reply = self.env["crm.first.reply"].create(
            {
                "name": "Generic other company",
                "company_id": company_2.id,
                "template_id": self.template_fair.id,
            }
        )
        self.assertEqual(lead._first_reply_get_config()[lead], self.reply_generic)
        own_company_reply = other_company_reply.copy(
            {"company_id": lead.company_id.id, "name": "Own company"}
        )
        self.assertEqual(lead._first_reply_get_config()[lead], own_company_reply)
        own_company_reply.action_archive()
        self.reply_generic.sequence = 50
        better = self.reply_generic.copy({"name": "Better", "sequence": 1})
        self.assertEqual(lead._first_reply_get_config()[lead], better)
        (self.reply_generic | better).action_archive()
        self.assertFalse(lead._first_reply_get_config()[lead])

    def test_constraints(self):
        Reply = self.env["crm.first.reply"]
        base = {"name": "Bad", "template_id": self.template_generic.id}
        with self.assertRaisesRegex(ValidationError, "sending hours"):
            Reply.create({**base, "hour_from": 18.0, "hour_to": 9.0})
        with self.assertRaisesRegex(ValidationError, "sending hours"):
            Reply.create({**base, "hour_to": 25.0})
        with self.assertRaisesRegex(ValidationError, "cannot be negative"):
            Reply.create({**base, "dedupe_days": -1})
        partner_template = self.env["mail.template"].create(
            {"name": "Partner", "model_id": self.env["ir.model"]._get_id("res.partner")}
        )
        with self.assertRaisesRegex(ValidationError, "Lead/Opportunity model"):
            Reply.create({**base, "template_id": partner_template.id})

    def test_access_managers_configure(self):
        Reply = self.env["crm.first.reply"]
        self.assertTrue(Reply.with_user(self.user_sales).search([]))
        with self.assertRaises(AccessError):
            Reply.with_user(self.user_sales).create(
                {"name": "Mine", "template_id": self.template_generic.id}
            )
        reply = Reply.with_user(self.user_manager).create(
            {"name": "Managed", "template_id": self.template_generic.id}
        )
        self.assertEqual(reply.send_from, "salesperson")
        self.assertFalse(reply.auto_send)
        menu = self.env.ref("lead_lifecycle.crm_first_reply_menu")
        self.assertEqual(
            menu.parent_id, self.env.ref("lead_lifecycle.lead_lifecycle_config_menu")
        )

    def test_views(self):
        with Form(self.env["crm.first.reply"].with_user(self.user_manager)) as form:
            form.name = "Trade show, automatic"
            form.source_id = self.source_fair
            form.template_id = self.template_fair
            form.auto_send = True
            form.hour_from = 9.0
            form.hour_to = 17.0
            form.send_sunday = False
        reply = form.record
        self.assertEqual((reply.hour_from, reply.hour_to), (9.0, 17.0))
        self.assertTrue(reply.send_monday)
        self.assertFalse(reply.send_sunday)
        lead = self._new_lead()
        Lead = self.env["crm.lead"].with_user(self.user_sales)
        self.assertIn(
            'name="action_send_first_reply"', Lead.get_view(view_type="form")["arch"]
        )
        self.assertFalse(Form(lead.with_user(self.user_sales)).first_reply_sent_date)

    def test_sending_time(self):
        reply = self.reply_generic
        reply.write(
            {
                "hour_from": 9.0,
                "hour_to": 17.5,
                "tz": "Europe/Brussels",
                "send_saturday": False,
                "send_sunday": False,
            }
        )
        # 2026-03-02 is a Monday; Brussels is UTC+1 in March.
        self.assertTrue(reply._is_sending_time(datetime(2026, 3, 2, 8, 0)))
        self.assertTrue(reply._is_sending_time(datetime(2026, 3, 2, 16, 29)))
        self.assertFalse(reply._is_sending_time(datetime(2026, 3, 2, 7, 59)))
        self.assertFalse(reply._is_sending_time(datetime(2026, 3, 2, 16, 30)))
        self.assertFalse(reply._is_sending_time(datetime(2026, 3, 7, 10, 0)))


@tagged("post_install", "-at_install")
class TestFirstReplyShipped(FirstReplyCase):
    def test_shipped_replies_render_lead_values(self):
        shipped = self.env["crm.first.reply"].search(
            [
                ("active", "=", False),
                ("id", "in", [r.id for r in self._shipped_replies()]),
            ]
        )
        self.assertEqual(len(shipped), 7)
        self.assertFalse(shipped.filtered("auto_send"))
        self.assertEqual(
            self.env.ref("lead_lifecycle.crm_first_reply_search_engine").source_id,
            self.env.ref("utm.utm_source_search_engine"),
        )
        lead = self._new_lead()
        for template in shipped.template_id:
            with self.subTest(template=template.name):
                body = template._render_field("body_html", lead.ids)[lead.id]
                self.assertIn("Jane Doe", body)
                self.assertIn("Sally Sales", body)
                self.assertIn("Acme Corp", body)
                subject = template._render_field("subject", lead.ids)[lead.id]
                self.assertTrue(subject)
        recall = self.env.ref("lead_lifecycle.mail_template_first_reply_lead_recall")
        self.assertIn(
            "Spring Fair 2026", recall._render_field("body_html", lead.ids)[lead.id]
        )

    def test_off_by_default(self):
        """The shipped rule is active, but no shipped reply is automatic: creating a
        lead of a shipped source sends nothing."""
        self.env["crm.first.reply"].search([]).action_archive()
        self._shipped_replies().action_unarchive()
        rule = self.env.ref("lead_lifecycle.base_automation_first_reply")
        self.assertTrue(rule.active)
        self.assertEqual(rule.trigger, "on_create")
        self.assertEqual(
            rule.action_server_ids.code, "records._action_send_first_reply_auto()"
        )
        with self.mock_mail_gateway():
            lead = self._new_lead(
                source_id=self.env.ref("utm.utm_source_search_engine").id
            )
        self.assertFalse(lead.first_reply_sent_date)
        self.assertFalse(self._mails)
        self.assertEqual(
            lead._first_reply_get_config()[lead],
            self.env.ref("lead_lifecycle.crm_first_reply_search_engine"),
        )
        result = lead._action_send_first_reply_auto()
        self.assertFalse(result["sent"])
        self.assertEqual(result["skipped"], {lead: "no automatic first reply applies"})

    def _shipped_replies(self):
        return self.env["crm.first.reply"].browse(
            self.env["ir.model.data"]
            .search(
                [("module", "=", "lead_lifecycle"), ("model", "=", "crm.first.reply")]
            )
            .mapped("res_id")
        )


@tagged("post_install", "-at_install")
class TestFirstReplyManual(FirstReplyCase):
    def _open_composer(self, lead, user=None):
        action = lead.with_user(user or self.user_sales).action_send_first_reply()
        self.assertEqual(action["res_model"], "mail.compose.message")
        return Form(
            self.env["mail.compose.message"]
            .with_user(user or self.user_sales)
            .with_context(**action["context"])
        )

    @mute_logger("odoo.addons.mail.models.mail_thread")
    def test_send_first_reply_logs_and_counts(self):
        lead = self._new_lead()
        composer_form = self._open_composer(lead)
        self.assertEqual(composer_form.template_id, self.template_fair_team)
        self.assertEqual(composer_form.subject, "[Fair-Direct] Hello Jane Doe")
        self.assertIn("Dear Jane Doe of Acme Corp", composer_form.body)
        self.assertIn("I am Sally Sales; about Spring Fair 2026", composer_form.body)
        self.assertEqual(composer_form.email_from, self.user_sales.email_formatted)
        composer = composer_form.save()
        with (
            self.mock_mail_gateway(),
            self.mock_datetime_and_now(datetime(2026, 3, 2, 10, 0)),
        ):
            composer._action_send_mail()

        message = lead.message_ids.filtered(lambda m: m.message_type == "comment")
        self.assertEqual(len(message), 1)
        self.assertEqual(message.subtype_id, self.env.ref("mail.mt_comment"))
        self.assertEqual(message.author_id, self.user_sales.partner_id)
        self.assertEqual(message.subject, "[Fair-Direct] Hello Jane Doe")
        self.assertEqual(lead.first_reply_sent_date, datetime(2026, 3, 2, 10, 0))
        self.assertEqual(lead.contact_attempt_count, 1)
        self.assertEqual(lead.inbound_email_count, 0)
        self.assertSentEmail(
            self.user_sales.partner_id,
            [formataddr(("Jane Doe", "jane.doe@acme-corp.example"))],
            subject="[Fair-Direct] Hello Jane Doe",
            reply_to=formataddr(
                (f"{self.company_admin.name} {self.team.name}", self.team.alias_email)
            ),
        )

        # Sending again: a second message, the first reply date stays.
        composer = self._open_composer(lead).save()
        with (
            self.mock_mail_gateway(),
            self.mock_datetime_and_now(datetime(2026, 3, 3, 10, 0)),
        ):
            composer._action_send_mail()
        self.assertEqual(lead.first_reply_sent_date, datetime(2026, 3, 2, 10, 0))
        self.assertEqual(lead.contact_attempt_count, 2)

    @mute_logger("odoo.addons.mail.models.mail_thread")
    def test_reply_from_lead_lands_on_lead(self):
        lead = self._new_lead(team_id=self.team_other.id, source_id=False)
        composer = self._open_composer(lead).save()
        with self.mock_mail_gateway():
            composer._action_send_mail()
        self.assertEqual(len(self._mails), 1)
        sent = self._mails[0]
        # No team alias: the reply goes to the catchall, routed back to the lead.
        self.assertEqual(
            sent["reply_to"],
            formataddr(
                (
                    f"{self.company_admin.name} {self.team_other.name}",
                    f"{self.alias_catchall}@{self.alias_domain}",
                )
            ),
        )
        leads_before = self.env["crm.lead"].search_count([])
        with self.mock_mail_gateway():
            self._gateway_mail_reply(
                REPLY_EMAIL,
                email=sent,
                force_email_from="Jane Doe <jane.doe@acme-corp.example>",
                target_model="crm.lead",
            )
        self.assertEqual(self.env["crm.lead"].search_count([]), leads_before)
        reply = lead.message_ids.filtered(lambda m: m.message_type == "email")
        self.assertEqual(len(reply), 1)
        self.assertEqual(reply.subject, f"Re: {sent['subject']}")
        self.assertEqual(lead.inbound_email_count, 1)
        self.assertEqual(lead.lifecycle_state, "contacted")
        self.assertTrue(lead.first_two_way_date)

    @mute_logger("odoo.addons.mail.models.mail_thread")
    def test_send_from_team_alias(self):
        self.reply_fair_team.send_from = "team_alias"
        lead = self._new_lead()
        composer_form = self._open_composer(lead)
        alias = formataddr((self.team.name, self.team.alias_email))
        self.assertEqual(composer_form.email_from, alias)
        with self.mock_mail_gateway():
            composer_form.save()._action_send_mail()
        self.assertEqual(self._mails[0]["email_from"], alias)
        message = lead.message_ids.filtered(lambda m: m.message_type == "comment")
        # No partner has the alias address: the sending user is the author.
        self.assertEqual(message.author_id, self.user_sales.partner_id)
        self.assertEqual(lead.contact_attempt_count, 1)
        # Without an alias on the team, the salesperson sends it.
        lead_other = self._new_lead(team_id=self.team_other.id)
        self.reply_fair.send_from = "team_alias"
        self.assertEqual(
            self._open_composer(lead_other).email_from,
            self.user_sales.email_formatted,
        )

    def test_send_first_reply_errors(self):
        lead = self._new_lead(email_from=False)
        with self.assertRaisesRegex(UserError, "has no email address"):
            lead.with_user(self.user_sales).action_send_first_reply()
        lead.email_from = "jane.doe@acme-corp.example"
        self.env["crm.first.reply"].search([]).action_archive()
        with self.assertRaisesRegex(UserError, "No first reply applies"):
            lead.with_user(self.user_sales).action_send_first_reply()


@tagged("post_install", "-at_install")
class TestFirstReplyAutomatic(FirstReplyCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.reply_fair_team.write(
            {
                "auto_send": True,
                "hour_from": 8.0,
                "hour_to": 18.0,
                "tz": "Europe/Brussels",
                "send_saturday": False,
                "send_sunday": False,
                "dedupe_days": 30,
            }
        )
        # Monday 2 March 2026, 10:00 in Brussels.
        cls.in_hours = datetime(2026, 3, 2, 9, 0)

    def _queued(self):
        """First replies queued by the automatic reply during the mock."""
        return self._new_mails.filtered(
            lambda mail: mail.model == "crm.lead"
            and mail.mail_message_id.message_type == "comment"
        )

    @mute_logger("odoo.addons.mail.models.mail_thread")
    def test_sends_once_per_lead_through_the_rule(self):
        with self.mock_mail_gateway(), self.mock_datetime_and_now(self.in_hours):
            lead = self._new_lead()
        self.assertEqual(lead.first_reply_sent_date, self.in_hours)
        # Queued (a server action never waits for the mail server), then sent.
        queued = self._queued()
        self.assertEqual(len(queued), 1)
        self.assertEqual(queued.state, "outgoing")
        with self.mock_mail_gateway():
            queued.send()
        self.assertSentEmail(
            self.user_sales.partner_id,
            [formataddr(("Jane Doe", "jane.doe@acme-corp.example"))],
            subject="[Fair-Direct] Hello Jane Doe",
        )
        message = lead.message_ids.filtered(lambda m: m.message_type == "comment")
        self.assertEqual(message.author_id, self.user_sales.partner_id)
        self.assertEqual(lead.contact_attempt_count, 1)
        with self.mock_mail_gateway(), self.mock_datetime_and_now(self.in_hours):
            result = lead._action_send_first_reply_auto()
        self.assertFalse(self._queued())
        self.assertEqual(result["skipped"][lead], "first reply already sent")

    @mute_logger("odoo.addons.mail.models.mail_thread")
    def test_not_for_replies_without_auto_send(self):
        with self.mock_mail_gateway(), self.mock_datetime_and_now(self.in_hours):
            lead = self._new_lead(team_id=self.team_other.id)
        self.assertFalse(lead.first_reply_sent_date)
        self.assertFalse(self._queued())
        self.assertEqual(
            lead._action_send_first_reply_auto()["skipped"][lead],
            "no automatic first reply applies",
        )

    @mute_logger("odoo.addons.mail.models.mail_thread")
    def test_sending_hours(self):
        saturday = datetime(2026, 3, 7, 10, 0)
        evening = datetime(2026, 3, 2, 18, 30)  # 19:30 in Brussels
        for when in (saturday, evening):
            with self.subTest(when=when):
                with self.mock_mail_gateway(), self.mock_datetime_and_now(when):
                    lead = self._new_lead()
                    result = lead._action_send_first_reply_auto()
                self.assertFalse(lead.first_reply_sent_date)
                self.assertFalse(self._queued())
                self.assertEqual(result["skipped"][lead], "outside the sending hours")

    @mute_logger("odoo.addons.mail.models.mail_thread")
    def test_window_never_twice_to_same_email(self):
        with self.mock_mail_gateway(), self.mock_datetime_and_now(self.in_hours):
            first = self._new_lead()
        self.assertTrue(first.first_reply_sent_date)
        first.action_archive()  # archived leads still count
        later = datetime(2026, 3, 20, 9, 0)
        with self.mock_mail_gateway(), self.mock_datetime_and_now(later):
            second = self._new_lead(email_from="JANE.DOE@acme-corp.example")
            result = second._action_send_first_reply_auto()
        self.assertFalse(second.first_reply_sent_date)
        self.assertFalse(self._queued())
        self.assertEqual(
            result["skipped"][second], "a first reply went to this email recently"
        )
        after_window = datetime(2026, 4, 6, 9, 0)
        with self.mock_mail_gateway(), self.mock_datetime_and_now(after_window):
            third = self._new_lead()
        self.assertEqual(third.first_reply_sent_date, after_window)
        self.assertEqual(len(self._queued()), 1)

    @mute_logger("odoo.addons.mail.models.mail_thread")
    def test_window_within_one_batch_and_zero_days(self):
        values = {
            "name": "Booth visit",
            "email_from": "twice@acme-corp.example",
            "user_id": self.user_sales.id,
            "team_id": self.team.id,
            "source_id": self.source_fair.id,
        }
        with self.mock_mail_gateway(), self.mock_datetime_and_now(self.in_hours):
            leads = self.env["crm.lead"].create([values, values])
        self.assertEqual(len(leads.filtered("first_reply_sent_date")), 1)
        self.assertEqual(len(self._queued()), 1)
        # 0 days: once per lead only, whatever was sent to the email.
        self.reply_fair_team.dedupe_days = 0
        with self.mock_mail_gateway(), self.mock_datetime_and_now(self.in_hours):
            leads = self.env["crm.lead"].create([values, values])
        self.assertEqual(len(leads.filtered("first_reply_sent_date")), 2)
        self.assertEqual(len(self._queued()), 2)

    @mute_logger("odoo.addons.mail.models.mail_thread")
    def test_skips_blacklisted_invalid_and_rented_imports(self):
        self.env["mail.blacklist"]._add("optout@acme-corp.example")
        with self.mock_mail_gateway(), self.mock_datetime_and_now(self.in_hours):
            blacklisted = self._new_lead(email_from="optout@acme-corp.example")
            invalid = self._new_lead(email_from="jane.doe-at-acme")
            hotmail = self._new_lead(email_from="@hotmail.com")
            rented = (
                self.env["crm.lead"]
                .with_context(lead_lifecycle_rented_import=True)
                .create(
                    {
                        "name": "Rented contact",
                        "email_from": "cold.contact@acme-corp.example",
                        "user_id": self.user_sales.id,
                        "team_id": self.team.id,
                        "source_id": self.source_fair.id,
                    }
                )
            )
        self.assertFalse(self._queued())
        leads = blacklisted | invalid | hotmail | rented
        self.assertFalse(leads.filtered("first_reply_sent_date"))
        with self.mock_datetime_and_now(self.in_hours):
            skipped = leads.with_context(
                lead_lifecycle_rented_import=False
            )._action_send_first_reply_auto()["skipped"]
            rented_skip = rented.with_context(
                lead_lifecycle_rented_import=True
            )._first_reply_skip_reason()
        self.assertEqual(skipped[blacklisted], "blacklisted email")
        self.assertEqual(skipped[invalid], "invalid email")
        self.assertEqual(skipped[hotmail], "invalid email")
        self.assertEqual(rented_skip, "created by the import of a rented list")

    @mute_logger("odoo.addons.mail.models.mail_thread")
    def test_sender_fallbacks(self):
        self.reply_fair_team.send_from = "team_alias"
        with self.mock_mail_gateway(), self.mock_datetime_and_now(self.in_hours):
            lead = self._new_lead()
        self.assertEqual(
            self._queued().email_from,
            formataddr((self.team.name, self.team.alias_email)),
        )
        message = lead.message_ids.filtered(lambda m: m.message_type == "comment")
        self.assertEqual(message.author_id, self.user_sales.partner_id)
        # No salesperson, no alias: the company sends, signed by OdooBot.
        self.reply_generic.write({"auto_send": True, "hour_from": 0.0, "hour_to": 24.0})
        with self.mock_mail_gateway(), self.mock_datetime_and_now(self.in_hours):
            lead = self._new_lead(
                user_id=False, team_id=False, source_id=False, email_from="a@b.example"
            )
        self.assertEqual(self._queued().email_from, self.company_admin.email_formatted)
        message = lead.message_ids.filtered(lambda m: m.message_type == "comment")
        self.assertEqual(message.author_id, self.env.ref("base.partner_root"))
        self.assertEqual(lead.contact_attempt_count, 1)
        # Nothing to send from (no company email, no catchall): skipped.
        self.company_admin.write({"email": False, "alias_domain_id": False})
        with self.mock_mail_gateway(), self.mock_datetime_and_now(self.in_hours):
            lead = self._new_lead(
                user_id=False, team_id=False, source_id=False, email_from="c@d.example"
            )
            result = lead._action_send_first_reply_auto()
        self.assertFalse(self._queued())
        self.assertEqual(result["skipped"][lead], "no sender address")
