# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# Concern: server actions: the mailing-list actions (add to lists, remove) and how they
# pass their context.
from odoo import api, fields, models
from odoo.exceptions import ValidationError

MAILING_LIST_STATES = ("mailing_list_add", "mailing_list_remove")
# Models whose records the mailing-list actions know how to subscribe.
MAILING_LIST_MODELS = ("res.partner", "crm.lead")


class IrActionsServer(models.Model):
    _inherit = "ir.actions.server"

    state = fields.Selection(
        selection_add=[
            ("mailing_list_add", "Add to Mailing List"),
            ("mailing_list_remove", "Remove from Mailing List"),
        ],
        ondelete={"mailing_list_add": "cascade", "mailing_list_remove": "cascade"},
    )
    mailing_list_ids = fields.Many2many(
        "mailing.list",
        "ir_actions_server_mailing_list_rel",
        "action_id",
        "list_id",
        string="Mailing Lists",
        help="Add to: the lists the records join. Remove from: the lists they leave "
        "(empty: every list).",
    )
    mailing_list_only_opted_in = fields.Boolean(
        string="Only Opted-In Contacts",
        help="Also skip emails that opted out of any mailing list or that bounced. "
        "Blacklisted emails and contacts who opted out of the target list are never "
        "subscribed anyway.",
    )
    mailing_list_remove_mode = fields.Selection(
        [
            ("opt_out", "Opt out (automations never add them again)"),
            ("delete", "Remove the subscription"),
        ],
        string="Removal",
        default="opt_out",
    )

    @api.constrains("state", "model_id", "mailing_list_ids")
    def _check_mailing_list_action(self):
        for action in self.filtered(lambda a: a.state in MAILING_LIST_STATES):
            if action.model_id.model not in MAILING_LIST_MODELS:
                raise ValidationError(
                    self.env._(
                        "Action %(action)s: mailing list actions work on contacts and "
                        "leads only; choose the Contact or Lead/Opportunity model.",
                        action=action.name,
                    )
                )
            if action.state == "mailing_list_add" and not action.mailing_list_ids:
                raise ValidationError(
                    self.env._(
                        "Action %(action)s: choose the mailing lists to add to.",
                        action=action.name,
                    )
                )

    @api.depends("state", "usage")
    def _compute_available_model_ids(self):
        res = super()._compute_available_model_ids()
        for action in self.filtered(lambda a: a.state in MAILING_LIST_STATES):
            action.available_model_ids = action.available_model_ids.filtered(
                lambda m: m.model in MAILING_LIST_MODELS
            )
        return res

    @api.depends(
        # base_automation's dependencies, and the lists
        "state",
        "update_field_id",
        "crud_model_id",
        "value",
        "evaluation_type",
        "template_id",
        "partner_ids",
        "activity_summary",
        "sms_template_id",
        "webhook_url",
        "mailing_list_ids",
    )
    def _compute_name(self):
        res = super()._compute_name()
        for action in self.filtered(
            lambda a: a.base_automation_id and a.state in MAILING_LIST_STATES
        ):
            names = ", ".join(action.mailing_list_ids.mapped("name"))
            if action.state == "mailing_list_add":
                action.name = self.env._("Add to mailing lists: %(lists)s", lists=names)
            else:
                action.name = self.env._(
                    "Remove from mailing lists: %(lists)s",
                    lists=names or self.env._("all"),
                )
        return res

    # ------------------------------------------------------------
    # RUNNERS
    # ------------------------------------------------------------

    def _get_eval_context(self, action=None):
        # Code actions calling the mailing-list methods record which rule subscribed.
        # The key is passed with with_context, before the eval context is built: its
        # environment is then a new one, and what is set on it (mail sets its
        # mail_notify_force_send on the environment it is given) stays off the
        # caller's environment, which other actions, crons and rules share.
        actions = self
        if action:
            actions = self.with_context(lead_lifecycle_action_id=action.id)
        return super(IrActionsServer, actions)._get_eval_context(action=action)

    def _run_action_mailing_list_add_multi(self, eval_context=None):
        records = self._lifecycle_active_records()
        records._action_add_to_mailing_lists(
            self.mailing_list_ids,
            origin="rule",
            action=self,
            only_opted_in=self.mailing_list_only_opted_in,
        )
        return False

    def _run_action_mailing_list_remove_multi(self, eval_context=None):
        records = self._lifecycle_active_records()
        records._action_remove_from_mailing_lists(
            self.mailing_list_ids, mode=self.mailing_list_remove_mode or "opt_out"
        )
        return False

    def _lifecycle_active_records(self):
        ids = self.env.context.get("active_ids") or [self.env.context.get("active_id")]
        return self.env[self.model_name].browse([i for i in ids if i])

    @api.model
    def _lifecycle_running_action(self):
        """The server action running the calling code, if any."""
        action_id = self.env.context.get("lead_lifecycle_action_id")
        return self.sudo().browse(action_id) if action_id else None
