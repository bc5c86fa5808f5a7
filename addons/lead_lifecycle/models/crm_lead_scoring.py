# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# Concern: crm.lead, interaction scoring: events, score with decay, sales-ready
# threshold.
import logging
from ast import literal_eval
from collections import defaultdict

from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.tools import SQL

from .crm_lead_interaction import (
    CALL_SQL,
    INBOUND_EMAIL_SQL,
    INTERNAL_PARTNERS_SQL,
    meeting_held_sql,
)
from .crm_lead_scoring_rule import SCORING_KINDS

_logger = logging.getLogger(__name__)

# Writing one of these fields can add or remove a score event of the lead.
SCORING_TRIGGER_FIELDS = {
    "email_from",
    "phone",
    "bant_budget",
    "bant_authority",
    "bant_need",
    "bant_timing",
    "bant_decision_date",
    "message_bounce",
    "medium_id",
}
# A BANT fact is filled when (SQL condition on crm_lead):
BANT_FILLED = {
    "bant_budget": SQL("bant_budget > 0"),
    "bant_authority": SQL("bant_authority IS NOT NULL"),
    "bant_need": SQL("COALESCE(trim(bant_need), '') != ''"),
    "bant_timing": SQL("bant_timing IS NOT NULL OR bant_decision_date IS NOT NULL"),
}
DECAY_CURSOR_PARAM = "lead_lifecycle.score_decay_cursor"
DECAY_BATCH_SIZE = 50000


