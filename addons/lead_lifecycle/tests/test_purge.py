# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import os
from datetime import timedelta
from unittest.mock import patch

from odoo import fields
from odoo.tests import tagged
from odoo.tools import SQL

from odoo.addons.lead_lifecycle.models.base import lifecycle_server_write
from odoo.addons.lead_lifecycle.models.crm_rented_list_purge import PURGED_COLUMNS
from odoo.addons.mail.models.mail_mail import MailMail

from .common_rented_list import RentedListCase

CONTACT_MODEL = "crm.rented.list.contact"
CSV = (
    "First Name,Last Name,Full Name,Job Title,Company,Email,Phone 1,Phone 2,Street,"
    "Zip,City,Country,Website,Notes,Row ID\n"
    "Ann,Smith-{tag},Ann Smith-{tag},Buyer,Acme,ann.{tag}@example.com,12ab-{tag},"
    "+32 470 12 34 56,1 {tag} Street,1000,{tag}ville,Belgium,https://{tag}.example,"
    "met ann.{tag} at the fair,{tag}-1\n"
    "Ben,Jones,,,Globex,ben.{tag}@example.com,+32 2 555 12 34,,,,{tag}ville,Belgium,"
    ",,\n"
    "Cy,Bad,,,Initech,cy(at){tag}.example,,,,,,France,,,\n"
    "Frank,Known,,,Known Corp,frank@known.example,,,,,Rome,Italy,,,\n"
)
TAGS = ("active", "draft", "archived")
# Where mail, mass mailing and the list keep text about a contact: each row of these
# tables is searched, as text, for the personal values of the purged contacts.
PLACES = [
    "crm_rented_list_contact",
    "mail_message",
    "mail_mail",
    "mail_notification",
    "mail_tracking_value",
    "mailing_trace",
    "link_tracker_click",
    "ir_attachment",
    "mail_activity",
    "mail_scheduled_message",
]


