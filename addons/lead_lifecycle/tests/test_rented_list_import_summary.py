# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Imports into a rented list through the Import dialog (issue 17 point 4): every
row accounted for, one summary per import however many windows it takes.
"""

from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools.misc import file_open

from .common_rented_list import DIALOG_OPTIONS, SAMPLE, RentedListDialogCase


@tagged("post_install", "-at_install")
class TestRentedListImportSummary(RentedListDialogCase):
    # ------------------------------------------------------------
    # Point 4: every row accounted for
    # ------------------------------------------------------------

    def test_one_summary_per_import_with_its_figures(self):
        """The sample: 2 valid people, 2 malformed emails, a duplicate in the file,
        a blacklisted address, a known partner, an unknown country and a row with
        a phone only, imported in windows of 3 rows."""
        _fields, results = self._dialog(
            self._sample_bytes(), limit=3, user=self.marketing_user
        )
        self.assertEqual([r["nextrow"] for r in results], [3, 6, 0])
        summary = self._summaries()
        self.assertEqual(len(summary), 1)
        self.assertRecordValues(
            summary,
            [
                {
                    "state": "done",
                    "file_name": "vendor.csv",
                    "user_id": self.marketing_user.id,
                    "received_count": 9,
                    "added_count": 9,
                    "already_count": 0,
                    "valid_count": 7,
                    "mailable_count": 5,
                    "invalid_email_count": 2,
                    "invalid_phone_count": 0,
                    "invalid_value_count": 0,
                    "empty_count": 0,
                    "invalid_count": 2,
                    "new_count": 6,
                    "partner_count": 1,
                    "lead_count": 0,
                    "duplicate_file_count": 1,
                    "duplicate_list_count": 0,
                    "duplicate_other_count": 0,
                    "blacklisted_count": 1,
                    "opted_out_count": 0,
                    "suppressed_count": 1,
                }
            ],
        )
        self.assertEqual(summary.contact_ids, self._rows())
        self.assertEqual(len(summary.window_counts), 3)
        # each number opens its rows
        self.assertEqual(self._open(summary, "added_count"), self._rows())
        self.assertEqual(
            self._open(summary, "partner_count"), self._contact("frank@known.example")
        )
        self.assertEqual(
            self._open(summary, "blacklisted_count"),
            self._contact("eve@umbrella.example"),
        )
        self.assertEqual(
            self._open(summary, "duplicate_file_count"),
            self._contact("ALICE@acme.example"),
        )
        self.assertEqual(
            set(self._open(summary, "invalid_email_count").mapped("email")),
            {"carol(at)initech.example", "dan@@hooli.example"},
        )
        self.assertEqual(len(self._open(summary, "invalid_count")), 2)
        self.assertEqual(len(self._open(summary, "suppressed_count")), 1)
        self.assertEqual(len(self._open(summary, "new_count")), 6)
        with self.assertRaisesRegex(UserError, "not a figure"):
            self._open(summary, "write_uid")
        # one chatter message for the three windows, linking the summary
        messages = self._import_messages()
        self.assertEqual(len(messages), 1)
        self.assertIn("9 rows received, 9 added, 0 already in the list", messages.body)
        self.assertIn("2 invalid, 1 suppressed, 1 duplicates", messages.body)
        self.assertIn(
            f'data-oe-model="crm.rented.list.import" data-oe-id="{summary.id}"',
            messages.body.replace("'", '"'),
        )
        # the list shows its imports
        self.assertEqual(self.rented_list.import_ids, summary)
        self.assertEqual(self.rented_list.import_count, 1)
        action = self.rented_list.action_view_imports()
        self.assertEqual(
            self.env[action["res_model"]].search(action["domain"]), summary
        )

    def test_reimport_adds_nothing_and_says_so(self):
        self._dialog(self._sample_bytes(), limit=4)
        _fields, results = self._dialog(self._sample_bytes(), limit=4)
        self.assertEqual([r["ids"] for r in results], [[], [], []])
        first, second = self._summaries()
        self.assertEqual(first.added_count, 9)
        self.assertRecordValues(
            second,
            [
                {
                    "state": "done",
                    "received_count": 9,
                    "added_count": 0,
                    "already_count": 9,
                    "valid_count": 0,
                }
            ],
        )
        self.assertFalse(self._open(second, "added_count"))
        self.assertEqual(len(self._rows()), 9)
        messages = self._import_messages()
        self.assertEqual(len(messages), 2)
        self.assertIn(
            "9 rows received, 0 added, 9 already in the list", messages[0].body
        )

    def test_identical_rows_in_different_windows(self):
        """Rows 10 and 120 of 200 are identical; windows of 50 rows put them in
        the first and the third window: both are kept (the second flagged as a
        duplicate), and importing the file again, in any window size, adds
        nothing."""
        rows = [[f"Person {n}", f"p{n}@file.example"] for n in range(1, 201)]
        rows[119] = list(rows[9])
        content = self._csv(["Full Name", "Email"], rows)
        _fields, results = self._dialog(content, limit=50)
        self.assertEqual([r["nextrow"] for r in results], [50, 100, 150, 0])
        self.assertEqual(len(self._rows()), 200)
        twins = self._contact("p10@file.example")
        self.assertEqual(len(twins), 2)
        self.assertEqual(len(set(twins.mapped("import_key"))), 2)
        first, second = twins.sorted("id")
        self.assertEqual(second.match_status, "duplicate")
        self.assertEqual(second.duplicate_of_id, first)
        summary = self._summaries()
        self.assertEqual((summary.received_count, summary.added_count), (200, 200))
        self.assertEqual(summary.duplicate_file_count, 1)
        self.assertEqual(self._open(summary, "duplicate_file_count"), second)
        for limit in (50, 70, 2000):
            with self.subTest(limit=limit):
                self._dialog(content, limit=limit)
                again = self._summaries()[-1]
                self.assertEqual((again.added_count, again.already_count), (0, 200))
        self.assertEqual(len(self._rows()), 200)
        # the same file in one call of load() (no dialog) gives the same keys
        result = (
            self.env["crm.rented.list.contact"]
            .with_context(default_rented_list_id=self.rented_list.id)
            .load(["contact_name", "email"], rows)
        )
        self.assertEqual(result["ids"], [])

    def test_rows_identical_once_trimmed_in_different_windows(self):
        content = b"Full Name,Email\nAnn,ann@x.example\nBen,ben@x.example\n" + (
            b"Cid,cid@x.example\n Ann , ann@x.example\n"
        )
        self._dialog(content, limit=2)
        self.assertEqual(len(self._contact("ann@x.example")), 2)
        self._dialog(content, limit=3)
        self.assertEqual(len(self._rows()), 4)
        self.assertEqual(self._summaries()[-1].already_count, 4)

    def test_duplicates_of_an_earlier_import(self):
        self._dialog(self._csv(["Full Name", "Email"], [["Ann", "ann@x.example"]]))
        self._dialog(
            self._csv(
                ["Full Name", "Email"],
                [["Ann Lee", "ann@x.example"], ["Ann Lee", "ann@x.example"]],
            ),
            limit=1,
        )
        summary = self._summaries()[-1]
        self.assertEqual(
            (summary.duplicate_list_count, summary.duplicate_file_count), (2, 0)
        )
        self.assertEqual(len(self._open(summary, "duplicate_list_count")), 2)
        self.assertFalse(self._open(summary, "duplicate_file_count"))
        self._dialog(
            self._csv(["Full Name", "Email"], [["Ann", "ann@x.example"]]),
            self.other_list,
        )
        other = self._summaries(self.other_list)
        self.assertEqual(other.duplicate_other_count, 1)
        self.assertEqual(len(self._open(other, "duplicate_other_count")), 1)

    def test_invalid_by_reason(self):
        content = self._csv(
            ["Email", "Phone 1", "City"],
            [
                ["", "", "Nowhere"],
                ["", "12", ""],
                ["long@city.example", "", "x" * 300],
                ["bad@@x.example", "", ""],
            ],
        )
        self._dialog(content, limit=2)
        summary = self._summaries()
        self.assertRecordValues(
            summary,
            [
                {
                    "received_count": 4,
                    "empty_count": 1,
                    "invalid_phone_count": 1,
                    "invalid_value_count": 1,
                    "invalid_email_count": 1,
                    "invalid_count": 4,
                    "valid_count": 0,
                }
            ],
        )
        self.assertEqual(self._open(summary, "empty_count").city, "Nowhere")

    def test_opted_out_is_suppressed(self):
        mailing_list = self.env["mailing.list"].create({"name": "Newsletter"})
        self.env["mailing.contact"].create(
            {
                "email": "out@x.example",
                "subscription_ids": [
                    (0, 0, {"list_id": mailing_list.id, "opt_out": True})
                ],
            }
        )
        self._dialog(self._csv(["Email"], [["out@x.example"], ["in@x.example"]]))
        summary = self._summaries()
        self.assertEqual((summary.opted_out_count, summary.suppressed_count), (1, 1))
        self.assertEqual(self._open(summary, "opted_out_count").email, "out@x.example")

    def _notifications(self):
        """The import notifications sent (bus rows) or queued for the commit."""
        queued = self.env.cr.precommit.data.get("bus.bus.values", [])
        self.env.flush_all()
        sent = self.env["bus.bus"].sudo().search([]).mapped("message")
        return [
            message
            for message in [*sent, *(n["message"] for n in queued)]
            if "simple_notification" in message and "rows received" in message
        ]

    def test_dry_run_leaves_nothing(self):
        messages = self.rented_list.message_ids
        notifications = self._notifications()
        _fields, results = self._dialog(self._sample_bytes(), limit=4, dryrun=True)
        self.assertEqual(len(results), 3)
        self.assertTrue(all(not r["messages"] for r in results))
        self.assertFalse(self._rows())
        self.assertFalse(self._summaries())
        self.assertEqual(self.rented_list.message_ids, messages)
        self.assertEqual(self._notifications(), notifications)
        # the real import afterwards: one summary, one message, one notification
        self._dialog(self._sample_bytes(), limit=4)
        self.assertEqual(len(self._summaries()), 1)
        self.assertEqual(len(self._import_messages()), 1)
        self.assertEqual(len(self._notifications()), len(notifications) + 1)

    def test_repairs_of_a_messy_file_on_the_summary(self):
        rows = b"Ann,ann@bom.example\nBen,ben@bom.example\n"
        content = b"\xef\xbb\xbf First Name ,Email\n" + rows
        self._dialog(content, limit=1)
        summary = self._summaries()
        self.assertEqual(summary.added_count, 2)
        self.assertIn("byte-order mark", summary.repairs)
        self.assertIn("Blanks around column titles", summary.repairs)

    def test_load_without_the_dialog_is_one_import(self):
        Contact = self.env["crm.rented.list.contact"].with_context(
            default_rented_list_id=self.rented_list.id
        )
        Contact.load(["email"], [["a@load.example"], ["b@load.example"]])
        summary = self._summaries()
        self.assertRecordValues(
            summary,
            [{"state": "done", "received_count": 2, "added_count": 2, "wizard_id": 0}],
        )
        self.assertEqual(len(self._import_messages()), 1)

    def test_interrupted_import_keeps_its_summary_running(self):
        """A dialog closed after its first window: the summary says Running; the
        next import from the first row is a new summary."""
        content = self._csv(["Email"], [[f"r{n}@stop.example"] for n in range(4)])
        importer = self._upload(content, "stop.csv")
        options = dict(DIALOG_OPTIONS, separator=",", limit=2, skip=0)
        result = importer.execute_import(["email"], ["email"], dict(options))
        self.assertEqual(result["nextrow"], 2)
        summary = self._summaries()
        self.assertEqual(summary.state, "running")
        self.assertFalse(self._import_messages())
        importer.execute_import(["email"], ["email"], dict(options))
        importer.execute_import(["email"], ["email"], dict(options, skip=2))
        first, second = self._summaries()
        self.assertEqual(first.state, "running")
        self.assertRecordValues(
            second,
            [{"state": "done", "received_count": 4, "added_count": 2}],
        )
        self.assertEqual(second.already_count, 2)

    def test_summary_access(self):
        self._dialog(self._sample_bytes(), user=self.marketing_user)
        summary = self._summaries().with_user(self.marketing_user)
        self.assertEqual(summary.added_count, 9)
        with self.assertRaises(AccessError):
            summary.write({"added_count": 1})
        with self.assertRaises(AccessError):
            summary.create({"rented_list_id": self.rented_list.id})
        with self.assertRaises(AccessError):
            summary.unlink()
        with self.assertRaises(AccessError):
            summary.with_user(self.salesman).read(["added_count"])
        row = self._rows()[:1].with_user(self.marketing_user)
        with self.assertRaisesRegex(AccessError, "Import"):
            row.write({"import_id": False})
        manager = new_test_user(
            self.env,
            "rl_import_manager",
            groups="base.group_user,lead_lifecycle.group_lead_lifecycle_manager",
        )
        summary = summary.with_user(manager)
        with self.assertRaises(AccessError):
            summary.write({"added_count": 1})
        summary.unlink()
        self.assertTrue(self._rows())
        self.assertFalse(self._rows().import_id)


@tagged("post_install", "-at_install")
class TestRentedListImportSummaryTour(HttpCase):
    """The summary as a marketing user opens it, in Chromium."""

    def test_summary_tour(self):
        marketing = new_test_user(
            self.env,
            "ll_tour_import_marketing",
            groups="sales_team.group_sale_salesman_all_leads,"
            "mass_mailing.group_mass_mailing_user,crm.group_use_lead",
            name="Ivy Import",
        )
        self.env["mail.blacklist"].create({"email": "eve@umbrella.example"})
        rented_list = self.env["crm.rented.list"].create({"name": "Tour import list"})
        rented_list.action_activate()
        with file_open(SAMPLE, "rb") as sample:
            content = sample.read()
        importer = (
            self.env["base_import.import"]
            .with_user(marketing)
            .with_context(default_rented_list_id=rented_list.id)
            .create(
                {
                    "res_model": "crm.rented.list.contact",
                    "file": content,
                    "file_name": "fair.csv",
                    "file_type": "text/csv",
                }
            )
        )
        options = dict(DIALOG_OPTIONS, separator=",", limit=4, skip=0)
        preview = importer.parse_preview(dict(options))
        matches = preview["matches"]
        headers = preview["headers"]
        fields_ = [
            "/".join(matches[i]) if matches.get(i) else False
            for i in range(len(headers))
        ]
        columns = [header.lower() for header in headers]
        while True:
            result = importer.execute_import(fields_, columns, dict(options))
            if not result["nextrow"]:
                break
            options["skip"] = result["nextrow"]
        self.assertEqual(rented_list.import_ids.received_count, 9)
        self.start_tour(
            f"/odoo/action-lead_lifecycle.crm_rented_list_action/{rented_list.id}",
            "lead_lifecycle_rented_list_import_summary_tour",
            login="ll_tour_import_marketing",
        )
