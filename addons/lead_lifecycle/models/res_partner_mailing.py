# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.osv import expression
from odoo.tools.safe_eval import safe_eval


class ResPartner(models.Model):
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    mailing_subscription_count = fields.Integer(
        string="Mailing Lists",
        compute="_compute_mailing_subscription_count",
        groups="mass_mailing.group_mass_mailing_user",
        help="Mailing lists the partner receives (not opted out).",
    )

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

    # ------------------------------------------------------------
    # ORM
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        partners = super().create(vals_list)
        if self.env["mailing.list"]._lifecycle_dynamic_fields():
            partners._mailing_sync_dynamic_lists()
        return partners

    def write(self, vals):
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

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

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
