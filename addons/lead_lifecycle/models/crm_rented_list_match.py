# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# Concern: matching the contacts of rented lists against partners, leads, suppressions
# and earlier rows, and the contacts' per-channel flags (mailable, callable) that follow
# from their cleaning, matching and responses.
from odoo import api, models
from odoo.tools import SQL

# Rows matched by one UPDATE of Clean and Match (an import window matches its own).
MATCH_BATCH_SIZE = 5000
# Per-channel flags, written set-based by crm.rented.list._sync_channel_flags (and
# by the 18.0.1.2.0 migration): matching and responses, which suppress an email,
# are written in SQL after the cleaning, so a stored compute would never see them.
MAILABLE_SQL = """
    c.email_normalized IS NOT NULL
    AND c.validity NOT IN ('pending', 'invalid_value', 'empty')
    AND c.match_status NOT IN ('blacklisted', 'opted_out')
    AND c.response NOT IN ('bounced', 'opted_out')
    AND c.state != 'purged'
"""
CALLABLE_SQL = """
    c.phone_sanitized IS NOT NULL
    AND c.validity NOT IN ('pending', 'invalid_value', 'empty')
    AND c.state != 'purged'
"""


class CrmRentedList(models.Model):
    _inherit = "crm.rented.list"

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _match_contacts(self, contacts=None):
        """Match contacts of the lists against partners, leads, suppressions and
        earlier rows. First match wins: suppression, existing partner, existing
        lead, duplicate in the list, duplicate in another active list of the company.

        :param contacts: the rows to match, e.g. the rows an import window added:
            only they are read and written, whatever the size of the list or of the
            other lists. By default (Clean and Match) every row of the lists, in
            batches of MATCH_BATCH_SIZE through the same probes.
        """
        if not self:
            return
        self.env.flush_all()
        if contacts is None:
            self.env.cr.execute(
                SQL(
                    """
                    SELECT id FROM crm_rented_list_contact
                     WHERE rented_list_id = ANY(%s) AND email_normalized IS NOT NULL
                       AND state IN ('new', 'contacted')
                     ORDER BY id
                    """,
                    self.ids,
                )
            )
            ids = [row[0] for row in self.env.cr.fetchall()]
        else:
            ids = contacts.ids
        for start in range(0, len(ids), MATCH_BATCH_SIZE):
            self._match_contact_ids(ids[start : start + MATCH_BATCH_SIZE])
        self.env["crm.rented.list.contact"].invalidate_model(
            ["matched_partner_id", "matched_lead_id", "duplicate_of_id", "match_status"]
        )

    def _match_contact_ids(self, ids):
        """One UPDATE matching the contacts ``ids``, driven from their ids.

        Every target is a correlated sub-query on an equality of the normalized
        email, so each row costs one index probe per target (partners, leads,
        blacklist, opt-outs: their email indexes; earlier rows of the same list and
        of the other lists: crm_rented_list_contact_email_company_index), linear in
        the rows matched and independent of the size of the tables probed. No
        planner statistics are needed for that (the import no longer runs ANALYZE):
        the rows come from the primary key (``id = ANY``, estimated from the
        array), and an equality probe through a btree index is the cheapest plan
        for any estimate of the email's frequency. Joins planned on the estimates
        of rows not analyzed yet (a hash join of the whole list with partners)
        degraded into nested loops over whole tables.

        A duplicate is the *later* row: the earliest row of the list with the same
        email (``d.id < w.id``), or the earliest row of another active list of the
        company; the earlier rows are not rewritten, so a window never touches the
        rows of earlier windows or imports, and Clean and Match gives the same
        answer as the imports did.
        """
        if ids:
            self.env.cr.execute(self._match_contacts_query(ids))

    @api.model
    def _match_contacts_query(self, ids):
        """The UPDATE of _match_contact_ids (tests and bench/ EXPLAIN it)."""
        return SQL(
            """
            WITH w AS MATERIALIZED (
                SELECT t.id, t.rented_list_id, t.company_id, t.email_normalized
                  FROM crm_rented_list_contact t
                 WHERE t.id = ANY(%(ids)s)
                   AND t.email_normalized IS NOT NULL
                   AND t.state IN ('new', 'contacted')
            ), m AS MATERIALIZED (
                SELECT w.id, %(probes)s FROM w
            )
            UPDATE crm_rented_list_contact c
               SET matched_partner_id = m.partner_id,
                   matched_lead_id = m.lead_id,
                   duplicate_of_id = coalesce(m.dup_list, m.dup_other),
                   match_status = %(status)s
              FROM m
             WHERE m.id = c.id AND c.id = ANY(%(ids)s)
            """,
            ids=ids,
            probes=self._match_probes(),
            status=self._match_status(),
        )

    @api.model
    def _match_probes(self):
        """The matching of one list row ``w`` (its id, rented_list_id, company_id
        and email_normalized), as the columns ``blacklisted``, ``opted_out``,
        ``partner_id``, ``lead_id``, ``dup_list`` and ``dup_other``: one index
        probe each (see _match_contact_ids). Written once for Clean and Match (an
        UPDATE of the rows) and for the import windows (crm.rented.list.contact.
        _insert_window: the rows are matched as they are inserted).

        The duplicate probes take ``min(d.id + 0)``, not ``min(d.id)``: the planner
        rewrites ``min(d.id)`` into a walk of the primary key in id order that
        stops at the first row with the email, which it may prefer when the
        statistics of the table predate the rows being imported (a few rows, all
        matching): then each probe reads every earlier row of the table, quadratic
        in the rows imported by one call. ``+ 0`` leaves only the email index. For
        the same reason the state of the other lists is a filter of the rows found.
        """
        return SQL(
            """
            EXISTS (
                SELECT FROM mail_blacklist bl
                 WHERE bl.email = w.email_normalized AND bl.active
            ) AS blacklisted,
            EXISTS (
                -- the contacts of the email first (email index), then their
                -- subscriptions (contact_id index): a join could be planned from
                -- every opted-out subscription
                SELECT FROM mailing_subscription s
                 WHERE s.opt_out AND s.contact_id = ANY (ARRAY(
                    SELECT mc.id FROM mailing_contact mc
                     WHERE mc.email_normalized = w.email_normalized
                 ))
            ) AS opted_out,
            %(partner)s AS partner_id,
            %(lead)s AS lead_id,
            (SELECT min(d.id + 0) FROM crm_rented_list_contact d
              WHERE d.email_normalized = w.email_normalized
                AND d.company_id = w.company_id
                AND d.rented_list_id = w.rented_list_id
                AND d.id < w.id) AS dup_list,
            (SELECT min(d.id + 0) FROM crm_rented_list_contact d
              WHERE d.email_normalized = w.email_normalized
                AND d.company_id = w.company_id
                AND d.rented_list_id != w.rented_list_id
                AND d.id < w.id
                AND d.state != 'purged'
                -- a filter on the few rows found, never a join that could be
                -- driven from the lists through their rows
                AND (SELECT rl.state FROM crm_rented_list rl
                      WHERE rl.id = d.rented_list_id) = 'active') AS dup_other
            """,
            partner=self._match_first_by_email("res_partner"),
            lead=self._match_first_by_email("crm_lead"),
        )

    @api.model
    def _match_status(self):
        """The match status of a row from its probes ``m`` (_match_probes): first
        match wins."""
        return SQL(
            """
            CASE WHEN m.blacklisted THEN 'blacklisted'
                 WHEN m.opted_out THEN 'opted_out'
                 WHEN m.partner_id IS NOT NULL THEN 'partner'
                 WHEN m.lead_id IS NOT NULL THEN 'lead'
                 WHEN m.dup_list IS NOT NULL THEN 'duplicate'
                 WHEN m.dup_other IS NOT NULL THEN 'duplicate_other'
                 ELSE 'none' END
            """
        )

    @api.model
    def _match_first_by_email(self, table):
        """Sub-query of _match_contacts: the oldest active record of ``table`` with
        the email of the list row ``w``, of the row's company first, else shared.
        The company test is written so no index can serve it: the probe goes
        through the email index only (a bitmap of the company_id index reads every
        record of the company, once per row)."""
        return SQL(
            """
            (SELECT x.id FROM %s x
              WHERE x.email_normalized = w.email_normalized AND x.active
                AND coalesce(x.company_id, w.company_id)
                    IS NOT DISTINCT FROM w.company_id
              ORDER BY x.company_id IS NULL, x.id
              LIMIT 1)
            """,
            SQL.identifier(table),
        )

    def _sync_channel_flags(self):
        """Set the contacts' mailable and callable flags from their cleaning,
        matching and responses, in one UPDATE for the lists (only rows that change
        are written). Matching and the responses are written in SQL after the
        cleaning: a stored compute would not see them. (An import window inserts
        its rows with their flags: crm.rented.list.contact._insert_window.)"""
        if not self:
            return
        rows = SQL("c.rented_list_id = ANY(%s)", self.ids)
        self.env.cr.execute(
            SQL(
                """
                UPDATE crm_rented_list_contact c
                   SET is_mailable = coalesce(%(mailable)s, FALSE),
                       is_callable = coalesce(%(callable)s, FALSE)
                 WHERE %(rows)s
                   AND (c.is_mailable IS DISTINCT FROM coalesce(%(mailable)s, FALSE)
                        OR c.is_callable IS DISTINCT FROM
                           coalesce(%(callable)s, FALSE))
                """,
                mailable=SQL(MAILABLE_SQL),
                callable=SQL(CALLABLE_SQL),
                rows=rows,
            )
        )
        self.env["crm.rented.list.contact"].invalidate_model(
            ["is_mailable", "is_callable"]
        )
