# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

# Fields of a partner that only the server writes: the first touch, set by the
# qualification of a lead, and the rating rolled up from the partner's leads.
PARTNER_SERVER_FIELDS = frozenset(
    {"qualified_from_lead_id", "qualified_date", "lead_rating", "lead_rating_date"}
)


class ResPartner(models.Model):
    _inherit = "res.partner"

    # One batched or indexed lookup per qualification instead of a sequential scan.
    email_normalized = fields.Char(index=True)

    qualified_from_lead_id = fields.Many2one(
        "crm.lead",
        string="Qualified From",
        copy=False,
        readonly=True,
        index="btree_not_null",
        help="The lead whose qualification created or first promoted this partner.",
    )
    qualified_date = fields.Datetime(string="Qualified On", copy=False, readonly=True)
    qualified_lead_count = fields.Integer(
        string="Qualified Leads", compute="_compute_qualified_lead_count"
    )

    @api.depends("qualified_from_lead_id")
    def _compute_qualified_lead_count(self):
        groups = dict(
            self.env["crm.lead"]
            .with_context(active_test=False)
            ._read_group(
                [
                    ("partner_id", "in", self.ids),
                    ("lifecycle_state", "=", "qualified"),
                ],
                ["partner_id"],
                ["__count"],
            )
        )
        for partner in self:
            partner.qualified_lead_count = groups.get(partner, 0)

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

    def _lifecycle_server_fields(self):
        return super()._lifecycle_server_fields() | PARTNER_SERVER_FIELDS

    def _lifecycle_server_fields_hint(self):
        return self.env._(
            "the qualification of a lead sets the first touch, the partner's leads "
            "give its rating."
        )

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_view_qualified_leads(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("crm.crm_lead_all_leads")
        action.update(
            {
                "domain": [
                    ("partner_id", "=", self.id),
                    ("lifecycle_state", "=", "qualified"),
                ],
                "context": {"active_test": False, "create": False},
            }
        )
        return action

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _lifecycle_mark_qualified_from(self, lead):
        """First touch: the partner (and its company) remember the first lead that
        qualified them; later qualifications never overwrite it."""
        now = fields.Datetime.now()
        partners = (self | self.commercial_partner_id).filtered(
            lambda p: not p.qualified_from_lead_id
        )
        if partners:
            partners.write({"qualified_from_lead_id": lead.id, "qualified_date": now})
