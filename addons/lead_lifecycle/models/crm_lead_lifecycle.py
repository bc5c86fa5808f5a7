# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""crm.lead: the lifecycle of a lead (new, contacted, qualified, disqualified), its
BANT facts, its contactability, and the actions that move a lead along (qualify,
disqualify, convert). What a lead must show to be qualified is
crm_lead_checklist.py; finding or creating the partner it qualifies into is
crm_lead_partner_match.py; counting its interactions is crm_lead_interaction.py."""

import logging

from markupsafe import escape

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from .base import lifecycle_server_write

_logger = logging.getLogger(__name__)

LIFECYCLE_STATES = [
    ("new", "New"),
    ("contacted", "Contacted"),
    ("qualified", "Qualified"),
    ("disqualified", "Disqualified"),
]


class CrmLead(models.Model):
    _inherit = "crm.lead"

    # Lifecycle
    lifecycle_state = fields.Selection(
        LIFECYCLE_STATES,
        string="Qualification",
        compute="_compute_lifecycle_state",
        store=True,
        readonly=False,
        index=True,
        tracking=True,
        copy=False,
        help="New: no two-way contact yet. Contacted: we talked with the lead "
        "(logged call, email received, meeting). Qualified: promoted into the "
        "customer database. "
        "Disqualified: lost with a reason; its contact data stays for marketing.",
    )
    qualified_date = fields.Datetime(copy=False, tracking=True, readonly=True)
    qualified_by_id = fields.Many2one("res.users", copy=False, readonly=True)
    disqualified_date = fields.Datetime(copy=False, readonly=True)
    qualification_override_reason = fields.Text(
        string="Policy Override Reason", copy=False, readonly=True
    )
    # BANT
    bant_budget = fields.Monetary(
        string="Budget", currency_field="company_currency", tracking=True
    )
    bant_authority = fields.Selection(
        [
            ("decision_maker", "Decision Maker"),
            ("influencer", "Influencer"),
            ("no_authority", "No Authority"),
        ],
        string="Authority",
        tracking=True,
        help="Is the contact the person who decides?",
    )
    bant_need = fields.Text(string="Need", tracking=True)
    bant_timing = fields.Selection(
        [
            ("month", "Within a Month"),
            ("quarter", "Within 3 Months"),
            ("year", "Within a Year"),
            ("later", "Later"),
        ],
        string="Timing",
        tracking=True,
    )
    bant_decision_date = fields.Date(string="Decision Date", tracking=True)
    # Contactability
    not_contactable_hint = fields.Selection(
        [
            ("bounced", "Email Bounced"),
            ("invalid_phone", "Invalid Phone"),
            ("no_answer", "No Answer"),
        ],
        string="Not Contactable?",
        compute="_compute_not_contactable_hint",
        store=True,
        help="Suggests disqualifying the lead as not contactable.",
    )

    @api.depends("first_two_way_date", "active")
    def _compute_lifecycle_state(self):
        for lead in self:
            if lead.lifecycle_state == "qualified" or (
                lead.lifecycle_state == "disqualified" and not lead.active
            ):
                lead.lifecycle_state = lead.lifecycle_state
            elif lead.first_two_way_date:
                lead.lifecycle_state = "contacted"
            else:
                lead.lifecycle_state = "new"

    @api.depends(
        "message_bounce",
        "phone_state",
        "mobile",
        "country_id",
        "contact_attempt_count",
        "first_two_way_date",
        "team_id.qualification_policy_id.unanswered_attempts_limit",
        "lifecycle_state",
    )
    def _compute_not_contactable_hint(self):
        Policy = self.env["crm.qualification.policy"]
        for lead in self:
            if lead.lifecycle_state in ("qualified", "disqualified"):
                lead.not_contactable_hint = False
            elif lead.message_bounce > 0:
                lead.not_contactable_hint = "bounced"
            elif lead._lifecycle_phone_invalid():
                lead.not_contactable_hint = "invalid_phone"
            elif not lead.first_two_way_date and lead.contact_attempt_count >= (
                Policy._get_policy(
                    lead.team_id, lead.company_id or self.env.company
                ).unanswered_attempts_limit
                or 3
            ):
                lead.not_contactable_hint = "no_answer"
            else:
                lead.not_contactable_hint = False

    # ------------------------------------------------------------
    # ORM
    # ------------------------------------------------------------

    def _merge_get_fields(self):
        return super()._merge_get_fields() + [
            "bant_budget",
            "bant_authority",
            "bant_need",
            "bant_timing",
            "bant_decision_date",
        ]

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_open_qualify_wizard(self):
        return {
            "name": self.env._("Qualify"),
            "type": "ir.actions.act_window",
            "res_model": "crm.lead.qualify",
            "view_mode": "form",
            "target": "new",
            "context": {"active_model": "crm.lead", "active_ids": self.ids},
        }

    def action_qualify(self, create_opportunity=None, override_reason=False):
        """Qualify the leads into partners, with an opportunity when asked (default: the
        policy's). Refuses with the missing requirements of the first lead that does not
        meet its policy; a Lead Lifecycle manager may override with a reason."""
        result = self._lifecycle_qualify(
            create_opportunity=create_opportunity, override_reason=override_reason
        )
        if result["skipped"]:
            lead, reason = next(iter(result["skipped"].items()))
            raise UserError(
                self.env._(
                    "Lead %(lead)s cannot be qualified:\n%(reason)s",
                    lead=lead.name,
                    reason=reason,
                )
            )
        return True

    def action_disqualify_suggested(self):
        """One click: disqualify the leads as not contactable with the reason matching
        their hint (bounced email, invalid phone, no answer)."""
        reasons = {
            "bounced": "lead_lifecycle.lost_reason_bounced",
            "invalid_phone": "lead_lifecycle.lost_reason_invalid_phone",
            "no_answer": "lead_lifecycle.lost_reason_no_answer",
        }
        leads = self.filtered("not_contactable_hint")
        if not leads:
            raise UserError(
                self.env._("None of these leads is suggested as not contactable.")
            )
        for hint, xmlid in reasons.items():
            batch = leads.filtered(lambda lead, h=hint: lead.not_contactable_hint == h)
            if batch:
                batch.action_set_lost(lost_reason_id=self.env.ref(xmlid).id)
        return True

    def action_set_lost(self, **additional_values):
        # Losing a lead that was never qualified disqualifies it; a qualified
        # opportunity that is lost stays qualified (it is a lost deal, not a bad lead).
        unqualified = self.filtered(lambda lead: lead.lifecycle_state != "qualified")
        res = super().action_set_lost(**additional_values)
        if unqualified:
            with lifecycle_server_write():
                unqualified.write(
                    {
                        "lifecycle_state": "disqualified",
                        "disqualified_date": fields.Datetime.now(),
                    }
                )
            unqualified._lifecycle_blacklist_lost()
        return res

    # ------------------------------------------------------------
    # BUSINESS: blacklist on disqualification
    # ------------------------------------------------------------

    def _lifecycle_blacklist_lost(self):
        """Blacklist the emails of the leads lost with a reason that says so. Adding
        to the blacklist is a marketing right (create and write on mail.blacklist):
        without it the lead stays lost and a note asks a marketing user to confirm."""
        to_blacklist = self.filtered(
            lambda lead: lead.lost_reason_id.blacklist_email and lead.email_normalized
        )
        if not to_blacklist:
            return
        Blacklist = self.env["mail.blacklist"]
        if Blacklist.has_access("create") and Blacklist.has_access("write"):
            message = self.env._("Asked not to be contacted (lead disqualified).")
            for email in set(to_blacklist.mapped("email_normalized")):
                Blacklist._add(email, message=message)
            return
        to_blacklist._message_log_batch(
            bodies={
                lead.id: escape(
                    self.env._(
                        "Lost reason %(reason)s blacklists the email, but adding "
                        "%(email)s to the blacklist is a marketing right: a marketing "
                        "user must confirm it (Email Marketing > Configuration > "
                        "Blacklisted Email Addresses).",
                        reason=lead.lost_reason_id.name,
                        email=lead.email_normalized,
                    )
                )
                for lead in to_blacklist
            }
        )

    # ------------------------------------------------------------
    # BUSINESS: conversion enforcement
    # ------------------------------------------------------------

    def convert_opportunity(self, partner, user_ids=False, team_id=False):
        blocked = self._lifecycle_conversion_blocked()
        if blocked and self.env.context.get("lead_lifecycle_assign_only"):
            # Automatic assignment: assign the salesperson, keep the lead a lead.
            blocked._handle_salesmen_assignment(user_ids=user_ids, team_id=team_id)
            return super(CrmLead, self - blocked).convert_opportunity(
                partner, user_ids=user_ids, team_id=team_id
            )
        self._lifecycle_check_not_converted(blocked)
        return super().convert_opportunity(partner, user_ids=user_ids, team_id=team_id)

    def _lifecycle_conversion_blocked(self):
        return self.filtered(
            lambda lead: lead.type == "lead"
            and lead.active
            and lead.lifecycle_state != "qualified"
            and lead.qualification_policy_id.enforce_conversion
        )

    # ------------------------------------------------------------
    # BUSINESS: qualification
    # ------------------------------------------------------------

    def _lifecycle_qualify(self, create_opportunity=None, override_reason=False):
        """Qualify each lead of self, all or nothing per lead.

        :param create_opportunity: True/False, or None for each lead's policy default
        :param override_reason: qualify despite missing requirements (managers only)
        :return: dict(qualified=crm.lead recordset, skipped={lead: reason})
        """
        if override_reason and not self.env.user.has_group(
            "lead_lifecycle.group_lead_lifecycle_manager"
        ):
            raise AccessError(
                self.env._(
                    "Only a Lead Lifecycle manager may override the qualification "
                    "policy."
                )
            )
        if override_reason is not False and not (override_reason or "").strip():
            override_reason = False
        self._lifecycle_refresh_interactions()
        leads = self.filtered("id")
        if leads:
            # Two users qualifying the same leads at once: the second waits, then
            # sees them done (id order: two batches never deadlock).
            self.env.cr.execute(
                SQL(
                    "SELECT id FROM crm_lead WHERE id IN %s ORDER BY id FOR UPDATE",
                    tuple(leads.ids),
                )
            )
            leads.invalidate_recordset(["lifecycle_state", "partner_id", "active"])
        skipped = {}
        ready = self.browse()
        missing = {}
        for lead in self:
            try:
                missing[lead] = lead._lifecycle_qualify_check(override_reason)
                ready |= lead
            except UserError as error:
                skipped[lead] = error.args[0]
        qualified = self.browse()
        if len(ready) > 1:
            # All leads at once; one failing lead sends the batch back to the
            # lead-by-lead loop below (all or nothing per lead).
            try:
                with self.env.cr.savepoint():
                    ready._lifecycle_qualify_batch(
                        create_opportunity, override_reason, missing
                    )
                qualified, ready = ready, self.browse()
            except UserError as error:
                # A lead of the batch failed (e.g. a constraint on a partner made
                # from its data): redo lead by lead, so only that lead is skipped.
                _logger.info("Batch qualification failed (%s), lead by lead", error)
        for lead in ready:
            try:
                with self.env.cr.savepoint():
                    lead._lifecycle_qualify_batch(
                        create_opportunity, override_reason, missing
                    )
                qualified |= lead
            except UserError as error:
                skipped[lead] = error.args[0]
                lead.invalidate_recordset()
        return {"qualified": qualified, "skipped": skipped}

    def _lifecycle_qualify_check(self, override_reason):
        """Raise UserError when the lead cannot be qualified; return the labels of
        the requirements it misses (qualified anyway under an override)."""
        self.ensure_one()
        if self.lifecycle_state == "qualified":
            raise UserError(self.env._("Already qualified."))
        if not self.active:
            raise UserError(
                self.env._("The lead is archived or lost: restore it first.")
            )
        missing = [
            label for _key, label, met, _d in self._lifecycle_requirements() if not met
        ]
        if missing and not override_reason:
            raise UserError(
                self.env._("Missing: %(missing)s", missing="; ".join(missing))
            )
        if not (
            self.contact_name or self.partner_name or self.email_from or self.partner_id
        ):
            raise UserError(
                self.env._(
                    "There is no contact to promote: give a contact name, a company "
                    "or an email."
                )
            )
        return missing

    def _lifecycle_qualify_batch(self, create_opportunity, override_reason, missing):
        """Qualify the leads of self (checked by _lifecycle_qualify_check) together:
        each lead gets the partner of its person (matched by email, else created as
        a child of its company, matched by name and web domain, else created), is
        marked qualified, converted when asked, and logs a note. Persons and
        companies of all leads are searched once and created in two batches: the
        ORM's create per lead and per partner (stock's mass convert) is what limits
        a mass conversion to a few leads per second."""
        partners = self._lifecycle_batch_partners()
        by_partner = {}
        for lead in self:
            by_partner.setdefault(partners[lead], self.browse())
            by_partner[partners[lead]] |= lead
        for partner, leads in by_partner.items():
            if partner:
                leads._handle_partner_assignment(force_partner_id=partner.id)
        self.write(self._lifecycle_qualified_values(override_reason))
        for lead in self:
            # new partners carry their first touch from creation
            lead.partner_id._lifecycle_mark_qualified_from(lead)
        self._lifecycle_qualify_finish(create_opportunity, override_reason, missing)

    def _lifecycle_qualified_values(self, override_reason):
        return {
            "lifecycle_state": "qualified",
            "qualified_date": fields.Datetime.now(),
            "qualified_by_id": self.env.uid,
            "qualification_override_reason": override_reason or False,
        }

    def _lifecycle_qualify_finish(self, create_opportunity, override_reason, missing):
        """Convert into opportunities where asked and log the qualification."""
        to_convert = self.filtered(
            lambda lead: lead.type == "lead"
            and (
                lead.qualification_policy_id.create_opportunity
                if create_opportunity is None
                else create_opportunity
            )
        )
        by_partner = {}
        for lead in to_convert:
            by_partner.setdefault(lead.partner_id, self.browse())
            by_partner[lead.partner_id] |= lead
        for partner, leads in by_partner.items():
            leads.convert_opportunity(partner)
        bodies = {}
        for lead in self:
            if override_reason:
                body = self.env._(
                    "Qualified into %(partner)s, overriding the qualification policy "
                    "(missing: %(missing)s). Reason: %(reason)s",
                    partner=lead.partner_id.display_name,
                    missing="; ".join(missing[lead]) or self.env._("nothing"),
                    reason=override_reason,
                )
            else:
                body = self.env._(
                    "Qualified into %(partner)s.", partner=lead.partner_id.display_name
                )
            bodies[lead.id] = escape(body)
        # A note per lead, created in one batch (a note notifies no follower).
        self._message_log_batch(bodies=bodies)
