# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# Concern: the summary of one import into a rented list (model crm.rented.list.import):
# its figures counted from the rows it added, the rows behind each.
from bisect import bisect_left

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

# Stands for the import's own id in the domains below.
THIS_IMPORT = "this_import"
# The figures of an import, each counted from the rows it added: (field, condition
# on the row ``c`` and the row ``d`` it duplicates, domain of those rows). The
# conditions are SQL for the one GROUP BY that counts them all, the domains open
# the rows behind each number.
ROW_FIGURES = [
    ("added_count", "TRUE", []),
    ("valid_count", "c.validity = 'valid'", [("validity", "=", "valid")]),
    ("mailable_count", "c.is_mailable", [("is_mailable", "=", True)]),
    ("callable_count", "c.is_callable", [("is_callable", "=", True)]),
    ("new_count", "c.match_status = 'none'", [("match_status", "=", "none")]),
    ("partner_count", "c.match_status = 'partner'", [("match_status", "=", "partner")]),
    ("lead_count", "c.match_status = 'lead'", [("match_status", "=", "lead")]),
    (
        "duplicate_file_count",
        "c.match_status = 'duplicate' AND d.import_id = c.import_id",
        [
            ("match_status", "=", "duplicate"),
            ("duplicate_of_id.import_id", "=", THIS_IMPORT),
        ],
    ),
    (
        "duplicate_list_count",
        "c.match_status = 'duplicate' AND d.import_id IS DISTINCT FROM c.import_id",
        [
            ("match_status", "=", "duplicate"),
            ("duplicate_of_id.import_id", "!=", THIS_IMPORT),
        ],
    ),
    (
        "duplicate_other_count",
        "c.match_status = 'duplicate_other'",
        [("match_status", "=", "duplicate_other")],
    ),
    (
        "blacklisted_count",
        "c.match_status = 'blacklisted'",
        [("match_status", "=", "blacklisted")],
    ),
    (
        "opted_out_count",
        "c.match_status = 'opted_out'",
        [("match_status", "=", "opted_out")],
    ),
    (
        "invalid_email_count",
        "c.validity = 'invalid_email'",
        [("validity", "=", "invalid_email")],
    ),
    (
        "invalid_phone_count",
        "c.validity = 'invalid_phone'",
        [("validity", "=", "invalid_phone")],
    ),
    (
        "invalid_value_count",
        "c.validity = 'invalid_value'",
        [("validity", "=", "invalid_value")],
    ),
    ("empty_count", "c.validity = 'empty'", [("validity", "=", "empty")]),
]
ROW_FIGURE_FIELDS = [name for name, _condition, _domain in ROW_FIGURES]


