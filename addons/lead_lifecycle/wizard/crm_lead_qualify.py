# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# Concern: the Qualify wizard: the checklist of the leads, the override reason, qualify.
from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.exceptions import UserError


class CrmLeadQualify(models.TransientModel):
    _name = "crm.lead.qualify"
    _description = "Qualify Leads"

    lead_ids = fields.Many2many("crm.lead", string="Leads", required=True)
    create_opportunity = fields.Boolean(
        string="Create an Opportunity",
        compute="_compute_create_opportunity",
        store=True,
        readonly=False,
        help="Convert the qualified leads into opportunities. Proposed by the policy.",
    )
    checklist = fields.Html(compute="_compute_checklist", sanitize=False)
    all_ready = fields.Boolean(compute="_compute_checklist")
    is_manager = fields.Boolean(compute="_compute_is_manager")
    override = fields.Boolean(
        string="Override the Policy",
        help="Qualify even though requirements are missing. The reason is logged on "
        "each lead.",
    )
    override_reason = fields.Text(string="Reason")
    state = fields.Selection([("draft", "Draft"), ("done", "Done")], default="draft")
    summary = fields.Html(readonly=True, sanitize=False)

    @api.model
    def default_get(self, fields_list):
        res = super().default_get(fields_list)
        if "lead_ids" in fields_list and not res.get("lead_ids"):
            ids = self.env.context.get("active_ids") or []
            if self.env.context.get("active_model") == "crm.lead" and ids:
                res["lead_ids"] = [fields.Command.set(ids)]
                # Recounted when the wizard opens, for its checklist: not in the
                # checklist's compute, which a read (a read-only transaction) runs.
                self.env["crm.lead"].browse(ids)._lifecycle_refresh_interactions()
        return res

    @api.depends("lead_ids")
    def _compute_create_opportunity(self):
        for wizard in self:
            wizard.create_opportunity = any(
                wizard.lead_ids.qualification_policy_id.mapped("create_opportunity")
            )

    @api.depends("lead_ids")
    def _compute_checklist(self):
        for wizard in self:
            leads = wizard.lead_ids
            wizard.all_ready = all(leads.mapped("qualification_ready"))
            if len(leads) == 1:
                wizard.checklist = leads.qualification_checklist
            else:
                ready = leads.filtered("qualification_ready")
                wizard.checklist = Markup("<p>%s</p>") % self.env._(
                    "%(ready)s of %(total)s leads meet their qualification policy.",
                    ready=len(ready),
                    total=len(leads),
                )

    @api.depends("lead_ids")
    @api.depends_context("uid")
    def _compute_is_manager(self):
        is_manager = self.env.user.has_group(
            "lead_lifecycle.group_lead_lifecycle_manager"
        )
        for wizard in self:
            wizard.is_manager = is_manager

    def action_qualify(self):
        self.ensure_one()
        if self.override and not (self.override_reason or "").strip():
            raise UserError(
                self.env._("Give the reason for overriding the qualification policy.")
            )
        result = self.lead_ids._lifecycle_qualify(
            create_opportunity=self.create_opportunity,
            override_reason=self.override and self.override_reason.strip(),
        )
        if len(self.lead_ids) == 1 and result["skipped"]:
            raise UserError(next(iter(result["skipped"].values())))
        if len(self.lead_ids) == 1:
            return {"type": "ir.actions.act_window_close"}
        self.write({"state": "done", "summary": self._render_summary(result)})
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
            "name": self.env._("Qualification Summary"),
        }

    def _render_summary(self, result):
        skipped = result["skipped"]
        lines = Markup("").join(
            Markup("<li><b>%s</b>: %s</li>") % (escape(lead.name), escape(reason))
            for lead, reason in skipped.items()
        )
        summary = Markup("<p>%s</p>") % self.env._(
            "Qualified %(qualified)s, skipped %(skipped)s.",
            qualified=len(result["qualified"]),
            skipped=len(skipped),
        )
        if lines:
            summary += Markup("<ul>%s</ul>") % lines
        return summary
