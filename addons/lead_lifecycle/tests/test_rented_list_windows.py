# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Import windows (issue 17 point 5), through the Import dialog's path.

Each window (one execute_import call of the dialog, 2,000 rows by default) cleans
and matches only its own rows by index probes: its query count does not depend on
the size of its list or of the other lists, a person repeated in a later window is
flagged a duplicate of the earlier row, and imports into two lists run at the same
time (real committed transactions, as in test_concurrency)."""

import csv
import gc
import importlib.util
import io
import uuid
from unittest.mock import patch

from odoo import SUPERUSER_ID
from odoo.tests import TransactionCase, tagged
from odoo.tools import SQL, file_path

from odoo.addons.base_import.models.base_import import Import as StockImport

from ..models import base_import_import as upload_cache
from ..models.base import gc_paused
from .common_concurrency import ConcurrencyCase
from .common_rented_list import DIALOG_OPTIONS, RentedListCase

HEADER = ("First Name", "Last Name", "Company", "Email", "Phone 1")


def csv_file(rows, header=HEADER):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode()


def people(tag, count, start=0):
    """Rows of a vendor file, one person each."""
    return [
        [
            f"First{n}",
            f"Last{n}",
            f"Company {n % 37}",
            f"p{n}.{tag}@windows.example",
            f"+32 2 {200 + n % 700} {10 + n % 90} {10 + n % 89}",
        ]
        for n in range(start, start + count)
    ]


def dialog_import(env, rented_list_id, content, windows=None, limit=None):
    """Import ``content`` into the list as the Import dialog does (its Import
    button's context, its default options): upload, preview, then execute_import
    window after window on ``nextrow``. Returns the results of the windows; the
    query count of each window is appended to ``windows``."""
    env = env(
        context=dict(
            env.context, default_rented_list_id=rented_list_id, tracking_disable=True
        )
    )
    importer = env["base_import.import"].create(
        {
            "res_model": "crm.rented.list.contact",
            "file": content,
            "file_name": "vendor.csv",
            "file_type": "text/csv",
        }
    )
    preview = importer.parse_preview(dict(DIALOG_OPTIONS))
    assert not preview.get("error"), preview
    headers = preview["headers"]
    matches = preview["matches"] or {}
    fields_ = [
        "/".join(matches[i]) if matches.get(i) else False for i in range(len(headers))
    ]
    options = dict(preview["options"], limit=limit or DIALOG_OPTIONS["limit"])
    results = []
    skip = 0
    while True:
        start = env.cr.sql_log_count
        # execute_import pops the limit from the options: a fresh dict per call,
        # as the dialog sends one per RPC.
        result = importer.execute_import(fields_, headers, dict(options, skip=skip))
        env.flush_all()
        if windows is not None:
            windows.append(env.cr.sql_log_count - start)
        results.append(result)
        assert not [m for m in result["messages"] if m["type"] == "error"], result
        skip = result.get("nextrow") or 0
        if not skip:
            return results


@tagged("post_install", "-at_install")
class TestRentedListWindows(RentedListCase):
    def _list(self, name):
        rented_list = self.rented_list.copy({"name": name})
        rented_list.action_activate()
        # The list's own stored computes, not the window's queries.
        self.env.flush_all()
        return rented_list

    def _window_queries(self, rented_list, rows):
        """Queries of the one window importing ``rows``, from an empty cache as
        each request of the dialog starts."""
        windows = []
        self.env.invalidate_all()
        dialog_import(self.env, rented_list.id, csv_file(rows), windows)
        self.assertEqual(len(windows), 1)
        return windows[0]

    def test_window_query_count_independent_of_list_sizes(self):
        """A 100-row window costs as many queries in an empty list, in a list of
        2,000 rows and beside another list of 2,000 rows."""
        tag = uuid.uuid4().hex[:8]
        # Warm the caches (registry, views, mappings) first.
        self._window_queries(self._list("Warm"), people(tag, 5, start=90_000))
        empty = self._window_queries(self._list("Empty"), people(tag, 100))
        big = self._list("Big")
        dialog_import(self.env, big.id, csv_file(people(tag, 2000, start=10_000)))
        self.assertEqual(big.row_count, 2000)
        # 100 new rows into the list of 2,000, 20 of them people of that list.
        rows = people(tag, 80, start=20_000) + people(tag, 20, start=10_000)
        for row in rows[80:]:
            row[0] = "Again"
        in_big = self._window_queries(big, rows)
        self.assertEqual(big.row_count, 2100)
        self.assertEqual(big.duplicate_count, 20)
        # 100 rows into a new list; 30 of them are in the list of 2,100.
        beside = self._list("Beside")
        rows = people(tag, 70, start=30_000) + people(tag, 30, start=10_000)
        beside_big = self._window_queries(beside, rows)
        self.assertEqual(beside.duplicate_count, 30)
        self.assertEqual(
            set(
                self.env["crm.rented.list.contact"]
                .search([("rented_list_id", "=", beside.id)])
                .filtered(lambda c: c.match_status == "duplicate_other")
                .duplicate_of_id.rented_list_id.ids
            ),
            {big.id},
        )
        self.assertEqual((empty, in_big, beside_big), (empty, empty, empty))

    def test_duplicate_across_windows_flagged(self):
        """One email in window 1 and window 3 of one import: both rows kept, the
        later one a duplicate of the earlier; the figures counted window by window
        are those a full Clean and Match counts."""
        tag = uuid.uuid4().hex[:8]
        rows = people(tag, 4600)
        rows[4500][3] = rows[5][3]  # window 3 (rows 4000-5999) repeats row 5
        rows[4500][0] = "Other first name"
        results = dialog_import(self.env, self.rented_list.id, csv_file(rows))
        self.assertEqual([len(r["ids"]) for r in results], [2000, 2000, 600])
        Contact = self.env["crm.rented.list.contact"]
        earlier, later = Contact.search(
            [
                ("rented_list_id", "=", self.rented_list.id),
                ("email", "=", rows[5][3]),
            ],
            order="id",
        )
        self.assertEqual(earlier.match_status, "none")
        self.assertEqual(later.match_status, "duplicate")
        self.assertEqual(later.duplicate_of_id, earlier)
        figures = self.rented_list.read(
            ["row_count", "valid_count", "duplicate_count", "mailable_count"]
        )[0]
        self.assertEqual((figures["row_count"], figures["duplicate_count"]), (4600, 1))
        contacts = Contact.search([("rented_list_id", "=", self.rented_list.id)])
        statuses = contacts.mapped("match_status")
        self.rented_list.action_clean_and_match()
        self.assertEqual(contacts.mapped("match_status"), statuses)
        self.assertEqual(
            self.rented_list.read(list(figures))[0],
            figures,
            "Clean and Match recounts what the windows counted",
        )

    def test_clean_and_match_rematches_whole_list(self):
        """Clean and Match re-matches every row of the list on demand (a partner
        created after the import)."""
        tag = uuid.uuid4().hex[:8]
        rows = people(tag, 30)
        dialog_import(self.env, self.rented_list.id, csv_file(rows))
        partner = self.env["res.partner"].create({"name": "Late", "email": rows[7][3]})
        contact = self._contact(rows[7][3])
        self.assertEqual(contact.match_status, "none")
        self.rented_list.action_clean_and_match()
        self.assertEqual(contact.match_status, "partner")
        self.assertEqual(contact.matched_partner_id, partner)
        self.assertEqual(self.rented_list.partner_match_count, 1)

    def test_window_rows_inserted_cleaned_and_matched(self):
        """A window inserts its rows cleaned, matched and flagged in one statement
        per batch, and never updates them afterwards: a person twice in the
        window is a duplicate of the earlier row; a row already in the list is
        skipped, and a new row with its email is a duplicate of the row that was
        there; partners and the blacklist are matched as in Clean and Match."""
        tag = uuid.uuid4().hex[:8]
        Contact = self.env["crm.rented.list.contact"]
        first = people(tag, 3)
        dialog_import(self.env, self.rented_list.id, csv_file(first))
        (earlier,) = Contact.search(
            [("rented_list_id", "=", self.rented_list.id), ("email", "=", first[1][3])]
        )
        partner = self.env["res.partner"].create(
            {"name": "Known", "email": f"known.{tag}@windows.example"}
        )
        self.env["mail.blacklist"].create({"email": f"black.{tag}@windows.example"})
        rows = [
            first[1],  # already in the list: skipped
            ["Again", "Last1", "Company 1", first[1][3], "not a phone"],
            ["Kim", "Known", "Acme", partner.email, ""],
            ["Bob", "Black", "Acme", f"black.{tag}@windows.example", ""],
            ["Twin", "One", "Acme", f"twin.{tag}@windows.example", "+32 2 511 11 11"],
            ["Twin", "Two", "Acme", f"TWIN.{tag}@windows.example", ""],
        ]
        statements = []
        cr_execute = type(self.env.cr).execute

        def execute(cr, query, params=None, log_exceptions=True):
            statements.append(str(getattr(query, "code", query)))
            return cr_execute(cr, query, params, log_exceptions)

        with patch.object(type(self.env.cr), "execute", execute):
            (result,) = dialog_import(self.env, self.rented_list.id, csv_file(rows))
        self.assertFalse(
            [q for q in statements if "UPDATE crm_rented_list_contact" in q],
            "the window's rows are written once, by their INSERT",
        )
        added = Contact.browse(result["ids"])
        self.assertEqual(len(added), 5)
        by_email = {c.email: c for c in added}
        again = added.filtered(lambda c: c.first_name == "Again")
        self.assertEqual(
            (again.match_status, again.duplicate_of_id), ("duplicate", earlier)
        )
        self.assertEqual(again.validity, "valid", "a bad phone beside a good email")
        self.assertTrue(again.is_mailable)
        self.assertFalse(again.is_callable)
        self.assertIn("not a phone", again.cleaning_warnings)
        known = by_email[partner.email]
        self.assertEqual(
            (known.match_status, known.matched_partner_id), ("partner", partner)
        )
        black = by_email[f"black.{tag}@windows.example"]
        self.assertEqual(black.match_status, "blacklisted")
        self.assertFalse(black.is_mailable)
        one = by_email[f"twin.{tag}@windows.example"]
        two = by_email[f"TWIN.{tag}@windows.example"]
        self.assertEqual((one.match_status, one.duplicate_of_id), ("none", Contact))
        self.assertTrue(one.is_callable)
        self.assertEqual(one.phone_sanitized, "+3225111111")
        self.assertEqual((two.match_status, two.duplicate_of_id), ("duplicate", one))
        self.assertLess(one.id, two.id)
        # Clean and Match over the whole list gives the same answers.
        before = added.read(["match_status", "duplicate_of_id", "is_mailable"])
        self.rented_list.action_clean_and_match()
        self.assertEqual(
            added.read(["match_status", "duplicate_of_id", "is_mailable"]), before
        )

    def test_window_leaves_jit_setting_as_found(self):
        """The import turns PostgreSQL's JIT off for its own statements only."""
        self.env.cr.execute("SET LOCAL jit = on")
        dialog_import(
            self.env, self.rented_list.id, csv_file(people(uuid.uuid4().hex[:8], 3))
        )
        self.env.cr.execute("SELECT current_setting('jit')")
        self.assertEqual(self.env.cr.fetchone()[0], "on")

    def test_window_pauses_gc_and_leaves_it_as_found(self):
        """Python's cyclic collector is paused while a window reads and cleans its
        rows, and left as found: on after an import that found it on, off after
        one that found it off, on again after a block that failed."""
        Contact = type(self.env["crm.rented.list.contact"])
        seen = []

        def clean_values(contact, *args):
            seen.append(gc.isenabled())
            return original(contact, *args)

        original = Contact._clean_values
        self.assertTrue(gc.isenabled())
        with patch.object(Contact, "_clean_values", clean_values):
            dialog_import(
                self.env, self.rented_list.id, csv_file(people(uuid.uuid4().hex[:8], 3))
            )
            self.assertEqual(seen, [False])
            self.assertTrue(gc.isenabled())
            gc.disable()
            try:
                dialog_import(
                    self.env,
                    self.rented_list.id,
                    csv_file(people(uuid.uuid4().hex[:8], 3)),
                )
                self.assertFalse(gc.isenabled())
            finally:
                gc.enable()
        with self.assertRaises(ZeroDivisionError), gc_paused():
            with gc_paused():
                self.assertFalse(gc.isenabled())
            self.assertFalse(gc.isenabled())
            _ = 1 / 0
        self.assertTrue(gc.isenabled())

    def test_multi_mapping_same_as_stock(self):
        """The rented list's merge of the file's columns gives what stock
        base_import gives, with one column per field and with two columns mapped
        to one field (Char joined by a space, Text by a new line)."""
        importer = self.env["base_import.import"].create(
            {"res_model": "crm.rented.list.contact", "file_type": "text/csv"}
        )
        stock = StockImport._handle_multi_mapping
        data = [["Ann", "", "ann@x.example", "a", "b"], ["", "Lee", "", "", "c"]]
        for fields_ in (
            ["first_name", "last_name", "email", "notes", "city"],
            ["first_name", "first_name", "email", "notes", "notes"],
        ):
            self.assertEqual(
                importer._handle_multi_mapping(fields_, [list(r) for r in data]),
                stock(importer, fields_, [list(r) for r in data]),
            )

    def test_probes_use_indexes(self):
        """Every probe of the matching has an index: with sequential scans
        disabled, the plan reads no probed table sequentially (bench/ checks the
        plans at 100,000 rows with the planner's own choices)."""
        tag = uuid.uuid4().hex[:8]
        # Tables of a few rows are read whole whatever the indexes: give the
        # opt-outs a few thousand rows (the other targets have demo data).
        mailing_list = self.env["mailing.list"].create({"name": "Opt-outs"})
        self.env.flush_all()
        self.env.cr.execute(
            """
            WITH mc AS (
                INSERT INTO mailing_contact (name, email, email_normalized,
                                             create_date, write_date)
                SELECT 'Opt ' || g, 'opt' || g || '@out.example',
                       'opt' || g || '@out.example', now(), now()
                  FROM generate_series(1, 3000) g
             RETURNING id
            )
            INSERT INTO mailing_subscription (contact_id, list_id, opt_out)
            SELECT mc.id, %s, mc.id %% 2 = 0 FROM mc
            """,
            [mailing_list.id],
        )
        (result,) = dialog_import(
            self.env, self.rented_list.id, csv_file(people(tag, 20))
        )
        self.env.cr.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = %s",
            ["crm_rented_list_contact_email_company_index"],
        )
        self.assertIn(
            "(email_normalized, company_id, rented_list_id, id)",
            self.env.cr.fetchone()[0],
        )
        query = self.env["crm.rented.list"]._match_contacts_query(result["ids"])
        self.env.cr.execute("SET LOCAL enable_seqscan = off")
        try:
            self.env.cr.execute(SQL("EXPLAIN %s", query))
            plan = "\n".join(row[0] for row in self.env.cr.fetchall())
        finally:
            self.env.cr.execute("SET LOCAL enable_seqscan = on")
        self.assertNotIn("Seq Scan", plan, plan)
        # The duplicate probes go through the email index of the contacts.
        self.assertRegex(
            plan,
            "Index (Only )?Scan using crm_rented_list_contact_email_company_index "
            "on crm_rented_list_contact d",
        )
        for index in (
            "res_partner__email_normalized_index",
            "crm_lead_email_normalized_eq_index",
            "mail_blacklist_unique_email",
            "mailing_contact__email_normalized_index",
        ):
            self.assertIn(index, plan)

    def test_contact_indexes_and_their_migration(self):
        """The contacts have the indexes their queries use and no other (each one
        costs every imported row an index insert); the 18.0.1.3.0 migration drops
        the six a database installed before had, and nothing on a new install."""
        indexes_query = (
            "SELECT indexname FROM pg_indexes "
            "WHERE tablename = 'crm_rented_list_contact' ORDER BY indexname"
        )
        self.env.cr.execute(indexes_query)
        self.assertEqual(
            [row[0] for row in self.env.cr.fetchall()],
            [
                "crm_rented_list_contact__duplicate_of_id_index",
                "crm_rented_list_contact__import_id_index",
                "crm_rented_list_contact__phone_sanitized_index",
                "crm_rented_list_contact__promoted_lead_id_index",
                "crm_rented_list_contact_email_company_index",
                "crm_rented_list_contact_import_key_uniq",
                "crm_rented_list_contact_pkey",
            ],
        )
        spec = importlib.util.spec_from_file_location(
            "lead_lifecycle_migration_1_3_0",
            file_path("lead_lifecycle/migrations/18.0.1.3.0/post-migration.py"),
        )
        migration = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(migration)
        # As 18.0.1.2.0 created them (Odoo keeps an index a field no longer asks
        # for)
        for name in migration.DROPPED_INDEXES:
            column = name.removeprefix("crm_rented_list_contact__")
            column = column.removesuffix("_index")
            self.env.cr.execute(
                SQL(
                    "CREATE INDEX %s ON crm_rented_list_contact (%s)",
                    SQL.identifier(name),
                    SQL.identifier(column),
                )
            )
        migration.migrate(self.env.cr, None)  # a new install: nothing to do
        self.env.cr.execute(indexes_query)
        self.assertEqual(len(self.env.cr.fetchall()), 13)
        migration.migrate(self.env.cr, "18.0.1.2.0")
        self.env.cr.execute(indexes_query)
        self.assertEqual(len(self.env.cr.fetchall()), 7)

    def test_file_read_once_for_preview_and_windows(self):
        """The preview reads the file; the windows that follow, sent with the
        options the preview found (a semicolon separator, a Latin-1 file), do not
        read it again, and still get the repairs the reading noted."""
        tag = uuid.uuid4().hex[:8]
        content = "\n".join(
            ["First Name;Last Name;Company;Email;Phone 1"]
            + [";".join(row) for row in people(tag, 30)]
            + [f"Zoë;Brontë;Café;zoe.{tag}@windows.example;+32 2 555 11 22"]
        ).encode("latin-1")
        Import = type(self.env["base_import.import"])
        with patch.object(
            Import, "_read_csv", autospec=True, side_effect=Import._read_csv
        ) as read_csv:
            results = dialog_import(self.env, self.rented_list.id, content, limit=10)
        self.assertEqual(len(results), 4)
        self.assertEqual(read_csv.call_count, 1)
        self.assertEqual(sum(len(r["ids"]) for r in results), 31)
        summary = self.env["crm.rented.list.import"].search(
            [("rented_list_id", "=", self.rented_list.id)]
        )
        self.assertIn("“;”", summary.repairs)
        self.assertIn("read as cp1252", summary.repairs)
        # Imported: the worker keeps none of its rows
        kept = [
            key
            for cache in (upload_cache._READ_CACHE, upload_cache._CONVERT_CACHE)
            for key in cache
            if key[:2] == (self.env.cr.dbname, summary.wizard_id)
        ]
        self.assertFalse(kept)
        self.assertTrue(
            self.env["crm.rented.list.contact"].search_count(
                [
                    ("email", "=", f"zoe.{tag}@windows.example"),
                    ("last_name", "=", "Brontë"),
                ]
            )
        )


