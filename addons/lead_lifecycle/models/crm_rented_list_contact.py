# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import functools
import hashlib
import unicodedata
from collections import Counter, defaultdict

import pycountry

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, create_index

from .base import lifecycle_server_write, without_jit
from .contact_data import (
    normalize_email as _normalize_email,
)
from .contact_data import (
    sanitize_phone as _sanitize_phone,
)

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
# Personal data erased by the purge (the company name and industry are not personal).
PERSONAL_COLUMNS = [
    "first_name",
    "last_name",
    "contact_name",
    "function",
    "email",
    "email_normalized",
    "phone",
    "mobile",
    "phone_sanitized",
    "cleaning_warnings",
    "street",
    "city",
    "zip",
    "website",
    "notes",
]
# Fields of a list contact that only the server writes: the results of cleaning and
# matching, the contacts made (mailings, logged calls), the promotion and the purge.
CONTACT_SERVER_FIELDS = frozenset(
    {
        "import_key",
        "import_id",
        "email_normalized",
        "phone_sanitized",
        "validity",
        "validity_reason",
        "cleaning_warnings",
        "is_mailable",
        "is_callable",
        "match_status",
        "matched_partner_id",
        "matched_lead_id",
        "duplicate_of_id",
        "contact_count",
        "last_contacted",
        "promoted_lead_id",
        "state",
    }
)
MAX_VALUE_LENGTH = 256
BATCH_SIZE = 5000
# Per-channel flags, written set-based by crm.rented.list._sync_channel_flags (and
# by the 18.0.1.2.0 migration): matching and responses, which suppress an email,
# are written in SQL after the cleaning, so a stored compute would never see them.
MAILABLE_SQL = """
    c.email_normalized IS NOT NULL
    AND c.validity NOT IN ('pending', 'invalid_value', 'empty')
    AND c.match_status NOT IN ('blacklisted', 'opted_out')
    AND c.response NOT IN ('bounced', 'opted_out')
    AND c.state != 'purged'
"""
CALLABLE_SQL = """
    c.phone_sanitized IS NOT NULL
    AND c.validity NOT IN ('pending', 'invalid_value', 'empty')
    AND c.state != 'purged'
"""


def _row_values(row):
    """The values of a file row as stored: stripped, None when empty."""
    return [(value or "").strip() or None for value in row]


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


def _flags_from_values(condition):
    """MAILABLE_SQL or CALLABLE_SQL on the values ``v`` of _clean's UPDATE."""
    for column in ("email_normalized", "phone_sanitized", "validity"):
        condition = condition.replace(f"c.{column}", f"v.{column}")
    return SQL(condition)


@functools.lru_cache(maxsize=4096)
def _country_key(name):
    """Exact-match key of a country name: casefolded, accents, curly apostrophes
    and repeated spaces ignored ("Cote d'Ivoire" is "Côte d'Ivoire"); no fuzzy
    matching."""
    text = unicodedata.normalize("NFKD", name.replace("\u2019", "'"))
    text = "".join(char for char in text if not unicodedata.combining(char))
    return " ".join(text.casefold().split())


