# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# Concern: the rules that give an interaction its points (model crm.lead.scoring.rule).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

SCORING_KINDS = [
    ("inbound_email", "Email Received"),
    ("call", "Logged Call"),
    ("meeting", "Meeting Held"),
    ("mailing_opened", "Mailing Opened"),
    ("mailing_clicked", "Mailing Link Clicked"),
    ("mailing_replied", "Reply to a Mailing"),
    ("website_form", "Website Form"),
    ("bant_filled", "BANT Fact Filled"),
    ("valid_email", "Valid Email"),
    ("valid_phone", "Valid Phone"),
    ("bounce", "Email Bounced"),
]


class CrmLeadScoringRule(models.Model):
    _name = "crm.lead.scoring.rule"
    _description = "Lead Interaction Scoring Rule"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    kind = fields.Selection(
        SCORING_KINDS,
        string="Interaction",
        required=True,
        help="Each interaction of this kind adds the points to the lead's score.",
    )
    points = fields.Integer(
        required=True,
        help="Points per interaction; negative for interactions that lower the score "
        "(a bounced email).",
    )
    half_life_days = fields.Integer(
        string="Half-Life (Days)",
        help="After this many days an interaction counts for half its points, after "
        "twice as many for a quarter, and so on. Empty: the points never decay.",
    )

    _sql_constraints = [
        (
            "half_life_days_positive",
            "CHECK(half_life_days IS NULL OR half_life_days >= 0)",
            "The half-life cannot be negative: leave it empty for no decay.",
        ),
    ]

    @api.constrains("kind", "active")
    def _check_one_rule_per_kind(self):
        for rule in self.filtered("active"):
            if self.search_count(
                [("id", "!=", rule.id), ("kind", "=", rule.kind)], limit=1
            ):
                raise ValidationError(
                    self.env._(
                        "There is already an active scoring rule for %(kind)s: change "
                        "its points or archive it instead of adding another one.",
                        kind=dict(
                            self._fields["kind"]._description_selection(self.env)
                        )[rule.kind],
                    )
                )

    # ------------------------------------------------------------
    # ORM
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        rules = super().create(vals_list)
        if self.env.context.get("install_module") != "lead_lifecycle":
            # Installing: no lead has score events yet, every score is 0 (a rescore of
            # 100k leads per shipped rule would dominate the install).
            self.env["crm.lead"]._scoring_rescore_all()
        return rules

    def write(self, vals):
        res = super().write(vals)
        if {"kind", "points", "half_life_days", "active"} & set(vals):
            self.env["crm.lead"]._scoring_rescore_all()
        return res

    def unlink(self):
        res = super().unlink()
        self.env["crm.lead"]._scoring_rescore_all()
        return res
