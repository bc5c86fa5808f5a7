# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Concurrent requests, with real concurrent transactions.

Each scenario commits its data through its own cursor, then runs two or more
requests in threads, each with its own cursor and inside Odoo's request retry
(odoo.service.model.retrying, as RPC runs them). Every request takes its snapshot,
then waits for the others (a barrier) before doing its work: the last to commit
always read the database from before the others committed, which is what two
clients clicking at the same moment produce. Everything committed is deleted at
the end. The test's own cursor takes no part (it would hold locks)."""

import threading
import uuid
from datetime import timedelta

from odoo import SUPERUSER_ID, api, fields, sql_db
from odoo.exceptions import UserError
from odoo.service.model import retrying
from odoo.tests import TransactionCase, tagged

# Generous: a loaded 2-core machine, and retries that sleep up to 2**n seconds.
JOIN_TIMEOUT = 300


@tagged("post_install", "-at_install")
class TestConcurrency(TransactionCase):
    def setUp(self):
        super().setUp()
        # The claims the scenarios commit (lead.lifecycle.claim) go with them.
        start = self._committed(lambda env: env.cr.now())
        self._cleanup(
            lambda env: env.cr.execute(
                "DELETE FROM lead_lifecycle_claim WHERE claimed_at >= %s", [start]
            )
        )

    # ------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------

    def _cursor(self):
        """A real cursor of its own (not the test's); as a context manager, it
        commits when the block ends without error, else rolls back, and closes."""
        return sql_db.db_connect(self.env.cr.dbname).cursor()

    def _committed(self, func, uid=SUPERUSER_ID):
        """Run func(env) in a transaction of its own and commit it."""
        with self._cursor() as cr:
            env = api.Environment(cr, uid, {"tracking_disable": True})
            return func(env)

    def _cleanup(self, func):
        """Delete, in a committed transaction of its own, what a scenario made."""
        self.addCleanup(self._committed, func)

    def _concurrently(self, jobs):
        """_run_concurrently, in scenarios that must conflict: one request at
        least saw the conflict as a serialization failure and was replayed."""
        attempts = self._run_concurrently(jobs)
        self.assertGreater(max(attempts), 1, "no request was replayed")
        return attempts

    def _run_concurrently(self, jobs):
        """Run jobs [(uid, func(env))] at once, each in its own thread, cursor and
        retry loop; returns the number of attempts of each job. A job's first
        attempt takes its snapshot and waits for the others' first attempts."""
        barrier = threading.Barrier(len(jobs))
        attempts = [0] * len(jobs)
        errors = []

        def work(index, uid, func):
            try:
                with self._cursor() as cr:
                    env = api.Environment(cr, uid, {})

                    def call():
                        attempts[index] += 1
                        env.cr.execute("SELECT 1")  # the snapshot
                        if attempts[index] == 1:
                            barrier.wait(JOIN_TIMEOUT)
                        return func(env)

                    retrying(call, env)
            except Exception as error:  # reported by the test thread
                errors.append(error)
                barrier.abort()

        threads = [
            threading.Thread(target=work, args=(index, uid, func), daemon=True)
            for index, (uid, func) in enumerate(jobs)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(JOIN_TIMEOUT)
        self.assertFalse(
            [thread for thread in threads if thread.is_alive()],
            "a concurrent request never ended (deadlock?)",
        )
        if errors:
            raise errors[0]
        return attempts

    def _salesman_uid(self):
        salesman = self.env.ref("base.user_demo", raise_if_not_found=False)
        if not salesman or not salesman.has_group("sales_team.group_sale_salesman"):
            self.skipTest("needs the demo salesman (base.user_demo)")
        return salesman.id

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
    # Rented lists
    # ------------------------------------------------------------

    def _rented_lists(self, count):
        """Commit ``count`` active rented lists; register their cleanup (and of the
        leads promoted from them)."""
        tag = uuid.uuid4().hex[:8]
        today = fields.Date.today()

        def setup(env):
            lists = env["crm.rented.list"].create(
                [
                    {
                        "name": f"Concurrency list {tag} {n}",
                        "rental_start": today - timedelta(days=1),
                        "rental_end": today + timedelta(days=30),
                    }
                    for n in range(count)
                ]
            )
            lists.action_activate()
            return lists.ids

        list_ids = self._committed(setup)

        def cleanup(env):
            lists = env["crm.rented.list"].browse(list_ids)
            env["crm.lead"].with_context(active_test=False).search(
                [("rented_list_id", "in", list_ids)]
            ).unlink()
            env["crm.rented.list.contact"].search(
                [("rented_list_id", "in", list_ids)]
            ).unlink()
            lists.unlink()

        self._cleanup(cleanup)
        return list_ids

    def _replied_contacts(self, list_ids, email):
        def setup(env):
            contacts = env["crm.rented.list.contact"].create(
                [
                    {
                        "rented_list_id": list_id,
                        "contact_name": "Ray Replied",
                        "partner_name": "Replied Ltd",
                        "email": email,
                        "email_normalized": email,
                        "validity": "valid",
                    }
                    for list_id in list_ids
                ]
            )
            # Replied, without the shipped rule promoting them right away: the
            # users of the scenario promote them.
            env.cr.execute(
                "UPDATE crm_rented_list_contact SET response = 'replied' "
                "WHERE id IN %s",
                [tuple(contacts.ids)],
            )
            return contacts.ids

        return self._committed(setup)

    def _promote(self, contact_ids):
        return (
            lambda env: env["crm.rented.list.contact"]
            .browse(contact_ids)
            .action_promote()
        )

    def _promoted_leads(self, env, email):
        return (
            env["crm.lead"]
            .with_context(active_test=False)
            .search([("email_normalized", "=", email)])
        )

    def test_promote_same_contact_twice_at_once(self):
        """Two users promote the same replied contact at once: one lead (the second
        request, replayed, finds the contact promoted and says so)."""
        list_ids = self._rented_lists(1)
        email = f"ray.{uuid.uuid4().hex[:8]}@replied.example"
        contact_ids = self._replied_contacts(list_ids, email)
        admin = self.env.ref("base.user_admin").id
        with self.assertRaisesRegex(UserError, "None of the selected contacts"):
            self._concurrently(
                [
                    (admin, self._promote(contact_ids)),
                    (admin, self._promote(contact_ids)),
                ]
            )

        def check(env):
            self.assertEqual(len(self._promoted_leads(env, email)), 1)

        self._committed(check)

    def test_promote_contacts_of_one_email_at_once(self):
        """Two users promote, at once, contacts of two lists with the same email:
        one lead, both contacts promoted into it."""
        list_ids = self._rented_lists(2)
        email = f"ray.{uuid.uuid4().hex[:8]}@replied.example"
        contact_ids = self._replied_contacts(list_ids, email)
        admin = self.env.ref("base.user_admin").id
        self._concurrently(
            [
                (admin, self._promote(contact_ids[:1])),
                (admin, self._promote(contact_ids[1:])),
            ]
        )

        def check(env):
            lead = self._promoted_leads(env, email)
            self.assertEqual(len(lead), 1)
            contacts = env["crm.rented.list.contact"].browse(contact_ids)
            self.assertEqual(set(contacts.mapped("state")), {"promoted"})
            self.assertEqual(contacts.promoted_lead_id, lead)

        self._committed(check)

    def _load(self, list_id, rows):
        fields_ = ["contact_name", "email"]
        return (
            lambda env: env["crm.rented.list.contact"]
            .with_context(default_rented_list_id=list_id)
            .load(fields_, rows)
        )

    def test_import_same_file_into_one_list_twice_at_once(self):
        """The same file imported twice at once into one list: each row once."""
        (list_id,) = self._rented_lists(1)
        tag = uuid.uuid4().hex[:8]
        rows = [[f"Row {n}", f"row{n}.{tag}@import.example"] for n in range(200)]
        admin = self.env.ref("base.user_admin").id
        self._concurrently(
            [(admin, self._load(list_id, rows)), (admin, self._load(list_id, rows))]
        )

        def check(env):
            contacts = env["crm.rented.list.contact"].search(
                [("rented_list_id", "=", list_id)]
            )
            self.assertEqual(len(contacts), 200)
            self.assertEqual(env["crm.rented.list"].browse(list_id).row_count, 200)

        self._committed(check)

    def test_import_into_two_lists_at_once(self):
        """Two files imported at once into two lists of one company that share 50
        emails: no row lost, and the shared emails are duplicates in exactly one of
        the lists (as when the imports run one after the other)."""
        list_a, list_b = self._rented_lists(2)
        tag = uuid.uuid4().hex[:8]
        rows_a = [[f"A {n}", f"a{n}.{tag}@import.example"] for n in range(150)]
        shared = [[f"S {n}", f"s{n}.{tag}@import.example"] for n in range(50)]
        rows_b = [[f"B {n}", f"b{n}.{tag}@import.example"] for n in range(150)]
        admin = self.env.ref("base.user_admin").id
        self._concurrently(
            [
                (admin, self._load(list_a, rows_a + shared)),
                (admin, self._load(list_b, shared + rows_b)),
            ]
        )

        def check(env):
            Contact = env["crm.rented.list.contact"]
            for list_id in (list_a, list_b):
                self.assertEqual(
                    Contact.search_count([("rented_list_id", "=", list_id)]), 200
                )
            duplicates = Contact.search(
                [
                    ("rented_list_id", "in", [list_a, list_b]),
                    ("match_status", "=", "duplicate_other"),
                ]
            )
            self.assertEqual(len(duplicates), 50)
            self.assertEqual(len(duplicates.rented_list_id), 1)

        self._committed(check)

    def test_two_mailings_on_the_last_use_at_once(self):
        """Two mailings sent at once on a list with one use left: exactly one is
        sent, the other refused (the use is counted by one conditional UPDATE;
        the second request waits on the row, is replayed and sees it spent)."""
        (list_id,) = self._rented_lists(1)
        tag = uuid.uuid4().hex[:8]
        rows = [[f"Row {n}", f"row{n}.{tag}@uses.example"] for n in range(5)]

        def setup(env):
            env["crm.rented.list"].browse(list_id).allowed_uses = 1
            self._load(list_id, rows)(env)
            return (
                env["mailing.mailing"]
                .create(
                    [
                        {
                            "subject": f"Last use {tag} {n}",
                            "body_html": "<p>Hello</p>",
                            "mailing_model_id": env["ir.model"]._get_id(
                                "crm.rented.list.contact"
                            ),
                            "mailing_domain": repr([("rented_list_id", "=", list_id)]),
                        }
                        for n in range(2)
                    ]
                )
                .ids
            )

        mailing_ids = self._committed(setup)

        def cleanup(env):
            env["mailing.trace"].search(
                [("mass_mailing_id", "in", mailing_ids)]
            ).unlink()
            env["mail.mail"].search([("mailing_id", "in", mailing_ids)]).unlink()
            env["mailing.mailing"].browse(mailing_ids).unlink()

        self._cleanup(cleanup)
        outcomes = {}

        def send(mailing_id):
            def job(env):
                try:
                    env["mailing.mailing"].browse(mailing_id).action_send_mail()
                except UserError as error:
                    outcomes[mailing_id] = str(error)
                else:
                    outcomes[mailing_id] = "sent"

            return job

        admin = self.env.ref("base.user_admin").id
        self._concurrently([(admin, send(mailing_id)) for mailing_id in mailing_ids])

        self.assertEqual(sorted(outcomes), sorted(mailing_ids))
        sent = [m for m, outcome in outcomes.items() if outcome == "sent"]
        refused = [m for m, outcome in outcomes.items() if outcome != "sent"]
        self.assertEqual(len(sent), 1, outcomes)
        self.assertIn("allows 1 uses", outcomes[refused[0]])

        def check(env):
            rented_list = env["crm.rented.list"].browse(list_id)
            self.assertEqual(rented_list.use_count, 1)
            self.assertEqual(rented_list.mailing_ids.ids, sent)
            traces = env["mailing.trace"].search(
                [("mass_mailing_id", "in", mailing_ids)]
            )
            self.assertEqual(traces.mass_mailing_id.ids, sent)
            self.assertEqual(len(traces), 5)

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
