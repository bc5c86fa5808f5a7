# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Install into a CRM already in use, and uninstall without losing business data.

pre_init_hook: before the ORM creates our columns on crm_lead/res_partner/
mailing_subscription, create the columns of our stored computes itself, so that the
ORM does not recompute them in Python for every existing row (minutes at 100k leads,
and a rating date stamped "now" on all history); remember where history ends.

post_init_hook: set the real values of history by set-based SQL, in id ranges, with
no tracking message, notification or subscription.

uninstall_hook: mailing lists and lost reasons we shipped become ordinary user
records (their subscribers and the leads' lost reasons stay); indexes we created on
other modules' columns and the claim table go.
"""

import logging

from odoo import fields
from odoo.tools import SQL
from odoo.tools.sql import column_exists, create_column

from .models.crm_lead_interaction import interaction_totals_sql
from .models.crm_lead_response import first_response_sql

_logger = logging.getLogger(__name__)

HISTORY_LEAD_PARAM = "lead_lifecycle.history_lead_max_id"
INSTALL_DATE_PARAM = "lead_lifecycle.install_date"
BATCH_SIZE = 50000

# Stored computes on existing tables: created here (left NULL), filled by the backfill.
PRECREATED_COLUMNS = [
    ("crm_lead", "lifecycle_state", "varchar"),
    ("crm_lead", "not_contactable_hint", "varchar"),
    ("crm_lead", "rating_suggested", "varchar"),
    ("crm_lead", "rating", "varchar"),
    ("crm_lead", "rating_date", "timestamp"),
    ("crm_lead", "response_delay_hours", "float8"),
    ("res_partner", "lead_rating", "varchar"),
    ("res_partner", "lead_rating_date", "timestamp"),
    ("mailing_subscription", "lifecycle_automation_id", "int4"),
]
# Records we ship that become the user's at uninstall (module data would be deleted);
# adopted again by name when the module is installed again.
DETACHED_NAMES = [
    (
        "mailing_list_qualified_prospects",
        "mailing.list",
        "mailing_list",
        "Qualified prospects",
    ),
    ("mailing_list_keep_in_touch", "mailing.list", "mailing_list", "Keep in touch"),
    ("lost_reason_bounced", "crm.lost.reason", "crm_lost_reason", "Email bounced"),
    (
        "lost_reason_invalid_phone",
        "crm.lost.reason",
        "crm_lost_reason",
        "Invalid phone number",
    ),
    (
        "lost_reason_no_answer",
        "crm.lost.reason",
        "crm_lost_reason",
        "No answer after several attempts",
    ),
    (
        "lost_reason_do_not_contact",
        "crm.lost.reason",
        "crm_lost_reason",
        "Asked not to be contacted",
    ),
    (
        "lost_reason_no_project",
        "crm.lost.reason",
        "crm_lost_reason",
        "No project for us",
    ),
    (
        "lost_reason_out_of_target",
        "crm.lost.reason",
        "crm_lost_reason",
        "Outside our target market",
    ),
    ("lost_reason_duplicate", "crm.lost.reason", "crm_lost_reason", "Duplicate"),
]
DETACHED_XMLIDS = [xmlid for xmlid, _model, _table, _name in DETACHED_NAMES]
# Indexes created on columns that other modules own: they survive our columns.
FOREIGN_INDEXES = [
    "crm_lead_email_normalized_eq_index",
    "res_partner__email_normalized_index",
    "mailing_contact__email_normalized_index",
    "mailing_contact__partner_id_index",
]
CLAIM_TABLE = "lead_lifecycle_claim"
# Lost reasons of an existing CRM mapped to our categories by words of their name.
LOST_REASON_WORDS = [
    ("duplicate", ["duplicat", "doublon", "already exists"]),
    (
        "not_contactable",
        [
            "unreachable",
            "not reachable",
            "no answer",
            "no response",
            "bounce",
            "invalid",
            "wrong number",
            "wrong email",
            "do not contact",
            "unsubscri",
        ],
    ),
    (
        "not_interested",
        [
            "not interested",
            "no interest",
            "no project",
            "no need",
            "no budget",
            "expensive",
            "price",
            "out of target",
            "outside",
            "competitor",
        ],
    ),
]


def pre_init_hook(env):
    cr = env.cr
    _adopt_detached_records(env)
    for table, column, column_type in PRECREATED_COLUMNS:
        if not column_exists(cr, table, column):
            create_column(cr, table, column, column_type)
    cr.execute("SELECT COALESCE(max(id), 0) FROM crm_lead")
    params = env["ir.config_parameter"].sudo()
    params.set_param(HISTORY_LEAD_PARAM, cr.fetchone()[0])
    params.set_param(INSTALL_DATE_PARAM, fields.Datetime.to_string(_now(env)))


def _adopt_detached_records(env):
    # Installed again after an uninstall: the lists and lost reasons it left behind
    # are ours again (by name), instead of duplicates next to them.
    for xmlid, model, table, name in DETACHED_NAMES:
        env.cr.execute(
            SQL(
                "SELECT min(id) FROM %s WHERE %s = %s",
                SQL.identifier(table),
                SQL("name->>'en_US'")
                if env[model]._fields["name"].translate
                else SQL("name"),
                name,
            )
        )
        record_id = env.cr.fetchone()[0]
        if record_id and not env.ref(f"lead_lifecycle.{xmlid}", False):
            env.cr.execute(
                SQL(
                    "INSERT INTO ir_model_data (module, name, model, res_id, noupdate) "
                    "VALUES ('lead_lifecycle', %s, %s, %s, TRUE)",
                    xmlid,
                    model,
                    record_id,
                )
            )


def post_init_hook(env):
    backfill_history(env)


def uninstall_hook(env):
    # Detach first: uninstall then deletes only what has our xmlid.
    env.cr.execute(
        SQL(
            "DELETE FROM ir_model_data WHERE module = 'lead_lifecycle' AND name IN %s",
            tuple(DETACHED_XMLIDS),
        )
    )
    for name in FOREIGN_INDEXES:
        env.cr.execute(SQL("DROP INDEX IF EXISTS %s", SQL.identifier(name)))
    # A plain table, made by lead.lifecycle.claim's init(): not the ORM's to drop.
    env.cr.execute(SQL("DROP TABLE IF EXISTS %s", SQL.identifier(CLAIM_TABLE)))
    env["ir.config_parameter"].sudo().search(
        [("key", "=like", "lead_lifecycle.%")]
    ).unlink()


def _now(env):
    env.cr.execute("SELECT now() AT TIME ZONE 'UTC'")
    return env.cr.fetchone()[0]


def _id_ranges(cr, table, where, batch_size=BATCH_SIZE):
    """(low, high] id ranges of ``batch_size`` rows of ``table`` matching ``where``."""
    low = 0
    while True:
        cr.execute(
            SQL(
                "SELECT max(id) FROM (SELECT id FROM %s WHERE id > %s AND %s "
                "ORDER BY id LIMIT %s) b",
                SQL.identifier(table),
                low,
                where,
                batch_size,
            )
        )
        high = cr.fetchone()[0]
        if high is None:
            return
        yield low, high
        low = high


def backfill_history(env, max_id=None, batch_size=BATCH_SIZE, install=True):
    """Give the leads that existed before the install (id <= max_id) the lifecycle
    state, dates, interactions, first response and rating that their history says,
    by SQL in id ranges (100k+ leads), without tracking or notifications. Dates that
    trigger rules (rating dates) stay empty: history never fires a rule.

    Leads already past new/contacted (worked since) keep their state; on a migration
    (``install=False``) the ratings and hints, computed by the ORM then, stay.

    :return: {state: count} of the leads backfilled
    """
    cr = env.cr
    if max_id is None:
        max_id = int(
            env["ir.config_parameter"].sudo().get_param(HISTORY_LEAD_PARAM, 0) or 0
        )
    env.flush_all()
    _map_lost_reasons(env)
    history = SQL("id <= %s", max_id)
    discussion = env["ir.model.data"]._xmlid_to_res_id("mail.mt_comment")
    for low, high in _id_ranges(cr, "crm_lead", history, batch_size):
        _backfill_interactions(env, low, high, discussion)
        _backfill_first_response(env, low, high, discussion)
        _backfill_states(env, low, high, ratings=install)
        if install:
            _backfill_hints(env, low, high)
    _backfill_partner_ratings(env)
    env.invalidate_all()
    _backfill_response_delays(env, max_id, batch_size)
    cr.execute(
        SQL(
            "SELECT lifecycle_state, count(*) FROM crm_lead WHERE id <= %s GROUP BY 1",
            max_id,
        )
    )
    counts = dict(cr.fetchall())
    _logger.info("lead_lifecycle: history of %s leads backfilled", counts)
    return counts


def _map_lost_reasons(env):
    # Reasons of the existing CRM still in the default category get ours by name.
    for category, words in LOST_REASON_WORDS:
        env.cr.execute(
            SQL(
                "UPDATE crm_lost_reason SET lifecycle_category = %s "
                "WHERE COALESCE(lifecycle_category, 'other') = 'other' "
                "AND lower(name::text) LIKE ANY(%s)",
                category,
                [f"%{word}%" for word in words],
            )
        )


def _backfill_interactions(env, low, high, discussion):
    # The counts of _lifecycle_refresh_interactions, for an id range at once (only
    # leads with something to count: the others keep their zeros).
    totals = interaction_totals_sql(
        message_leads=SQL("m.res_id > %s AND m.res_id <= %s", low, high),
        meeting_leads=SQL(
            "e.opportunity_id > %s AND e.opportunity_id <= %s", low, high
        ),
        lead_ids=SQL("SELECT res_id FROM agg UNION SELECT res_id FROM meet"),
        now=fields.Datetime.now(),
        discussion=discussion,
    )
    env.cr.execute(
        SQL(
            """
        %s
        UPDATE crm_lead l
           SET inbound_email_count = tot.inbound_n,
               call_count = tot.call_n,
               meeting_count = tot.meeting_n,
               first_two_way_date = tot.first,
               last_interaction_date = tot.last,
               contact_attempt_count = tot.attempts
          FROM tot
         WHERE l.id = tot.id
            """,
            totals,
        )
    )


def _backfill_first_response(env, low, high, discussion):
    # The first response of _lifecycle_set_first_response, for an id range at once
    # (only leads with a message or a meeting: the others have none).
    firsts = first_response_sql(
        SQL(
            """SELECT l.id, date_trunc('second', l.create_date) AS create_date
                 FROM crm_lead l
                WHERE l.id > %(low)s AND l.id <= %(high)s
                  AND l.first_response_date IS NULL
                  AND (EXISTS (SELECT 1 FROM mail_message m
                                WHERE m.model = 'crm.lead' AND m.res_id = l.id)
                       OR EXISTS (SELECT 1 FROM calendar_event e
                                   WHERE e.opportunity_id = l.id))""",
            low=low,
            high=high,
        ),
        discussion,
    )
    env.cr.execute(
        SQL(
            """
        %s
        UPDATE crm_lead l SET first_response_date = firsts.first
          FROM firsts
         WHERE l.id = firsts.id AND firsts.first IS NOT NULL
            """,
            firsts,
        )
    )


def _backfill_states(env, low, high, ratings=False):
    # Lost (archived, not won): disqualified. Opportunities and won deals passed the
    # lead stage of the old process: qualified. Leads: contacted after a two-way
    # interaction, else new. Leads worked since (past new/contacted) keep theirs.
    # With ``ratings``, the same statement sets the ratings (_compute_rating_suggested
    # in SQL; the rating follows the suggestion unless chosen by hand; no rating date:
    # history was never assessed, no rule fires on it): one pass over 100k rows and
    # their indexes instead of two.
    untouched = SQL("COALESCE(l.lifecycle_state, 'new') IN ('new', 'contacted')")
    rating_columns = SQL(
        """,
               rating_suggested = CASE WHEN COALESCE(l.rating_manual, FALSE)
                   THEN l.rating_suggested ELSE s.rating END,
               rating = CASE WHEN COALESCE(l.rating_manual, FALSE)
                   THEN l.rating ELSE s.rating END,
               rating_date = CASE WHEN COALESCE(l.rating_manual, FALSE)
                   THEN l.rating_date END"""
    )
    env.cr.execute(
        SQL(
            """
        UPDATE crm_lead l
           SET lifecycle_state = CASE WHEN %(untouched)s
                   THEN s.state ELSE l.lifecycle_state END,
               qualified_date = CASE WHEN %(untouched)s AND s.state = 'qualified'
                   THEN COALESCE(l.qualified_date, l.date_conversion, l.create_date)
                   ELSE l.qualified_date END,
               disqualified_date = CASE
                   WHEN %(untouched)s AND s.state = 'disqualified'
                   THEN COALESCE(l.disqualified_date, l.date_closed, l.write_date,
                                 l.create_date)
                   ELSE l.disqualified_date END,
               not_contactable_hint = CASE
                   WHEN %(untouched)s AND s.state NOT IN ('new', 'contacted')
                   THEN NULL ELSE l.not_contactable_hint END
               %(rating_columns)s
          FROM (
            SELECT l2.id,
                   CASE
                     WHEN NOT l2.active AND COALESCE(l2.probability, 0) < 100
                          AND NOT COALESCE(st.is_won, FALSE) THEN 'disqualified'
                     WHEN l2.type = 'opportunity' OR COALESCE(st.is_won, FALSE)
                          OR l2.probability >= 100 THEN 'qualified'
                     WHEN l2.first_two_way_date IS NOT NULL THEN 'contacted'
                     ELSE 'new'
                   END AS state,
                   CASE
                     WHEN NOT l2.active AND r.lifecycle_category = 'not_interested'
                          THEN 'd'
                     WHEN p.rating_a_revenue > 0
                          AND l2.expected_revenue >= p.rating_a_revenue THEN 'a'
                     WHEN l2.expected_revenue > 0 THEN 'b'
                     WHEN 'correct' IN (l2.email_state, l2.phone_state) THEN 'c'
                   END AS rating
              FROM crm_lead l2
         LEFT JOIN crm_stage st ON st.id = l2.stage_id
         LEFT JOIN crm_lost_reason r ON r.id = l2.lost_reason_id
         LEFT JOIN crm_team t ON t.id = l2.team_id
         LEFT JOIN crm_qualification_policy p ON p.id = COALESCE(
                   t.qualification_policy_id, %(default_policy)s)
             WHERE l2.id > %(low)s AND l2.id <= %(high)s
          ) s
         WHERE l.id = s.id AND (%(ratings)s OR %(untouched)s)
            """,
            untouched=untouched,
            rating_columns=rating_columns if ratings else SQL(""),
            ratings=bool(ratings),
            default_policy=_default_policy_id(env),
            low=low,
            high=high,
        )
    )


def _backfill_hints(env, low, high):
    # Open leads: the "not contactable" hint from what is known (bounces, attempts).
    env.cr.execute(
        SQL(
            """
        UPDATE crm_lead l
           SET not_contactable_hint = CASE
                 WHEN l.message_bounce > 0 THEN 'bounced'
                 WHEN l.phone_state = 'incorrect' THEN 'invalid_phone'
                 WHEN l.first_two_way_date IS NULL
                      AND l.contact_attempt_count >= COALESCE(NULLIF(
                          p.unanswered_attempts_limit, 0), 3) THEN 'no_answer'
               END
          FROM crm_lead l2
     LEFT JOIN crm_team t ON t.id = l2.team_id
     LEFT JOIN crm_qualification_policy p ON p.id = COALESCE(
               t.qualification_policy_id, %(default_policy)s)
         WHERE l.id = l2.id AND l.id > %(low)s AND l.id <= %(high)s
           AND l.lifecycle_state IN ('new', 'contacted')
           AND (l.message_bounce > 0 OR l.phone_state = 'incorrect'
                OR l.contact_attempt_count > 0)
            """,
            low=low,
            high=high,
            default_policy=_default_policy_id(env),
        )
    )


def _default_policy_id(env):
    return env["crm.qualification.policy"]._get_default_policy(env.company).id or None


def _backfill_partner_ratings(env):
    # _compute_lead_rating in SQL: the best rating of the partner's current leads
    # (qualified leads, open opportunities), a company also of its contacts'. No date.
    env.cr.execute(
        """
        WITH own AS (
            SELECT l.partner_id AS id, min(l.rating) AS rating,
                   max(l.rating_date) AS rating_date
              FROM crm_lead l
         LEFT JOIN crm_stage st ON st.id = l.stage_id
             WHERE l.partner_id IS NOT NULL AND l.rating IS NOT NULL AND l.active
               AND ((l.type = 'lead' AND l.lifecycle_state = 'qualified')
                    OR (l.type = 'opportunity' AND NOT COALESCE(st.is_won, FALSE)))
          GROUP BY l.partner_id
        ), rolled AS (
            SELECT id, min(rating) AS rating, max(rating_date) AS rating_date
              FROM (SELECT id, rating, rating_date FROM own
                    UNION ALL
                    SELECT c.parent_id, own.rating, own.rating_date
                      FROM own
                      JOIN res_partner c ON c.id = own.id
                      JOIN res_partner parent ON parent.id = c.parent_id
                     WHERE parent.is_company) AS x
          GROUP BY id
        )
        UPDATE res_partner p
           SET lead_rating = rolled.rating, lead_rating_date = rolled.rating_date
          FROM rolled
         WHERE p.id = rolled.id
           AND (p.lead_rating IS DISTINCT FROM rolled.rating
                OR p.lead_rating_date IS DISTINCT FROM rolled.rating_date)
        """
    )


def _backfill_response_delays(env, max_id, batch_size):
    # Working hours between creation and first response need the team calendars:
    # the ORM compute, per id range of answered history (cache cleared in between).
    Lead = env["crm.lead"].with_context(active_test=False, tracking_disable=True)
    where = SQL(
        "id <= %s AND first_response_date IS NOT NULL AND response_delay_hours IS NULL",
        max_id,
    )
    for low, high in _id_ranges(env.cr, "crm_lead", where, batch_size):
        env.cr.execute(
            SQL(
                "SELECT id FROM crm_lead WHERE id > %s AND id <= %s AND %s",
                low,
                high,
                where,
            )
        )
        leads = Lead.browse(row[0] for row in env.cr.fetchall())
        env.add_to_compute(Lead._fields["response_delay_hours"], leads)
        leads.flush_recordset(["response_delay_hours"])
        env.invalidate_all()
