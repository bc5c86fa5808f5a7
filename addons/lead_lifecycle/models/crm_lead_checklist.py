# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""crm.lead: the qualification checklist, what a lead must show under the policy
of its team before it may be qualified (interactions, a valid email and phone,
BANT facts), rendered by the QWeb template
lead_lifecycle.crm_lead_qualification_checklist (views/crm_lead_templates.xml).
The lifecycle that reads it is crm_lead_lifecycle.py; validity rules are
contact_data.py."""

from odoo import api, fields, models
from odoo.tools import email_normalize

from . import contact_data
from .crm_qualification_policy import INTERACTION_KINDS


class CrmLead(models.Model):
    _inherit = "crm.lead"

    # Policy and checklist
    qualification_policy_id = fields.Many2one(
        "crm.qualification.policy",
        compute="_compute_qualification_policy_id",
    )
    qualification_ready = fields.Boolean(
        string="Ready to Qualify", compute="_compute_qualification_checklist"
    )
    qualification_checklist = fields.Html(
        compute="_compute_qualification_checklist",
        sanitize=False,
    )

    @api.depends("team_id.qualification_policy_id", "company_id")
    def _compute_qualification_policy_id(self):
        Policy = self.env["crm.qualification.policy"]
        for lead in self:
            lead.qualification_policy_id = Policy._get_policy(
                lead.team_id, lead.company_id or self.env.company
            )

    @api.depends(
        "qualification_policy_id",
        "lifecycle_state",
        "inbound_email_count",
        "call_count",
        "meeting_count",
        "email_state",
        "phone_state",
        "mobile",
        "country_id",
        "bant_budget",
        "bant_authority",
        "bant_need",
        "bant_timing",
    )
    def _compute_qualification_checklist(self):
        for lead in self:
            items = lead._lifecycle_requirements()
            lead.qualification_ready = all(met for _key, _label, met, _detail in items)
            lead.qualification_checklist = lead._lifecycle_render_checklist(items)

    # ------------------------------------------------------------
    # BUSINESS: requirements and checklist
    # ------------------------------------------------------------

    def _lifecycle_requirements(self):
        """The qualification checklist of the lead under its policy.

        :return: list of (key, label, met, detail)
        """
        self.ensure_one()
        policy = self.qualification_policy_id
        items = []
        if not policy:
            return items
        counts = {
            kind: self[count] for kind, (_flag, count) in INTERACTION_KINDS.items()
        }
        labels = {
            "inbound_email": self.env._("emails received"),
            "call": self.env._("logged calls"),
            "meeting": self.env._("meetings held"),
        }
        kinds = policy._counted_kinds()
        if policy.min_interactions:
            done = sum(counts[k] for k in kinds)
            items.append(
                (
                    "interactions",
                    self.env._(
                        "%(n)s two-way interaction(s) (%(kinds)s)",
                        n=policy.min_interactions,
                        kinds=", ".join(labels[k] for k in kinds),
                    ),
                    done >= policy.min_interactions,
                    self.env._(
                        "%(done)s of %(n)s", done=done, n=policy.min_interactions
                    ),
                )
            )
        if policy.require_valid_email:
            valid = self._lifecycle_email_valid()
            items.append(
                (
                    "email",
                    self.env._("a valid email"),
                    valid,
                    self.env._("valid")
                    if valid
                    else (
                        self.email_from and self.env._("invalid") or self.env._("empty")
                    ),
                )
            )
        if policy.require_valid_phone:
            valid = (
                bool(self.phone or self.mobile) and not self._lifecycle_phone_invalid()
            )
            items.append(
                (
                    "phone",
                    self.env._("a valid phone"),
                    valid,
                    self.env._("valid")
                    if valid
                    else (
                        (self.phone or self.mobile)
                        and self.env._("invalid")
                        or self.env._("empty")
                    ),
                )
            )
        for key, flag, label in (
            ("budget", "require_budget", self.env._("the budget (BANT)")),
            ("authority", "require_authority", self.env._("the authority (BANT)")),
            ("need", "require_need", self.env._("the need (BANT)")),
            ("timing", "require_timing", self.env._("the timing (BANT)")),
        ):
            if policy[flag]:
                met = bool(self["bant_" + key])
                items.append(
                    (
                        key,
                        label,
                        met,
                        self.env._("known") if met else self.env._("unknown"),
                    )
                )
        return items

    def _lifecycle_render_checklist(self, items):
        """The checklist as HTML, from the QWeb template
        lead_lifecycle.crm_lead_qualification_checklist."""
        return self.env["ir.qweb"]._render(
            "lead_lifecycle.crm_lead_qualification_checklist", {"items": items}
        )

    def _lifecycle_email_valid(self):
        """True when the lead's email is valid (contact_data.email_valid): crm's
        email_state accepts "@hotmail.com", email-validator does not."""
        self.ensure_one()
        return (
            self.email_state == "correct"
            and bool(email_normalize(self.email_from))
            and contact_data.email_valid(self.email_normalized)
        )

    def _lifecycle_phone_invalid(self):
        """True when the phone (crm's stored phone_state) or the mobile is not a valid
        number for the lead's country (contact_data.phone_valid)."""
        self.ensure_one()
        if self.phone_state == "incorrect":
            return True
        if not self.mobile:
            return False
        return not contact_data.phone_valid(self.mobile, self.country_id.code)