@tagged("post_install", "-at_install")
class TestRentedListWindowsConcurrency(TransactionCase):
    """Two imports into two lists of one company at once, each in its own thread,
    cursor and request retry, each committed (test_concurrency's pattern)."""

    _cursor = ConcurrencyCase._cursor
    _committed = ConcurrencyCase._committed
    _cleanup = ConcurrencyCase._cleanup
    _rented_lists = ConcurrencyCase._rented_lists
    _run_concurrently = ConcurrencyCase._run_concurrently

    def setUp(self):
        super().setUp()
        start = self._committed(lambda env: env.cr.now())

        def cleanup(env):
            env.cr.execute(
                "DELETE FROM lead_lifecycle_claim WHERE claimed_at >= %s", [start]
            )
            # What the dialog's path commits besides the rows: the uploads and the
            # column mappings it remembers.
            env.cr.execute(
                "DELETE FROM base_import_import WHERE create_date >= %s", [start]
            )
            env.cr.execute(
                "DELETE FROM base_import_mapping WHERE create_date >= %s", [start]
            )

        self._cleanup(cleanup)

    def _concurrently(self, jobs):
        """Like TestConcurrency._concurrently, without requiring a conflict:
        returns the attempts of each job."""
        return self._run_concurrently([(SUPERUSER_ID, func) for func in jobs])

    def _import(self, list_id, rows):
        return lambda env: dialog_import(env, list_id, csv_file(rows))

    def _contacts(self, env, list_id):
        return env["crm.rented.list.contact"].search(
            [("rented_list_id", "=", list_id)], order="id"
        )

    def test_imports_into_two_lists_run_at_once(self):
        """Files without a common person: both imports commit at the same time,
        neither waits for the other nor is replayed."""
        list_a, list_b = self._rented_lists(2)
        tag = uuid.uuid4().hex[:8]
        attempts = self._concurrently(
            [
                self._import(list_a, people(f"a{tag}", 150)),
                self._import(list_b, people(f"b{tag}", 150)),
            ]
        )
        self.assertEqual(attempts, [1, 1])

        def check(env):
            for list_id in (list_a, list_b):
                self.assertEqual(len(self._contacts(env, list_id)), 150)
                rented_list = env["crm.rented.list"].browse(list_id)
                self.assertEqual(rented_list.row_count, 150)
                self.assertEqual(rented_list.duplicate_count, 0)

        self._committed(check)

    def test_person_in_two_concurrent_imports_flagged_in_later(self):
        """Two files sharing 10 people imported at once: both commit, and each
        shared person is a duplicate in another list in the import that committed
        later (replayed on top of the earlier), pointing to the earlier's row."""
        list_a, list_b = self._rented_lists(2)
        tag = uuid.uuid4().hex[:8]
        shared = people(f"s{tag}", 10)
        attempts = self._concurrently(
            [
                self._import(list_a, people(f"a{tag}", 100) + shared),
                self._import(list_b, shared + people(f"b{tag}", 100)),
            ]
        )
        self.assertEqual(sorted(attempts), [1, 2])
        earlier, later = (list_a, list_b) if attempts == [1, 2] else (list_b, list_a)

        def check(env):
            earlier_rows = self._contacts(env, earlier)
            later_rows = self._contacts(env, later)
            self.assertEqual((len(earlier_rows), len(later_rows)), (110, 110))
            self.assertEqual(set(earlier_rows.mapped("match_status")), {"none"})
            flagged = later_rows.filtered(lambda c: c.match_status == "duplicate_other")
            self.assertEqual(
                sorted(flagged.mapped("email")), sorted(row[3] for row in shared)
            )
            self.assertEqual(flagged.duplicate_of_id.rented_list_id.id, earlier)
            for contact in flagged:
                self.assertEqual(contact.duplicate_of_id.email, contact.email)
            self.assertEqual(env["crm.rented.list"].browse(later).duplicate_count, 10)

        self._committed(check)
