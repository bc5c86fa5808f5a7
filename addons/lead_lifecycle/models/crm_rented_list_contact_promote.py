# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# Concern: promoting rented-list contacts into leads: who is eligible (replied, or
# contacted as often as the qualification policy requires), one lead per person and
# company, its team and the values it gets from the contact.
from collections import Counter, defaultdict

from odoo import api, models
from odoo.tools import SQL

from .base import lifecycle_server_write


class CrmRentedListContact(models.Model):
    _inherit = "crm.rented.list.contact"

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    @api.model
    def _promotion_eligible_domain(self):
        companies = self.env.companies | self.env.company
        policy_model = self.env["crm.qualification.policy"]
        by_count = []
        for company in companies:
            threshold = (
                policy_model._get_default_policy(company).established_contact_count or 3
            )
            clause = [
                ("company_id", "=", company.id),
                ("contact_count", ">=", threshold),
            ]
            by_count = ["|", *by_count, "&", *clause] if by_count else ["&", *clause]
        return [
            ("state", "in", ("new", "contacted")),
            ("validity", "!=", "empty"),
            ("rented_list_id.state", "!=", "purged"),
            "|",
            ("response", "=", "replied"),
            *by_count,
        ]

    def _promote(self):
        """Create one lead per contact in one batch; returns the leads."""
        if not self:
            return self.env["crm.lead"]
        # The team is chosen as for any new lead of the list's company, once per
        # company and not once per lead by crm's computes; the salesperson is left to
        # that team's assignment (not whoever clicked, not OdooBot for the automation
        # rule). The stage is a default, not a value: crm runs its won/lost
        # bookkeeping (_handle_won_lost) per created lead whose values name a stage.
        teams = self._promote_teams()
        stages = {}
        leads_by_key = self._promote_existing_leads()
        vals_by_stage = defaultdict(list)
        new_keys = []
        for contact in self:
            key = contact._promote_key()
            if key and key in leads_by_key:
                continue
            team = teams[contact.company_id.id]
            if team not in stages:
                stages[team] = self.env["crm.lead"]._stage_find(
                    team_id=team.id, domain=[("fold", "=", False)]
                )
            vals_by_stage[stages[team]].append(
                (
                    len(new_keys),
                    dict(contact._prepare_lead_vals(), team_id=team.id, user_id=False),
                )
            )
            new_keys.append(key)
            if key:
                leads_by_key[key] = None  # created below
        counts = Counter(contact.rented_list_id.id for contact in self)
        # The creation message and initial tracking of 10k leads say nothing the
        # rented-list link does not say; the list's chatter logs the promotion.
        # The leads' rented-list origin is a server-only field.
        created_leads = [None] * len(new_keys)
        with lifecycle_server_write():
            for stage, indexed_vals in vals_by_stage.items():
                stage_leads = (
                    self.env["crm.lead"]
                    .with_context(
                        default_stage_id=stage.id,
                        mail_create_nolog=True,
                        mail_create_nosubscribe=True,
                        mail_notrack=True,
                        lead_lifecycle_rented_import=True,
                    )
                    .create([vals for _index, vals in indexed_vals])
                )
                for (index, _vals), lead in zip(indexed_vals, stage_leads, strict=True):
                    created_leads[index] = lead
        leads = self.env["crm.lead"].concat(*created_leads)
        created = iter(leads)
        lead_ids = []
        for contact in self:
            key = contact._promote_key()
            if not key:
                lead_ids.append(next(created).id)
                continue
            if leads_by_key[key] is None:
                leads_by_key[key] = next(created)
            lead_ids.append(leads_by_key[key].id)
        # One statement instead of one write per contact (each with its own lead).
        self.env.cr.execute(
            SQL(
                """
                UPDATE crm_rented_list_contact c
                   SET promoted_lead_id = v.lead_id, state = 'promoted',
                       write_uid = %s, write_date = now() AT TIME ZONE 'UTC'
                  FROM unnest(%s::int[], %s::int[]) AS v(contact_id, lead_id)
                 WHERE c.id = v.contact_id
                """,
                self.env.uid,
                self.ids,
                lead_ids,
            )
        )
        self.invalidate_recordset()
        lists = self.env["crm.rented.list"].browse(counts)
        for rented_list in lists:
            rented_list.message_post(
                body=self.env._(
                    "%(count)s contacts promoted to leads.",
                    count=counts[rented_list.id],
                )
            )
        lists._refresh_figures()
        return self.env["crm.lead"].browse(list(dict.fromkeys(lead_ids)))

    def _promote_teams(self):
        """{company id: crm.team} for the leads promoted from the contacts of self:
        the team crm proposes for a new lead of the list's company (the user's own
        team there, else the company's first lead team), never a team of another
        company."""
        # sudo: the list's company need not be among the companies of the request
        # (an automation rule), nor its teams readable by the user who promotes.
        Team = self.env["crm.team"].sudo()
        teams = {}
        for company in self.company_id:
            domain = [
                ("use_leads", "=", True),
                ("company_id", "in", [company.id, False]),
            ]
            team = Team.with_context(
                allowed_company_ids=[company.id]
            )._get_default_team_id(domain=domain)
            if team.company_id not in (company, Team.company_id):
                team = Team.search(domain, limit=1)
            teams[company.id] = team.with_env(self.env)
        return teams

    def _promote_key(self):
        """(company, email) of the contact: the contacts of one key make one lead."""
        self.ensure_one()
        if not self.email_normalized:
            return None
        return (self.company_id.id, self.email_normalized)

    def _promote_existing_leads(self):
        """{(company, email): crm.lead} of the active leads already promoted from a
        rented list with the emails of the contacts of self (a contact of the same
        person in another list joins that lead), after claiming those emails.

        Two promotions of contacts with one email at once would both find no lead
        (each reads its own snapshot) and create two: the claim makes the later one
        fail with a serialization failure, replayed by Odoo's retry, which then
        finds the lead of the first."""
        keys = {contact._promote_key() for contact in self} - {None}
        if not keys:
            return {}
        self.env["lead.lifecycle.claim"]._claim(
            "crm.lead:rented_list_email",
            [f"{company}:{email}" for company, email in keys],
        )
        # Matching, as _match_contacts does, is not limited to the leads the user
        # may read: a second lead for a person would be the duplicate we avoid.
        leads = (
            self.env["crm.lead"]
            .sudo()
            .search(
                [
                    ("rented_list_contact_id", "!=", False),
                    ("email_normalized", "in", [email for _company, email in keys]),
                    ("company_id", "in", list({company for company, _email in keys})),
                ],
                order="id",
            )
        )
        result = {}
        for lead in leads:
            result.setdefault((lead.company_id.id, lead.email_normalized), lead)
        return {key: lead.with_env(self.env) for key, lead in result.items()}

    def _prepare_lead_vals(self):
        self.ensure_one()
        rented_list = self.rented_list_id
        person = self.contact_name or " ".join(
            part for part in (self.first_name, self.last_name) if part
        )
        description = "\n".join(
            part
            for part in (
                self.industry and self.env._("Industry: %(name)s", name=self.industry),
                self.notes,
            )
            if part
        )
        return {
            "name": self.partner_name or person or self.email,
            "type": "lead",
            "contact_name": person or False,
            "partner_name": self.partner_name,
            "function": self.function,
            "email_from": self.email_normalized or self.email,
            "phone": self.phone_sanitized or self.phone,
            "mobile": self.mobile,
            "street": self.street,
            "city": self.city,
            "zip": self.zip,
            "country_id": self.country_id.id,
            "website": self.website,
            "description": description,
            "partner_id": self.matched_partner_id.id,
            "company_id": rented_list.company_id.id,
            "source_id": rented_list.source_id.id,
            "medium_id": rented_list.medium_id.id,
            "campaign_id": rented_list.campaign_id.id,
            "rented_list_id": rented_list.id,
            "rented_list_contact_id": self.id,
        }

    def _promote_eligible(self):
        """Entry point of the shipped automation rule."""
        return self.filtered("promotion_eligible")._promote()
