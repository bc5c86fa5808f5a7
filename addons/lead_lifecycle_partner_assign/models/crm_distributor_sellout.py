# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from collections import defaultdict

from odoo import api, fields, models
from odoo.tools import email_normalize

SELLOUT_STATES = [
    ("unmatched", "Not Matched"),
    ("matched", "Matched"),
]


class CrmDistributorSellout(models.Model):
    """A row of a distributor's sell-out file: what it sold to a lead we passed it.
    Imported with Odoo's import (base_import) from the list view; each row is matched
    to the distributor's passed lead by the lead's reference (its id) or email, and
    the sum of the matched rows is the lead's won revenue through the distributor."""

    _name = "crm.distributor.sellout"
    _description = "Distributor Sell-out Row"
    _order = "sale_date desc, id desc"
    _rec_name = "lead_ref"

    distributor_id = fields.Many2one("res.partner", required=True, index=True)
    lead_ref = fields.Char(
        string="Lead Reference or Email",
        required=True,
        help="The id of the lead we passed (as in the lead's portal link), or the "
        "email of its contact.",
    )
    amount = fields.Monetary(currency_field="currency_id", required=True)
    sale_date = fields.Date(required=True, default=fields.Date.context_today)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    lead_id = fields.Many2one("crm.lead", readonly=True, index="btree_not_null")
    state = fields.Selection(
        SELLOUT_STATES, default="unmatched", readonly=True, required=True
    )

    # ------------------------------------------------------------
    # ORM
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        rows = super().create(vals_list)
        rows._match_leads()
        return rows

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_match(self):
        self._match_leads()
        return True

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _match_leads(self):
        """Match the unmatched rows to the leads passed to their distributor, in one
        search for the whole file, then record each matched lead's outcome from all
        its rows (so importing a file twice does not count a sale twice)."""
        rows = self.filtered(lambda row: row.state == "unmatched")
        if not rows:
            return
        ids, emails = set(), set()
        for row in rows:
            ref = (row.lead_ref or "").strip()
            if ref.isdigit():
                ids.add(int(ref))
            elif email_normalize(ref):
                emails.add(email_normalize(ref))
        lead_model = self.env["crm.lead"].sudo()
        leads = lead_model.search(
            [
                ("distributor_id", "in", rows.distributor_id.commercial_partner_id.ids),
                ("distributor_state", "in", ("passed", "accepted", "won")),
                "|",
                ("id", "in", list(ids)),
                ("email_normalized", "in", list(emails)),
            ],
            order="distributor_passed_date desc, id desc",
        )
        by_id, by_email = {}, {}
        for lead in leads:
            by_id[(lead.distributor_id, lead.id)] = lead
            # The last passed lead of an email wins (leads are in that order).
            by_email.setdefault((lead.distributor_id, lead.email_normalized), lead)
        for row in rows:
            ref = (row.lead_ref or "").strip()
            distributor = row.distributor_id.commercial_partner_id
            lead = (
                by_id.get((distributor, int(ref)))
                if ref.isdigit()
                else by_email.get((distributor, email_normalize(ref)))
            )
            if lead:
                row.write({"lead_id": lead.id, "state": "matched"})
        matched = rows.filtered("lead_id")
        if not matched:
            return
        totals = defaultdict(lambda: [0.0, False])
        for lead, amount, date in self.sudo()._read_group(
            [("lead_id", "in", matched.lead_id.ids), ("state", "=", "matched")],
            ["lead_id"],
            ["amount:sum", "sale_date:max"],
        ):
            totals[lead] = [amount, date]
        for lead, (amount, date) in totals.items():
            lead._distributor_apply_outcome("won", amount, date)
