# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, new_test_user, tagged

from .common_rented_list import RentedListCase


@tagged("post_install", "-at_install")
class TestRentedListImport(RentedListCase):
    def test_columns_map_automatically(self):
        result, mapping = self._import()
        self.assertEqual(result["messages"], [])
        self.assertEqual(
            mapping,
            {
                "First Name": "first_name",
                "Last Name": "last_name",
                "Company": "partner_name",
                "Email": "email",
                "Phone 1": "phone",
                "Phone 2": "mobile",
                "City": "city",
                "Country": "country_name",
                "Website": "website",
            },
        )

    def test_header_aliases_map(self):
        content = (
            b"E-mail,Mobile,Surname,Organisation,Postcode\nx@y.example,,Doe,Co,1000\n"
        )
        result, mapping = self._import(content=content)
        self.assertEqual(
            list(mapping.values()),
            ["email", "mobile", "last_name", "partner_name", "zip"],
        )
        self.assertEqual(len(result["ids"]), 1)

    def test_every_row_accounted_for(self):
        result, _mapping = self._import()
        self.assertEqual(len(result["ids"]), 9)
        contacts = self.rented_list.contact_ids
        self.assertEqual(len(contacts), 9)
        alice = self._contact("alice@acme.example")
        self.assertEqual(
            (alice.validity, alice.match_status),
            ("valid", "none"),
            alice.validity_reason,
        )
        self.assertEqual(alice.country_id, self.env.ref("base.be"))
        self.assertEqual(alice.phone_sanitized, "+3225551234")
        self.assertEqual(self._contact("bob@globex.example").validity, "valid")
        for bad in ("carol(at)initech.example", "dan@@hooli.example"):
            contact = self._contact(bad)
            self.assertEqual(contact.validity, "invalid_email")
            self.assertIn("Malformed email", contact.validity_reason)
        duplicate = self._contact("ALICE@acme.example")
        self.assertEqual(duplicate.match_status, "duplicate")
        self.assertEqual(duplicate.duplicate_of_id, alice)
        eve = self._contact("eve@umbrella.example")
        self.assertEqual(eve.match_status, "blacklisted")
        frank = self._contact("frank@known.example")
        self.assertEqual(frank.match_status, "partner")
        self.assertEqual(frank.matched_partner_id, self.known_partner)
        # An unknown country is a warning: the row stays valid and mailable.
        grace = self._contact("grace@atlantis.example")
        self.assertEqual(grace.validity, "valid")
        self.assertTrue(grace.is_mailable)
        self.assertEqual(grace.country_name, "Atlantis")
        self.assertIn("Unknown country Atlantis", grace.cleaning_warnings)
        hank = contacts.filtered(lambda c: c.last_name == "Phone")
        self.assertEqual((hank.validity, hank.match_status), ("valid", "none"))
        # Figures stored on the list
        rented_list = self.rented_list
        self.assertEqual(rented_list.row_count, 9)
        self.assertEqual(rented_list.valid_count, 7)
        self.assertEqual(rented_list.mailable_count, 5)
        self.assertEqual(rented_list.duplicate_count, 1)
        self.assertEqual(rented_list.suppressed_count, 1)
        self.assertEqual(rented_list.partner_match_count, 1)
        self.assertAlmostEqual(rented_list.valid_rate, 700 / 9)
        self.assertAlmostEqual(rented_list.mailable_rate, 500 / 9)
        self.assertIn("9 rows received, 9 added", rented_list.message_ids[0].body)

    def test_reimport_adds_nothing(self):
        self._import()
        result, _mapping = self._import()
        self.assertEqual(result["ids"], [])
        self.assertEqual(len(self.rented_list.contact_ids), 9)
        self.assertIn("9 already in the list", self.rented_list.message_ids[0].body)

    def test_identical_rows_in_one_file_are_all_kept(self):
        content = b"Email\nsame@twice.example\nsame@twice.example\n"
        result, _mapping = self._import(content=content)
        self.assertEqual(len(result["ids"]), 2)
        self.assertEqual(
            sorted(self.rented_list.contact_ids.mapped("match_status")),
            ["duplicate", "none"],
        )

    def test_duplicate_of_other_active_list_and_existing_lead(self):
        self.env["crm.lead"].create({"name": "Bob", "email_from": "bob@globex.example"})
        self._import()
        other = self.rented_list.copy({"name": "Autumn list"})
        other.action_activate()
        self._import(rented_list=other)
        self.assertEqual(
            self._contact("bob@globex.example", other).match_status, "lead"
        )
        alice_other = self._contact("alice@acme.example", other)
        self.assertEqual(alice_other.match_status, "duplicate_other")
        self.assertEqual(
            alice_other.duplicate_of_id, self._contact("alice@acme.example")
        )

    def test_overlong_value_flagged(self):
        content = b"Email,City\nlong@city.example," + b"x" * 300 + b"\n"
        self._import(content=content)
        contact = self._contact("long@city.example")
        self.assertEqual(contact.validity, "invalid_value")
        self.assertIn("Value too long in City", contact.validity_reason)

    def test_stock_load_for_other_columns(self):
        """A mapping with relational columns goes through the stock load()."""
        result = (
            self.env["crm.rented.list.contact"]
            .with_context(default_rented_list_id=self.rented_list.id)
            .load(["email", "country_id"], [["z@z.example", "Belgium"]])
        )
        self.assertEqual(len(result["ids"]), 1)
        contact = self.env["crm.rented.list.contact"].browse(result["ids"])
        self.assertEqual(contact.country_id, self.env.ref("base.be"))

    def test_import_into_purged_list_refused(self):
        self.rented_list.state = "purged"
        with self.assertRaisesRegex(UserError, "purged"):
            self._import()

    def test_import_template(self):
        templates = self.env["crm.rented.list.contact"].get_import_templates()
        self.assertEqual(
            templates[0]["template"],
            "/lead_lifecycle/static/csv/crm_rented_list_contact.csv",
        )
        action = self.rented_list.action_import_contacts()
        self.assertEqual(action["tag"], "import")
        self.assertEqual(
            action["params"]["context"], {"default_rented_list_id": self.rented_list.id}
        )


