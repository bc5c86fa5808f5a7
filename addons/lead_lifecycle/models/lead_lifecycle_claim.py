# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# Concern: claim keys that make concurrent creations of the same thing conflict
# (REPEATABLE READ; model lead.lifecycle.claim).
import hashlib
import hmac

from odoo import api, models
from odoo.tools import SQL

# Claims older than this are deleted by the daily autovacuum: only transactions
# running at the same time can conflict, a claim is useless once its transaction ended.
CLAIM_RETENTION = "1 day"


class LeadLifecycleClaim(models.AbstractModel):
    """Claim keys: make two concurrent transactions that create records for the same
    thing (a person's email, a company name, a list's email) conflict.

    Odoo runs every request in REPEATABLE READ: a transaction reads the database as it
    was when it started, even after waiting on a lock, so "lock, search, create if
    missing" creates a second partner when another transaction created the first one
    in the meantime. A claim is an upsert of a row per key in the table
    ``lead_lifecycle_claim``::

        INSERT ... ON CONFLICT (key) DO UPDATE SET claimed_at = now()

    When another transaction claimed the same key and is still running, ours waits
    for it; when that transaction committed after our snapshot was taken (or while
    we waited), PostgreSQL refuses the upsert with a serialization failure ("could
    not serialize access due to concurrent update"). Odoo's request retry
    (``odoo.service.model.retrying``) then replays the whole request with a fresh
    snapshot, which sees what the other one created. A claim that succeeds proves no
    concurrent transaction claimed the key: the search that follows (or precedes) it
    in the transaction is up to date for that key.

    Claim before searching, in one call for the whole batch (keys are upserted in
    sorted order: two batches never deadlock on them). Keys are stored as a 64-bit
    HMAC (keyed by the database secret) of the scope and the value: no email or name
    in clear; a collision would only cost a retry. Claims are deleted after a day.
    """

    _name = "lead.lifecycle.claim"
    _description = "Lead Lifecycle Concurrency Claims"

    def init(self):
        # A plain table, not a model: nobody reads it, rows live one transaction.
        self.env.cr.execute(
            SQL(
                """
                CREATE TABLE IF NOT EXISTS lead_lifecycle_claim (
                    key bigint PRIMARY KEY,
                    claimed_at timestamp NOT NULL DEFAULT (now() AT TIME ZONE 'UTC')
                )
                """
            )
        )

    @api.model
    def _claim(self, scope, values):
        """Claim the keys (scope, value) for the current transaction, for each value
        of ``values`` (strings, already normalized); raises
        psycopg2.errors.SerializationFailure when a concurrent transaction claimed
        one of them (let it propagate: the request is retried)."""
        values = {value for value in values if value}
        if not values:
            return
        secret = (
            self.env["ir.config_parameter"].sudo().get_param("database.secret") or ""
        ).encode()
        keys = sorted(
            {
                int.from_bytes(
                    hmac.new(
                        secret, f"{scope}\x00{value}".encode(), hashlib.sha256
                    ).digest()[:8],
                    "big",
                    signed=True,
                )
                for value in values
            }
        )
        # Raw SQL: the upsert and its serialization failure are the mechanism.
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO lead_lifecycle_claim (key, claimed_at)
                SELECT k, now() AT TIME ZONE 'UTC'
                  FROM unnest(%s::bigint[]) AS k
                 ORDER BY k
                    ON CONFLICT (key) DO UPDATE SET claimed_at = EXCLUDED.claimed_at
                """,
                keys,
            )
        )

    @api.autovacuum
    def _gc_claims(self):
        self.env.cr.execute(
            SQL(
                "DELETE FROM lead_lifecycle_claim "
                "WHERE claimed_at < now() AT TIME ZONE 'UTC' - %s::interval",
                CLAIM_RETENTION,
            )
        )
