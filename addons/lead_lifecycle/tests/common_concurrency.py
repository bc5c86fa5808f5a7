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
from odoo.service.model import retrying
from odoo.tests import TransactionCase

# Generous: a loaded 2-core machine, and retries that sleep up to 2**n seconds.
JOIN_TIMEOUT = 300


class ConcurrencyCase(TransactionCase):
    """Committed scenarios and concurrent requests (see the module docstring)."""

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
