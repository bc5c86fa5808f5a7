# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# Concern: crm.lead, A-D rating: suggested from the lead's data, set by who contacted
# it.
from odoo import api, fields, models

# Keys sort from best to worst, so the best rating of a set is its min().
RATINGS = [
    ("a", "A - Large project"),
    ("b", "B - Small project"),
    ("c", "C - No active project but worth keeping in touch"),
    ("d", "D - No project"),
]
RATING_HELP = (
    "A: large project. B: small project. C: no active project but worth keeping in "
    "touch. D: no project."
)


class CrmLead(models.Model):
    _inherit = "crm.lead"

    # Rating
    rating = fields.Selection(
        RATINGS,
        compute="_compute_rating",
        store=True,
        readonly=False,
        index=True,
        tracking=True,
        copy=False,
        help="Set by the person who contacted the lead; proposed by the system until "
        "then. " + RATING_HELP,
    )
    rating_suggested = fields.Selection(
        RATINGS,
        string="Suggested Rating",
        compute="_compute_rating_suggested",
        store=True,
        help="What the system proposes from the expected revenue (thresholds of the "
        "qualification policy), the validity of the contact and the disqualification "
        "reason. " + RATING_HELP,
    )
    rating_manual = fields.Boolean(
        string="Rated by Hand",
        copy=False,
        help="The rating was chosen by a user: the suggestion no longer changes it.",
    )
    rating_date = fields.Datetime(
        string="Rated On",
        compute="_compute_rating_date",
        store=True,
        copy=False,
        help="When the rating last changed (assessed).",
    )

    @api.depends(
        "expected_revenue",
        "email_state",
        "phone_state",
        "lifecycle_state",
        "active",
        "lost_reason_id.lifecycle_category",
        "team_id.qualification_policy_id.rating_a_revenue",
        "company_id",
    )
    def _compute_rating_suggested(self):
        for lead in self:
            threshold = lead.qualification_policy_id.rating_a_revenue
            if (
                not lead.active
                and lead.lost_reason_id.lifecycle_category == "not_interested"
            ):
                lead.rating_suggested = "d"
            elif threshold and lead.expected_revenue >= threshold:
                lead.rating_suggested = "a"
            elif lead.expected_revenue > 0:
                lead.rating_suggested = "b"
            elif "correct" in (lead.email_state, lead.phone_state):
                lead.rating_suggested = "c"
            else:
                lead.rating_suggested = False

    @api.depends("rating_suggested", "rating_manual")
    def _compute_rating(self):
        for lead in self:
            if lead.rating_manual:
                lead.rating = lead.rating
            else:
                lead.rating = lead.rating_suggested

    @api.depends("rating")
    def _compute_rating_date(self):
        now = fields.Datetime.now()
        for lead in self:
            lead.rating_date = now if lead.rating else False

    # ------------------------------------------------------------
    # ORM
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        leads = super().create(vals_list)
        given = self.browse(
            lead.id
            for lead, vals in zip(leads, vals_list, strict=True)
            if "rating" in vals and "rating_manual" not in vals
        )
        given._rating_mark_manual()
        return leads

    def write(self, vals):
        res = super().write(vals)
        if "rating" in vals and "rating_manual" not in vals:
            self._rating_mark_manual()
        return res

    def _merge_get_fields(self):
        return super()._merge_get_fields() + ["rating"]

    def _merge_get_fields_specific(self):
        # The merged lead keeps the rating of the first rated lead, and whether a user
        # chose it, so a hand-set rating stays out of the suggestion's reach.
        return {
            **super()._merge_get_fields_specific(),
            "rating_manual": lambda fname, leads: next(
                (lead.rating_manual for lead in leads if lead.rating), False
            ),
        }

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_rating_use_suggestion(self):
        """Forget the hand-set rating: the lead follows the suggestion again."""
        self.write({"rating_manual": False})
        return True

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _rating_mark_manual(self):
        """A rating written by a user (or an import) that differs from the suggestion
        is a choice: keep it. The form also sends the rating when the suggestion
        changed it on the fly (onchange); that value equals the suggestion and stays
        automatic."""
        chosen = self.filtered(
            lambda lead: not lead.rating_manual and lead.rating != lead.rating_suggested
        )
        if chosen:
            chosen.write({"rating_manual": True})

    @api.model
    def _rating_current_domain(self):
        """Leads that rate their partner: qualified leads and open opportunities
        (active, not won), with a rating."""
        return [
            ("rating", "!=", False),
            ("active", "=", True),
            "|",
            "&",
            ("type", "=", "lead"),
            ("lifecycle_state", "=", "qualified"),
            "&",
            ("type", "=", "opportunity"),
            "|",
            ("stage_id", "=", False),
            ("stage_id.is_won", "=", False),
        ]
