# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import logging

from markupsafe import Markup, escape

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL, email_normalize

from .base import lifecycle_server_write
from .crm_qualification_policy import INTERACTION_KINDS

_logger = logging.getLogger(__name__)

LIFECYCLE_STATES = [
    ("new", "New"),
    ("contacted", "Contacted"),
    ("qualified", "Qualified"),
    ("disqualified", "Disqualified"),
]

# Stored interaction fields, filled by _lifecycle_refresh_interactions from what Odoo
# records.
INTERACTION_FIELDS = [
    "inbound_email_count",
    "call_count",
    "meeting_count",
    "contact_attempt_count",
    "first_two_way_date",
    "last_interaction_date",
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
    lifecycle_origin_message_id = fields.Char(
        string="Creating Email Message-ID",
        copy=False,
        readonly=True,
        help="Message-ID of the email that created the lead through a mail alias: that "
        "email is the request itself, not a reply, and never counts as an interaction.",
    )
    # Interactions, detected from messages, activities and meetings
    inbound_email_count = fields.Integer(
        string="Emails Received", readonly=True, copy=False
    )
    call_count = fields.Integer(string="Logged Calls", readonly=True, copy=False)
    meeting_count = fields.Integer(string="Meetings Held", readonly=True, copy=False)
    contact_attempt_count = fields.Integer(
        string="Unanswered Attempts",
        readonly=True,
        copy=False,
        help="Our emails to the lead since its last answer (or ever, if it never "
        "answered).",
    )
    first_two_way_date = fields.Datetime(
        string="First Two-Way Contact", readonly=True, copy=False
    )
    last_interaction_date = fields.Datetime(
        string="Last Interaction", readonly=True, copy=False
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

    @api.model
    def message_new(self, msg_dict, custom_values=None):
        # Remember the Message-ID of the email that creates the lead: it is the request,
        # not a reply, and must not count as two-way contact.
        custom_values = dict(custom_values or {})
        if msg_dict.get("message_id"):
            custom_values.setdefault(
                "lifecycle_origin_message_id", msg_dict["message_id"]
            )
        return super().message_new(msg_dict, custom_values=custom_values)

    def _message_post_after_hook(self, message, msg_vals):
        res = super()._message_post_after_hook(message, msg_vals)
        # Emails and chatter replies, and the messages of done activities (a logged
        # call); not the other notifications, such as crm's "Lead created" posted at
        # every creation (a recount per created lead would double a lead's cost).
        if message.message_type in ("email", "comment") or (
            message.message_type == "notification" and message.mail_activity_type_id
        ):
            self._lifecycle_refresh_interactions()
        return res

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
            "name": _("Qualify"),
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
                _(
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
            raise UserError(_("None of these leads is suggested as not contactable."))
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
            message = _("Asked not to be contacted (lead disqualified).")
            for email in set(to_blacklist.mapped("email_normalized")):
                Blacklist._add(email, message=message)
            return
        to_blacklist._message_log_batch(
            bodies={
                lead.id: escape(
                    _(
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
        if blocked:
            raise UserError(
                _(
                    "These leads must be qualified before they become opportunities "
                    "(policy of their sales team):\n%(leads)s\nQualify them first.",
                    leads="\n".join(f"- {name}" for name in blocked.mapped("name")),
                )
            )
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
                _(
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
            raise UserError(_("Already qualified."))
        if not self.active:
            raise UserError(_("The lead is archived or lost: restore it first."))
        missing = [
            label for _key, label, met, _d in self._lifecycle_requirements() if not met
        ]
        if missing and not override_reason:
            raise UserError(_("Missing: %(missing)s", missing="; ".join(missing)))
        if not (
            self.contact_name or self.partner_name or self.email_from or self.partner_id
        ):
            raise UserError(
                _(
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
                body = _(
                    "Qualified into %(partner)s, overriding the qualification policy "
                    "(missing: %(missing)s). Reason: %(reason)s",
                    partner=lead.partner_id.display_name,
                    missing="; ".join(missing[lead]) or _("nothing"),
                    reason=override_reason,
                )
            else:
                body = _(
                    "Qualified into %(partner)s.", partner=lead.partner_id.display_name
                )
            bodies[lead.id] = escape(body)
        # A note per lead, created in one batch (a note notifies no follower).
        self._message_log_batch(bodies=bodies)

    def _lifecycle_batch_partners(self):
        """The partner each lead of self qualifies into: its own, the person
        matched by email, or a new person (child of the company matched by name and
        web domain, or of a new company), as found or created lead after lead (two
        leads of the same person share one partner). New partners are created in
        two batches and carry their first touch (qualified_from_lead_id).

        :return: dict {lead: res.partner}
        """
        Partner = self.env["res.partner"]
        result = {lead: lead.partner_id for lead in self if lead.partner_id}
        todo = self.filtered(lambda lead: not lead.partner_id)
        persons, companies = todo._lifecycle_existing_partners()
        # partners to create: {"values": vals, "company": entry, record or None}
        new_companies, new_persons = [], []
        for lead in todo.with_context(lead_lifecycle_qualify=True):
            email = lead.email_normalized
            if email and email in persons:
                result[lead] = persons[email]
                continue
            company = None
            name = (lead.partner_name or "").strip()
            if name:
                candidates = companies.setdefault(name.lower(), [])
                company = lead._lifecycle_pick_company(candidates)
                if company is None:
                    company = {
                        "values": lead._lifecycle_new_partner_values(
                            lead.partner_name, is_company=True
                        )
                    }
                    new_companies.append(company)
                    candidates.append(company)
            contact_name = lead.contact_name
            if not contact_name and lead.email_from:
                contact_name = lead._lifecycle_contact_name_from_email()
            if not contact_name:
                result[lead] = company
                continue
            person = {
                "values": lead._lifecycle_new_partner_values(
                    contact_name, is_company=False
                ),
                "company": company,
            }
            new_persons.append(person)
            if email:
                persons[email] = person
            result[lead] = person

        def record(entry):
            if entry is None:
                return Partner
            return entry if isinstance(entry, models.BaseModel) else entry["record"]

        created = Partner.create([entry["values"] for entry in new_companies])
        for entry, partner in zip(new_companies, created, strict=True):
            entry["record"] = partner
        for entry in new_persons:
            if entry["company"] is not None:
                entry["values"]["parent_id"] = record(entry["company"]).id
        created = Partner.create([entry["values"] for entry in new_persons])
        for entry, partner in zip(new_persons, created, strict=True):
            entry["record"] = partner
        return {lead: record(entry) for lead, entry in result.items()}

    def _lifecycle_existing_partners(self):
        """Existing persons by normalized email and companies by lower-cased name,
        for the leads of self, after claiming those emails and names
        (lead.lifecycle.claim).

        :return: ({email: res.partner}, {name: [res.partner, ...]})
        """
        Partner = self.env["res.partner"]
        emails = {lead.email_normalized for lead in self if lead.email_normalized}
        names = {
            lead.partner_name.strip().lower()
            for lead in self
            if (lead.partner_name or "").strip()
        }
        # Two qualifications of the same person or company at once would both find
        # nothing (each reads its own snapshot, even after waiting on the other) and
        # create two partners: claiming the keys makes the later one fail with a
        # serialization failure, and Odoo's retry replays it seeing the partners.
        Claim = self.env["lead.lifecycle.claim"]
        Claim._claim("res.partner:email", emails)
        Claim._claim("res.partner:company", names)
        persons = {}
        if emails:
            found = Partner.search(
                [("email_normalized", "in", list(emails))], order="is_company, id"
            )
            for person in found:
                persons.setdefault(person.email_normalized, person)
        companies = {}
        if names:
            # Case-insensitive equality of names (=ilike without wildcard), one
            # query for all names.
            self.env.cr.execute(
                SQL(
                    "SELECT id FROM res_partner WHERE is_company "
                    "AND lower(name) = ANY(%s)",
                    list(names),
                )
            )
            ids = [row[0] for row in self.env.cr.fetchall()]
            found = Partner.search(
                [("id", "in", ids), ("is_company", "=", True)], order="id"
            )
            for company in found:
                companies.setdefault(company.name.strip().lower(), []).append(company)
        return persons, companies

    def _lifecycle_pick_company(self, candidates):
        """Among existing companies (records) and companies about to be created
        ({"values": ...}) of the lead's company name, the one to reuse: the same web
        domain, else one without website or email; None if none."""
        self.ensure_one()

        def website_or_email(candidate):
            if isinstance(candidate, models.BaseModel):
                return candidate.website or candidate.email or ""
            values = candidate["values"]
            return values.get("website") or values.get("email") or ""

        domain = self._lifecycle_web_domain()
        if not domain:
            return candidates[0] if candidates else None
        for candidate in candidates:
            if self._lifecycle_domain_of(website_or_email(candidate)) == domain:
                return candidate
        for candidate in candidates:
            if not website_or_email(candidate):
                return candidate
        return None

    def _lifecycle_new_partner_values(self, name, is_company):
        values = self._prepare_customer_values(name, is_company=is_company)
        values.update(
            qualified_from_lead_id=self.id, qualified_date=fields.Datetime.now()
        )
        return values

    def _lifecycle_web_domain(self):
        self.ensure_one()
        domain = self._lifecycle_domain_of(self.website or "")
        if not domain and self.email_normalized:
            email_domain = self.email_normalized.rpartition("@")[2]
            if email_domain not in self._lifecycle_free_mail_domains():
                domain = email_domain
        return domain

    @api.model
    def _lifecycle_domain_of(self, value):
        value = (value or "").strip().lower()
        if "@" in value:
            value = value.rpartition("@")[2]
        for prefix in ("https://", "http://"):
            value = value.removeprefix(prefix)
        value = value.split("/")[0].removeprefix("www.")
        return value

    @api.model
    def _lifecycle_free_mail_domains(self):
        return {
            "gmail.com",
            "googlemail.com",
            "hotmail.com",
            "outlook.com",
            "live.com",
            "yahoo.com",
            "icloud.com",
            "me.com",
            "aol.com",
            "gmx.com",
            "gmx.net",
            "gmx.de",
            "web.de",
            "proton.me",
            "protonmail.com",
            "orange.fr",
            "free.fr",
            "laposte.net",
            "example.com",
        }

    def _lifecycle_contact_name_from_email(self):
        from odoo.tools.mail import parse_contact_from_email

        name, email = parse_contact_from_email(self.email_from)
        return name or email

    def _prepare_customer_values(self, partner_name, is_company=False, parent_id=False):
        values = super()._prepare_customer_values(
            partner_name, is_company=is_company, parent_id=parent_id
        )
        if self.env.context.get("lead_lifecycle_qualify"):
            if is_company:
                # The person's own contact data belongs on the person.
                for key in ("email", "phone", "mobile", "function", "title", "comment"):
                    values[key] = False
            else:
                values["type"] = "contact"
        return values

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
            "inbound_email": _("emails received"),
            "call": _("logged calls"),
            "meeting": _("meetings held"),
        }
        kinds = policy._counted_kinds()
        if policy.min_interactions:
            done = sum(counts[k] for k in kinds)
            items.append(
                (
                    "interactions",
                    _(
                        "%(n)s two-way interaction(s) (%(kinds)s)",
                        n=policy.min_interactions,
                        kinds=", ".join(labels[k] for k in kinds),
                    ),
                    done >= policy.min_interactions,
                    _("%(done)s of %(n)s", done=done, n=policy.min_interactions),
                )
            )
        if policy.require_valid_email:
            valid = self._lifecycle_email_valid()
            items.append(
                (
                    "email",
                    _("a valid email"),
                    valid,
                    _("valid")
                    if valid
                    else (self.email_from and _("invalid") or _("empty")),
                )
            )
        if policy.require_valid_phone:
            valid = (
                bool(self.phone or self.mobile) and not self._lifecycle_phone_invalid()
            )
            items.append(
                (
                    "phone",
                    _("a valid phone"),
                    valid,
                    _("valid")
                    if valid
                    else ((self.phone or self.mobile) and _("invalid") or _("empty")),
                )
            )
        for key, flag, label in (
            ("budget", "require_budget", _("the budget (BANT)")),
            ("authority", "require_authority", _("the authority (BANT)")),
            ("need", "require_need", _("the need (BANT)")),
            ("timing", "require_timing", _("the timing (BANT)")),
        ):
            if policy[flag]:
                met = bool(self["bant_" + key])
                items.append((key, label, met, _("known") if met else _("unknown")))
        return items

    def _lifecycle_render_checklist(self, items):
        if not items:
            return Markup("<p>%s</p>") % _("No qualification policy applies.")
        met_label, missing_label = _("Met"), _("Missing")
        rows = Markup("").join(
            Markup(
                '<li class="%s"><i class="fa %s me-1" role="img" aria-label="%s"></i>'
                "%s <small class='text-muted'>(%s)</small></li>"
            )
            % (
                "text-success" if met else "text-danger",
                "fa-check-circle" if met else "fa-times-circle",
                met_label if met else missing_label,
                escape(label),
                escape(detail),
            )
            for _key, label, met, detail in items
        )
        return (
            Markup('<ul class="list-unstyled mb-0 o_lead_lifecycle_checklist">%s</ul>')
            % rows
        )

    def _lifecycle_email_valid(self):
        self.ensure_one()
        # crm's email_state accepts "@hotmail.com"; email-validator does not.
        if self.email_state != "correct" or not email_normalize(self.email_from):
            return False
        try:
            from email_validator import EmailNotValidError, validate_email
        except ImportError:  # pragma: no cover - declared in external_dependencies
            return True
        try:
            validate_email(self.email_normalized, check_deliverability=False)
        except EmailNotValidError:
            return False
        return True

    def _lifecycle_phone_invalid(self):
        """True when the phone (crm's stored phone_state) or the mobile is not a valid
        number for the lead's country, as phonenumbers says."""
        self.ensure_one()
        if self.phone_state == "incorrect":
            return True
        if not self.mobile:
            return False
        from odoo.addons.phone_validation.tools import phone_validation

        try:
            phone_validation.phone_parse(self.mobile, self.country_id.code or None)
        except UserError:
            return True
        return False

    # ------------------------------------------------------------
    # BUSINESS: interactions
    # ------------------------------------------------------------

    def _lifecycle_refresh_interactions(self):
        """Recount the two-way interactions of the leads from what Odoo recorded, in one
        set-based query for the whole recordset (safe to run any number of times).

        - emails received: messages of type email whose author is not an internal user,
          except the email that created the lead through a mail alias;
        - logged calls: done activities of the 'phonecall' category (their messages);
        - meetings held: calendar events of the lead that have started;
        - contact attempts: our emails (discussion messages by internal users) since the
          lead's last answer.
        """
        leads = self.filtered("id")
        if not leads:
            return
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
            WITH internal AS (
                SELECT DISTINCT partner_id FROM res_users WHERE NOT share
            ), msg AS (
                SELECT m.id, m.res_id, m.date,
                       (m.message_type = 'email'
                        AND m.message_id IS DISTINCT FROM l.lifecycle_origin_message_id
                        AND i.partner_id IS NULL) AS inbound,
                       COALESCE(t.category = 'phonecall', FALSE) AS call,
                       (m.message_type IN ('comment', 'email', 'email_outgoing')
                        AND m.subtype_id = %(discussion)s
                        AND i.partner_id IS NOT NULL) AS outbound
                  FROM mail_message m
                  JOIN crm_lead l ON l.id = m.res_id
             LEFT JOIN internal i ON i.partner_id = m.author_id
             LEFT JOIN mail_activity_type t ON t.id = m.mail_activity_type_id
                 WHERE m.model = 'crm.lead' AND m.res_id = ANY(%(ids)s)
            ), meet AS (
                SELECT e.opportunity_id AS res_id, count(*) AS n, min(e.start) AS first,
                       max(e.start) AS last
                  FROM calendar_event e
                 WHERE e.opportunity_id = ANY(%(ids)s) AND e.active AND e.start <=
                     %(now)s
              GROUP BY e.opportunity_id
            ), agg AS (
                SELECT res_id,
                       count(*) FILTER (WHERE inbound) AS inbound_n,
                       min(date) FILTER (WHERE inbound) AS inbound_first,
                       max(date) FILTER (WHERE inbound) AS inbound_last,
                       count(*) FILTER (WHERE call) AS call_n,
                       min(date) FILTER (WHERE call) AS call_first,
                       max(date) FILTER (WHERE call) AS call_last,
                       max(id) FILTER (WHERE inbound OR call) AS answer_id
                  FROM msg GROUP BY res_id
            ), tot AS (
                SELECT l.id,
                       COALESCE(a.inbound_n, 0) AS inbound_n,
                       COALESCE(a.call_n, 0) AS call_n,
                       COALESCE(mt.n, 0) AS meeting_n,
                       LEAST(a.inbound_first, a.call_first, mt.first) AS first,
                       GREATEST(a.inbound_last, a.call_last, mt.last) AS last,
                       COALESCE(a.answer_id, 0) AS answer_id,
                       mt.last AS meeting_last
                  FROM crm_lead l
             LEFT JOIN agg a ON a.res_id = l.id
             LEFT JOIN meet mt ON mt.res_id = l.id
                 WHERE l.id = ANY(%(ids)s)
            )
            SELECT tot.id, tot.inbound_n, tot.call_n, tot.meeting_n, tot.first,
                tot.last,
                   (SELECT count(*) FROM msg
                     WHERE msg.res_id = tot.id AND msg.outbound
                       AND msg.id > tot.answer_id
                       AND msg.date >= COALESCE(tot.meeting_last,
                           '-infinity'::timestamp))
              FROM tot
                """,
                ids=leads.ids,
                now=fields.Datetime.now(),
                discussion=self.env["ir.model.data"]._xmlid_to_res_id(
                    "mail.mt_comment"
                ),
            )
        )
        for (
            lead_id,
            inbound,
            calls,
            meetings,
            first,
            last,
            attempts,
        ) in self.env.cr.fetchall():
            lead = self.browse(lead_id)
            values = {
                "inbound_email_count": inbound,
                "call_count": calls,
                "meeting_count": meetings,
                "first_two_way_date": first or False,
                "last_interaction_date": last or False,
                "contact_attempt_count": attempts,
            }
            changed = {
                key: value for key, value in values.items() if lead[key] != value
            }
            if changed:
                lead.write(changed)

    @api.model
    def _cron_lifecycle_refresh_meetings(self):
        """Meetings count once they have started: recount leads whose meetings started
        since the last run (a day back at most)."""
        since = fields.Datetime.subtract(fields.Datetime.now(), days=1)
        events = self.env["calendar.event"].search(
            [
                ("opportunity_id", "!=", False),
                ("start", ">=", since),
                ("start", "<=", fields.Datetime.now()),
            ]
        )
        events.opportunity_id._lifecycle_refresh_interactions()
