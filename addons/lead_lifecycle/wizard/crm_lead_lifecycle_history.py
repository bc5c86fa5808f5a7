# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..hooks import INSTALL_DATE_PARAM


class CrmLeadLifecycleHistory(models.TransientModel):
    """Apply a rule to the records that existed before lead_lifecycle was installed
    (or before the feature was turned on): rules never do it by themselves. Shows how
    many records the rule will act on before it does."""

    _name = "crm.lead.lifecycle.history"
    _description = "Apply a Lead Lifecycle Rule to History"

    rule = fields.Selection(
        [
            ("keep_in_touch", 'Partners rated C join "Keep in touch"'),
            (
                "not_contactable",
                "Leads disqualified as not contactable leave every mailing list",
            ),
            ("response_sla", "Flag unanswered leads older than their team's SLA"),
        ],
        required=True,
        default="keep_in_touch",
    )
    count = fields.Integer(string="Records Concerned", compute="_compute_count")
    done = fields.Boolean(readonly=True)
    summary = fields.Char(readonly=True)

    @api.depends("rule")
    def _compute_count(self):
        for wizard in self:
            # Counted as the rule would run it (superuser); only managers may open
            # the wizard (access rights).
            wizard.count = len(wizard.sudo()._history_records()) if wizard.rule else 0

    def action_apply(self):
        self.ensure_one()
        if not self.env.user.has_group("lead_lifecycle.group_lead_lifecycle_manager"):
            raise AccessError(
                self.env._("Only a Lead Lifecycle manager may apply rules to history.")
            )
        # The rule's work runs as the automation would (superuser), once the user is
        # known to be a manager.
        records = self.sudo()._history_records()
        if not records:
            raise UserError(
                self.env._("No record of the history is concerned by this rule.")
            )
        if self.rule == "keep_in_touch":
            records._lifecycle_join_keep_in_touch()
        elif self.rule == "not_contactable":
            records._action_remove_from_mailing_lists()
        else:
            records._lifecycle_flag_response_overdue()
        self.write(
            {
                "done": True,
                "summary": self.env._(
                    "Applied to %(count)s records.", count=len(records)
                ),
            }
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }

    def _history_records(self):
        """The records the rule would act on, had it run on history."""
        self.ensure_one()
        since = fields.Datetime.to_datetime(
            self.env["ir.config_parameter"].sudo().get_param(INSTALL_DATE_PARAM)
        )
        if self.rule == "keep_in_touch":
            keep_in_touch = self.env.ref(
                "lead_lifecycle.mailing_list_keep_in_touch", raise_if_not_found=False
            )
            partners = self.env["res.partner"].search(
                [("lead_rating", "=", "c"), ("email", "!=", False)]
            )
            if keep_in_touch:
                subscribed = keep_in_touch.subscription_ids.contact_id.partner_id
                partners -= subscribed
            return partners
        if self.rule == "not_contactable":
            domain = [
                ("active", "=", False),
                ("lifecycle_state", "=", "disqualified"),
                ("lost_reason_id.lifecycle_category", "=", "not_contactable"),
                ("email_normalized", "!=", False),
            ]
            if since:
                domain.append(("disqualified_date", "<", since))
            return self.env["crm.lead"].with_context(active_test=False).search(domain)
        leads = self.env["crm.lead"]
        now = fields.Datetime.now()
        for team in self.env["crm.team"].search([("response_sla_hours", ">", 0)]):
            start = team.response_sla_start_date or since
            if not start:
                continue
            candidates = self.env["crm.lead"].search(
                [
                    ("team_id", "=", team.id),
                    ("first_response_date", "=", False),
                    ("response_overdue", "=", False),
                    ("probability", "<", 100),
                    ("lifecycle_state", "in", ("new", "contacted")),
                    ("create_date", "<", start),
                ]
            )
            elapsed = candidates._lifecycle_working_hours(
                {lead: (lead.create_date, now) for lead in candidates}
            )
            leads |= candidates.filtered(
                lambda lead, team=team, elapsed=elapsed: elapsed[lead]
                >= team.response_sla_hours
            )
        return leads
