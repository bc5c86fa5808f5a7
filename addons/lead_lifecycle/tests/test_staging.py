# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from types import SimpleNamespace
from unittest.mock import patch

from odoo.tests import Form, tagged
from odoo.tools import email_normalize, mute_logger

from odoo.addons.lead_lifecycle.controllers.thread import LifecycleThreadController
from odoo.addons.mail.tests.common import mail_new_test_user

from .common_first_reply import REPLY_EMAIL, FirstReplyCase

EMAIL = "jane.doe@acme-corp.example"


@tagged("post_install", "-at_install")
class TestStaging(FirstReplyCase):
    """Emailing a staged lead (not qualified, no partner) never creates a partner:
    the chatter, templates and the composer, the first reply and mass mailing send to
    its email; its answer lands on the lead. A lead with a partner is mailed as stock
    Odoo does."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # A salesman who may create contacts: stock then creates partners from emails.
        cls.salesman = mail_new_test_user(
            cls.env,
            login="ll_staging_sales",
            name="Stan Staging",
            email="stan.staging@test.example.com",
            groups="sales_team.group_sale_salesman,base.group_partner_manager,"
            "mass_mailing.group_mass_mailing_user",
            notification_type="inbox",
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

    def _partner_count(self):
        return (
            self.env["res.partner"]
            .with_context(active_test=False)
            .search_count([("email_normalized", "=", EMAIL)])
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

    def _composer(self, lead, template):
        return Form(
            self.env["mail.compose.message"]
            .with_user(self.salesman)
            .with_context(
                default_composition_mode="comment",
                default_model="crm.lead",
                default_res_ids=lead.ids,
                default_template_id=template.id,
            )
        )

    def _assert_mailed_to_email(self, message):
        mails = self._new_mails.filtered(lambda m: m.mail_message_id == message)
        self.assertEqual(len(mails), 1)
        self.assertEqual(email_normalize(mails.email_to), EMAIL)
        self.assertFalse(mails.recipient_ids)
        self.assertEqual(len(self._mails), 1)
        self.assertEqual(
            [email_normalize(e) for e in self._mails[0]["email_to"]], [EMAIL]
        )
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
        self.assertEqual(self._partner_count(), 0)
        self.assertFalse(lead.partner_id)
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
        with self.mock_mail_gateway():
            _mails, message = composer_form.save()._action_send_mail()
        self.assertEqual(self._partner_count(), 0)
        self.assertFalse(lead.partner_id)
        self._assert_mailed_to_email(message)

    @mute_logger("odoo.addons.mail.models.mail_thread")
    def test_composer_template_use_default_to(self):
        lead = self._staged_lead()
        composer_form = self._composer(lead, self.template_default_to)
        with self.mock_mail_gateway():
            _mails, message = composer_form.save()._action_send_mail()
        self.assertEqual(self._partner_count(), 0)
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
        self.assertEqual(self._partner_count(), 0)
        self.assertTrue(lead.first_reply_sent_date)
        self._assert_mailed_to_email(message)

        lead_auto = self._staged_lead()
        with self.mock_mail_gateway():
            message = lead_auto.with_user(self.salesman)._first_reply_send(
                self.reply_fair_team
            )
        self.assertEqual(self._partner_count(), 0)
        self._assert_mailed_to_email(message)

    @mute_logger("odoo.addons.mail.models.mail_thread")
    def test_mass_mail_composer_on_leads(self):
        """'Send email' on selected leads (composer in mass mail mode, a template)."""
        lead = self._staged_lead()
        composer = Form(
            self.env["mail.compose.message"]
            .with_user(self.salesman)
            .with_context(
                default_composition_mode="mass_mail",
                default_model="crm.lead",
                default_res_ids=lead.ids,
                default_template_id=self.template_generic.id,
            )
        ).save()
        with self.mock_mail_gateway():
            composer._action_send_mail()
        self.assertEqual(self._partner_count(), 0)
        self.assertEqual(len(self._mails), 1)
        self.assertEqual(
            [email_normalize(e) for e in self._mails[0]["email_to"]], [EMAIL]
        )

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
        self.assertEqual(len(self._mails), 1)
        self.assertEqual(
            [email_normalize(e) for e in self._mails[0]["email_to"]], [EMAIL]
        )

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
        with self.mock_mail_gateway():
            _mails, message = composer_form.save()._action_send_mail()
        self.assertEqual(message.partner_ids, partner)
        self.assertFalse(self._new_mails.filtered("email_to"))
        self.assertEqual(self._mails[0]["email_to"], [f'"Jane Doe" <{EMAIL}>'])
        self.assertEqual(self._partner_count(), 1)
