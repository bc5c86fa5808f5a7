# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# Concern: the rented list model itself: its fields (terms, file, relations), ORM
# overrides, actions and the message at the end of an import. Its figures (counted from
# the contacts and leads, with the rows behind each) are in crm_rented_list_figures.py,
# matching in crm_rented_list_match.py, the rental terms a mailing must respect in
# crm_rented_list_terms.py, expiry and purge in crm_rented_list_purge.py.
from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from .base import lifecycle_server_write

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
                    self.env._(
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
        return self.env._(
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
                    self.env._(
                        "List %(name)s is not a draft: only drafts can be activated.",
                        name=rented_list.name,
                    )
                )
            if rented_list.rental_end and rented_list.rental_end < fields.Date.today():
                raise UserError(
                    self.env._(
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
            raise UserError(
                self.env._("Only expired lists can be purged: expire them first.")
            )
        self._purge()

    def action_import_contacts(self):
        self.ensure_one()
        if self.state == "purged":
            raise UserError(self.env._("A purged list cannot receive contacts."))
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

    def action_view_imports(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Imports"),
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
        text = self.env._(
            "Import: %(received)s rows received, %(added)s added, %(skipped)s already "
            "in the list; of those added %(invalid)s invalid, %(suppressed)s "
            "suppressed, %(duplicates)s duplicates. %(valid)s of %(rows)s rows of the "
            "list are valid.",
            **figures,
        )
        self.message_post(
            body=self.env._(
                "%(text)s See %(summary)s.",
                text=text,
                summary=summary._get_html_link(),
            )
        )
        self.env.user._bus_send(
            "simple_notification",
            {"type": "success", "title": self.name, "message": text},
        )
