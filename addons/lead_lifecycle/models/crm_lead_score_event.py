# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# Concern: the interaction score's event log (model crm.lead.score.event).
from odoo import api, fields, models

from .crm_lead_scoring_rule import SCORING_KINDS


class CrmLeadScoreEvent(models.Model):
    """One scored interaction of a lead. The log is derived from what Odoo records
    (messages, activities, meetings, mailing traces, the lead's own facts) by set-based
    SQL, keyed by its source so that deriving it again adds nothing; the lead's score is
    recomputed from it."""

    _name = "crm.lead.score.event"
    _description = "Lead Score Event"
    _order = "date desc, id desc"
    _log_access = False

    lead_id = fields.Many2one("crm.lead", required=True, index=True, ondelete="cascade")
    kind = fields.Selection(SCORING_KINDS, string="Interaction", required=True)
    date = fields.Datetime(required=True)
    source_model = fields.Char(required=True)
    source_id = fields.Integer(required=True)
    company_id = fields.Many2one(related="lead_id.company_id")
    points = fields.Float(
        string="Points Now",
        compute="_compute_points",
        digits=(16, 1),
        help="What the interaction adds to the score today, after decay.",
    )

    _sql_constraints = [
        (
            "source_unique",
            "UNIQUE(lead_id, kind, source_model, source_id)",
            "An interaction is scored once.",
        ),
    ]

    @api.depends("kind", "date")
    def _compute_points(self):
        rules = {
            rule.kind: rule
            for rule in self.env["crm.lead.scoring.rule"].sudo().search([])
        }
        now = fields.Datetime.now()
        for event in self:
            rule = rules.get(event.kind)
            if not rule or not event.date:
                event.points = 0.0
                continue
            points = rule.points
            if rule.half_life_days:
                age = max((now - event.date).total_seconds() / 86400.0, 0.0)
                points *= 0.5 ** (age / rule.half_life_days)
            event.points = points
