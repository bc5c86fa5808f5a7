# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Concurrent requests on rented lists: promotions, imports and mailings on the
last use of a list (the pattern: common_concurrency.py)."""

import uuid

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common_concurrency import ConcurrencyCase


@tagged("post_install", "-at_install")
class TestConcurrencyRentedList(ConcurrencyCase):
    # ------------------------------------------------------------
    # Rented lists
    # ------------------------------------------------------------

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