class CrmRentedListImport(models.Model):
    _name = "crm.rented.list.import"
    _description = "Rented List Import"
    _order = "date desc, id desc"
    _rec_name = "file_name"

    rented_list_id = fields.Many2one(
        "crm.rented.list",
        string="List",
        required=True,
        readonly=True,
        ondelete="cascade",
        index=True,
    )
    company_id = fields.Many2one(
        related="rented_list_id.company_id", store=True, index=True
    )
    user_id = fields.Many2one(
        "res.users",
        string="Imported By",
        readonly=True,
        default=lambda self: self.env.user,
    )
    file_name = fields.Char(string="File", readonly=True)
    date = fields.Datetime(readonly=True, default=fields.Datetime.now)
    state = fields.Selection(
        [("running", "Running"), ("done", "Done")],
        default="running",
        required=True,
        readonly=True,
        help="Running while the Import dialog sends the windows of the file; the "
        "figures are counted when the last window is imported.",
    )
    wizard_id = fields.Integer(
        string="Import Dialog",
        readonly=True,
        index="btree_not_null",
        help="The Import dialog (base_import.import) whose windows make this import.",
    )
    window_counts = fields.Json(
        readonly=True,
        help="{first row of the window: [rows received, rows already in the list]}: "
        "rows skipped because they are already in the list leave no row to count.",
    )
    repeated_rows = fields.Json(
        readonly=True,
        prefetch=False,
        help="{row hash: [positions in the file]} of the rows that occur more than "
        "once in the file: their occurrence is counted across windows.",
    )
    repairs = fields.Text(
        readonly=True, help="What was repaired in the file to read it (messy files)."
    )
    contact_ids = fields.One2many("crm.rented.list.contact", "import_id", "Rows")
    # Figures
    received_count = fields.Integer(
        string="Received", readonly=True, help="Rows of the file (empty lines aside)."
    )
    already_count = fields.Integer(
        string="Already in this List",
        readonly=True,
        help="Rows identical to a row imported into this list before (same values, "
        "same occurrence): nothing was added for them.",
    )
    added_count = fields.Integer(string="Added", readonly=True)
    valid_count = fields.Integer(string="Valid", readonly=True)
    mailable_count = fields.Integer(string="Mailable", readonly=True)
    callable_count = fields.Integer(string="Callable", readonly=True)
    new_count = fields.Integer(
        string="New People",
        readonly=True,
        help="Rows that match no partner, lead, suppression or other row: the cold "
        "contacts a mailing on the list targets.",
    )
    partner_count = fields.Integer(string="Existing Partners", readonly=True)
    lead_count = fields.Integer(string="Existing Leads", readonly=True)
    duplicate_file_count = fields.Integer(
        string="Duplicates in the File",
        readonly=True,
        help="Rows with the email of an earlier row of the same file.",
    )
    duplicate_list_count = fields.Integer(
        string="Duplicates of Earlier Imports",
        readonly=True,
        help="Rows with the email of a row imported into this list before.",
    )
    duplicate_other_count = fields.Integer(
        string="Duplicates in Another List", readonly=True
    )
    blacklisted_count = fields.Integer(string="Blacklisted", readonly=True)
    opted_out_count = fields.Integer(string="Opted Out", readonly=True)
    invalid_email_count = fields.Integer(string="Invalid Email", readonly=True)
    invalid_phone_count = fields.Integer(string="Invalid Phone", readonly=True)
    invalid_value_count = fields.Integer(string="Invalid Value", readonly=True)
    empty_count = fields.Integer(string="Empty", readonly=True)
    suppressed_count = fields.Integer(
        string="Suppressed",
        compute="_compute_totals",
        help="Blacklisted or opted-out emails.",
    )
    invalid_count = fields.Integer(string="Invalid", compute="_compute_totals")

    @api.depends(
        "blacklisted_count",
        "opted_out_count",
        "invalid_email_count",
        "invalid_phone_count",
        "invalid_value_count",
        "empty_count",
    )
    def _compute_totals(self):
        for summary in self:
            summary.suppressed_count = (
                summary.blacklisted_count + summary.opted_out_count
            )
            summary.invalid_count = (
                summary.invalid_email_count
                + summary.invalid_phone_count
                + summary.invalid_value_count
                + summary.empty_count
            )

    @api.depends("file_name", "date")
    def _compute_display_name(self):
        for summary in self:
            summary.display_name = self.env._(
                "Import of %(file)s on %(date)s",
                file=summary.file_name or self.env._("a file"),
                date=fields.Datetime.to_string(
                    fields.Datetime.context_timestamp(summary, summary.date)
                )
                if summary.date
                else "-",
            )

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_view_rows(self):
        """The rows behind one figure: ``import_rows`` in the context names it
        (a ROW_FIGURES field)."""
        self.ensure_one()
        figure = self.env.context.get("import_rows") or "added_count"
        domains = {name: domain for name, _condition, domain in ROW_FIGURES}
        domains["suppressed_count"] = [
            ("match_status", "in", ("blacklisted", "opted_out"))
        ]
        domains["invalid_count"] = [("validity", "not in", ("valid", "pending"))]
        if figure not in domains:
            raise UserError(
                self.env._(
                    "%(figure)s is not a figure of the import: open the rows from a "
                    "number of the import's summary.",
                    figure=figure,
                )
            )
        domain = [
            (path, operator, self.id if value == THIS_IMPORT else value)
            for path, operator, value in domains[figure]
        ]
        return {
            "type": "ir.actions.act_window",
            "name": self.env._(
                "%(figure)s: %(summary)s",
                figure=self._fields[figure].string,
                summary=self.display_name,
            ),
            "res_model": "crm.rented.list.contact",
            "view_mode": "list,form",
            "domain": [("import_id", "=", self.id), *domain],
            "context": {"default_rented_list_id": self.rented_list_id.id},
        }

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    @api.model
    def _for_window(self, rented_list, repeated_rows):
        """The summary of the import a window of rows belongs to (as superuser: the
        summary is the server's account of the import), or an empty recordset for
        the Import dialog's Test (dry run), which leaves nothing behind.

        The windows of one Import dialog share one summary, keyed on the dialog
        (``rented_list_import`` in the context, set by base_import.import's
        execute_import): the window at row 0 starts it, the next ones continue it.
        A load() without the dialog is an import of its own.
        ``repeated_rows(start)`` gives, for a new summary, the rows sent (from the
        window's first row, file position ``start``, to the end of the file) that
        occur more than once, with their positions: their occurrence is counted in
        the whole file, whatever window each falls in."""
        window = self.env.context.get("rented_list_import") or {}
        if window.get("dryrun"):
            return self
        skip = window.get("skip") or 0
        wizard_id = window.get("wizard_id")
        summary = self.sudo()
        if wizard_id and skip:
            summary = summary.search(
                [
                    ("wizard_id", "=", wizard_id),
                    ("rented_list_id", "=", rented_list.id),
                    ("state", "=", "running"),
                ],
                order="id desc",
                limit=1,
            )
        if not summary:
            summary = summary.create(
                {
                    "rented_list_id": rented_list.id,
                    "wizard_id": wizard_id,
                    "file_name": window.get("file_name"),
                    "user_id": self.env.uid,
                    "window_counts": {},
                    "repeated_rows": repeated_rows(skip),
                }
            )
        return summary

    def _occurrences(self, digests, start):
        """Occurrence in the file of each row of a window (1 for the first row with
        its values, 2 for the second...), the window starting at file position
        ``start``. Without a summary (dry run), counted within the window."""
        if not self:
            seen = {}
            occurrences = []
            for digest in digests:
                seen[digest] = seen.get(digest, 0) + 1
                occurrences.append(seen[digest])
            return occurrences
        # Only the window's own rows of the file's repeated rows: the whole map
        # (thousands of rows in a large file) is decoded by no window.
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT r.key, r.value
                  FROM crm_rented_list_import i,
                       jsonb_each(coalesce(i.repeated_rows, '{}'::jsonb)) r
                 WHERE i.id = %s AND r.key = ANY(%s)
                """,
                self.id,
                list(set(digests)),
            )
        )
        repeated = dict(self.env.cr.fetchall())
        return [
            bisect_left(repeated[digest], position) + 1 if digest in repeated else 1
            for position, digest in enumerate(digests, start)
        ]

    def _record_window(self, received, skipped):
        """Note what a window received and skipped (keyed on its first row: a
        window sent again replaces its own figures)."""
        self.ensure_one()
        skip = (self.env.context.get("rented_list_import") or {}).get("skip") or 0
        self.window_counts = dict(
            self.window_counts or {}, **{str(skip): [received, skipped]}
        )

    def _finish(self):
        """Count the figures of the imports from their rows (one GROUP BY) and the
        windows' received and skipped rows; the imports are done."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT c.import_id, %s
                  FROM crm_rented_list_contact c
                  LEFT JOIN crm_rented_list_contact d ON d.id = c.duplicate_of_id
                 WHERE c.import_id = ANY(%s)
                 GROUP BY c.import_id
                """,
                SQL(", ").join(
                    SQL("count(*) FILTER (WHERE %s)", SQL(condition))
                    for _name, condition, _domain in ROW_FIGURES
                ),
                self.ids,
            )
        )
        figures = {row[0]: row[1:] for row in self.env.cr.fetchall()}
        for summary in self:
            windows = (summary.window_counts or {}).values()
            values = dict(
                zip(
                    ROW_FIGURE_FIELDS,
                    figures.get(summary.id, [0] * len(ROW_FIGURES)),
                    strict=True,
                )
            )
            values.update(
                state="done",
                received_count=sum(received for received, _skipped in windows),
                already_count=sum(skipped for _received, skipped in windows),
            )
            summary.write(values)
