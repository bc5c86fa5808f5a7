# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Staged leads (not qualified, no partner) are mailed at their email: no partner is
created from it, by any path (ORM and web client)."""

from datetime import timedelta
from types import SimpleNamespace
from unittest.mock import patch

from odoo import fields
from odoo.tests import Form, HttpCase, tagged
from odoo.tests.common import freeze_time
from odoo.tools import email_normalize, mute_logger

from odoo.addons.lead_lifecycle.controllers.thread import LifecycleThreadController
from odoo.addons.mail.tests.common import mail_new_test_user

from .common_first_reply import REPLY_EMAIL, FirstReplyCase

EMAIL = "jane.doe@acme-corp.example"


class StagingCase(FirstReplyCase):
    """What the staging tests check on both sides (ORM and web client)."""

    @classmethod
    def _new_salesman(cls, login, name, email, extra_groups=""):
        """A salesman who may create contacts: stock then creates partners from
        emails."""
        return mail_new_test_user(
            cls.env,
            login=login,
            name=name,
            email=email,
            groups="sales_team.group_sale_salesman,base.group_partner_manager"
            + extra_groups,
            notification_type="inbox",
        )

    def _partner_count(self):
        return (
            self.env["res.partner"]
            .with_context(active_test=False)
            .search_count([("email_normalized", "=", EMAIL)])
        )

    def _assert_queued_to_email(self, message):
        """The message's one mail is queued to the lead's email, to no partner."""
        mails = self._new_mails.filtered(lambda m: m.mail_message_id == message)
        self.assertEqual(len(mails), 1)
        self.assertEqual(email_normalize(mails.email_to), EMAIL)
        self.assertFalse(mails.recipient_ids)
        return mails

    def _assert_one_mail_to_email(self):
        """One mail went out, to the lead's email alone."""
        self.assertEqual(len(self._mails), 1)
        self.assertEqual(
            [email_normalize(e) for e in self._mails[0]["email_to"]], [EMAIL]
        )


