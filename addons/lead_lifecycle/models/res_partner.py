# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""res.partner: what the lead lifecycle adds to a partner: its first touch (the
lead whose qualification created it), its rating rolled up from its leads, and its
mailing lists (joined on qualification, dynamic lists kept in sync)."""

from odoo import api, fields, models
from odoo.osv import expression
from odoo.tools.safe_eval import safe_eval

from .crm_lead_rating import RATING_HELP, RATINGS

# Fields of a partner that only the server writes: the first touch, set by the
# qualification of a lead, and the rating rolled up from the partner's leads.
PARTNER_SERVER_FIELDS = frozenset(
    {"qualified_from_lead_id", "qualified_date", "lead_rating", "lead_rating_date"}
)


class ResPartner(models.Model):
    _inherit = "res.partner"

    # One batched or indexed lookup per qualification instead of a sequential scan.
    email_normalized = fields.Char(index=True)

    # First touch
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
    # Mailing lists
    mailing_subscription_count = fields.Integer(
        string="Mailing Lists",
        compute="_compute_mailing_subscription_count",
        groups="mass_mailing.group_mass_mailing_user",
        help="Mailing lists the partner receives (not opted out).",
    )
    # Rating rolled up from the partner's leads
    lifecycle_lead_ids = fields.One2many(
        "crm.lead", "partner_id", string="Leads and Opportunities"
    )
    lead_rating = fields.Selection(
        RATINGS,
        string="Rating",
        compute="_compute_lead_rating",
        store=True,
        recursive=True,
        index=True,
        help="The best rating of the partner's current leads and opportunities "
        "(qualified leads, open opportunities); on a company, also of its contacts'. "
        + RATING_HELP,
    )
    lead_rating_date = fields.Datetime(
        string="Rating Assessed On",
        compute="_compute_lead_rating",
        store=True,
        recursive=True,
        help="When a current lead or opportunity of the partner was last rated.",
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

    @api.depends("mass_mailing_contact_ids.subscription_ids.opt_out")
    def _compute_mailing_subscription_count(self):
        counts = dict.fromkeys(self.ids, 0)
        for contact, count in self.env["mailing.subscription"]._read_group(
            [("contact_id.partner_id", "in", self.ids), ("opt_out", "=", False)],
            ["contact_id"],
            ["__count"],
        ):
            counts[contact.partner_id.id] = counts.get(contact.partner_id.id, 0) + count
        for partner in self:
            partner.mailing_subscription_count = counts.get(partner.id, 0)

    @api.depends(
        "lifecycle_lead_ids.rating",
        "lifecycle_lead_ids.rating_date",
        "lifecycle_lead_ids.lifecycle_state",
        "lifecycle_lead_ids.type",
        "lifecycle_lead_ids.active",
        "lifecycle_lead_ids.stage_id.is_won",
        "child_ids.lead_rating",
        "child_ids.lead_rating_date",
    )
    def _compute_lead_rating(self):
        # One grouped query for the whole batch: rating keys sort best first, so the
        # best rating is the minimum.
        partners = self.filtered("id")
        groups = {}
        if partners:
            groups = {
                partner.id: (rating, date)
                for partner, rating, date in self.env["crm.lead"]
                .sudo()
                ._read_group(
                    self.env["crm.lead"]._rating_current_domain()
                    + [("partner_id", "in", partners.ids)],
                    ["partner_id"],
                    ["rating:min", "rating_date:max"],
                )
            }
        for partner in self:
            ratings, dates = [], []
            own = groups.get(partner._origin.id or partner.id)
            if own:
                ratings.append(own[0])
                dates.append(own[1])
            if partner.is_company:
                for child in partner.child_ids.filtered("lead_rating"):
                    ratings.append(child.lead_rating)
                    dates.append(child.lead_rating_date)
            ratings = [r for r in ratings if r]
            dates = [d for d in dates if d]
            partner.lead_rating = min(ratings) if ratings else False
            partner.lead_rating_date = max(dates) if dates else False

    # ------------------------------------------------------------
    # ORM
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        self._lifecycle_check_server_fields(vals_list, create=True)
        partners = super().create(vals_list)
        if self.env["mailing.list"]._lifecycle_dynamic_fields():
            partners._mailing_sync_dynamic_lists()
        return partners

    def write(self, vals):
        self._lifecycle_check_server_fields([vals])
        res = super().write(vals)
        if self.env["mailing.list"]._lifecycle_dynamic_fields() & set(vals):
            self._mailing_sync_dynamic_lists()
        return res

    def _compute_field_value(self, field):
        # Stored computed criteria (e.g. a rating rolled up from leads) change without
        # a write. The partners are synchronized when the transaction commits, not
        # inside the computation: a compute only assigns its field (a read or an
        # onchange that runs it inserts nothing).
        res = super()._compute_field_value(field)
        if field.store and field.name in (
            self.env["mailing.list"]._lifecycle_dynamic_fields()
        ):
            self.filtered("id")._lifecycle_at_commit("_mailing_sync_dynamic_lists")
        return res

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

    def action_view_mailing_subscriptions(self):
        self.ensure_one()
        return {
            "name": self.env._(
                "Mailing Lists of %(partner)s", partner=self.display_name
            ),
            "type": "ir.actions.act_window",
            "res_model": "mailing.subscription",
            "view_mode": "list,form",
            "domain": [("contact_id.partner_id", "=", self.id)],
            "context": {"create": False},
        }

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

    def _action_add_to_mailing_lists(
        self, lists, origin="rule", action=None, only_opted_in=False
    ):
        """Subscribe the partners that have an email to ``lists`` (see
        mailing.list._lifecycle_subscribe: batched, idempotent, never a blacklisted
        email nor someone who opted out of the list)."""
        action = action or self.env["ir.actions.server"]._lifecycle_running_action()
        return lists._lifecycle_subscribe(
            self._lifecycle_mailing_contact_vals(),
            origin=origin,
            action=action,
            only_opted_in=only_opted_in,
        )

    def _action_remove_from_mailing_lists(self, lists=None, mode="opt_out"):
        """Take the partners off ``lists`` (every list when empty)."""
        lists = lists or self.env["mailing.list"]
        return lists._lifecycle_unsubscribe(
            partners=self, emails=self.filtered("email").mapped("email"), mode=mode
        )

    def _lifecycle_join_qualification_lists(self):
        """Shipped rule: partners qualified from a lead join the mailing lists of the
        lead's qualification policy. The rule runs once per partner (a mass
        qualification creates thousands): the partners are queued and join their
        lists in one batch when the transaction commits."""
        action = self.env["ir.actions.server"]._lifecycle_running_action()
        self.filtered("qualified_from_lead_id")._lifecycle_at_commit(
            "_lifecycle_join_qualification_lists_batch",
            lead_lifecycle_action_id=action.id if action else False,
        )
        return True

    def _lifecycle_join_qualification_lists_batch(self):
        """Subscribe the partners to their qualification policy's lists (one batch
        per policy)."""
        by_lists = {}
        for partner in self.filtered("qualified_from_lead_id"):
            lists = (
                partner.qualified_from_lead_id.qualification_policy_id.mailing_list_ids
            )
            by_lists.setdefault(lists, self.browse())
            by_lists[lists] |= partner
        subscriptions = self.env["mailing.subscription"]
        for lists, partners in by_lists.items():
            subscriptions |= partners._action_add_to_mailing_lists(
                lists, origin="qualification"
            )
        return subscriptions

    def _lifecycle_join_keep_in_touch(self):
        """Shipped rule (rating C): the partners join the 'Keep in touch' list."""
        keep_in_touch = self.env.ref(
            "lead_lifecycle.mailing_list_keep_in_touch", raise_if_not_found=False
        )
        if not keep_in_touch:
            return self.env["mailing.subscription"]
        return self._action_add_to_mailing_lists(keep_in_touch, origin="rating")

    def _mailing_sync_dynamic_lists(self):
        """Keep the special-interest (mass_mailing_list_dynamic) lists in step with
        these partners when they change (called from create, write and the
        recomputation of stored fields the lists' criteria read), batched. 'Only
        add' lists gain the partners that match; 'add and remove' lists also lose the
        ones that stopped matching (opt-outs are kept)."""
        partners = self.filtered("id")
        if not partners:
            return
        List = self.env["mailing.list"].sudo()
        for list_id, sync_method, sync_domain in List._lifecycle_dynamic_lists():
            mailing_list = List.browse(list_id)
            # In memory on the records at hand: no query when nothing matches.
            matching = partners.sudo().filtered_domain(
                expression.AND([[("email", "!=", False)], safe_eval(sync_domain)])
            )
            if matching:
                matching._action_add_to_mailing_lists(mailing_list, origin="criteria")
            leaving = partners - matching
            if sync_method == "full" and leaving:
                mailing_list._lifecycle_unsubscribe(partners=leaving, mode="delete")

    def _lifecycle_mailing_contact_vals(self):
        return [
            {
                "email": partner.email,
                "partner_id": partner.id,
                "name": partner.name,
                "title_id": partner.title.id,
                "company_name": partner.company_id.name or partner.company_name,
                "country_id": partner.country_id.id,
            }
            for partner in self
            if partner.email
        ]
