# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""crm.lead: the partner a lead qualifies into, found or created.

Matching order (the one place it is written):

1. the lead's own partner, if it has one;
2. else an existing partner whose normalized email is the lead's
   (``email_normalized``; persons before companies, then the oldest);
3. else a new person, named after the contact name (else the name in the email),
   child of the lead's company when it names one: an existing company of the same
   name (case-insensitive) and the same web domain (the lead's website, else its
   email's domain unless a free-mail provider's), else one of that name without
   website or email (with no web domain known: the oldest of that name), else a new
   company;
4. with no person to create, the company itself.

Two leads of the same person (or company) in one batch share one partner; the
emails and names are claimed (lead.lifecycle.claim) so that two qualifications at
once cannot create the same partner twice.

The rented list's SQL matching (crm.rented.list._match_first_by_email) uses the
same key (the normalized email, active records, the oldest first) but not yet the
same order: it prefers a record of the row's company over a shared one and does not
put persons before companies; it has no company step (it creates no partner)."""

from odoo import api, fields, models
from odoo.tools import SQL

from . import contact_data


class CrmLead(models.Model):
    _inherit = "crm.lead"

    # ------------------------------------------------------------
    # BUSINESS: partner matching
    # ------------------------------------------------------------

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
        return contact_data.web_domain(value)

    @api.model
    def _lifecycle_free_mail_domains(self):
        """Email domains that say nothing about the person's company (hook)."""
        return contact_data.FREE_MAIL_DOMAINS

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
