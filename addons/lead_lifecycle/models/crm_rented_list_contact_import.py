# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# Concern: importing a vendor's file into its rented list: load() (rows cleaned, then
# inserted matched and flagged in batches, import keys from row digests so that a file
# imported twice adds nothing, rows repeated in the file), the fields an import refuses,
# the import template and the claim on the emails imported. The rules it applies live
# with their concern: cleaning in crm_rented_list_contact_clean.py, matching in
# crm_rented_list_match.py.
import hashlib
import json
from collections import defaultdict

from odoo import api, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from .base import gc_paused, without_jit
from .crm_rented_list_match import CALLABLE_SQL, MAILABLE_SQL

# Columns of a rented-list file: all plain text so that no value fails conversion;
# cleaning flags bad values instead of the import refusing the whole file.
IMPORT_COLUMNS = [
    "first_name",
    "last_name",
    "contact_name",
    "partner_name",
    "function",
    "email",
    "phone",
    "mobile",
    "street",
    "city",
    "zip",
    "country_name",
    "website",
    "industry",
    "notes",
    "vendor_row_id",
]
BATCH_SIZE = 5000


def _row_values(row):
    """The values of a file row as stored: without NUL characters (PostgreSQL
    stores none), stripped, None when empty."""
    return [(value or "").replace("\x00", "").strip() or None for value in row]


def _row_digest(values):
    """Hash of a row's values (_row_values): with the row's occurrence in the file,
    the import key that makes a second import of the same file add nothing."""
    return hashlib.sha1(repr(values).encode()).hexdigest()


def _repeated_rows(values, digests, rest, start):
    """{digest: [file positions]} of the rows that occur more than once from file
    position ``start``: the rows of a window (their values and digests) then the
    ``rest`` of the file (raw rows). Python's hash of the values finds the
    candidates in one fast pass; only they are digested."""
    rows = [*map(tuple, values), *(tuple(_row_values(row)) for row in rest)]
    hashes = [hash(row) for row in rows]
    seen, twice = set(), set()
    for value in hashes:
        (twice if value in seen else seen).add(value)
    repeated = defaultdict(list)
    for index, value in enumerate(hashes):
        if value in twice:
            digest = (
                digests[index]
                if index < len(digests)
                else _row_digest(list(rows[index]))
            )
            repeated[digest].append(start + index)
    return {
        digest: positions
        for digest, positions in repeated.items()
        if len(positions) > 1
    }