@tagged("post_install", "-at_install")
class TestRentedListPurgeErasesAll(RentedListCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Replies wait for a manual Promote (the automation is switched off), so the
        # contacts who replied are purged with the others.
        cls.env.ref("lead_lifecycle.base_automation_rented_list_promote").active = False
        cls.follower = cls.env["res.partner"].create(
            {"name": "Watcher", "email": "watcher@example.org"}
        )
        cls.contact_model = cls.env["ir.model"]._get(CONTACT_MODEL)

    def _new_list(self, tag):
        rented_list = self.env["crm.rented.list"].create(
            {
                "name": f"List {tag}",
                "vendor_id": self.vendor.id,
                "rental_start": self.today - timedelta(days=10),
                "rental_end": self.today + timedelta(days=30),
            }
        )
        rented_list.action_activate()
        self._import(rented_list, CSV.format(tag=tag).encode())
        return rented_list

    def _contacts(self, lists):
        return self.env[CONTACT_MODEL].search([("rented_list_id", "in", lists.ids)])

    def _use(self, lists):
        """Mail the lists' contacts, and make them leave every trace a person
        leaves: a bounce, a click, a reply with a file, a follower, an activity, a
        scheduled message, a mail still queued."""
        mailing = self.env["mailing.mailing"].create(
            {
                "subject": "Spring offer",
                "body_html": "<p>Hello</p>",
                "mailing_model_id": self.contact_model.id,
                "mailing_domain": repr([("rented_list_id", "in", lists.ids)]),
            }
        )
        # The mails wait in the queue for the mail cron (tests send at once).
        with patch.object(MailMail, "send", autospec=True, return_value=True):
            mailing.action_send_mail()
        link = self.env["link.tracker"].create(
            {"url": "https://example.com/offer", "mass_mailing_id": mailing.id}
        )
        for index, rented_list in enumerate(lists):
            tag = rented_list.name.split()[-1]
            ann = self._contact(f"ann.{tag}@example.com", rented_list)
            ben = self._contact(f"ben.{tag}@example.com", rented_list)
            traces = self.env["mailing.trace"].search(
                [("model", "=", CONTACT_MODEL), ("res_id", "in", (ann | ben).ids)]
            )
            ann_trace = traces.filtered(lambda t, ann=ann: t.res_id == ann.id)
            ben_trace = traces - ann_trace
            ann_trace.set_bounced(
                bounce_message=f"550 5.1.1 <ann.{tag}@example.com>: no such user"
            )
            self.env["link.tracker.click"].sudo().add_click(
                link.code,
                ip=f"203.0.113.{index + 1}",
                country_code="BE",
                mailing_trace_id=ben_trace.id,
            )
            ann.message_subscribe(partner_ids=self.follower.ids)
            ann.message_post(
                body=f"Reply from ann.{tag}@example.com, call 12ab-{tag}",
                message_type="email",
                email_from=f"ann.{tag}@example.com",
                subtype_xmlid="mail.mt_comment",
                attachments=[("cv.txt", f"Ann Smith ann.{tag}@example.com".encode())],
            )
            self.env["mail.activity"].create(
                {
                    "res_model_id": self.contact_model.id,
                    "res_id": ben.id,
                    "activity_type_id": self.env.ref("mail.mail_activity_data_todo").id,
                    "note": f"Call ben.{tag}@example.com back",
                }
            )
            self.env["mail.scheduled.message"].create(
                {
                    "model": CONTACT_MODEL,
                    "res_id": ben.id,
                    "author_id": self.env.user.partner_id.id,
                    "body": f"Reminder for ben.{tag}@example.com",
                    "scheduled_date": fields.Datetime.now() + timedelta(days=3),
                    "is_note": True,
                }
            )
        return mailing

    def _places_quoting(self, values):
        """{table: rows} of the PLACES whose text holds one of ``values``."""
        self.env.flush_all()
        found = {}
        for table in PLACES:
            self.env.cr.execute(
                SQL(
                    "SELECT count(*) FROM %s t "
                    "WHERE row_to_json(t)::text ILIKE ANY(%s)",
                    SQL.identifier(table),
                    [f"%{value}%" for value in values],
                )
            )
            count = self.env.cr.fetchone()[0]
            if count:
                found[table] = count
        return found

    def _in_checklist(self, checklist, fname):
        """Whether the filestore's garbage collector will delete the file."""
        return os.path.exists(os.path.join(checklist, fname))

    def _count(self, query, *args):
        self.env.flush_all()
        self.env.cr.execute(SQL(query, *args))
        return self.env.cr.fetchone()[0]

    def test_cron_purges_every_place(self):
        # A person of the file is a lead already: the contact is matched to it.
        self.env["crm.lead"].create(
            {"name": "Ben", "email_from": "ben.active@example.com"}
        )
        ended = self._new_list("active") | self._new_list("draft")
        ended |= self._new_list("archived")
        running = self._new_list("running")
        self._use(ended | running)
        active, draft, archived = ended
        # A list never activated (here put back to draft) and an archived list are
        # purged as well when their rental ends.
        with lifecycle_server_write():
            draft.write({"state": "draft"})
        archived.active = False
        ended.write({"rental_end": self.today - timedelta(days=1)})
        contacts = self._contacts(ended)
        ids = contacts.ids
        personal = [
            value
            for index, tag in enumerate(TAGS)
            for value in (
                f"ann.{tag}",
                f"ben.{tag}",
                f"cy(at){tag}",
                f"12ab-{tag}",
                f"{tag}ville",
                f"Smith-{tag}",
                f'203.0.113.{index + 1}"',
            )
        ]
        message_ids = (
            self.env["mail.message"]
            .search([("model", "=", CONTACT_MODEL), ("res_id", "in", ids)])
            .ids
        )
        attachments = self.env["ir.attachment"].search(
            [("res_model", "=", CONTACT_MODEL), ("res_id", "in", ids)]
        )
        queued = self.env["mail.mail"].search(
            [("model", "=", CONTACT_MODEL), ("res_id", "in", ids)]
        )
        traces = self.env["mailing.trace"].search(
            [("model", "=", CONTACT_MODEL), ("res_id", "in", ids)]
        )
        clicks = traces.links_click_ids
        # Each place holds personal data before the purge (else the test proves
        # nothing).
        for column in PURGED_COLUMNS:
            with self.subTest(column=column):
                self.assertTrue(
                    self._count(
                        "SELECT count(*) FROM crm_rented_list_contact "
                        "WHERE id = ANY(%s) AND %s IS NOT NULL",
                        ids,
                        SQL.identifier(column),
                    ),
                    column,
                )
        self.assertLessEqual(
            set(PLACES) - {"mail_notification", "mail_tracking_value"},
            set(self._places_quoting(personal)),
        )
        self.assertEqual(len(attachments), 3)
        self.assertTrue(queued.filtered(lambda m: m.state == "outgoing"))
        self.assertIn("bounce", traces.mapped("trace_status"))
        self.assertEqual(len(clicks), 3)
        self.assertTrue(
            self._count(
                "SELECT count(*) FROM mail_notification "
                "WHERE mail_message_id = ANY(%s)",
                message_ids,
            )
        )
        self.assertTrue(
            self._count(
                "SELECT count(*) FROM mail_followers "
                "WHERE res_model = %s AND res_id = ANY(%s)",
                CONTACT_MODEL,
                ids,
            )
        )
        store_fnames = attachments.mapped("store_fname")

        self.env["crm.rented.list"]._cron_expire_and_purge()

        self.assertEqual(set(ended.mapped("state")), {"purged"})
        self.assertEqual(running.state, "active")
        self.assertEqual(set(contacts.mapped("state")), {"purged"})
        self.assertEqual(self._places_quoting(personal), {})
        for column in PURGED_COLUMNS:
            with self.subTest(column=column):
                self.assertFalse(
                    self._count(
                        "SELECT count(*) FROM crm_rented_list_contact "
                        "WHERE id = ANY(%s) AND %s IS NOT NULL",
                        ids,
                        SQL.identifier(column),
                    )
                )
        for query, args in [
            (
                "SELECT count(*) FROM mail_message "
                "WHERE model = %s AND res_id = ANY(%s)",
                (CONTACT_MODEL, ids),
            ),
            ("SELECT count(*) FROM mail_message WHERE id = ANY(%s)", (message_ids,)),
            (
                "SELECT count(*) FROM mail_notification "
                "WHERE mail_message_id = ANY(%s)",
                (message_ids,),
            ),
            (
                "SELECT count(*) FROM mail_tracking_value "
                "WHERE mail_message_id = ANY(%s)",
                (message_ids,),
            ),
            ("SELECT count(*) FROM mail_mail WHERE id = ANY(%s)", (queued.ids,)),
            (
                "SELECT count(*) FROM ir_attachment WHERE id = ANY(%s) "
                "OR (res_model = %s AND res_id = ANY(%s))",
                (attachments.ids, CONTACT_MODEL, ids),
            ),
            (
                "SELECT count(*) FROM mail_followers "
                "WHERE res_model = %s AND res_id = ANY(%s)",
                (CONTACT_MODEL, ids),
            ),
            (
                "SELECT count(*) FROM mail_activity "
                "WHERE res_model = %s AND res_id = ANY(%s)",
                (CONTACT_MODEL, ids),
            ),
            (
                "SELECT count(*) FROM mail_scheduled_message "
                "WHERE model = %s AND res_id = ANY(%s)",
                (CONTACT_MODEL, ids),
            ),
            (
                "SELECT count(*) FROM mailing_trace WHERE id = ANY(%s) AND "
                "(email IS NOT NULL OR failure_reason IS NOT NULL "
                "OR partner_id IS NOT NULL)",
                (traces.ids,),
            ),
            (
                "SELECT count(*) FROM link_tracker_click "
                "WHERE id = ANY(%s) AND ip IS NOT NULL",
                (clicks.ids,),
            ),
        ]:
            with self.subTest(query=query):
                self.assertEqual(self._count(query, *args), 0)
        # The files are handed to the filestore's garbage collector.
        checklist = self.env["ir.attachment"]._full_path("checklist")
        for fname in store_fnames:
            with self.subTest(fname=fname):
                self.assertTrue(self._in_checklist(checklist, fname))
        # What the statistics count stays: traces, their status, clicks.
        self.assertEqual(len(traces.exists()), len(traces))
        self.assertIn("bounce", traces.mapped("trace_status"))
        self.assertEqual(len(clicks.exists()), 3)
        self.assertEqual(ended.mapped("row_count"), [4, 4, 4])
        # The running list and the follower's own partner are untouched.
        ann = self._contact("ann.running@example.com", running)
        self.assertEqual(ann.phone, "12ab-running")
        # a bad phone beside a good email is a warning, not a reason to be invalid
        self.assertTrue(
            (ann.validity_reason or ann.cleaning_warnings) and ann.import_key
        )
        self.assertTrue(ann.message_ids.attachment_ids)
        self.assertIn(self.follower, ann.message_partner_ids)
        self.assertTrue(self.follower.exists())
        self.assertIn(
            "personal data of 4 contacts erased", archived.message_ids[0].body
        )

    def test_unlink_removes_contacts_messages_and_attachments(self):
        rented_list = self._new_list("gone")
        self._use(rented_list)
        ids = self._contacts(rented_list).ids
        messages = self.env["mail.message"].search(
            [("model", "=", CONTACT_MODEL), ("res_id", "in", ids)]
        )
        attachments = self.env["ir.attachment"].search(
            [("res_model", "=", CONTACT_MODEL), ("res_id", "in", ids)]
        )
        traces = self.env["mailing.trace"].search(
            [("model", "=", CONTACT_MODEL), ("res_id", "in", ids)]
        )
        self.assertTrue(messages and attachments and traces)
        store_fname = attachments.store_fname
        as_marketing = rented_list.with_user(self.marketing_user)
        as_marketing.unlink()
        self.assertFalse(rented_list.exists())
        self.assertFalse(messages.exists())
        self.assertFalse(attachments.exists())
        checklist = self.env["ir.attachment"]._full_path("checklist")
        self.assertTrue(self._in_checklist(checklist, store_fname))
        self.assertFalse(
            self._count(
                "SELECT count(*) FROM mail_followers "
                "WHERE res_model = %s AND res_id = ANY(%s)",
                CONTACT_MODEL,
                ids,
            )
        )
        self.assertEqual(self._places_quoting(["ann.gone", "ben.gone"]), {})
        self.assertEqual(len(traces.exists()), len(traces))
