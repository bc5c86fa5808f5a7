# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class CrmTeam(models.Model):
    # The response-time settings of a team, apart from crm_team.py so that the
    # concerns of the lead_lifecycle helpers merge cleanly (as crm.lead's files).
    _inherit = "crm.team"  # pylint: disable=consider-merging-classes-inherited

    # Speed to first response
    response_calendar_id = fields.Many2one(
        "resource.calendar",
        string="Working Hours",
        compute="_compute_response_calendar_id",
        store=True,
        readonly=False,
        # No check_company: a team shared by all companies has no company to match.
        domain="[('company_id', 'in', [company_id, False])] if company_id else []",
        help="Response delays of the team's leads are counted in these working hours "
        "(default: the company's working hours).",
    )
    response_sla_hours = fields.Float(
        string="Response SLA (Working Hours)",
        help="A lead without a first response after this many working hours is flagged "
        "overdue, and its salesperson and the team leader get an activity. "
        "0 disables the SLA.",
    )
    response_sla_start_date = fields.Datetime(
        string="Response SLA Since",
        readonly=True,
        copy=False,
        help="When the response SLA was turned on: only leads created since then are "
        "flagged overdue (Apply to History flags the older ones on purpose).",
    )
    response_overdue_reassign = fields.Boolean(
        string="Reassign Overdue Leads",
        help="When a lead breaks the SLA, give it to the team member with the fewest "
        "unanswered leads (logged in the lead's chatter).",
    )

    @api.depends("company_id")
    def _compute_response_calendar_id(self):
        for team in self:
            team.response_calendar_id = (
                team.response_calendar_id
                or (team.company_id or self.env.company).resource_calendar_id
            )

    # ------------------------------------------------------------
    # ORM
    # ------------------------------------------------------------

    def write(self, vals):
        if vals.get("response_sla_hours") and "response_sla_start_date" not in vals:
            # Turned on now: the SLA applies to the leads that come from now on (a
            # team created with an SLA has no past leads).
            enabled = self.filtered(lambda team: not team.response_sla_hours)
            res = super().write(vals)
            enabled.write({"response_sla_start_date": fields.Datetime.now()})
            return res
        return super().write(vals)

    def _lifecycle_response_calendar(self):
        """The calendar that counts the team's response delays (no team: the current
        company's working hours)."""
        team = self[:1]
        return (
            team.response_calendar_id
            or (team.company_id or self.env.company).resource_calendar_id
        )