@tagged("post_install", "-at_install")
class TestRentedListMailing(RentedListCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.contact_model = cls.env["ir.model"]._get("crm.rented.list.contact")

    def setUp(self):
        super().setUp()
        self._import()
        # Queue the mails instead of sending them at once: no SMTP server in tests.
        self.env["ir.config_parameter"].set_param("mail.mail.force.send.limit", 0)

    def _mailing(self, domain=None):
        mailing = self.env["mailing.mailing"].create(
            {
                "subject": "Spring offer",
                "body_html": "<p>Hello</p>",
                "mailing_model_id": self.contact_model.id,
            }
        )
        if domain is not None:
            mailing.mailing_domain = repr(domain)
        return mailing

    def test_default_domain_keeps_cold_valid_contacts(self):
        mailing = self._mailing()
        recipients = (
            self.env["crm.rented.list.contact"]
            .browse(mailing._get_recipients())
            # other active lists of the database (demo data) are not this test's
            .filtered(lambda contact: contact.rented_list_id == self.rented_list)
        )
        self.assertEqual(
            sorted(recipients.mapped("email")),
            # grace's country is unknown: a warning, her email is mailable
            ["alice@acme.example", "bob@globex.example", "grace@atlantis.example"],
        )

    def test_mailing_counts_one_use_and_contacts(self):
        mailing = self._mailing()
        mailing.action_send_mail()
        self.assertEqual(self.rented_list.use_count, 1)
        self.assertEqual(self.rented_list.mailing_ids, mailing)
        alice = self._contact("alice@acme.example")
        self.assertEqual((alice.contact_count, alice.state), (1, "contacted"))
        self.assertTrue(alice.last_contacted)
        self.assertEqual(self._contact("frank@known.example").contact_count, 0)
        self.assertEqual(self.rented_list.contacted_count, 3)
        # Sending the same mailing again (another batch) is not another use.
        mailing.action_send_mail(res_ids=alice.ids)
        self.assertEqual(self.rented_list.use_count, 1)

    def test_over_the_limit_refused(self):
        self._mailing().action_send_mail()
        second = self._mailing()
        with self.assertRaisesRegex(UserError, "allows 1 uses"):
            second.action_send_mail()
        with self.assertRaisesRegex(UserError, "allows 1 uses"):
            second.action_launch()
        self.rented_list.allowed_uses = 0  # unlimited
        second.action_send_mail()
        self.assertEqual(self.rented_list.use_count, 2)

    def test_after_expiry_refused(self):
        self.rented_list.rental_end = self.today - timedelta(days=1)
        with self.assertRaisesRegex(UserError, "rental is not active"):
            self._mailing().action_send_mail()
        self.rented_list.action_expire()
        mailing = self._mailing([("rented_list_id", "=", self.rented_list.id)])
        with self.assertRaisesRegex(UserError, "rental is not active"):
            mailing.action_send_mail()
        self.assertEqual(self.rented_list.use_count, 0)

    def test_blacklisted_never_mailed(self):
        eve = self._contact("eve@umbrella.example")
        bob = self._contact("bob@globex.example")
        # Even when the user's domain targets them and their match is stale.
        self.env["mail.blacklist"].create({"email": "bob@globex.example"})
        eve.match_status = "none"
        mailing = self._mailing([("id", "in", (eve | bob).ids)])
        self.assertFalse(mailing._get_recipients())
        mailing.action_send_mail(res_ids=(eve | bob).ids)
        self.assertEqual((eve.contact_count, bob.contact_count), (0, 0))
        traces = self.env["mailing.trace"].search(
            [("mass_mailing_id", "=", mailing.id)]
        )
        self.assertEqual(set(traces.mapped("failure_type")), {"mail_bl"})

    def test_trace_events_set_responses(self):
        self.rented_list.allowed_uses = 0
        rule = self.env.ref("lead_lifecycle.base_automation_rented_list_promote")
        rule.active = False
        mailing = self._mailing()
        mailing.action_send_mail()
        alice = self._contact("alice@acme.example")
        bob = self._contact("bob@globex.example")
        traces = self.env["mailing.trace"].search(
            [("mass_mailing_id", "=", mailing.id)]
        )
        trace = {t.res_id: t for t in traces}
        trace[alice.id].set_clicked()
        self.assertEqual(alice.response, "clicked")
        trace[alice.id].set_replied()
        self.assertEqual(alice.response, "replied")
        trace[alice.id].set_clicked()
        self.assertEqual(alice.response, "replied", "a click does not hide a reply")
        trace[bob.id].set_bounced()
        self.assertEqual(bob.response, "bounced")
        self.assertEqual(self.rented_list.responded_count, 2)
        # A bounced contact is not mailed again.
        second = self._mailing()
        self.assertNotIn(bob.id, second._get_recipients())

    def test_opted_out_never_mailed(self):
        alice = self._contact("alice@acme.example")
        mailing_list = self.env["mailing.list"].create({"name": "News"})
        self.env["mailing.contact"].create(
            {
                "email": "alice@acme.example",
                "subscription_ids": [
                    (0, 0, {"list_id": mailing_list.id, "opt_out": True})
                ],
            }
        )
        mailing = self._mailing()
        self.assertIn(
            "alice@acme.example",
            self.env["crm.rented.list.contact"]._mailing_get_opt_out_list(mailing),
        )
        mailing.action_send_mail(res_ids=alice.ids)
        self.assertEqual(alice.contact_count, 0)
        self.rented_list.action_clean_and_match()
        self.assertEqual(alice.match_status, "opted_out")


@tagged("post_install", "-at_install")
class TestRentedListUnsubscribe(RentedListCase, HttpCase):
    def test_unsubscribe_link_records_opt_out(self):
        """The unsubscribe link of a mail sent to a rented list (stock's route, its
        token checked) blocklists the email, as stock does, and records the
        contact's response Opted Out: counted as a response of the list, the
        contact no longer mailable. A link with a wrong token changes nothing."""
        self._import()
        self.env["ir.config_parameter"].set_param("mail.mail.force.send.limit", 0)
        self.rented_list.allowed_uses = 0
        rule = self.env.ref("lead_lifecycle.base_automation_rented_list_promote")
        rule.active = False
        mailing = self.env["mailing.mailing"].create(
            {
                "subject": "Spring offer",
                "body_html": "<p>Hello</p>",
                "mailing_model_id": self.env["ir.model"]
                ._get("crm.rented.list.contact")
                .id,
            }
        )
        mailing.action_send_mail()
        alice = self._contact("alice@acme.example")
        bob = self._contact("bob@globex.example")
        self.assertTrue(alice.is_mailable)
        for contact, token in (
            (alice, mailing._generate_mailing_recipient_token(alice.id, alice.email)),
            (bob, "not-the-token"),
        ):
            self.url_open(
                f"/mailing/{mailing.id}/unsubscribe?document_id={contact.id}"
                f"&email={contact.email}&hash_token={token}"
            )
        self.env.invalidate_all()
        self.assertEqual((alice.response, bob.response), ("opted_out", "none"))
        self.assertFalse(alice.is_mailable)
        self.assertTrue(bob.is_mailable)
        self.assertTrue(
            self.env["mail.blacklist"].search([("email", "=", "alice@acme.example")])
        )
        self.assertEqual(self.rented_list.responded_count, 1)


@tagged("post_install", "-at_install")
class TestRentedListPurge(RentedListCase):
    def test_expiry_purge(self):
        self._import()
        alice = self._contact("alice@acme.example")
        alice.message_post(
            body="Interested", message_type="email", email_from=alice.email
        )
        lead = alice.promoted_lead_id
        self.assertTrue(lead)
        bob = self._contact("bob@globex.example")
        bob.message_post(body="Not now", message_type="comment")
        self.rented_list.attachment_id = self.env["ir.attachment"].create(
            {
                "name": "rented.csv",
                "raw": self._sample_bytes(),
                "res_model": "crm.rented.list",
                "res_id": self.rented_list.id,
            }
        )
        # Not yet ended lists are left alone.
        other = self.rented_list.copy({"name": "Running"})
        other.action_activate()
        self.rented_list.rental_end = self.today - timedelta(days=1)
        self.env["crm.rented.list"]._cron_expire_and_purge()
        self.assertEqual(self.rented_list.state, "purged")
        self.assertEqual(other.state, "active")
        self.assertFalse(bob.email or bob.first_name or bob.last_name or bob.phone)
        self.assertEqual(bob.state, "purged")
        self.assertFalse(bob.message_ids)
        self.assertEqual(
            set((self.rented_list.contact_ids - alice).mapped("state")), {"purged"}
        )
        self.assertFalse(self.rented_list.attachment_id)
        # Counts kept, promoted contact and lead untouched
        self.assertEqual(self.rented_list.row_count, 9)
        self.assertEqual(self.rented_list.valid_count, 7)
        self.assertEqual(self.rented_list.promoted_count, 1)
        self.assertEqual(alice.email, "alice@acme.example")
        self.assertEqual(alice.state, "promoted")
        self.assertEqual(lead.email_from, "alice@acme.example")
        self.assertIn(
            "personal data of 8 contacts erased", self.rented_list.message_ids[0].body
        )
        with self.assertRaisesRegex(UserError, "None of the selected contacts"):
            bob.action_promote()

    def test_manual_purge_needs_expiry(self):
        with self.assertRaisesRegex(UserError, "Only expired lists"):
            self.rented_list.action_purge()
        self.rented_list.action_expire()
        self.rented_list.action_purge()
        self.assertEqual(self.rented_list.state, "purged")

    def test_activation_checks(self):
        with self.assertRaisesRegex(UserError, "not a draft"):
            self.rented_list.action_activate()
        ended = self.env["crm.rented.list"].create(
            {"name": "Old", "rental_end": self.today - timedelta(days=1)}
        )
        with self.assertRaisesRegex(UserError, "correct the rental end"):
            ended.action_activate()


@tagged("post_install", "-at_install")
class TestRentedListSecurity(RentedListCase):
    def test_salesman_cannot_read_marketing_can(self):
        self._import(user=self.marketing_user)
        contacts = self.rented_list.contact_ids
        self.assertEqual(len(contacts), 9)
        with self.assertRaises(AccessError):
            contacts.with_user(self.salesman).read(["email"])
        with self.assertRaises(AccessError):
            self.rented_list.with_user(self.salesman).read(["name"])
        self.assertEqual(
            len(
                self.env["crm.rented.list.contact"]
                .with_user(self.marketing_user)
                .search([("rented_list_id", "=", self.rented_list.id)])
            ),
            9,
        )
        manager = new_test_user(
            self.env, "rl_manager", groups="sales_team.group_sale_manager"
        )
        self.assertEqual(
            contacts.with_user(manager).read(["email"])[0]["id"], contacts[0].id
        )

    def test_salesman_sees_promoted_lead(self):
        self._import()
        alice = self._contact("alice@acme.example")
        alice.response = "replied"
        lead = alice.promoted_lead_id
        lead.user_id = self.salesman
        self.assertEqual(
            lead.with_user(self.salesman).read(["name"])[0]["name"], "Acme"
        )

    def test_salesman_cannot_import(self):
        with self.assertRaises(AccessError):
            self._import(user=self.salesman)

    def test_multi_company(self):
        other_company = self.env["res.company"].create({"name": "Other Co"})
        other_list = self.env["crm.rented.list"].create(
            {"name": "Other list", "company_id": other_company.id}
        )
        self.env["crm.rented.list.contact"].create(
            {"rented_list_id": other_list.id, "email": "o@other.example"}
        )
        visible = (
            self.env["crm.rented.list.contact"]
            .with_user(self.marketing_user)
            .search([("email", "=", "o@other.example")])
        )
        self.assertFalse(visible)
        self.assertFalse(
            self.env["crm.rented.list"]
            .with_user(self.marketing_user)
            .search([("id", "=", other_list.id)])
        )