@tagged("post_install", "-at_install")
class TestStaging(StagingCase):
    """Emailing a staged lead (not qualified, no partner) never creates a partner:
    the chatter, templates and the composer, the first reply and mass mailing send to
    its email; its answer lands on the lead. A lead with a partner is mailed as stock
    Odoo does."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.salesman = cls._new_salesman(
            "ll_staging_sales",
            "Stan Staging",
            "stan.staging@test.example.com",
            extra_groups=",mass_mailing.group_mass_mailing_user",
        )
        cls.template_default_to = cls.env["mail.template"].create(
            {
                "name": "Default recipients",
                "model_id": cls.env["ir.model"]._get_id("crm.lead"),
                "subject": "Hello {{ object.contact_name }}",
                "use_default_to": True,
                "body_html": "<p>Hello from us</p>",
            }
        )

    def _staged_lead(self, **values):
        lead = self._new_lead(user_id=self.salesman.id, **values)
        self.assertEqual(lead.lifecycle_state, "new")
        self.assertFalse(lead.partner_id)
        return lead

    def _chatter_post(self, lead, extra_emails=()):
        """What /mail/message/post does for the chatter's 'Send message' with the
        lead's suggested recipient checked: the web client sends the suggestions
        without partner as partner_emails (plus extra_emails)."""
        env = self.env(user=self.salesman)
        lead = lead.with_env(env)
        suggested = lead._message_get_suggested_recipients()
        partner_emails = [
            s["email"] for s in suggested if not s.get("partner_id") and s.get("email")
        ]
        self.assertEqual(partner_emails, [f'"Acme Corp" <{EMAIL}>'])
        partner_emails += list(extra_emails)
        with patch(
            "odoo.addons.mail.controllers.thread.request", new=SimpleNamespace(env=env)
        ):
            post_data = LifecycleThreadController()._prepare_post_data(
                {
                    "body": "<p>Following up</p>",
                    "message_type": "comment",
                    "subtype_xmlid": "mail.mt_comment",
                },
                lead,
                partner_emails=partner_emails,
                partner_additional_values={e: {} for e in partner_emails},
            )
        return lead.sudo().message_post(**post_data)

    def _composer(self, lead, template, mode="comment"):
        return Form(
            self.env["mail.compose.message"]
            .with_user(self.salesman)
            .with_context(
                default_composition_mode=mode,
                default_model="crm.lead",
                default_res_ids=lead.ids,
                default_template_id=template.id,
            )
        )

    def _send(self, composer_form):
        with self.mock_mail_gateway():
            _mails, message = composer_form.save()._action_send_mail()
        return message

    def _assert_mailed_to_email(self, message):
        """The message went to the lead's email alone; no partner was created for it,
        none was set on the lead."""
        self.assertEqual(self._partner_count(), 0)
        self.assertFalse(self.env["crm.lead"].browse(message.res_id).partner_id)
        self._assert_queued_to_email(message)
        self._assert_one_mail_to_email()
        self.assertFalse(message.partner_ids)

    # ------------------------------------------------------------
    # Paths
    # ------------------------------------------------------------

    def test_suggested_recipient_has_no_partner(self):
        lead = self._staged_lead()
        suggested = lead.with_user(self.salesman)._message_get_suggested_recipients()
        customer = [s for s in suggested if EMAIL in (s.get("email") or "").lower()]
        self.assertEqual(len(customer), 1)
        self.assertFalse(customer[0].get("partner_id"))
        self.assertEqual(self._partner_count(), 0)

    @mute_logger("odoo.addons.mail.models.mail_thread")
    def test_chatter_suggested_recipient(self):
        lead = self._staged_lead()
        with self.mock_mail_gateway():
            message = self._chatter_post(lead)
        self._assert_mailed_to_email(message)

    @mute_logger("odoo.addons.mail.models.mail_thread")
    def test_chatter_other_recipients_stay_stock(self):
        lead = self._staged_lead()
        with self.mock_mail_gateway():
            message = self._chatter_post(lead, ["boss@acme-corp.example"])
        self.assertEqual(self._partner_count(), 0)
        boss = self.env["res.partner"].search(
            [("email_normalized", "=", "boss@acme-corp.example")]
        )
        self.assertEqual(message.partner_ids, boss)
        self.assertEqual(
            sorted(
                email_normalize(m.email_to or m.recipient_ids.email)
                for m in self._new_mails
            ),
            ["boss@acme-corp.example", EMAIL],
        )

    @mute_logger("odoo.addons.mail.models.mail_thread")
    def test_composer_template_email_to(self):
        lead = self._staged_lead()
        composer_form = self._composer(lead, self.template_generic)
        self.assertFalse(composer_form.partner_ids)
        self.assertEqual(self._partner_count(), 0)
        message = self._send(composer_form)
        self._assert_mailed_to_email(message)

    @mute_logger("odoo.addons.mail.models.mail_thread")
    def test_composer_template_use_default_to(self):
        lead = self._staged_lead()
        composer_form = self._composer(lead, self.template_default_to)
        message = self._send(composer_form)
        self._assert_mailed_to_email(message)

    @mute_logger("odoo.addons.mail.models.mail_thread")
    def test_first_reply_manual_and_auto(self):
        lead = self._staged_lead()
        action = lead.with_user(self.salesman).action_send_first_reply()
        composer = Form(
            self.env["mail.compose.message"]
            .with_user(self.salesman)
            .with_context(**action["context"])
        ).save()
        with self.mock_mail_gateway():
            _mails, message = composer._action_send_mail()
        self.assertTrue(lead.first_reply_sent_date)
        self._assert_mailed_to_email(message)

        lead_auto = self._staged_lead()
        with self.mock_mail_gateway():
            message = lead_auto.with_user(self.salesman)._first_reply_send(
                self.reply_fair_team
            )
        self._assert_mailed_to_email(message)

    @mute_logger("odoo.addons.mail.models.mail_thread")
    def test_mass_mail_composer_on_leads(self):
        """'Send email' on selected leads (composer in mass mail mode, a template)."""
        lead = self._staged_lead()
        composer = self._composer(lead, self.template_generic, "mass_mail").save()
        with self.mock_mail_gateway():
            composer._action_send_mail()
        self.assertEqual(self._partner_count(), 0)
        self._assert_one_mail_to_email()

    @mute_logger("odoo.addons.mail.models.mail_thread")
    def test_mass_mailing_on_leads(self):
        lead = self._staged_lead()
        mailing = (
            self.env["mailing.mailing"]
            .with_user(self.salesman)
            .create(
                {
                    "subject": "Spring news",
                    "body_html": "<p>News</p>",
                    "mailing_model_id": self.env["ir.model"]._get_id("crm.lead"),
                    "mailing_domain": [("id", "=", lead.id)],
                }
            )
        )
        with self.mock_mail_gateway():
            mailing.action_send_mail()
        self.assertEqual(self._partner_count(), 0)
        self._assert_one_mail_to_email()

    @mute_logger("odoo.addons.mail.models.mail_thread")
    def test_reply_lands_on_lead(self):
        lead = self._staged_lead()
        with self.mock_mail_gateway():
            message = self._chatter_post(lead)
        sent = self._mails[0]
        self.assertEqual(sent["message_id"], message.message_id)
        leads_before = self.env["crm.lead"].search_count([])
        with self.mock_mail_gateway():
            self._gateway_mail_reply(
                REPLY_EMAIL,
                email=sent,
                force_email_from=f"Jane Doe <{EMAIL}>",
                target_model="crm.lead",
            )
        self.assertEqual(self.env["crm.lead"].search_count([]), leads_before)
        reply = lead.message_ids.filtered(lambda m: m.message_type == "email")
        self.assertEqual(len(reply), 1)
        self.assertFalse(reply.author_id)
        self.assertEqual(email_normalize(reply.email_from), EMAIL)
        self.assertEqual(self._partner_count(), 0)
        self.assertFalse(lead.partner_id)
        self.assertEqual(lead.lifecycle_state, "contacted")

    def _full_composer(self, lead, **context):
        """The full composer as the chatter opens it for a staged lead whose
        suggested email is checked (static/src/chatter/composer_patch.js)."""
        return Form(
            self.env["mail.compose.message"]
            .with_user(self.salesman)
            .with_context(
                **{
                    "default_model": "crm.lead",
                    "default_res_ids": lead.ids,
                    "default_subtype_xmlid": "mail.mt_comment",
                    "default_partner_ids": [],
                    "default_lifecycle_email_to": f'"Acme Corp" <{EMAIL}>',
                    **context,
                }
            )
        )

    @mute_logger("odoo.addons.mail.models.mail_thread")
    def test_full_composer_email_to(self):
        lead = self._staged_lead()
        composer_form = self._full_composer(lead)
        self.assertTrue(composer_form.lifecycle_staged)
        self.assertFalse(composer_form.partner_ids)
        composer_form.body = "<p>Following up</p>"
        message = self._send(composer_form)
        self._assert_mailed_to_email(message)

    @mute_logger("odoo.addons.mail.models.mail_thread")
    def test_full_composer_email_and_template_once(self):
        """The chatter's email and the template's are the same address: one mail."""
        lead = self._staged_lead()
        composer_form = self._full_composer(
            lead, default_template_id=self.template_generic.id
        )
        message = self._send(composer_form)
        self._assert_mailed_to_email(message)

    def test_full_composer_note_and_qualified_lead(self):
        """A note mails nobody; a lead with a partner has no email-only recipient."""
        lead = self._staged_lead()
        note_form = self._full_composer(lead, default_subtype_xmlid="mail.mt_note")
        self.assertFalse(note_form.lifecycle_staged)
        partner = self.env["res.partner"].create({"name": "Jane Doe", "email": EMAIL})
        lead_partner = self._new_lead(user_id=self.salesman.id, partner_id=partner.id)
        self.assertFalse(self._full_composer(lead_partner).lifecycle_staged)
        suggested = lead_partner.with_user(
            self.salesman
        )._message_get_suggested_recipients()
        self.assertFalse([s for s in suggested if s.get("lifecycle_staged")])

    @mute_logger("odoo.addons.mail.models.mail_thread")
    def test_scheduled_message(self):
        """ "Send later" from the full composer: the scheduler mails the email."""
        lead = self._staged_lead()
        now = fields.Datetime.now().replace(microsecond=0)
        for template in (False, self.template_generic):
            with self.subTest(template=bool(template)):
                context = {"default_template_id": template.id} if template else {}
                composer_form = self._full_composer(lead, **context)
                composer_form.body = "<p>Later</p>"
                composer_form.save().action_schedule_message(
                    fields.Datetime.to_string(now + timedelta(hours=1))
                )
                scheduled = self.env["mail.scheduled.message"].search(
                    [("model", "=", "crm.lead"), ("res_id", "=", lead.id)]
                )
                self.assertEqual(len(scheduled), 1)
                self.assertFalse(scheduled.partner_ids)
                self.assertEqual(self._partner_count(), 0)
                messages_before = lead.message_ids
                with (
                    freeze_time(now + timedelta(hours=2)),
                    self.mock_mail_gateway(),
                ):
                    self.env["mail.scheduled.message"]._post_messages_cron()
                self.assertFalse(scheduled.exists())
                message = lead.message_ids - messages_before
                self.assertEqual(len(message), 1)
                self.assertEqual(message.author_id, self.salesman.partner_id)
                self._assert_mailed_to_email(message)

    @mute_logger("odoo.addons.mail.models.mail_thread")
    def test_scheduled_message_qualified_meanwhile(self):
        """Qualified between "Send later" and the scheduler: its contact is mailed."""
        lead = self._staged_lead()
        now = fields.Datetime.now().replace(microsecond=0)
        composer_form = self._full_composer(lead)
        composer_form.body = "<p>Later</p>"
        composer_form.save().action_schedule_message(
            fields.Datetime.to_string(now + timedelta(hours=1))
        )
        partner = self.env["res.partner"].create({"name": "Jane Doe", "email": EMAIL})
        lead.sudo().partner_id = partner
        self.assertFalse(lead._lifecycle_staged())
        messages_before = lead.message_ids
        with freeze_time(now + timedelta(hours=2)), self.mock_mail_gateway():
            self.env["mail.scheduled.message"]._post_messages_cron()
        message = lead.message_ids - messages_before
        self.assertEqual(len(message), 1)
        self.assertEqual(message.partner_ids, partner)
        self.assertFalse(self._new_mails.filtered("email_to"))
        self.assertEqual(len(self._mails), 1)
        self.assertEqual(self._mails[0]["email_to"], [f'"Jane Doe" <{EMAIL}>'])

    # ------------------------------------------------------------
    # Once qualified
    # ------------------------------------------------------------

    @mute_logger("odoo.addons.mail.models.mail_thread")
    def test_lead_with_partner_is_stock(self):
        partner = self.env["res.partner"].create({"name": "Jane Doe", "email": EMAIL})
        lead = self._new_lead(user_id=self.salesman.id, partner_id=partner.id)
        self.assertFalse(lead._lifecycle_staged())
        composer_form = self._composer(lead, self.template_generic)
        self.assertEqual(composer_form.partner_ids[:], partner)
        message = self._send(composer_form)
        self.assertEqual(message.partner_ids, partner)
        self.assertFalse(self._new_mails.filtered("email_to"))
        self.assertEqual(self._mails[0]["email_to"], [f'"Jane Doe" <{EMAIL}>'])
        self.assertEqual(self._partner_count(), 1)


@tagged("post_install", "-at_install")
class TestStagingWebClient(StagingCase, HttpCase):
    """The full composer opened from the chatter of a staged lead, through the
    routes the web client calls, as the logged-in salesman."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.salesman = cls._new_salesman(
            "ll_staging_web", "Wendy Web", "wendy.web@test.example.com"
        )

    def _call_kw(self, model, method, args, kwargs=None):
        return self.make_jsonrpc_request(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        )

    def _suggested(self, lead):
        data = self.make_jsonrpc_request(
            "/mail/thread/data",
            {
                "thread_model": "crm.lead",
                "thread_id": lead.id,
                "request_list": ["followers", "suggestedRecipients"],
            },
        )
        (thread,) = [t for t in data["mail.thread"] if t["id"] == lead.id]
        return thread["suggestedRecipients"]

    @mute_logger("odoo.addons.mail.models.mail_thread")
    def test_full_composer_rpc(self):
        lead = self._new_lead(user_id=self.salesman.id)
        self.assertEqual(lead.lifecycle_state, "new")
        self.authenticate("ll_staging_web", "ll_staging_web")
        # the chatter loads the suggestions: the lead's email is flagged, no partner
        (customer,) = [s for s in self._suggested(lead) if s.get("lifecycle_staged")]
        self.assertFalse(customer.get("partner_id"))
        self.assertEqual(email_normalize(customer["email"]), EMAIL)
        # the patched "open full composer" does not call /mail/partner/from_email
        # for it: it opens the composer with the email as default_lifecycle_email_to
        context = {
            "default_attachment_ids": [],
            "default_body": "<div>Following up</div>",
            "default_email_add_signature": False,
            "default_model": "crm.lead",
            "default_partner_ids": [],
            "default_res_ids": [lead.id],
            "default_subtype_xmlid": "mail.mt_comment",
            "mail_post_autofollow": True,
            "default_lifecycle_email_to": customer["email"],
        }
        # the form view's fields, as the web client asks for them
        views = self._call_kw(
            "mail.compose.message",
            "get_views",
            [],
            {"views": [[False, "form"]], "options": {}, "context": context},
        )
        spec = dict.fromkeys(views["models"]["mail.compose.message"]["fields"], {})
        defaults = self._call_kw(
            "mail.compose.message",
            "onchange",
            [[], {}, [], spec],
            {"context": context},
        )["value"]
        self.assertTrue(defaults["lifecycle_staged"])
        self.assertEqual(defaults["lifecycle_email_to"], customer["email"])
        self.assertFalse(defaults.get("partner_ids"))
        with self.mock_mail_gateway():
            (composer,) = self._call_kw(
                "mail.compose.message",
                "web_save",
                [
                    [],
                    {f: defaults[f] for f in ("body", "subject", "lifecycle_email_to")},
                ],
                {"context": context, "specification": {}},
            )
            self.make_jsonrpc_request(
                "/web/dataset/call_button",
                {
                    "model": "mail.compose.message",
                    "method": "action_send_mail",
                    "args": [[composer["id"]]],
                    "kwargs": {"context": context},
                },
            )
        self.assertEqual(self._partner_count(), 0)
        self.assertFalse(lead.partner_id)
        message = lead.message_ids.filtered(lambda m: m.message_type == "comment")
        self.assertEqual(len(message), 1)
        self.assertEqual(message.author_id, self.salesman.partner_id)
        self.assertFalse(message.partner_ids)
        mails = self._assert_queued_to_email(message)
        # queued after the request's commit: send it as the mail queue would
        with self.mock_mail_gateway():
            mails.send()
        self.assertEqual(
            [email_normalize(e) for e in self._mails[0]["email_to"]], [EMAIL]
        )
