# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import Counter

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

from .base import lifecycle_server_write
from .crm_rented_list_contact import (
    CALLABLE_SQL,
    IMPORT_COLUMNS,
    MAILABLE_SQL,
    PERSONAL_COLUMNS,
)

# Columns of the file that are about the company, not the person: the purge keeps them.
NOT_PERSONAL_COLUMNS = {"partner_name", "industry", "country_name"}
# Columns of a contact the purge empties: the personal columns; any other column of
# the file not known to be impersonal (a column added to the import later is erased
# by default); the reason of the validity (it quotes the raw email and phone); the
# row hash (a hash of a known person's row would confirm they were on the list; a
# purged list takes no new import, so nothing needs it); the links to the partner,
# lead and contact the row matched (they name the person).
PURGED_COLUMNS = list(
    dict.fromkeys(
        [
            *PERSONAL_COLUMNS,
            *(name for name in IMPORT_COLUMNS if name not in NOT_PERSONAL_COLUMNS),
            "validity_reason",
            "import_key",
            "matched_partner_id",
            "matched_lead_id",
            "duplicate_of_id",
        ]
    )
)

# Rows matched by one UPDATE of Clean and Match (an import window matches its own).
MATCH_BATCH_SIZE = 5000

# Aggregates kept on the list (they survive the purge of the contacts).
FIGURE_FIELDS = [
    "row_count",
    "valid_count",
    "duplicate_count",
    "suppressed_count",
    "partner_match_count",
    "contacted_count",
    "responded_count",
    "mailable_count",
    "callable_count",
]
# Fields of a list that only the server writes: the uses counted by the mailings
# sent, the figures counted from the contacts and leads, the state moved by the
# actions (Activate, Expire, Purge).
RENTED_LIST_SERVER_FIELDS = frozenset(
    {
        "state",
        "use_count",
        "mailing_ids",
        "import_ids",
        *FIGURE_FIELDS,
        "valid_rate",
        "duplicate_rate",
        "suppressed_rate",
        "mailable_rate",
        "callable_rate",
        "promoted_count",
        "qualified_count",
        "won_revenue",
        "cost_per_qualified",
    }
)