class CrmRentedListContact(models.Model):
    _name = "crm.rented.list.contact"
    _description = "Rented List Contact"
    _inherit = ["mail.thread.blacklist"]
    _primary_email = "email"
    _mailing_enabled = True
    _order = "rented_list_id, id"
    _rec_name = "email"

    rented_list_id = fields.Many2one(
        "crm.rented.list",
        required=True,
        ondelete="cascade",
        index=True,
    )
    company_id = fields.Many2one(
        related="rented_list_id.company_id",
        string="List Company",
        store=True,
        index=True,
    )
    list_state = fields.Selection(related="rented_list_id.state", string="List State")
    import_key = fields.Char(
        readonly=True,
        copy=False,
        help="Hash of the file row and its occurrence: importing the same file twice "
        "adds nothing.",
    )
    import_id = fields.Many2one(
        "crm.rented.list.import",
        readonly=True,
        copy=False,
        ondelete="set null",
        index="btree_not_null",
        help="The import that added the row: its summary counts it.",
    )
    # Raw file columns, labelled with the usual column titles so that the import
    # maps them
    first_name = fields.Char()
    last_name = fields.Char()
    contact_name = fields.Char(string="Full Name")
    partner_name = fields.Char(string="Company")
    function = fields.Char(string="Job Title")
    email = fields.Char()
    phone = fields.Char(string="Phone 1")
    mobile = fields.Char(string="Phone 2")
    street = fields.Char()
    city = fields.Char()
    zip = fields.Char()
    country_name = fields.Char(string="Country")
    website = fields.Char()
    industry = fields.Char()
    notes = fields.Text()
    vendor_row_id = fields.Char(
        string="Vendor Row ID",
        help="The vendor's own id of the row (a column id of the file), kept as "
        "written for the vendor's questions; never an External ID.",
    )
    # Cleaning
    email_normalized = fields.Char(index=True)
    country_id = fields.Many2one("res.country", string="Country (Resolved)")
    phone_sanitized = fields.Char(string="Normalized Phone", index=True)
    validity = fields.Selection(
        [
            ("pending", "Not Cleaned"),
            ("valid", "Valid"),
            ("invalid_email", "Invalid Email"),
            ("invalid_phone", "Invalid Phone"),
            ("invalid_value", "Invalid Value"),
            ("empty", "Empty"),
        ],
        default="pending",
        required=True,
        index=True,
    )
    validity_reason = fields.Char(string="Why Invalid")
    cleaning_warnings = fields.Char(
        string="Warnings",
        help="What the cleaning could not use but that does not make the row "
        "invalid: an unknown country (kept as written, Country (Resolved) empty) or "
        "a phone that cannot be dialled (the email is still mailable).",
    )
    # Per channel: a bad phone never stops a valid email from being mailed
    is_mailable = fields.Boolean(
        string="Mailable",
        readonly=True,
        help="The email is valid and not suppressed (blacklisted, opted out, bounced).",
    )
    is_callable = fields.Boolean(
        string="Callable",
        readonly=True,
        help="A phone (Phone 1 or Phone 2) can be dialled.",
    )
    # Matching
    match_status = fields.Selection(
        [
            ("none", "No Match"),
            ("partner", "Existing Partner"),
            ("lead", "Existing Lead"),
            ("blacklisted", "Blacklisted"),
            ("opted_out", "Opted Out"),
            ("duplicate", "Duplicate in List"),
            ("duplicate_other", "Duplicate in Another List"),
        ],
        default="none",
        required=True,
        index=True,
    )
    matched_partner_id = fields.Many2one("res.partner")
    matched_lead_id = fields.Many2one("crm.lead")
    duplicate_of_id = fields.Many2one("crm.rented.list.contact", index="btree_not_null")
    # Use
    contact_count = fields.Integer(string="Times Contacted", readonly=True)
    last_contacted = fields.Datetime(readonly=True)
    response = fields.Selection(
        [
            ("none", "None"),
            ("replied", "Replied"),
            ("clicked", "Clicked"),
            ("bounced", "Bounced"),
            ("opted_out", "Opted Out"),
        ],
        default="none",
        required=True,
        tracking=True,
    )
    promoted_lead_id = fields.Many2one(
        "crm.lead", readonly=True, index="btree_not_null"
    )
    state = fields.Selection(
        [
            ("new", "New"),
            ("contacted", "Contacted"),
            ("promoted", "Promoted"),
            ("purged", "Purged"),
        ],
        default="new",
        required=True,
        index=True,
        tracking=True,
    )
    promotion_eligible = fields.Boolean(
        compute="_compute_promotion_eligible",
        search="_search_promotion_eligible",
        help="Replied, or contacted at least as many times as the qualification "
        "policy's 'Established Relationship' count.",
    )

    _sql_constraints = [
        (
            "import_key_uniq",
            "unique(rented_list_id, import_key)",
            "This row of the file is already imported in this list.",
        ),
    ]

    @api.depends(
        "first_name", "last_name", "contact_name", "partner_name", "email", "state"
    )
    def _compute_display_name(self):
        for contact in self:
            person = contact.contact_name or " ".join(
                part for part in (contact.first_name, contact.last_name) if part
            )
            contact.display_name = (
                person
                or contact.partner_name
                or contact.email
                or self.env._("Row %(id)s", id=contact.id)
            )

    @api.depends("state", "validity", "response", "contact_count")
    @api.depends_context("company")
    def _compute_promotion_eligible(self):
        eligible = self.filtered_domain(self._promotion_eligible_domain())
        for contact in self:
            contact.promotion_eligible = contact in eligible

    def _search_promotion_eligible(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(_("Search 'Eligible for Promotion' with = or != only."))
        domain = self._promotion_eligible_domain()
        return domain if (operator == "=") == value else ["!", *domain]

    # ------------------------------------------------------------
    # ORM
    # ------------------------------------------------------------

    def init(self):
        res = super().init()
        # The duplicate probes of the matching (crm.rented.list._match_contact_ids):
        # the earliest row with the email in the same list, and in the other lists
        # of the company, one index range per row whatever the size of the lists.
        create_index(
            self.env.cr,
            "crm_rented_list_contact_email_company_index",
            self._table,
            ["email_normalized", "company_id", "rented_list_id", "id"],
            where="email_normalized IS NOT NULL",
        )
        return res

    @api.model
    def get_import_templates(self):
        return [
            {
                "label": _("Import Template for Rented List Contacts"),
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
        every column is a Char, so no value can fail conversion, and rows are inserted
        in batches with one INSERT ... SELECT FROM unnest() per batch. Bad values are
        flagged by the cleaning that follows, never refused. A row already imported
        into the list (same values, same occurrence in the file) is skipped, so
        importing a file twice adds nothing. Anything but plain columns goes to stock
        load().

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
                _(
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
                _(
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
        # Cleaned before they are inserted, and matched as they are inserted
        # (_insert_window): one INSERT per batch, no UPDATE of rows just written.
        cleaned = self._clean_values(rented_list, fields, values)
        self._claim_import_emails(
            rented_list.company_id, {row[1] for row in cleaned if row[1]}
        )
        ids = []
        skipped = 0
        with without_jit(self.env.cr):
            for start in range(0, len(values), BATCH_SIZE):
                rows = values[start : start + BATCH_SIZE]
                columns = {name: [] for name in fields}
                keys = [
                    f"{digest}-{occurrence}"
                    for digest, occurrence in zip(
                        digests[start : start + BATCH_SIZE],
                        occurrences[start : start + BATCH_SIZE],
                        strict=True,
                    )
                ]
                for row in rows:
                    for name, value in zip(fields, row, strict=False):
                        columns[name].append(value)
                new_ids = self._insert_window(
                    rented_list,
                    fields,
                    columns,
                    keys,
                    cleaned[start : start + BATCH_SIZE],
                    summary,
                )
                ids += new_ids
                skipped += len(rows) - len(new_ids)
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

    @api.model_create_multi
    def create(self, vals_list):
        self._lifecycle_check_server_fields(vals_list, create=True)
        return super().create(vals_list)

    def write(self, vals):
        self._lifecycle_check_server_fields([vals])
        res = super().write(vals)
        if "response" in vals:
            self.rented_list_id._refresh_figures()
        return res

    def _lifecycle_server_fields(self):
        return super()._lifecycle_server_fields() | CONTACT_SERVER_FIELDS

    def _lifecycle_server_fields_hint(self):
        return _(
            "Clean and Match, the mailings sent, Log a Call, Promote and the purge "
            "set it."
        )

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_promote(self):
        eligible = self.filtered("promotion_eligible")
        if not eligible:
            raise UserError(
                _(
                    "None of the selected contacts can be promoted: a contact must "
                    "have replied or have been contacted as often as the qualification "
                    "policy requires, and must not be promoted or purged already."
                )
            )
        leads = eligible._promote()
        action = self.env["ir.actions.actions"]._for_xml_id("crm.crm_lead_all_leads")
        action["domain"] = [("id", "in", leads.ids)]
        action["context"] = {"active_test": False}
        return action

    def action_log_call(self):
        """A call made to the contact counts as one contact."""
        self._increment_contact_count()
        for contact in self:
            contact.message_post(body=_("Call logged."))

    def action_open_promoted_lead(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "crm.lead",
            "res_id": self.promoted_lead_id.id,
            "view_mode": "form",
        }

    # ------------------------------------------------------------
    # MAILING
    # ------------------------------------------------------------

    @api.model
    def _mailing_get_default_domain(self, mailing):
        """Cold contacts only: mailable (valid email, not suppressed, whatever
        their phone), not partners, leads or duplicates, of active lists."""
        return [
            ("rented_list_id.state", "=", "active"),
            ("is_mailable", "=", True),
            ("match_status", "=", "none"),
            ("state", "in", ("new", "contacted")),
        ]

    @api.model
    def _mailing_get_opt_out_list(self, mailing):
        """Emails opted out of any mailing list or of a rented-list mailing."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT mc.email_normalized
                  FROM mailing_subscription s
                  JOIN mailing_contact mc ON mc.id = s.contact_id
                 WHERE s.opt_out AND mc.email_normalized IS NOT NULL
                 UNION
                SELECT email_normalized
                  FROM crm_rented_list_contact
                 WHERE response = 'opted_out' AND email_normalized IS NOT NULL
                """
            )
        )
        return {row[0] for row in self.env.cr.fetchall()}

    def _message_post_after_hook(self, message, msg_vals):
        """An email from the contact (a reply to a mailing) is a response."""
        if message.message_type == "email" and (
            not message.author_id or not message.author_id.user_ids
        ):
            self.filtered(lambda c: c.response in ("none", "clicked", "bounced")).write(
                {"response": "replied"}
            )
        return super()._message_post_after_hook(message, msg_vals)

    def _message_receive_bounce(self, email, partner):
        self.filtered(lambda c: c.response in ("none", "clicked")).write(
            {"response": "bounced"}
        )
        return super()._message_receive_bounce(email, partner)

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    @api.model
    def _promotion_eligible_domain(self):
        companies = self.env.companies | self.env.company
        policy_model = self.env["crm.qualification.policy"]
        by_count = []
        for company in companies:
            threshold = (
                policy_model._get_default_policy(company).established_contact_count or 3
            )
            clause = [
                ("company_id", "=", company.id),
                ("contact_count", ">=", threshold),
            ]
            by_count = ["|", *by_count, "&", *clause] if by_count else ["&", *clause]
        return [
            ("state", "in", ("new", "contacted")),
            ("validity", "!=", "empty"),
            ("rented_list_id.state", "!=", "purged"),
            "|",
            ("response", "=", "replied"),
            *by_count,
        ]

    def _increment_contact_count(self):
        """Count one contact for each record: one write per current count."""
        now = fields.Datetime.now()
        with lifecycle_server_write():
            for count, contacts in self.grouped("contact_count").items():
                contacts.write(
                    {
                        "contact_count": count + 1,
                        "last_contacted": now,
                    }
                )
                contacts.filtered(lambda c: c.state == "new").write(
                    {"state": "contacted"}
                )
        self.rented_list_id._refresh_figures()

    def _promote(self):
        """Create one lead per contact in one batch; returns the leads."""
        if not self:
            return self.env["crm.lead"]
        # The team is chosen as for any new lead of the list's company, once per
        # company and not once per lead by crm's computes; the salesperson is left to
        # that team's assignment (not whoever clicked, not OdooBot for the automation
        # rule). The stage is a default, not a value: crm runs its won/lost
        # bookkeeping (_handle_won_lost) per created lead whose values name a stage.
        teams = self._promote_teams()
        stages = {}
        leads_by_key = self._promote_existing_leads()
        vals_by_stage = defaultdict(list)
        new_keys = []
        for contact in self:
            key = contact._promote_key()
            if key and key in leads_by_key:
                continue
            team = teams[contact.company_id.id]
            if team not in stages:
                stages[team] = self.env["crm.lead"]._stage_find(
                    team_id=team.id, domain=[("fold", "=", False)]
                )
            vals_by_stage[stages[team]].append(
                (
                    len(new_keys),
                    dict(contact._prepare_lead_vals(), team_id=team.id, user_id=False),
                )
            )
            new_keys.append(key)
            if key:
                leads_by_key[key] = None  # created below
        counts = Counter(contact.rented_list_id.id for contact in self)
        # The creation message and initial tracking of 10k leads say nothing the
        # rented-list link does not say; the list's chatter logs the promotion.
        # The leads' rented-list origin is a server-only field.
        created_leads = [None] * len(new_keys)
        with lifecycle_server_write():
            for stage, indexed_vals in vals_by_stage.items():
                stage_leads = (
                    self.env["crm.lead"]
                    .with_context(
                        default_stage_id=stage.id,
                        mail_create_nolog=True,
                        mail_create_nosubscribe=True,
                        mail_notrack=True,
                        lead_lifecycle_rented_import=True,
                    )
                    .create([vals for _index, vals in indexed_vals])
                )
                for (index, _vals), lead in zip(indexed_vals, stage_leads, strict=True):
                    created_leads[index] = lead
        leads = self.env["crm.lead"].concat(*created_leads)
        created = iter(leads)
        lead_ids = []
        for contact in self:
            key = contact._promote_key()
            if not key:
                lead_ids.append(next(created).id)
                continue
            if leads_by_key[key] is None:
                leads_by_key[key] = next(created)
            lead_ids.append(leads_by_key[key].id)
        # One statement instead of one write per contact (each with its own lead).
        self.env.cr.execute(
            SQL(
                """
                UPDATE crm_rented_list_contact c
                   SET promoted_lead_id = v.lead_id, state = 'promoted',
                       write_uid = %s, write_date = now() AT TIME ZONE 'UTC'
                  FROM unnest(%s::int[], %s::int[]) AS v(contact_id, lead_id)
                 WHERE c.id = v.contact_id
                """,
                self.env.uid,
                self.ids,
                lead_ids,
            )
        )
        self.invalidate_recordset()
        lists = self.env["crm.rented.list"].browse(counts)
        for rented_list in lists:
            rented_list.message_post(
                body=_(
                    "%(count)s contacts promoted to leads.",
                    count=counts[rented_list.id],
                )
            )
        lists._refresh_figures()
        return self.env["crm.lead"].browse(list(dict.fromkeys(lead_ids)))

    def _promote_teams(self):
        """{company id: crm.team} for the leads promoted from the contacts of self:
        the team crm proposes for a new lead of the list's company (the user's own
        team there, else the company's first lead team), never a team of another
        company."""
        # sudo: the list's company need not be among the companies of the request
        # (an automation rule), nor its teams readable by the user who promotes.
        Team = self.env["crm.team"].sudo()
        teams = {}
        for company in self.company_id:
            domain = [
                ("use_leads", "=", True),
                ("company_id", "in", [company.id, False]),
            ]
            team = Team.with_context(
                allowed_company_ids=[company.id]
            )._get_default_team_id(domain=domain)
            if team.company_id not in (company, Team.company_id):
                team = Team.search(domain, limit=1)
            teams[company.id] = team.with_env(self.env)
        return teams

    def _promote_key(self):
        """(company, email) of the contact: the contacts of one key make one lead."""
        self.ensure_one()
        if not self.email_normalized:
            return None
        return (self.company_id.id, self.email_normalized)

    def _promote_existing_leads(self):
        """{(company, email): crm.lead} of the active leads already promoted from a
        rented list with the emails of the contacts of self (a contact of the same
        person in another list joins that lead), after claiming those emails.

        Two promotions of contacts with one email at once would both find no lead
        (each reads its own snapshot) and create two: the claim makes the later one
        fail with a serialization failure, replayed by Odoo's retry, which then
        finds the lead of the first."""
        keys = {contact._promote_key() for contact in self} - {None}
        if not keys:
            return {}
        self.env["lead.lifecycle.claim"]._claim(
            "crm.lead:rented_list_email",
            [f"{company}:{email}" for company, email in keys],
        )
        # Matching, as _match_contacts does, is not limited to the leads the user
        # may read: a second lead for a person would be the duplicate we avoid.
        leads = (
            self.env["crm.lead"]
            .sudo()
            .search(
                [
                    ("rented_list_contact_id", "!=", False),
                    ("email_normalized", "in", [email for _company, email in keys]),
                    ("company_id", "in", list({company for company, _email in keys})),
                ],
                order="id",
            )
        )
        result = {}
        for lead in leads:
            result.setdefault((lead.company_id.id, lead.email_normalized), lead)
        return {key: lead.with_env(self.env) for key, lead in result.items()}

    def _prepare_lead_vals(self):
        self.ensure_one()
        rented_list = self.rented_list_id
        person = self.contact_name or " ".join(
            part for part in (self.first_name, self.last_name) if part
        )
        description = "\n".join(
            part
            for part in (
                self.industry and _("Industry: %(name)s", name=self.industry),
                self.notes,
            )
            if part
        )
        return {
            "name": self.partner_name or person or self.email,
            "type": "lead",
            "contact_name": person or False,
            "partner_name": self.partner_name,
            "function": self.function,
            "email_from": self.email_normalized or self.email,
            "phone": self.phone_sanitized or self.phone,
            "mobile": self.mobile,
            "street": self.street,
            "city": self.city,
            "zip": self.zip,
            "country_id": self.country_id.id,
            "website": self.website,
            "description": description,
            "partner_id": self.matched_partner_id.id,
            "company_id": rented_list.company_id.id,
            "source_id": rented_list.source_id.id,
            "medium_id": rented_list.medium_id.id,
            "campaign_id": rented_list.campaign_id.id,
            "rented_list_id": rented_list.id,
            "rented_list_contact_id": self.id,
        }

    def _promote_eligible(self):
        """Entry point of the shipped automation rule."""
        return self.filtered("promotion_eligible")._promote()

    def _clean(self):
        """Resolve countries, validate emails and phones; flag rows, never drop them.

        Rows are read and written in batches of BATCH_SIZE with one SELECT and one
        UPDATE ... FROM unnest() each; the per-row work is pure Python: a regular
        expression for plain ASCII emails (email_validator for the rest), a cached
        phonenumbers parse per (phone, region), one country lookup built per call.
        The channel flags are set here from the row's current match and response,
        and again once the rows are matched (crm.rented.list._sync_channel_flags).
        """
        if not self:
            return
        self.env.flush_all()
        countries = self._clean_country_lookup()
        self.env.cr.execute(
            SQL(
                """
                SELECT DISTINCT c.rented_list_id, co.code
                  FROM crm_rented_list_contact c
                  JOIN res_company rc ON rc.id = c.company_id
                  JOIN res_partner p ON p.id = rc.partner_id
                  JOIN res_country co ON co.id = p.country_id
                 WHERE c.id = ANY(%s)
                """,
                self.ids,
            )
        )
        regions = dict(self.env.cr.fetchall())
        for start in range(0, len(self.ids), BATCH_SIZE):
            batch_ids = self.ids[start : start + BATCH_SIZE]
            self.env.cr.execute(
                SQL(
                    """
                    SELECT c.id, c.email, c.phone, c.mobile, c.country_name,
                           c.rented_list_id, %s
                      FROM crm_rented_list_contact c
                     WHERE c.id = ANY(%s)
                    """,
                    SQL(
                        ", ".join(
                            f"length(coalesce(c.{name}, ''))" for name in IMPORT_COLUMNS
                        )
                    ),
                    batch_ids,
                )
            )
            results = [
                self._clean_row(row, countries, regions.get(row[5]))
                for row in self.env.cr.fetchall()
            ]
            self.env.cr.execute(
                SQL(
                    """
                    UPDATE crm_rented_list_contact c
                       SET email_normalized = v.email_normalized,
                           phone_sanitized = v.phone_sanitized,
                           validity = v.validity,
                           validity_reason = v.reason,
                           cleaning_warnings = v.warnings,
                           country_id = v.country_id,
                           is_mailable = (%s),
                           is_callable = (%s)
                      FROM unnest(%s::int[], %s::varchar[], %s::varchar[],
                                  %s::varchar[], %s::varchar[], %s::varchar[],
                                  %s::int[])
                           AS v(id, email_normalized, phone_sanitized, validity,
                                reason, warnings, country_id)
                     WHERE c.id = v.id
                    """,
                    # The flags from the new values, in the same UPDATE (the
                    # matching that follows only rewrites the rows it suppresses).
                    _flags_from_values(MAILABLE_SQL),
                    _flags_from_values(CALLABLE_SQL),
                    *map(list, zip(*results, strict=True)),
                )
            )
        self.invalidate_recordset(
            [
                "country_id",
                "email_normalized",
                "phone_sanitized",
                "validity",
                "validity_reason",
                "cleaning_warnings",
                "is_mailable",
                "is_callable",
            ]
        )

    @api.model
    def _clean_country_lookup(self):
        """{country key: (res.country id, ISO alpha-2)}, built once per cleaning.

        Keys (see _country_key) are, from pycountry's ISO 3166 data, every
        country's alpha-2 and alpha-3 code, name, common name and official name,
        and Odoo's res.country names in every installed language. No alias table:
        a name ISO does not give ("Korea", which is the start of both "Korea,
        Republic of" and "Korea, Democratic People's Republic of") stays unknown,
        a warning with the raw value kept. A key that would name two countries
        (none today) is dropped rather than guessed.
        """
        langs = {code for code, _name in self.env["res.lang"].get_installed()}
        self.env.cr.execute("SELECT id, code, name FROM res_country")
        by_code = {}
        names = {}
        for country_id, code, name in self.env.cr.fetchall():
            by_code[code.upper()] = (country_id, code.upper())
            names[code.upper()] = [
                value for lang, value in (name or {}).items() if lang in langs
            ] + [(name or {}).get("en_US") or ""]
        candidates = {}
        for country in pycountry.countries:
            code = country.alpha_2
            for attribute in (
                "alpha_2",
                "alpha_3",
                "name",
                "common_name",
                "official_name",
            ):
                value = getattr(country, attribute, None)
                if value:
                    candidates.setdefault(_country_key(value), set()).add(code)
        for code, values in names.items():
            for value in [code, *values]:
                if value:
                    candidates.setdefault(_country_key(value), set()).add(code)
        return {
            key: by_code[codes.pop()]
            for key, codes in candidates.items()
            if len(codes) == 1 and next(iter(codes)) in by_code
        }

    @api.model
    def _clean_row(self, row, countries, default_region=None):
        """(id, email, phone, validity, reason, warnings, country) of one fetched
        row.

        Validity says whether the row can be used at all: ``empty`` (no email, no
        phone), ``invalid_value`` (a value too long), ``invalid_email`` (the email
        given is malformed), ``invalid_phone`` (no email and no phone that can be
        dialled), else ``valid``. An unknown country or a bad phone next to a
        valid email is a warning, not an invalid row."""
        contact_id, email, phone, mobile, country_name = row[:5]
        lengths = row[6:]
        normalized = sanitized = None
        reasons = []
        warnings = []
        validity = "valid"
        country_id, region = None, default_region
        if country_name:
            country_id, region = countries.get(
                _country_key(country_name), (None, default_region)
            )
            if not country_id:
                warnings.append(
                    self.env._(
                        "Unknown country %(country)s (kept as written)",
                        country=country_name,
                    )
                )
        too_long = [
            self._fields[name].string
            for name, length in zip(IMPORT_COLUMNS, lengths, strict=True)
            if length > MAX_VALUE_LENGTH and name != "notes"
        ]
        if too_long:
            validity = "invalid_value"
            reasons.append(
                self.env._("Value too long in %(columns)s", columns=", ".join(too_long))
            )
        if email:
            normalized, error = _normalize_email(email)
            if error:
                if validity == "valid":
                    validity = "invalid_email"
                reasons.append(
                    self.env._(
                        "Malformed email %(email)s: %(error)s", email=email, error=error
                    )
                )
        bad_phones = []
        for number in (phone, mobile):
            if not number:
                continue
            formatted = _sanitize_phone(number, region)
            if not formatted:
                bad_phones.append(self.env._("Invalid phone %(phone)s", phone=number))
            elif sanitized is None:
                sanitized = formatted
        if not email and not phone and not mobile:
            validity = "empty"
            reasons.append(self.env._("No email and no phone"))
        elif not email and not sanitized:
            if validity == "valid":
                validity = "invalid_phone"
            reasons += bad_phones
            bad_phones = []
        warnings += bad_phones
        return (
            contact_id,
            normalized,
            sanitized,
            validity,
            "; ".join(reasons) or None,
            "; ".join(warnings) or None,
            country_id,
        )

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
    def _clean_values(self, rented_list, fields, values):
        """The cleaning (_clean_row) of rows of a file about to be added to
        ``rented_list``: ``values`` are their values (_row_values) in the order of
        ``fields``. Returns one result of _clean_row per row, without an id."""
        countries = self._clean_country_lookup()
        region = rented_list.company_id.partner_id.country_id.code or None
        # Positions in the rows of the columns _clean_row reads (None: not in the
        # file), then of every import column for the lengths.
        index = {name: position for position, name in enumerate(fields)}
        read = [index.get(name) for name in ("email", "phone", "mobile")]
        read.append(index.get("country_name"))
        lengths = [index.get(name) for name in IMPORT_COLUMNS]
        results = []
        for row in values:
            size = len(row)
            cells = [
                row[position] if position is not None and position < size else None
                for position in (*read, *lengths)
            ]
            results.append(
                self._clean_row(
                    (
                        None,
                        *cells[:4],
                        rented_list.id,
                        *(len(cell) if cell else 0 for cell in cells[4:]),
                    ),
                    countries,
                    region,
                )
            )
        return results

    @api.model
    def _insert_window(self, rented_list, fields, columns, keys, cleaned, summary):
        """Insert one batch of rows of the import ``summary`` (crm.rented.list.import,
        none for a dry run) into ``rented_list``, cleaned (``cleaned``: the results of
        _clean_values) and matched as they are inserted; returns the ids of the
        rows that were not in the list yet (``keys``: their import keys).

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
        cleaned_columns = list(zip(*cleaned, strict=True))[1:]
        self.env.cr.execute(
            SQL(
                """
                WITH v AS MATERIALIZED (
                    SELECT nextval('crm_rented_list_contact_id_seq')::int AS id,
                           %(list_id)s::int AS rented_list_id,
                           %(company_id)s::int AS company_id,
                           v.*
                      FROM unnest(%(keys)s::varchar[], %(casts)s,
                                  %(email_normalized)s::varchar[],
                                  %(phone_sanitized)s::varchar[],
                                  %(validity)s::varchar[], %(reason)s::varchar[],
                                  %(warnings)s::varchar[], %(country_id)s::int[])
                           AS v(import_key, %(names)s, email_normalized,
                                phone_sanitized, validity, validity_reason,
                                cleaning_warnings, country_id)
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
                keys=keys,
                casts=SQL(", ").join(
                    SQL("%s::text[]", columns[name]) for name in fields
                ),
                email_normalized=list(cleaned_columns[0]),
                phone_sanitized=list(cleaned_columns[1]),
                validity=list(cleaned_columns[2]),
                reason=list(cleaned_columns[3]),
                warnings=list(cleaned_columns[4]),
                country_id=list(cleaned_columns[5]),
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
