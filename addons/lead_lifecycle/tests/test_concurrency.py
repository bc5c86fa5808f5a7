# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Concurrent requests on qualification and mailing lists, and what one transaction
must get right for them (the rented lists: test_concurrency_rented_list.py; the
pattern: common_concurrency.py)."""

import uuid
from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from .common_concurrency import ConcurrencyCase


@tagged("post_install", "-at_install")
class TestConcurrency(ConcurrencyCase):
    # ------------------------------------------------------------
    # Qualification
    # ------------------------------------------------------------

    def _qualification_setup(self, leads_vals):
        """Commit a team whose policy requires nothing and the leads; register the
        cleanup of the leads, of the partners qualified from them and of the team."""
        salesman_uid = self._salesman_uid()
        tag = uuid.uuid4().hex[:8]

        def setup(env):
            policy = env["crm.qualification.policy"].create(
                {
                    "name": f"Concurrency {tag}",
                    "min_interactions": 0,
                    "require_valid_email": False,
                    "require_valid_phone": False,
                    "create_opportunity": False,
                    "enforce_conversion": False,
                }
            )
            team = env["crm.team"].create(
                {
                    "name": f"Concurrency {tag}",
                    "use_leads": True,
                    "qualification_policy_id": policy.id,
                }
            )
            leads = env["crm.lead"].create(
                [
                    dict(
                        vals,
                        type="lead",
                        team_id=team.id,
                        user_id=salesman_uid,
                        name=f"{vals.get('partner_name')} {tag}",
                    )
                    for vals in leads_vals
                ]
            )
            return policy.id, team.id, leads.ids

        policy_id, team_id, lead_ids = self._committed(setup)
        emails = [vals["email_from"] for vals in leads_vals]
        names = list({vals["partner_name"] for vals in leads_vals})

        def cleanup(env):
            leads = env["crm.lead"].with_context(active_test=False).browse(lead_ids)
            partners = self._partners(env, emails, names)
            env["mailing.contact"].search([("partner_id", "in", partners.ids)]).unlink()
            leads.unlink()
            partners.filtered(lambda p: not p.is_company).unlink()
            partners.unlink()
            env["crm.team"].browse(team_id).unlink()
            env["crm.qualification.policy"].browse(policy_id).unlink()

        self._cleanup(cleanup)
        return salesman_uid, lead_ids

    def _partners(self, env, emails, names):
        return (
            env["res.partner"]
            .with_context(active_test=False)
            .search(
                [
                    "|",
                    ("email_normalized", "in", [e.lower() for e in emails]),
                    "&",
                    ("is_company", "=", True),
                    ("name", "in", names),
                ]
            )
        )

    def _qualify(self, lead_ids):
        return lambda env: env["crm.lead"].browse(lead_ids).action_qualify()

    def test_qualify_two_leads_of_one_person_at_once(self):
        """Two clients qualify two leads of the same person and company at the same
        moment: one company, one contact, both leads on it."""
        tag = uuid.uuid4().hex[:8]
        email = f"jane.{tag}@concurrency-{tag}.example"
        vals = {
            "partner_name": f"Concurrency Co {tag}",
            "contact_name": "Jane Concurrent",
            "email_from": email,
            "website": f"https://concurrency-{tag}.example",
        }
        uid, lead_ids = self._qualification_setup([vals, dict(vals)])
        attempts = self._concurrently(
            [(uid, self._qualify(lead_ids[:1])), (uid, self._qualify(lead_ids[1:]))]
        )
        self.assertEqual(min(attempts), 1, "the first to claim is not replayed")

        def check(env):
            partners = self._partners(env, [email], [vals["partner_name"]])
            companies = partners.filtered("is_company")
            persons = partners - companies
            self.assertEqual(len(companies), 1, "one company")
            self.assertEqual(len(persons), 1, "one contact")
            self.assertEqual(persons.parent_id, companies)
            leads = env["crm.lead"].browse(lead_ids)
            self.assertEqual(set(leads.mapped("lifecycle_state")), {"qualified"})
            self.assertEqual(leads.partner_id, persons)

        self._committed(check)

    def test_qualify_leads_sharing_companies_from_four_clients(self):
        """4 clients qualify 24 leads (24 people) of 6 companies at once, each client
        a lead of every company: 6 companies, 24 contacts."""
        tag = uuid.uuid4().hex[:8]
        names = [f"Shared Co {tag} {n}" for n in range(6)]
        leads_vals = [
            {
                "partner_name": name,
                "contact_name": f"Person {client} {n}",
                "email_from": f"p{client}.{n}.{tag}@shared-{n}-{tag}.example",
            }
            for client in range(4)
            for n, name in enumerate(names)
        ]
        uid, lead_ids = self._qualification_setup(leads_vals)
        self._concurrently(
            [
                (uid, self._qualify(lead_ids[client * 6 : client * 6 + 6]))
                for client in range(4)
            ]
        )

        def check(env):
            emails = [vals["email_from"] for vals in leads_vals]
            partners = self._partners(env, emails, names)
            companies = partners.filtered("is_company")
            self.assertEqual(sorted(companies.mapped("name")), sorted(names))
            self.assertEqual(len(partners - companies), 24)
            self.assertEqual(
                (partners - companies).parent_id, companies, "people of the companies"
            )

        self._committed(check)

    # ------------------------------------------------------------
    # Mailing lists
    # ------------------------------------------------------------

    def _mailing_setup(self, list_count):
        tag = uuid.uuid4().hex[:8]
        email = f"mia.{tag}@mailing.example"

        def setup(env):
            partner = env["res.partner"].create(
                {"name": f"Mia Mailing {tag}", "email": email}
            )
            lists = env["mailing.list"].create(
                [{"name": f"Concurrency {tag} {n}"} for n in range(list_count)]
            )
            return partner.id, lists.ids

        partner_id, list_ids = self._committed(setup)

        def cleanup(env):
            env["mailing.contact"].search(
                ["|", ("email_normalized", "=", email), ("partner_id", "=", partner_id)]
            ).unlink()
            env["mailing.list"].browse(list_ids).unlink()
            env["res.partner"].browse(partner_id).unlink()

        self._cleanup(cleanup)
        return email, partner_id, list_ids

    def _subscribe(self, partner_id, list_ids):
        return lambda env: (
            env["res.partner"]
            .browse(partner_id)
            ._action_add_to_mailing_lists(env["mailing.list"].browse(list_ids))
        )

    def _check_one_contact(self, email, partner_id, list_ids):
        def check(env):
            contacts = env["mailing.contact"].search(
                ["|", ("email_normalized", "=", email), ("partner_id", "=", partner_id)]
            )
            self.assertEqual(len(contacts), 1, "one mailing contact")
            self.assertEqual(sorted(contacts.subscription_ids.list_id.ids), list_ids)

        self._committed(check)

    def test_automation_subscribes_one_partner_to_one_list_twice_at_once(self):
        """Two automations subscribe the same partner to the same list at once: one
        mailing contact, one subscription."""
        email, partner_id, list_ids = self._mailing_setup(1)
        admin = self.env.ref("base.user_admin").id
        self._concurrently(
            [
                (admin, self._subscribe(partner_id, list_ids)),
                (admin, self._subscribe(partner_id, list_ids)),
            ]
        )
        self._check_one_contact(email, partner_id, list_ids)

    def test_automations_subscribe_one_partner_to_two_lists_at_once(self):
        """Two automations subscribe the same partner to two lists at once: one
        mailing contact, subscribed to both."""
        email, partner_id, list_ids = self._mailing_setup(2)
        admin = self.env.ref("base.user_admin").id
        self._concurrently(
            [
                (admin, self._subscribe(partner_id, list_ids[:1])),
                (admin, self._subscribe(partner_id, list_ids[1:])),
            ]
        )
        self._check_one_contact(email, partner_id, list_ids)

    def test_automations_subscribe_two_leads_of_one_email_at_once(self):
        """Two automations subscribe, at once, two leads without partner that have
        the same email: one mailing contact for the email, in the list once."""
        email, partner_id, list_ids = self._mailing_setup(1)

        def setup(env):
            leads = env["crm.lead"].create(
                [
                    {"name": f"Mailing lead {n}", "type": "lead", "email_from": email}
                    for n in range(2)
                ]
            )
            return leads.ids

        lead_ids = self._committed(setup)
        self._cleanup(
            lambda env: env["crm.lead"]
            .with_context(active_test=False)
            .browse(lead_ids)
            .unlink()
        )

        def subscribe(lead_id):
            return lambda env: (
                env["crm.lead"]
                .browse(lead_id)
                ._action_add_to_mailing_lists(env["mailing.list"].browse(list_ids))
            )

        admin = self.env.ref("base.user_admin").id
        self._concurrently(
            [(admin, subscribe(lead_ids[0])), (admin, subscribe(lead_ids[1]))]
        )

        def check(env):
            contacts = env["mailing.contact"].search([("email_normalized", "=", email)])
            self.assertEqual(len(contacts), 1, "one mailing contact")
            self.assertEqual(contacts.subscription_ids.list_id.ids, list_ids)

        self._committed(check)

    # ------------------------------------------------------------
    # One transaction
    # ------------------------------------------------------------

    def test_promote_contact_joins_lead_of_same_email(self):
        """A contact whose email already has a lead promoted from a rented list of
        the company joins that lead: one lead per person, as under concurrency."""
        today = fields.Date.today()
        lists = self.env["crm.rented.list"].create(
            [
                {
                    "name": f"Sequential list {n}",
                    "rental_start": today - timedelta(days=1),
                    "rental_end": today + timedelta(days=30),
                }
                for n in range(2)
            ]
        )
        lists.action_activate()
        contacts = self.env["crm.rented.list.contact"].create(
            [
                {
                    "rented_list_id": rented_list.id,
                    "contact_name": "Sue Same",
                    "email": email,
                    "email_normalized": email,
                    "validity": "valid",
                }
                for rented_list, email in zip(
                    lists, ["sue@same.example", "sue@same.example"], strict=True
                )
            ]
        )
        other = self.env["crm.rented.list.contact"].create(
            {
                "rented_list_id": lists[0].id,
                "contact_name": "Otto Other",
                "email": "otto@other.example",
                "email_normalized": "otto@other.example",
                "validity": "valid",
            }
        )
        (contacts[0] | other).write({"response": "replied"})
        lead = contacts[0].promoted_lead_id
        self.assertTrue(lead, "the shipped rule promoted the replied contact")
        self.assertNotEqual(other.promoted_lead_id, lead)
        leads = contacts[1]._promote()
        self.assertEqual(leads, lead)
        self.assertEqual(contacts[1].state, "promoted")
        self.assertEqual(contacts[1].promoted_lead_id, lead)
        self.assertEqual(
            self.env["crm.lead"].search_count(
                [("email_normalized", "=", "sue@same.example")]
            ),
            1,
        )

    def test_claims_are_hashed_and_vacuumed(self):
        """A claim stores a keyed hash, no email; claims older than a day go at the
        daily autovacuum, recent ones stay."""
        Claim = self.env["lead.lifecycle.claim"]
        Claim._claim("test:email", ["someone@claims.example"])
        self.env.cr.execute(
            "SELECT key::text FROM lead_lifecycle_claim "
            "WHERE claimed_at = now() AT TIME ZONE 'UTC'"
        )
        keys = [row[0] for row in self.env.cr.fetchall()]
        self.assertEqual(len(keys), 1)
        self.assertNotIn("claims.example", keys[0])
        self.env.cr.execute(
            "INSERT INTO lead_lifecycle_claim (key, claimed_at) "
            "VALUES (42, now() AT TIME ZONE 'UTC' - interval '2 days')"
        )
        Claim._gc_claims()
        self.env.cr.execute(
            "SELECT key::text FROM lead_lifecycle_claim WHERE key = 42 OR key = %s",
            [int(keys[0])],
        )
        self.assertEqual([row[0] for row in self.env.cr.fetchall()], keys)
