# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""crm.qualification.policy: what a lead of a sales team must show to be qualified,
what qualification does (opportunity, mailing lists), and the thresholds the
other concerns read (unanswered attempts, rented lists, rating A)."""

from odoo import api, fields, models, tools
from odoo.exceptions import ValidationError

# Interaction kinds a policy can count as two-way contact: field on the policy
# that enables it, field on crm.lead that counts it.
INTERACTION_KINDS = {
    "inbound_email": ("count_inbound_email", "inbound_email_count"),
    "call": ("count_call", "call_count"),
    "meeting": ("count_meeting", "meeting_count"),
}


class CrmQualificationPolicy(models.Model):
    _name = "crm.qualification.policy"
    _description = "Lead Qualification Policy"
    _order = "is_company_default desc, sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        index=True,
        help="Leave empty to share the policy between companies.",
    )
    is_company_default = fields.Boolean(
        string="Company Default",
        help="Applies to the leads of every sales team of its company that has no "
        "policy of its own (with no company: of every company without a default).",
    )
    team_ids = fields.One2many(
        "crm.team", "qualification_policy_id", string="Sales Teams"
    )
    # Two-way contact
    count_inbound_email = fields.Boolean(
        string="Emails from the Lead",
        default=True,
        help="An email received from the lead counts (not the one that created it).",
    )
    count_call = fields.Boolean(
        string="Logged Calls",
        default=True,
        help="A done activity of the 'Phone Call' category counts.",
    )
    count_meeting = fields.Boolean(
        string="Meetings Held",
        default=True,
        help="A calendar meeting of the lead that has started counts.",
    )
    min_interactions = fields.Integer(
        string="Interactions Required",
        default=1,
        help="How many two-way interactions of the counted kinds qualification needs.",
    )
    # Verified facts
    require_valid_email = fields.Boolean(string="Valid Email Required")
    require_valid_phone = fields.Boolean(string="Valid Phone Required")
    require_budget = fields.Boolean(string="Budget Required")
    require_authority = fields.Boolean(string="Authority Required")
    require_need = fields.Boolean(string="Need Required")
    require_timing = fields.Boolean(string="Timing Required")
    # Conversion
    enforce_conversion = fields.Boolean(
        string="Enforce on Conversion",
        help="Converting a lead of these teams to an opportunity (the Convert "
        "button, the mass conversion and the automatic lead assignment) requires it "
        "to be qualified first.",
    )
    create_opportunity = fields.Boolean(
        string="Qualification Creates an Opportunity",
        help="Default of the 'Create an opportunity' option when qualifying.",
    )
    # Contactability
    unanswered_attempts_limit = fields.Integer(
        string="Unanswered Attempts",
        default=3,
        help="After this many contact attempts without any answer, the lead is "
        "suggested as not contactable.",
    )

    # Rented lists
    established_contact_count = fields.Integer(
        string="Established Relationship",
        default=3,
        help="A rented-list contact reached this many times may be promoted to a lead, "
        "even if it never replied.",
    )
    # Marketing
    mailing_list_ids = fields.Many2many(
        "mailing.list",
        "crm_qualification_policy_mailing_list_rel",
        "policy_id",
        "list_id",
        string="Mailing Lists",
        groups="mass_mailing.group_mass_mailing_user",
        help="Partners qualified under this policy join these mailing lists (through "
        "the automation rule 'Qualified partners join their policy's mailing lists').",
    )
    # Rating suggestion
    rating_a_revenue = fields.Float(
        string="Rating A from Expected Revenue",
        default=50000.0,
        help="Leads whose expected revenue (in the company currency) is at or above "
        "this amount are proposed the rating A (large project); below it but above 0, "
        "B (small project). 0 never proposes A.",
    )

    _sql_constraints = [
        (
            "min_interactions_positive",
            "CHECK(min_interactions >= 0)",
            "The number of interactions required cannot be negative.",
        ),
        (
            "unanswered_attempts_limit_positive",
            "CHECK(unanswered_attempts_limit >= 1)",
            "The number of unanswered attempts must be at least 1.",
        ),
        (
            "rating_a_revenue_positive",
            "CHECK(rating_a_revenue >= 0)",
            "The expected revenue of a rating A cannot be negative.",
        ),
    ]

    @api.constrains("is_company_default", "company_id", "active")
    def _check_one_default_per_company(self):
        for policy in self.filtered(lambda p: p.is_company_default and p.active):
            others = self.search_count(
                [
                    ("id", "!=", policy.id),
                    ("is_company_default", "=", True),
                    ("company_id", "=", policy.company_id.id),
                ]
            )
            if others:
                raise ValidationError(
                    self.env._(
                        "There is already a default qualification policy for "
                        "%(company)s: untick 'Company Default' on one of them.",
                        company=policy.company_id.name or self.env._("all companies"),
                    )
                )

    @api.constrains(
        "count_inbound_email", "count_call", "count_meeting", "min_interactions"
    )
    def _check_counted_kinds(self):
        for policy in self:
            if policy.min_interactions and not policy._counted_kinds():
                raise ValidationError(
                    self.env._(
                        "Policy %(name)s requires interactions but counts none: "
                        "tick at least one kind of interaction, or require 0.",
                        name=policy.name,
                    )
                )

    # ------------------------------------------------------------
    # ORM
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        policies = super().create(vals_list)
        self.env.registry.clear_cache()
        return policies

    def write(self, vals):
        res = super().write(vals)
        if {"is_company_default", "company_id", "active"} & set(vals):
            self.env.registry.clear_cache()
        if {"rating_a_revenue", "is_company_default", "company_id", "active"} & set(
            vals
        ):
            self._rating_resuggest()
        return res

    def unlink(self):
        res = super().unlink()
        self.env.registry.clear_cache()
        return res

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _counted_kinds(self):
        """Interaction kinds (keys of INTERACTION_KINDS) this policy counts."""
        self.ensure_one()
        return [
            kind for kind, (flag, _count) in INTERACTION_KINDS.items() if self[flag]
        ]

    @api.model
    def _get_policy(self, team, company):
        """The policy that governs leads of ``team`` in ``company``: the team's own,
        else the company default."""
        return team.qualification_policy_id or self._get_default_policy(company)

    @api.model
    def _get_default_policy(self, company):
        """The company's default policy, else the shared default, else nothing."""
        return self.browse(self._get_default_policy_id(company.id))

    @api.model
    @tools.ormcache("company_id")
    def _get_default_policy_id(self, company_id):
        # Read for every lead converted or checked: cached, cleared when policies
        # change.
        policy = self.sudo().search(
            [
                ("is_company_default", "=", True),
                ("company_id", "in", [company_id, False]),
            ],
            order="company_id asc",  # NULLS LAST: the company's own default first
            limit=1,
        )
        return policy.id

    def _rating_resuggest(self):
        """The ORM follows a team's own policy (a dependency of the suggestion); the
        company default applies to leads without one, which it cannot follow: mark their
        suggestion (and what depends on it) for recomputation."""
        defaults = self.filtered("is_company_default")
        if not defaults:
            return
        Lead = self.env["crm.lead"].with_context(active_test=False)
        leads = Lead.search(
            [
                "|",
                ("team_id", "=", False),
                ("team_id.qualification_policy_id", "=", False),
            ]
        )
        if leads:
            self.env.add_to_compute(Lead._fields["rating_suggested"], leads)
            leads.modified(["rating_suggested"])