class CrmRentedList(models.Model):
    _name = "crm.rented.list"
    _description = "Rented List"
    _inherit = ["mail.thread", "mail.activity.mixin", "utm.mixin"]
    _order = "acquisition_date desc, id desc"

    name = fields.Char(required=True, tracking=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    vendor_id = fields.Many2one(
        "res.partner",
        tracking=True,
        check_company=True,
        index=True,
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("active", "Active"),
            ("expired", "Expired"),
            ("purged", "Purged"),
        ],
        default="draft",
        required=True,
        tracking=True,
        copy=False,
    )
    # Terms
    acquisition_date = fields.Date(default=fields.Date.context_today)
    rental_start = fields.Date(tracking=True)
    rental_end = fields.Date(
        tracking=True,
        help="After this day the list may not be mailed any more and its contacts "
        "that were never promoted are purged.",
    )
    cost = fields.Monetary(currency_field="currency_id", tracking=True)
    currency_id = fields.Many2one(
        "res.currency",
        required=True,
        default=lambda self: self.env.company.currency_id,
    )
    allowed_uses = fields.Integer(
        tracking=True,
        help="How many mailings the terms allow; 0 means unlimited.",
    )
    use_count = fields.Integer(string="Uses", readonly=True, copy=False)
    terms = fields.Html(string="Terms and Notes")
    attachment_id = fields.Many2one(
        "ir.attachment",
        string="Original File",
        copy=False,
        domain="[('res_model', '=', 'crm.rented.list'), ('res_id', '=', id)]",
        help="The file as received from the vendor, attached to the list (its "
        "chatter). The purge deletes it.",
    )
    contact_ids = fields.One2many(
        "crm.rented.list.contact", "rented_list_id", string="Contacts"
    )
    lead_ids = fields.One2many("crm.lead", "rented_list_id", string="Leads")
    import_ids = fields.One2many(
        "crm.rented.list.import", "rented_list_id", string="Imports", readonly=True
    )
    import_count = fields.Integer(
        string="Number of Imports", compute="_compute_import_count"
    )
    mailing_ids = fields.Many2many(
        "mailing.mailing",
        "crm_rented_list_mailing_rel",
        "rented_list_id",
        "mailing_id",
        string="Mailings",
        readonly=True,
        copy=False,
    )
    # Figures about rows (stored: the purge keeps them)
    row_count = fields.Integer(string="Rows", readonly=True, copy=False)
    valid_count = fields.Integer(string="Valid", readonly=True, copy=False)
    duplicate_count = fields.Integer(string="Duplicates", readonly=True, copy=False)
    suppressed_count = fields.Integer(
        string="Suppressed",
        readonly=True,
        copy=False,
        help="Blacklisted or opted-out emails.",
    )
    partner_match_count = fields.Integer(
        string="Existing Partners", readonly=True, copy=False
    )
    contacted_count = fields.Integer(string="Contacted", readonly=True, copy=False)
    responded_count = fields.Integer(string="Responded", readonly=True, copy=False)
    mailable_count = fields.Integer(
        string="Mailable",
        readonly=True,
        copy=False,
        help="Rows whose email is valid and not suppressed, whatever their phone.",
    )
    callable_count = fields.Integer(
        string="Callable",
        readonly=True,
        copy=False,
        help="Rows with a phone that can be dialled.",
    )
    valid_rate = fields.Float(
        string="Valid %", compute="_compute_rates", store=True, aggregator="avg"
    )
    duplicate_rate = fields.Float(
        string="Duplicates %", compute="_compute_rates", store=True, aggregator="avg"
    )
    suppressed_rate = fields.Float(
        string="Suppressed %", compute="_compute_rates", store=True, aggregator="avg"
    )
    mailable_rate = fields.Float(
        string="Mailable %", compute="_compute_rates", store=True, aggregator="avg"
    )
    callable_rate = fields.Float(
        string="Callable %", compute="_compute_rates", store=True, aggregator="avg"
    )
    # Figures about leads
    promoted_count = fields.Integer(
        string="Promoted", compute="_compute_lead_figures", store=True
    )
    qualified_count = fields.Integer(
        string="Qualified", compute="_compute_lead_figures", store=True
    )
    won_revenue = fields.Monetary(
        currency_field="currency_id",
        compute="_compute_lead_figures",
        store=True,
    )
    cost_per_qualified = fields.Monetary(
        string="Cost per Qualified Lead",
        currency_field="currency_id",
        compute="_compute_lead_figures",
        store=True,
        aggregator="avg",
    )

    _sql_constraints = [
        (
            "allowed_uses_positive",
            "CHECK(allowed_uses >= 0)",
            "Allowed uses cannot be negative (0 means unlimited).",
        ),
        (
            "rental_dates",
            "CHECK(rental_end IS NULL OR rental_start IS NULL "
            "OR rental_end >= rental_start)",
            "The rental cannot end before it starts.",
        ),
    ]

    @api.depends(
        "row_count",
        "valid_count",
        "duplicate_count",
        "suppressed_count",
        "mailable_count",
        "callable_count",
    )
    def _compute_rates(self):
        for rented_list in self:
            rows = rented_list.row_count
            rented_list.mailable_rate = (
                rows and 100.0 * rented_list.mailable_count / rows
            )
            rented_list.callable_rate = (
                rows and 100.0 * rented_list.callable_count / rows
            )
            rented_list.valid_rate = rows and 100.0 * rented_list.valid_count / rows
            rented_list.duplicate_rate = (
                rows and 100.0 * rented_list.duplicate_count / rows
            )
            rented_list.suppressed_rate = (
                rows and 100.0 * rented_list.suppressed_count / rows
            )

    @api.depends(
        "cost",
        "lead_ids.lifecycle_state",
        "lead_ids.expected_revenue",
        "lead_ids.stage_id.is_won",
        "lead_ids.active",
    )
    def _compute_lead_figures(self):
        lead_model = self.env["crm.lead"].with_context(active_test=False).sudo()
        domain = [("rented_list_id", "in", self.ids)]
        promoted = dict(lead_model._read_group(domain, ["rented_list_id"], ["__count"]))
        qualified = dict(
            lead_model._read_group(
                domain + [("lifecycle_state", "=", "qualified")],
                ["rented_list_id"],
                ["__count"],
            )
        )
        won = dict(
            lead_model._read_group(
                domain + [("stage_id.is_won", "=", True), ("active", "=", True)],
                ["rented_list_id"],
                ["expected_revenue:sum"],
            )
        )
        for rented_list in self:
            rented_list.promoted_count = promoted.get(rented_list, 0)
            rented_list.qualified_count = qualified.get(rented_list, 0)
            rented_list.won_revenue = won.get(rented_list, 0.0)
            rented_list.cost_per_qualified = (
                rented_list.qualified_count
                and rented_list.cost / rented_list.qualified_count
            )

    @api.depends("import_ids")
    def _compute_import_count(self):
        counts = dict(
            self.env["crm.rented.list.import"]._read_group(
                [("rented_list_id", "in", self.ids)], ["rented_list_id"], ["__count"]
            )
        )
        for rented_list in self:
            rented_list.import_count = counts.get(rented_list, 0)

    @api.constrains("attachment_id")
    def _check_attachment_id(self):
        for rented_list in self:
            attachment = rented_list.attachment_id.sudo()
            if attachment and not rented_list._owns_attachment(attachment):
                raise ValidationError(
                    _(
                        "The original file of list %(name)s must be a file attached "
                        "to the list: attach it in the list's chatter, then choose it.",
                        name=rented_list.name,
                    )
                )

    # ------------------------------------------------------------
    # ORM
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        self._lifecycle_check_server_fields(vals_list, create=True)
        return super().create(vals_list)

    def write(self, vals):
        self._lifecycle_check_server_fields([vals])
        return super().write(vals)

    def unlink(self):
        # The contacts go with their list (ondelete="cascade"), but a cascade in SQL
        # skips mail.thread's unlink: their messages, followers and attachments (files
        # in the filestore) would stay behind, reachable by no record and no purge.
        # The contacts are unlinked through the ORM first, after what mail and mass
        # mailing keep about them (which no unlink erases: mailing traces and clicks).
        self.check_access("unlink")
        contacts = (
            self.env["crm.rented.list.contact"]
            .sudo()
            .search([("rented_list_id", "in", self.ids)])
        )
        self._purge_contact_mail(contacts.ids)
        contacts.unlink()
        return super().unlink()

    def _lifecycle_server_fields(self):
        return super()._lifecycle_server_fields() | RENTED_LIST_SERVER_FIELDS

    def _lifecycle_server_fields_hint(self):
        return _(
            "the mailings sent count the uses, Clean and Match counts the figures, "
            "Activate, Expire and Purge move the state."
        )

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_activate(self):
        for rented_list in self:
            if rented_list.state != "draft":
                raise UserError(
                    _(
                        "List %(name)s is not a draft: only drafts can be activated.",
                        name=rented_list.name,
                    )
                )
            if rented_list.rental_end and rented_list.rental_end < fields.Date.today():
                raise UserError(
                    _(
                        "The rental of %(name)s ended on %(date)s: correct the rental "
                        "end before activating the list.",
                        name=rented_list.name,
                        date=rented_list.rental_end,
                    )
                )
        with lifecycle_server_write():
            self.write({"state": "active"})

    def action_expire(self):
        with lifecycle_server_write():
            self.filtered(lambda rl: rl.state in ("draft", "active")).write(
                {"state": "expired"}
            )

    def action_purge(self):
        if self.filtered(lambda rl: rl.state != "expired"):
            raise UserError(_("Only expired lists can be purged: expire them first."))
        self._purge()

    def action_import_contacts(self):
        self.ensure_one()
        if self.state == "purged":
            raise UserError(_("A purged list cannot receive contacts."))
        return {
            "type": "ir.actions.client",
            "tag": "import",
            "params": {
                "model": "crm.rented.list.contact",
                "context": {"default_rented_list_id": self.id},
            },
        }

    def action_clean_and_match(self):
        self.contact_ids.filtered(lambda c: c.state != "purged")._clean()
        self._match_contacts()
        self._refresh_figures()

    def _action_open_contacts(self, domain, name):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": "crm.rented.list.contact",
            "view_mode": "list,form",
            "domain": [("rented_list_id", "=", self.id), *domain],
            "context": {"default_rented_list_id": self.id},
        }

    def action_view_contacts(self):
        return self._action_open_contacts([], _("Contacts"))

    def action_view_valid(self):
        return self._action_open_contacts([("validity", "=", "valid")], _("Valid"))

    def action_view_mailable(self):
        return self._action_open_contacts([("is_mailable", "=", True)], _("Mailable"))

    def action_view_callable(self):
        return self._action_open_contacts([("is_callable", "=", True)], _("Callable"))

    def action_view_suppressed(self):
        return self._action_open_contacts(
            [("match_status", "in", ("blacklisted", "opted_out"))], _("Suppressed")
        )

    def action_view_contacted(self):
        return self._action_open_contacts([("contact_count", ">", 0)], _("Contacted"))

    def action_view_responded(self):
        return self._action_open_contacts([("response", "!=", "none")], _("Responded"))

    def action_view_imports(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Imports"),
            "res_model": "crm.rented.list.import",
            "view_mode": "list,form",
            "domain": [("rented_list_id", "=", self.id)],
        }

    def action_view_leads(self):
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id("crm.crm_lead_all_leads")
        action["domain"] = [("rented_list_id", "=", self.id)]
        action["context"] = {"active_test": False}
        return action

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    @api.model
    def _cron_expire_and_purge(self):
        """Lists whose rental ended, whatever their state (a draft never activated)
        and archived or not: expire them, purge their unpromoted contacts."""
        ended = self.with_context(active_test=False).search(
            [
                ("state", "!=", "purged"),
                ("rental_end", "<", fields.Date.context_today(self)),
            ]
        )
        ended.action_expire()
        ended._purge()

    def _purge(self):
        """Erase the personal data of the contacts never promoted; keep the figures.

        On the contacts, the PURGED_COLUMNS; around them, everything mail and mass
        mailing keep (see _purge_contact_mail). The list's own file goes too. The
        promoted contacts are kept: their lead holds the same data by right.
        """
        if not self:
            return
        self._refresh_figures()
        self.env.flush_all()
        # One UPDATE for every contact of the lists, whatever their number.
        self.env.cr.execute(
            SQL(
                """
                UPDATE crm_rented_list_contact
                   SET %s, state = 'purged', write_uid = %s,
                       write_date = now() AT TIME ZONE 'UTC'
                 WHERE rented_list_id = ANY(%s) AND promoted_lead_id IS NULL
             RETURNING id, rented_list_id
                """,
                SQL(", ").join(
                    SQL("%s = NULL", SQL.identifier(name)) for name in PURGED_COLUMNS
                ),
                self.env.uid,
                self.ids,
            )
        )
        rows = self.env.cr.fetchall()
        purged_counts = Counter(list_id for _contact_id, list_id in rows)
        self._purge_contact_mail([contact_id for contact_id, _list_id in rows])
        self.env.invalidate_all()
        # Only the list's own file: the field may name another record's attachment
        # (data written before the check, or by superuser code).
        self.env["ir.attachment"].sudo().union(
            *(
                rented_list.attachment_id.sudo()
                for rented_list in self
                if rented_list._owns_attachment(rented_list.attachment_id.sudo())
            )
        ).unlink()
        for rented_list in self:
            rented_list.message_post(
                body=_(
                    "Purge: personal data of %(purged)s contacts erased, %(kept)s "
                    "promoted contacts kept. The figures of the list are kept.",
                    purged=purged_counts[rented_list.id],
                    kept=rented_list.promoted_count,
                )
            )
        with lifecycle_server_write():
            self.write({"state": "purged"})

    def _match_contacts(self, contacts=None):
        """Match contacts of the lists against partners, leads, suppressions and
        earlier rows. First match wins: suppression, existing partner, existing
        lead, duplicate in the list, duplicate in another active list of the company.

        :param contacts: the rows to match, e.g. the rows an import window added:
            only they are read and written, whatever the size of the list or of the
            other lists. By default (Clean and Match) every row of the lists, in
            batches of MATCH_BATCH_SIZE through the same probes.
        """
        if not self:
            return
        self.env.flush_all()
        if contacts is None:
            self.env.cr.execute(
                SQL(
                    """
                    SELECT id FROM crm_rented_list_contact
                     WHERE rented_list_id = ANY(%s) AND email_normalized IS NOT NULL
                       AND state IN ('new', 'contacted')
                     ORDER BY id
                    """,
                    self.ids,
                )
            )
            ids = [row[0] for row in self.env.cr.fetchall()]
        else:
            ids = contacts.ids
        for start in range(0, len(ids), MATCH_BATCH_SIZE):
            self._match_contact_ids(ids[start : start + MATCH_BATCH_SIZE])
        self.env["crm.rented.list.contact"].invalidate_model(
            ["matched_partner_id", "matched_lead_id", "duplicate_of_id", "match_status"]
        )

    def _match_contact_ids(self, ids):
        """One UPDATE matching the contacts ``ids``, driven from their ids.

        Every target is a correlated sub-query on an equality of the normalized
        email, so each row costs one index probe per target (partners, leads,
        blacklist, opt-outs: their email indexes; earlier rows of the same list and
        of the other lists: crm_rented_list_contact_email_company_index), linear in
        the rows matched and independent of the size of the tables probed. No
        planner statistics are needed for that (the import no longer runs ANALYZE):
        the rows come from the primary key (``id = ANY``, estimated from the
        array), and an equality probe through a btree index is the cheapest plan
        for any estimate of the email's frequency. Joins planned on the estimates
        of rows not analyzed yet (a hash join of the whole list with partners)
        degraded into nested loops over whole tables.

        A duplicate is the *later* row: the earliest row of the list with the same
        email (``d.id < w.id``), or the earliest row of another active list of the
        company; the earlier rows are not rewritten, so a window never touches the
        rows of earlier windows or imports, and Clean and Match gives the same
        answer as the imports did.
        """
        if ids:
            self.env.cr.execute(self._match_contacts_query(ids))

    @api.model
    def _match_contacts_query(self, ids):
        """The UPDATE of _match_contact_ids (tests and bench/ EXPLAIN it)."""
        return SQL(
            """
            WITH w AS MATERIALIZED (
                SELECT t.id, t.rented_list_id, t.company_id, t.email_normalized
                  FROM crm_rented_list_contact t
                 WHERE t.id = ANY(%(ids)s)
                   AND t.email_normalized IS NOT NULL
                   AND t.state IN ('new', 'contacted')
            ), m AS MATERIALIZED (
                SELECT w.id, %(probes)s FROM w
            )
            UPDATE crm_rented_list_contact c
               SET matched_partner_id = m.partner_id,
                   matched_lead_id = m.lead_id,
                   duplicate_of_id = coalesce(m.dup_list, m.dup_other),
                   match_status = %(status)s
              FROM m
             WHERE m.id = c.id AND c.id = ANY(%(ids)s)
            """,
            ids=ids,
            probes=self._match_probes(),
            status=self._match_status(),
        )

    @api.model
    def _match_probes(self):
        """The matching of one list row ``w`` (its id, rented_list_id, company_id
        and email_normalized), as the columns ``blacklisted``, ``opted_out``,
        ``partner_id``, ``lead_id``, ``dup_list`` and ``dup_other``: one index
        probe each (see _match_contact_ids). Written once for Clean and Match (an
        UPDATE of the rows) and for the import windows (crm.rented.list.contact.
        _insert_window: the rows are matched as they are inserted).

        The duplicate probes take ``min(d.id + 0)``, not ``min(d.id)``: the planner
        rewrites ``min(d.id)`` into a walk of the primary key in id order that
        stops at the first row with the email, which it may prefer when the
        statistics of the table predate the rows being imported (a few rows, all
        matching): then each probe reads every earlier row of the table, quadratic
        in the rows imported by one call. ``+ 0`` leaves only the email index. For
        the same reason the state of the other lists is a filter of the rows found.
        """
        return SQL(
            """
            EXISTS (
                SELECT FROM mail_blacklist bl
                 WHERE bl.email = w.email_normalized AND bl.active
            ) AS blacklisted,
            EXISTS (
                -- the contacts of the email first (email index), then their
                -- subscriptions (contact_id index): a join could be planned from
                -- every opted-out subscription
                SELECT FROM mailing_subscription s
                 WHERE s.opt_out AND s.contact_id = ANY (ARRAY(
                    SELECT mc.id FROM mailing_contact mc
                     WHERE mc.email_normalized = w.email_normalized
                 ))
            ) AS opted_out,
            %(partner)s AS partner_id,
            %(lead)s AS lead_id,
            (SELECT min(d.id + 0) FROM crm_rented_list_contact d
              WHERE d.email_normalized = w.email_normalized
                AND d.company_id = w.company_id
                AND d.rented_list_id = w.rented_list_id
                AND d.id < w.id) AS dup_list,
            (SELECT min(d.id + 0) FROM crm_rented_list_contact d
              WHERE d.email_normalized = w.email_normalized
                AND d.company_id = w.company_id
                AND d.rented_list_id != w.rented_list_id
                AND d.id < w.id
                AND d.state != 'purged'
                -- a filter on the few rows found, never a join that could be
                -- driven from the lists through their rows
                AND (SELECT rl.state FROM crm_rented_list rl
                      WHERE rl.id = d.rented_list_id) = 'active') AS dup_other
            """,
            partner=self._match_first_by_email("res_partner"),
            lead=self._match_first_by_email("crm_lead"),
        )

    @api.model
    def _match_status(self):
        """The match status of a row from its probes ``m`` (_match_probes): first
        match wins."""
        return SQL(
            """
            CASE WHEN m.blacklisted THEN 'blacklisted'
                 WHEN m.opted_out THEN 'opted_out'
                 WHEN m.partner_id IS NOT NULL THEN 'partner'
                 WHEN m.lead_id IS NOT NULL THEN 'lead'
                 WHEN m.dup_list IS NOT NULL THEN 'duplicate'
                 WHEN m.dup_other IS NOT NULL THEN 'duplicate_other'
                 ELSE 'none' END
            """
        )

    @api.model
    def _match_first_by_email(self, table):
        """Sub-query of _match_contacts: the oldest active record of ``table`` with
        the email of the list row ``w``, of the row's company first, else shared.
        The company test is written so no index can serve it: the probe goes
        through the email index only (a bitmap of the company_id index reads every
        record of the company, once per row)."""
        return SQL(
            """
            (SELECT x.id FROM %s x
              WHERE x.email_normalized = w.email_normalized AND x.active
                AND coalesce(x.company_id, w.company_id)
                    IS NOT DISTINCT FROM w.company_id
              ORDER BY x.company_id IS NULL, x.id
              LIMIT 1)
            """,
            SQL.identifier(table),
        )

    def _refresh_figures(self, added=None):
        """Recount the stored row figures of the lists in one GROUP BY.

        :param added: contacts an import window has just added to the lists (none
            of them counted yet, inserted with their channel flags): their counts
            are added to the figures, so a window reads its own rows, not the whole
            list. The rows already counted do not change when rows are added
            (matching flags the later row, never the earlier one).
        """
        lists = self.filtered(lambda rl: rl.state != "purged")
        if not lists:
            return
        self.env.flush_all()
        if added is None:
            lists._sync_channel_flags()
            rows = SQL("rented_list_id = ANY(%s)", lists.ids)
        elif not added:
            return
        else:
            rows = SQL("id = ANY(%s)", added.ids)
        self.env.cr.execute(
            SQL(
                """
                SELECT rented_list_id,
                       count(*),
                       count(*) FILTER (WHERE validity = 'valid'),
                       count(*) FILTER (WHERE match_status IN
                                        ('duplicate', 'duplicate_other')),
                       count(*) FILTER (WHERE match_status IN
                                        ('blacklisted', 'opted_out')),
                       count(*) FILTER (WHERE match_status = 'partner'),
                       count(*) FILTER (WHERE contact_count > 0),
                       count(*) FILTER (WHERE response != 'none'),
                       count(*) FILTER (WHERE is_mailable),
                       count(*) FILTER (WHERE is_callable)
                  FROM crm_rented_list_contact
                 WHERE %s
                 GROUP BY rented_list_id
                """,
                rows,
            )
        )
        figures = {row[0]: row[1:] for row in self.env.cr.fetchall()}
        with lifecycle_server_write():
            for rented_list in lists:
                values = figures.get(rented_list.id, [0] * len(FIGURE_FIELDS))
                if added is not None:
                    values = [
                        rented_list[name] + value
                        for name, value in zip(FIGURE_FIELDS, values, strict=True)
                    ]
                rented_list.write(dict(zip(FIGURE_FIELDS, values, strict=True)))

    def _sync_channel_flags(self):
        """Set the contacts' mailable and callable flags from their cleaning,
        matching and responses, in one UPDATE for the lists (only rows that change
        are written). Matching and the responses are written in SQL after the
        cleaning: a stored compute would not see them. (An import window inserts
        its rows with their flags: crm.rented.list.contact._insert_window.)"""
        if not self:
            return
        rows = SQL("c.rented_list_id = ANY(%s)", self.ids)
        self.env.cr.execute(
            SQL(
                """
                UPDATE crm_rented_list_contact c
                   SET is_mailable = coalesce(%(mailable)s, FALSE),
                       is_callable = coalesce(%(callable)s, FALSE)
                 WHERE %(rows)s
                   AND (c.is_mailable IS DISTINCT FROM coalesce(%(mailable)s, FALSE)
                        OR c.is_callable IS DISTINCT FROM
                           coalesce(%(callable)s, FALSE))
                """,
                mailable=SQL(MAILABLE_SQL),
                callable=SQL(CALLABLE_SQL),
                rows=rows,
            )
        )
        self.env["crm.rented.list.contact"].invalidate_model(
            ["is_mailable", "is_callable"]
        )

    def _owns_attachment(self, attachment):
        """Whether ``attachment`` (read as superuser) is a file of this list."""
        self.ensure_one()
        return (
            bool(attachment)
            and attachment.res_model == self._name
            and attachment.res_id == self.id
        )

    def _notify_import_done(self, summary):
        """One message in the list's chatter per import (crm.rented.list.import),
        linking its summary, and a notification to the user who imported."""
        self.ensure_one()
        figures = {
            "received": summary.received_count,
            "added": summary.added_count,
            "skipped": summary.already_count,
            "invalid": summary.invalid_count,
            "suppressed": summary.suppressed_count,
            "duplicates": summary.duplicate_file_count
            + summary.duplicate_list_count
            + summary.duplicate_other_count,
            "valid": self.valid_count,
            "rows": self.row_count,
        }
        text = _(
            "Import: %(received)s rows received, %(added)s added, %(skipped)s already "
            "in the list; of those added %(invalid)s invalid, %(suppressed)s "
            "suppressed, %(duplicates)s duplicates. %(valid)s of %(rows)s rows of the "
            "list are valid.",
            **figures,
        )
        self.message_post(
            body=_(
                "%(text)s See %(summary)s.",
                text=text,
                summary=summary._get_html_link(),
            )
        )
        self.env.user._bus_send(
            "simple_notification",
            {"type": "success", "title": self.name, "message": text},
        )

    def _check_mailing_terms(self, mailing, uses=True):
        """Refuse a mailing the terms do not allow; returns the lists it will use.

        :param bool uses: check the uses left too (False for a test send, which
            reaches none of the list's contacts and is no use of it)
        """
        today = fields.Date.context_today(self)
        for rented_list in self:
            if rented_list.state != "active" or (
                rented_list.rental_end and rented_list.rental_end < today
            ):
                raise UserError(
                    _(
                        "Mailing %(mailing)s targets contacts of %(name)s, whose "
                        "rental is not active (ended %(date)s): remove them from the "
                        "recipients or renew the rental.",
                        mailing=mailing.subject or mailing.display_name,
                        name=rented_list.name,
                        date=rented_list.rental_end or "-",
                    )
                )
            if (
                uses
                and rented_list.allowed_uses
                and mailing not in rented_list.mailing_ids
                and rented_list.use_count >= rented_list.allowed_uses
            ):
                raise UserError(
                    _(
                        "List %(name)s allows %(allowed)s uses and all of them are "
                        "spent: negotiate more uses with the vendor or choose another "
                        "list.",
                        name=rented_list.name,
                        allowed=rented_list.allowed_uses,
                    )
                )
        return self

    def _count_use(self, mailing):
        """One use per list and mailing, whatever the number of sending batches.

        Counted in the transaction that sends, before the mails go out: the mass
        mailing commits while it sends, so a use counted afterwards could be lost and
        let the list be used past its terms.

        :raise UserError: a list whose uses were spent meanwhile (another mailing
            counted the last one)
        """
        # id order: two mailings of the same lists lock them in one order (no
        # deadlock)
        to_count = self.filtered(lambda rl: mailing not in rl.mailing_ids).sorted("id")
        if not to_count:
            return
        self.flush_model(["use_count", "allowed_uses"])
        for rented_list in to_count:
            # One conditional UPDATE, not a read then a write: the row lock makes two
            # mailings counting at once wait for each other, and the condition refuses
            # the use past the terms that the first one spent (REPEATABLE READ turns a
            # concurrent update into a serialization failure, which Odoo retries).
            self.env.cr.execute(
                SQL(
                    "UPDATE crm_rented_list SET use_count = COALESCE(use_count, 0) + 1 "
                    "WHERE id = %s AND (COALESCE(allowed_uses, 0) = 0 "
                    "OR COALESCE(use_count, 0) < allowed_uses) "
                    "RETURNING use_count",
                    rented_list.id,
                )
            )
            row = self.env.cr.fetchone()
            rented_list.invalidate_recordset(["use_count"])
            if not row:
                raise UserError(
                    _(
                        "List %(name)s allows %(allowed)s uses and all of them are "
                        "spent: negotiate more uses with the vendor or choose another "
                        "list.",
                        name=rented_list.name,
                        allowed=rented_list.allowed_uses,
                    )
                )
            with lifecycle_server_write():
                rented_list.sudo().write(
                    {"mailing_ids": [fields.Command.link(mailing.id)]}
                )
            rented_list.message_post(
                body=_(
                    "Used by mailing %(mailing)s (%(count)s of %(allowed)s uses).",
                    mailing=mailing.subject or mailing.display_name,
                    count=row[0],
                    allowed=rented_list.allowed_uses or _("unlimited"),
                )
            )
