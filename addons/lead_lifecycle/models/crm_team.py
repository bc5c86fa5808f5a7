# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""crm.team: a sales team's settings for the lead lifecycle (its qualification
policy, sales-ready score, response SLA) and how its leads get a salesperson: crm's
automatic assignment (which keeps unqualified leads as leads under an enforcing
policy) and _lifecycle_pick_assignee, the one rule by which this module gives a
lead to a member (the least loaded, the smallest id on a tie)."""

from odoo import api, fields, models


class CrmTeam(models.Model):
    _inherit = "crm.team"

    # Qualification
    qualification_policy_id = fields.Many2one(
        "crm.qualification.policy",
        check_company=True,
        help="Leave empty to use the company's default policy.",
    )
    # Interaction scoring
    sales_ready_score = fields.Integer(
        string="Sales-Ready Score",
        help="A lead of this team whose score reaches this value becomes sales-ready. "
        "0 disables it.",
    )
    sales_ready_action = fields.Selection(
        [
            ("notify", "Notify the Team Leader"),
            ("assign", "Assign through the Assignment Rules"),
        ],
        string="When Sales-Ready",
        default="notify",
        required=True,
        help="Once per lead. Notify: an activity for the team leader (the salesperson "
        "when the team has no leader). Assign: an unassigned lead goes to the team "
        "member whose assignment domain it matches and who received the fewest leads "
        "in the last 30 days; the others are notified.",
    )

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

    _sql_constraints = [
        (
            "sales_ready_score_positive",
            "CHECK(sales_ready_score >= 0)",
            "The sales-ready score cannot be negative: use 0 to disable it.",
        ),
    ]

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

    # ------------------------------------------------------------
    # BUSINESS: assignment
    # ------------------------------------------------------------

    def _assign_and_convert_leads(self, force_quota=False):
        # Automatic assignment converts the leads it assigns: for teams that enforce
        # their
        # qualification policy, unqualified leads are assigned but stay leads.
        return super(
            CrmTeam, self.with_context(lead_lifecycle_assign_only=True)
        )._assign_and_convert_leads(force_quota=force_quota)

    @api.model
    def _lifecycle_pick_assignee(self, candidates, load):
        """The candidate (team members or users) to give a lead to: the one with the
        fewest leads in ``load`` ({candidate: count}), the smallest id on a tie; its
        count in ``load`` grows by one. Used by the sales-ready assignment
        (crm_lead_scoring.py) and the reassignment of overdue leads
        (crm_lead_response.py), each with its own candidates and load."""
        chosen = min(candidates, key=lambda candidate: (load[candidate], candidate.id))
        load[chosen] += 1
        return chosen

    # ------------------------------------------------------------
    # BUSINESS: response
    # ------------------------------------------------------------

    def _lifecycle_response_calendar(self):
        """The calendar that counts the team's response delays (no team: the current
        company's working hours)."""
        team = self[:1]
        return (
            team.response_calendar_id
            or (team.company_id or self.env.company).resource_calendar_id
        )