class CrmRentedListContact(models.Model):
    _inherit = "crm.rented.list.contact"

    # ------------------------------------------------------------
    # ORM
    # ------------------------------------------------------------

    @api.model
    def get_import_templates(self):
        return [
            {
                "label": self.env._("Import Template for Rented List Contacts"),
                "template": "/lead_lifecycle/static/csv/crm_rented_list_contact.csv",
            }
        ]

    @api.model
    def _import_repeated_rows(self, rows):
        """{digest: [file positions]} of the rows of a whole file (as the Import
        dialog converted them) that occur more than once: see _repeated_rows."""
        return _repeated_rows([], [], rows, 0)

    @api.model
    def load(self, fields, data):
        """Bulk import of a rented-list file.

        Stock load() converts and creates row by row (~80 rows/s) and rolls back the
        whole file on the first bad value. A rented list has 10k-1M rows of raw text:
        every column is a Char, so no value can fail conversion. Rows are cleaned
        (_clean_values), then inserted matched and flagged by one INSERT per batch
        (_insert_window). Bad values are flagged by the cleaning, never refused. A
        row already imported into the list (same values, same occurrence in the
        file) is skipped, so importing a file twice adds nothing. Anything but plain
        columns goes to stock load().

        An import into a list only adds rows to that list: a column ``id`` (the
        vendor's row id, which the dialog maps to External ID) is the plain column
        Vendor Row ID, never an External ID to resolve or update; database ids and
        the list or company of a row are refused (_import_refused_fields). Each
        import leaves one summary (crm.rented.list.import) on the list, however
        many windows the Import dialog sends, and one message in its chatter.
        """
        rented_list = self.env["crm.rented.list"].browse(
            self.env.context.get("default_rented_list_id")
        )
        if not rented_list:
            # Without a list, stock load() would create rows in the lists the file
            # names and update rows of any list by External ID.
            raise UserError(
                self.env._(
                    "Import rented-list contacts from their list: open the list and "
                    "click Import Contacts (an import only adds rows to the list it is "
                    "started from)."
                )
            )
        fields = self._import_list_fields(fields)
        if any(f not in IMPORT_COLUMNS for f in fields):
            return super().load(fields, data)
        self.check_access("create")
        rented_list.check_access("write")
        if rented_list.state == "purged":
            raise UserError(
                self.env._(
                    "List %(name)s is purged: create a new list for a new file.",
                    name=rented_list.name,
                )
            )
        # The import dialog sends large files in windows of _import_limit rows.
        limit = self.env.context.get("_import_limit")
        nextrow = limit if limit and len(data) > limit else 0
        # Imports into one list are serialized (claim per list): a window's
        # duplicates are found among the rows of the list committed before it, so
        # two windows of one list must not run at once (the same file twice would
        # also conflict row by row on the import key). Imports into other lists run
        # at the same time; what they must agree on is claimed per email below.
        self.env["lead.lifecycle.claim"]._claim(
            "crm.rented.list.contact:import_list", [str(rented_list.id)]
        )
        self.env.flush_all()
        rest = data[limit:] if nextrow else []
        if nextrow:
            data = data[:limit]
        values = [_row_values(row) for row in data]
        digests = [_row_digest(row) for row in values]
        # The dialog sends the rows from the window's first row to the end of the
        # file: a new summary notes (from the whole file, hashed once) the rows that
        # occur more than once, so that identical rows in different windows get
        # their own keys.
        window = self.env.context.get("rented_list_import") or {}
        summary = self.env["crm.rented.list.import"]._for_window(
            rented_list,
            lambda start: (
                window["repeated"]
                if "repeated" in window
                else _repeated_rows(values, digests, rest, start)
            ),
        )
        occurrences = summary._occurrences(digests, window.get("skip") or 0)
        ids = []
        skipped = 0
        emails = set()
        with without_jit(self.env.cr), gc_paused():
            for start in range(0, len(values), BATCH_SIZE):
                rows = values[start : start + BATCH_SIZE]
                # Cleaned before they are inserted, and matched as they are
                # inserted (_insert_window): one INSERT per batch, no UPDATE of
                # rows just written; only the batch's cleaning is held.
                cleaned = self._clean_values(rented_list, fields, rows)
                emails.update(row[1] for row in cleaned if row[1])
                keys = [
                    f"{digest}-{occurrence}"
                    for digest, occurrence in zip(
                        digests[start : start + BATCH_SIZE],
                        occurrences[start : start + BATCH_SIZE],
                        strict=True,
                    )
                ]
                new_ids = self._insert_window(
                    rented_list, fields, rows, keys, cleaned, summary
                )
                ids += new_ids
                skipped += len(rows) - len(new_ids)
        # One claim of every email of the call, in one sorted statement (no
        # deadlock between two imports); before the commit is all it needs.
        self._claim_import_emails(rented_list.company_id, emails)
        # Inserted in SQL: the rows of the list and of the import are new
        rented_list.invalidate_recordset(["contact_ids"])
        summary.invalidate_recordset(["contact_ids"])
        contacts = self.browse(ids)
        rented_list._refresh_figures(added=contacts)
        if summary:
            summary._record_window(len(data), skipped)
            if not nextrow:
                summary._finish()
                rented_list._notify_import_done(summary)
        return {"ids": ids, "messages": [], "nextrow": nextrow}

    @api.model
    def _claim_import_emails(self, company, emails):
        """Claim the company and the normalized ``emails`` of the rows an import
        window is adding.

        Two imports into two lists of one company at once each read their own
        snapshot (REPEATABLE READ): a person in both files would be a duplicate in
        neither list, where imports one after the other flag the later row
        (duplicate_other). Claiming (company, email) for every row of a window
        makes exactly the imports that share a person conflict: the later one
        waits for the earlier, fails with a serialization failure and is replayed
        by Odoo's retry with a snapshot that sees the earlier rows. Imports that
        share no email (the usual case) do not wait for each other. The claim only
        has to come before the commit; a replay costs one window."""
        if emails:
            self.env["lead.lifecycle.claim"]._claim(
                "crm.rented.list.contact:import_email",
                [f"{company.id}:{email}" for email in emails],
            )

    @api.model
    def _insert_window(self, rented_list, fields, rows, keys, cleaned, summary):
        """Insert one batch of rows of the import ``summary`` (crm.rented.list.import,
        none for a dry run) into ``rented_list``: ``rows`` are their values
        (_row_values, in the order of ``fields``), ``keys`` their import keys,
        ``cleaned`` their cleaning (_clean_values); they are matched as they are
        inserted. Returns the ids of the rows that were not in the list yet.

        One INSERT per batch, for speed: cleaning then matching rows already
        inserted meant two UPDATEs of every row, each writing a new version of the
        row and of its indexes, and re-checking its foreign keys (a row inserted by
        the same transaction is re-checked even when its keys do not change). The
        ids are drawn first so that the matching can name them: a row is a
        duplicate of the earliest row of the list with its email, found among the
        rows committed before it by the probes of crm.rented.list._match_probes
        and among the earlier rows of the batch by a window function. A row
        skipped because it is already in the list (its import key) has a twin
        there with the same email and a lower id, which the probe finds first."""
        names = SQL(", ").join(SQL.identifier(name) for name in fields)
        # One JSON document of [key, *values, *cleaning] per row: PostgreSQL reads
        # it in a third of the time of one array parameter per column.
        width = len(fields)
        document = json.dumps(
            [
                [key, *(row + [None] * width)[:width], *clean[1:]]
                for key, row, clean in zip(keys, rows, cleaned, strict=True)
            ]
        )
        cleaning = [
            "email_normalized",
            "phone_sanitized",
            "validity",
            "validity_reason",
            "cleaning_warnings",
        ]
        self.env.cr.execute(
            SQL(
                """
                WITH v AS MATERIALIZED (
                    SELECT nextval('crm_rented_list_contact_id_seq')::int AS id,
                           %(list_id)s::int AS rented_list_id,
                           %(company_id)s::int AS company_id,
                           e->>0 AS import_key, %(columns)s,
                           (e->>%(country)s)::int AS country_id
                      FROM jsonb_array_elements(%(document)s::jsonb) AS e
                ), w AS MATERIALIZED (
                    SELECT v.id, v.rented_list_id, v.company_id, v.email_normalized,
                           CASE WHEN v.email_normalized IS NOT NULL
                                THEN first_value(v.id) OVER (
                                    PARTITION BY v.email_normalized ORDER BY v.id)
                           END AS first_id
                      FROM v
                ), p AS MATERIALIZED (
                    SELECT w.id, w.first_id, %(probes)s FROM w
                ), m AS (
                    SELECT p.id, p.blacklisted, p.opted_out, p.partner_id, p.lead_id,
                           coalesce(p.dup_list, nullif(p.first_id, p.id)) AS dup_list,
                           p.dup_other
                      FROM p
                ), c AS (
                    SELECT v.*, m.partner_id, m.lead_id,
                           coalesce(m.dup_list, m.dup_other) AS duplicate_of_id,
                           %(status)s AS match_status,
                           'none' AS response, 'new' AS state
                      FROM v JOIN m ON m.id = v.id
                )
                INSERT INTO crm_rented_list_contact
                       (id, rented_list_id, company_id, import_key, import_id,
                        %(names)s, email_normalized, phone_sanitized, validity,
                        validity_reason, cleaning_warnings, country_id, match_status,
                        matched_partner_id, matched_lead_id, duplicate_of_id,
                        is_mailable, is_callable, response, state, contact_count,
                        message_bounce, create_uid, create_date, write_uid,
                        write_date)
                SELECT c.id, c.rented_list_id, c.company_id, c.import_key,
                       %(import_id)s, %(values)s, c.email_normalized,
                       c.phone_sanitized, c.validity, c.validity_reason,
                       c.cleaning_warnings, c.country_id, c.match_status,
                       c.partner_id, c.lead_id, c.duplicate_of_id,
                       coalesce(%(mailable)s, FALSE), coalesce(%(callable)s, FALSE),
                       c.response, c.state, 0, 0, %(uid)s,
                       now() AT TIME ZONE 'UTC', %(uid)s, now() AT TIME ZONE 'UTC'
                  FROM c
                    ON CONFLICT (rented_list_id, import_key) DO NOTHING
             RETURNING id
                """,
                names=names,
                list_id=rented_list.id,
                company_id=rented_list.company_id.id,
                import_id=summary.id if summary else None,
                uid=self.env.uid,
                values=SQL(", ").join(
                    SQL("c.%s", SQL.identifier(name)) for name in fields
                ),
                document=document,
                columns=SQL(", ").join(
                    SQL("e->>%s AS %s", position, SQL.identifier(name))
                    for position, name in enumerate([*fields, *cleaning], 1)
                ),
                country=width + len(cleaning) + 1,
                probes=self.env["crm.rented.list"]._match_probes(),
                status=self.env["crm.rented.list"]._match_status(),
                mailable=SQL(MAILABLE_SQL),
                callable=SQL(CALLABLE_SQL),
            )
        )
        return sorted(row[0] for row in self.env.cr.fetchall())

    @api.model
    def _import_refused_fields(self, fields):
        """The fields of an import mapping that would reach beyond the list the
        import is started from: database ids (``.id``: an update of existing rows,
        of any list) and the list or company of the row, directly, by a sub-field
        (``rented_list_id/name``) or through a field related to the list."""
        refused = []
        for path in fields:
            name = (path or "").split("/")[0]
            field = self._fields.get(name)
            if name in (".id", "rented_list_id") or (
                field
                and field.related
                and field.related.split(".")[0] == "rented_list_id"
            ):
                refused.append(path)
        return refused

    @api.model
    def _import_refused_message(self, column, path):
        """Why the column ``column`` (mapped to ``path``) cannot be imported into
        the list of the context."""
        rented_list = self.env["crm.rented.list"].browse(
            self.env.context.get("default_rented_list_id")
        )
        if path.split("/")[0] == ".id":
            return self.env._(
                "The column “%(column)s” holds database ids: an import into a rented "
                "list only adds rows to that list, it never updates existing rows. "
                "Remove the column from the mapping, or map it to Vendor Row ID to "
                "keep the vendor's ids.",
                column=column,
            )
        return self.env._(
            "The column “%(column)s” names a list or a company: an import only adds "
            "rows to the list it is started from (%(list)s), it cannot put rows into "
            "another list or company. Remove the column from the mapping, or import "
            "those rows from their own list.",
            column=column,
            list=rented_list.display_name,
        )

    @api.model
    def _import_list_fields(self, fields):
        """The fields of an import into the list of the context: External ID (a
        column ``id``) is the plain Vendor Row ID; refused fields raise."""
        refused = self._import_refused_fields(fields)
        if refused:
            raise UserError(self._import_refused_message(refused[0], refused[0]))
        fields = ["vendor_row_id" if name == "id" else name for name in fields]
        if fields.count("vendor_row_id") > 1:
            raise UserError(
                self.env._(
                    "Two columns are mapped to Vendor Row ID (one of them as External "
                    "ID): keep one of them in the mapping."
                )
            )
        return fields
