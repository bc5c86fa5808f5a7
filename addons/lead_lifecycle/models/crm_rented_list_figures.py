# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# Concern: the figures of a rented list: rows (stored, counted from the contacts by one
# GROUP BY, and kept by the purge), rates, leads promoted from it and their revenue; the
# rows behind each figure, one click away.
from odoo import api, fields, models
from odoo.tools import SQL

from .base import lifecycle_server_write
from .crm_rented_list import FIGURE_FIELDS


class CrmRentedList(models.Model):
    _inherit = "crm.rented.list"

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

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

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
        return self._action_open_contacts([], self.env._("Contacts"))

    def action_view_valid(self):
        return self._action_open_contacts(
            [("validity", "=", "valid")], self.env._("Valid")
        )

    def action_view_mailable(self):
        return self._action_open_contacts(
            [("is_mailable", "=", True)], self.env._("Mailable")
        )

    def action_view_callable(self):
        return self._action_open_contacts(
            [("is_callable", "=", True)], self.env._("Callable")
        )

    def action_view_suppressed(self):
        return self._action_open_contacts(
            [("match_status", "in", ("blacklisted", "opted_out"))],
            self.env._("Suppressed"),
        )

    def action_view_contacted(self):
        return self._action_open_contacts(
            [("contact_count", ">", 0)], self.env._("Contacted")
        )

    def action_view_responded(self):
        return self._action_open_contacts(
            [("response", "!=", "none")], self.env._("Responded")
        )

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

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
