# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# Concern: the rented-list contact model itself: its fields, computes, ORM overrides,
# actions, the mail and mass-mailing hooks and the count of contacts made. Its import is
# in crm_rented_list_contact_import.py, its cleaning in
# crm_rented_list_contact_clean.py, its promotion in crm_rented_list_contact_promote.py;
# matching is crm.rented.list's (crm_rented_list_match.py).
from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, create_index

from .base import lifecycle_server_write

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


class CrmRentedListContact(models.Model):
    _name = "crm.rented.list.contact"
    _description = "Rented List Contact"
    _inherit = ["mail.thread.blacklist"]
    _primary_email = "email"
    _mailing_enabled = True
    _order = "rented_list_id, id"
    _rec_name = "email"

    # Indexes: a list's rows are found through the unique (rented_list_id,
    # import_key) index, a row's email through crm_rented_list_contact_email_company
    # _index (init). The list, company, email, validity, matching and state columns
    # have no index of their own: each cost every imported row an index insert
    # (without these six, the import's INSERTs take ~14% less time, bench/) and
    # none served a query the two above do not (few distinct values, or their
    # leading column). The 18.0.1.3.0 migration drops them where they exist.
    rented_list_id = fields.Many2one(
        "crm.rented.list",
        required=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one(
        related="rented_list_id.company_id",
        string="List Company",
        store=True,
    )
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
    email_normalized = fields.Char(index=False)
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
            raise UserError(
                self.env._("Search 'Eligible for Promotion' with = or != only.")
            )
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
        return self.env._(
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
                self.env._(
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
            contact.message_post(body=self.env._("Call logged."))

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
    def _record_opt_out(self, mailing, contact_id):
        """The contact ``contact_id`` unsubscribed from ``mailing`` with the link
        of its mail: its response becomes Opted Out (the strongest response, see
        mailing.trace's RESPONSE_RANK), through the trace of that mail, as the
        other responses are recorded."""
        self.env["mailing.trace"].sudo().search(
            [
                ("mass_mailing_id", "=", mailing.id),
                ("model", "=", self._name),
                ("res_id", "=", contact_id),
            ]
        )._rented_set_response("opted_out")

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