class CrmLead(models.Model):
    _inherit = "crm.lead"

    # Interaction scoring
    score = fields.Integer(
        readonly=True,
        copy=False,
        help="Sum of the points of the lead's interactions (scoring rules), decayed by "
        "their half-life. Updated when an interaction happens and daily for decay.",
    )
    score_event_ids = fields.One2many(
        "crm.lead.score.event", "lead_id", string="Scored Interactions", readonly=True
    )
    score_explanation = fields.Html(
        compute="_compute_score_explanation", sanitize=False
    )
    sales_ready = fields.Boolean(
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
        help="The score is at or above the sales-ready threshold of the sales team.",
    )
    sales_ready_date = fields.Datetime(
        string="Sales-Ready Since",
        readonly=True,
        copy=False,
        help="When the lead first became sales-ready: the team is notified once.",
    )

    @api.depends("score", "score_event_ids.kind", "score_event_ids.date")
    def _compute_score_explanation(self):
        labels = dict(SCORING_KINDS)
        events = self.env["crm.lead.score.event"].search(
            [("lead_id", "in", self._origin.ids)]
        )
        by_lead = defaultdict(lambda: defaultdict(lambda: [0, 0.0]))
        for event in events:
            total = by_lead[event.lead_id.id][event.kind]
            total[0] += 1
            total[1] += event.points
        for lead in self:
            kinds = by_lead.get(lead._origin.id)
            if not kinds:
                lead.score_explanation = Markup(
                    "<p class='text-muted'>%s</p>"
                ) % self.env._("No scored interaction yet.")
                continue
            top = sorted(kinds.items(), key=lambda item: -abs(item[1][1]))[:5]
            rows = Markup("").join(
                Markup(
                    "<tr><td>%s</td><td class='text-end'>%s</td>"
                    "<td class='text-end %s'>%s</td></tr>"
                )
                % (
                    escape(labels.get(kind, kind)),
                    count,
                    "text-danger" if points < 0 else "text-success",
                    f"{points:+.0f}",
                )
                for kind, (count, points) in top
            )
            lead.score_explanation = Markup(
                "<table class='table table-sm o_lead_lifecycle_score mb-0'>"
                "<thead><tr><th>%s</th><th class='text-end'>%s</th>"
                "<th class='text-end'>%s</th></tr></thead><tbody>%s</tbody></table>"
            ) % (
                self.env._("Interaction"),
                self.env._("Count"),
                self.env._("Points"),
                rows,
            )

    # ------------------------------------------------------------
    # ORM
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        leads = super().create(vals_list)
        leads._scoring_refresh()
        return leads

    def write(self, vals):
        res = super().write(vals)
        if SCORING_TRIGGER_FIELDS & set(vals):
            self._scoring_refresh()
        elif vals.get("team_id") and (
            self.env["crm.team"].browse(vals["team_id"]).sales_ready_score
        ):
            # Another team, another threshold.
            self._scoring_apply_sales_ready()
        return res

    def _lifecycle_refresh_interactions(self):
        res = super()._lifecycle_refresh_interactions()
        self._scoring_refresh()
        return res

    # ------------------------------------------------------------
    # CRON
    # ------------------------------------------------------------

    @api.model
    def _cron_lifecycle_score_decay(self, batch_size=DECAY_BATCH_SIZE):
        """Daily decay: rescore every lead from its event log, one id range of leads per
        call. The cron runner calls again while leads remain (committing in between);
        a cursor in a system parameter makes an interrupted run resume where it
        stopped. Recomputing from the log makes any batch safe to run twice."""
        params = self.env["ir.config_parameter"].sudo()
        low = int(params.get_param(DECAY_CURSOR_PARAM, 0) or 0)
        high = self._scoring_batch_end(low, batch_size)
        if high is None:
            params.set_param(DECAY_CURSOR_PARAM, 0)
            self.env["ir.cron"]._notify_progress(done=0, remaining=0)
            return
        changed = self._scoring_recompute(low=low, high=high)
        self.browse(changed)._scoring_apply_sales_ready()
        self.env.cr.execute(
            SQL("SELECT count(*) FROM crm_lead WHERE id > %s", high),
        )
        remaining = self.env.cr.fetchone()[0]
        params.set_param(DECAY_CURSOR_PARAM, high if remaining else 0)
        self.env["ir.cron"]._notify_progress(
            done=min(batch_size, high - low), remaining=remaining
        )

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _scoring_refresh(self):
        """Incremental path: derive the score events of these leads, rescore them and
        flag those that became sales-ready."""
        leads = self.filtered("id")
        if not leads:
            return
        leads._scoring_sync_events()
        changed = self._scoring_recompute(ids=leads.ids)
        self.browse(changed)._scoring_apply_sales_ready()

    @api.model
    def _scoring_rescore_all(self):
        """Rescore every lead now (after a scoring rule changed), batch by batch."""
        low = 0
        while (high := self._scoring_batch_end(low, DECAY_BATCH_SIZE)) is not None:
            changed = self._scoring_recompute(low=low, high=high)
            self.browse(changed)._scoring_apply_sales_ready()
            low = high

    @api.model
    def _scoring_batch_end(self, low, batch_size):
        self.env.cr.execute(
            SQL(
                "SELECT max(id) FROM (SELECT id FROM crm_lead WHERE id > %s "
                "ORDER BY id LIMIT %s) batch",
                low,
                batch_size,
            )
        )
        return self.env.cr.fetchone()[0]

    def _scoring_sync_events(self):
        """Derive the score event log of the leads from what Odoo recorded, in one
        statement: insert the missing events (keyed by their source, so existing ones
        keep their date) and delete the events whose source is gone (a bounce counter
        reset by a reply, a BANT fact erased, an email that became invalid). Same
        criteria as the interaction counters (crm_lead_interaction.py)."""
        self.env.flush_all()
        website = self.env["ir.model.data"]._xmlid_to_res_id(
            "utm.utm_medium_website", raise_if_not_found=False
        )
        bant = SQL(" UNION ALL ").join(
            SQL(
                "SELECT id, 'bant_filled', %(now)s, %(source)s, id FROM crm_lead "
                "WHERE id = ANY(%(ids)s) AND %(filled)s",
                now=fields.Datetime.now(),
                source=f"crm.lead.{fname}",
                filled=filled,
                ids=self.ids,
            )
            for fname, filled in BANT_FILLED.items()
        )
        self.env.cr.execute(
            SQL(
                """
            WITH internal AS (
                %(internal)s
            ), desired (lead_id, kind, date, source_model, source_id) AS (
                SELECT m.res_id,
                       CASE WHEN %(call)s THEN 'call' ELSE 'inbound_email' END,
                       m.date, 'mail.message', m.id
                  FROM mail_message m
                  JOIN crm_lead l ON l.id = m.res_id
             LEFT JOIN internal i ON i.partner_id = m.author_id
             LEFT JOIN mail_activity_type t ON t.id = m.mail_activity_type_id
                 WHERE m.model = 'crm.lead' AND m.res_id = ANY(%(ids)s)
                   AND (%(call)s OR %(inbound)s)
             UNION ALL
                SELECT e.opportunity_id, 'meeting', e.start, 'calendar.event', e.id
                  FROM calendar_event e
                 WHERE e.opportunity_id = ANY(%(ids)s) AND %(meeting_held)s
             UNION ALL
                SELECT tr.res_id, k.kind, k.date, 'mailing.trace', tr.id
                  FROM mailing_trace tr
            CROSS JOIN LATERAL (VALUES
                       ('mailing_opened', tr.open_datetime),
                       ('mailing_clicked', tr.links_click_datetime),
                       ('mailing_replied', tr.reply_datetime)) AS k (kind, date)
                 WHERE tr.model = 'crm.lead' AND tr.res_id = ANY(%(ids)s)
                   AND k.date IS NOT NULL
             UNION ALL
                SELECT id, 'website_form', create_date, 'crm.lead', id
                  FROM crm_lead WHERE id = ANY(%(ids)s) AND medium_id = %(website)s
             UNION ALL
                SELECT id, 'valid_email', %(now)s, 'crm.lead.email_from', id
                  FROM crm_lead WHERE id = ANY(%(ids)s) AND email_state = 'correct'
             UNION ALL
                SELECT id, 'valid_phone', %(now)s, 'crm.lead.phone', id
                  FROM crm_lead WHERE id = ANY(%(ids)s) AND phone_state = 'correct'
             UNION ALL
                SELECT l.id, 'bounce', %(now)s, 'crm.lead.message_bounce', n
                  FROM crm_lead l
            CROSS JOIN LATERAL generate_series(1, l.message_bounce) AS n
                 WHERE l.id = ANY(%(ids)s) AND l.message_bounce > 0
             UNION ALL
                %(bant)s
            ), inserted AS (
                INSERT INTO crm_lead_score_event
                       (lead_id, kind, date, source_model, source_id)
                SELECT lead_id, kind, date, source_model, source_id FROM desired
                ON CONFLICT (lead_id, kind, source_model, source_id) DO NOTHING
            )
            DELETE FROM crm_lead_score_event ev
             WHERE ev.lead_id = ANY(%(ids)s)
               AND NOT EXISTS (
                   SELECT 1 FROM desired d
                    WHERE d.lead_id = ev.lead_id AND d.kind = ev.kind
                      AND d.source_model = ev.source_model
                      AND d.source_id = ev.source_id)
                """,
                ids=self.ids,
                now=fields.Datetime.now(),
                website=website or 0,
                bant=bant,
                internal=INTERNAL_PARTNERS_SQL,
                inbound=INBOUND_EMAIL_SQL,
                call=CALL_SQL,
                meeting_held=meeting_held_sql(fields.Datetime.now()),
            )
        )
        self.env["crm.lead.score.event"].invalidate_model()
        self.invalidate_recordset(["score_event_ids"])

    @api.model
    def _scoring_recompute(self, ids=None, low=None, high=None):
        """Recompute the score of the leads given by ids, or by the id range
        ]low, high], from the event log and the active rules.

        Plain SQL on purpose: the daily decay touches every lead (100k+); one
        UPDATE writes only the scores that changed, in seconds, where reading and
        writing through the ORM takes minutes. Recomputing from the log (not adding
        to the stored score) makes it idempotent. Each lead's score is one probe of
        the event log's lead_id index, with no join for the planner to get wrong:
        leads created in the running transaction (a promoted list) are not in the
        statistics yet, and a join planned for an "empty" table loops over it.

        :return: ids of the leads whose score changed
        """
        self.env.flush_all()
        if ids is not None:
            where = SQL("l.id = ANY(%s)", list(ids))
        else:
            where = SQL("l.id > %s AND l.id <= %s", low, high)
        score = SQL(
            """
            (SELECT COALESCE(ROUND(SUM(r.points * CASE
                        WHEN r.half_life_days > 0 THEN power(0.5::float8,
                            GREATEST(EXTRACT(EPOCH FROM (%(now)s - e.date))::float8
                                     / 86400.0, 0.0) / r.half_life_days)
                        ELSE 1.0 END)), 0)::int
               FROM crm_lead_score_event e
               JOIN crm_lead_scoring_rule r ON r.kind = e.kind AND r.active
              WHERE e.lead_id = l.id)
            """,
            now=fields.Datetime.now(),
        )
        self.env.cr.execute(
            SQL(
                """
            UPDATE crm_lead l
               SET score = %(score)s
             WHERE %(where)s AND l.score IS DISTINCT FROM %(score)s
         RETURNING l.id
                """,
                score=score,
                where=where,
            )
        )
        changed = [row[0] for row in self.env.cr.fetchall()]
        if changed:
            # The ORM cache does not know what SQL wrote.
            self.env["crm.lead"].invalidate_model(["score"])
        return changed

    def _scoring_apply_sales_ready(self):
        """Flag the leads whose score crossed their team's sales-ready threshold (and
        unflag those that fell below it); the first time a lead becomes sales-ready its
        team is notified or the lead assigned, once."""
        if not self:
            return
        self.env.cr.execute(
            SQL(
                """
            SELECT l.id, l.score >= t.sales_ready_score
              FROM crm_lead l
              JOIN crm_team t ON t.id = l.team_id
             WHERE l.id = ANY(%s) AND l.active AND t.sales_ready_score > 0
               AND COALESCE(l.sales_ready, FALSE)
                   IS DISTINCT FROM (l.score >= t.sales_ready_score)
                """,
                self.ids,
            )
        )
        rows = self.env.cr.fetchall()
        ready = self.browse(lead_id for lead_id, flag in rows if flag)
        not_ready = self.browse(lead_id for lead_id, flag in rows if not flag)
        if not_ready:
            not_ready.write({"sales_ready": False})
        if ready:
            first = ready.filtered(lambda lead: not lead.sales_ready_date)
            ready.filtered("sales_ready_date").write({"sales_ready": True})
            if first:
                first.write(
                    {"sales_ready": True, "sales_ready_date": fields.Datetime.now()}
                )
                first._scoring_notify_sales_ready()

    def _scoring_notify_sales_ready(self):
        """Once per lead: assign it through its team's assignment rules, or schedule an
        activity for the team leader (the salesperson when the team has no leader)."""
        for team, leads in self.grouped("team_id").items():
            to_notify = leads
            if team.sales_ready_action == "assign":
                to_notify = leads._scoring_assign(team)
            for user, user_leads in to_notify.grouped(
                lambda lead, team=team: team.user_id or lead.user_id
            ).items():
                if user:
                    user_leads.activity_schedule(
                        "mail.mail_activity_data_todo",
                        user_id=user.id,
                        summary=self.env._("Sales-ready lead"),
                        note=self.env._(
                            "The lead's score reached the sales-ready threshold of "
                            "its team: follow it up."
                        ),
                    )
                else:
                    for lead in user_leads:
                        lead.message_post(
                            body=self.env._(
                                "Sales-ready: the score reached %(score)s.",
                                score=lead.score,
                            ),
                            subtype_xmlid="mail.mt_note",
                        )

    def _scoring_assign(self, team):
        """Assign the unassigned leads to the team member whose assignment domain they
        match and who received the fewest leads in the last 30 days (crm's rules).

        :return: the leads not assigned (already had a salesperson, or no member
          matches): those are notified instead
        """
        members = team.crm_team_member_ids.filtered(
            lambda member: not member.assignment_optout and member.user_id.active
        )
        load = {member: member.lead_month_count for member in members}
        assignment = defaultdict(lambda: self.browse())
        for lead in self.filtered(lambda lead: not lead.user_id):
            eligible = [
                member
                for member in members
                if lead.filtered_domain(literal_eval(member.assignment_domain or "[]"))
            ]
            if eligible:
                member = team._lifecycle_pick_assignee(eligible, load)
                assignment[member] |= lead
        assigned = self.browse()
        for member, leads in assignment.items():
            leads.write({"user_id": member.user_id.id})
            assigned |= leads
        return self - assigned
