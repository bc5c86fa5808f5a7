# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""crm.lead, speed to first response: when a lead was first answered, its delay in
working hours of the team's calendar, the response SLA (overdue flag, reassignment)
and the team's new-lead notifications."""

from bisect import bisect_right
from collections import defaultdict

from markupsafe import Markup
from pytz import utc

from odoo import api, fields, models
from odoo.tools import SQL
from odoo.tools.sql import create_index

# how many leads a digest of new leads lists by name
NEW_LEAD_DIGEST_SIZE = 20

# Response-delay buckets of the reports (working hours), the decay curve of conversion.
RESPONSE_BUCKETS = [
    ("1_lt1h", "< 1 h"),
    ("2_1_4h", "1-4 h"),
    ("3_4_24h", "4-24 h"),
    ("4_gt24h", "> 24 h"),
    ("5_never", "Never"),
]


def first_response_sql(pending, discussion):
    """The first response of leads, as CTEs ending in ``firsts`` (id, first), for
    _lifecycle_set_first_response and the install's backfill (hooks.py) alike: the
    earliest discussion message by an internal user, logged call or meeting (its
    creation or start, whichever is first) from the lead's creation on. Written as
    index probes per lead (mail_message (model, res_id), calendar event's
    opportunity_id) so the plan never depends on statistics.

    :param pending: SQL query of the leads, columns id and create_date truncated to
        the second (message dates are whole seconds)
    :param discussion: id of mail.mt_comment (our emails are discussion messages)
    """
    return SQL(
        """
        WITH internal AS (
            SELECT DISTINCT partner_id FROM res_users
             WHERE NOT share AND partner_id IS NOT NULL
        ), pending AS (
            %(pending)s
        ), firsts AS (
            SELECT p.id, LEAST(
                (SELECT min(m.date)
                   FROM mail_message m
              LEFT JOIN mail_activity_type t ON t.id = m.mail_activity_type_id
                  WHERE m.model = 'crm.lead' AND m.res_id = p.id
                    AND m.date >= p.create_date
                    AND (t.category = 'phonecall'
                         OR (m.message_type IN ('comment', 'email', 'email_outgoing')
                             AND m.subtype_id = %(discussion)s
                             AND m.author_id IN (SELECT partner_id FROM internal)))),
                (SELECT GREATEST(min(LEAST(e.start, e.create_date)), p.create_date)
                   FROM calendar_event e
                   JOIN res_users u ON u.id = e.create_uid AND NOT u.share
                  WHERE e.opportunity_id = p.id AND e.active
                 HAVING count(*) > 0)
            ) AS first
              FROM pending p
        )""",
        pending=pending,
        discussion=discussion,
    )


def _worked_until(moment, starts, stops, worked):
    """Seconds worked from the first interval up to the moment.

    :param starts, stops: sorted bounds of disjoint work intervals
    :param worked: worked[i] = seconds worked in the intervals before the i-th
    """
    index = bisect_right(starts, moment) - 1
    if index < 0:
        return 0.0
    partial = (min(moment, stops[index]) - starts[index]).total_seconds()
    return worked[index] + max(partial, 0.0)


class CrmLead(models.Model):
    # One class per concern of crm.lead (house style), hence the pylint exception.
    _inherit = "crm.lead"  # pylint: disable=consider-merging-classes-inherited

    # Speed to first response
    first_response_date = fields.Datetime(
        string="First Response",
        readonly=True,
        copy=False,
        help="Our first answer after the lead arrived: an email sent to the lead by an "
        "internal user, a logged call or a meeting. Set once.",
    )
    response_delay_hours = fields.Float(
        string="Response Delay (Working Hours)",
        compute="_compute_response_delay_hours",
        store=True,
        copy=False,
        aggregator="avg",
        help="Working hours of the sales team's calendar between the lead's creation "
        "and its first response.",
    )
    response_overdue = fields.Boolean(
        readonly=True,
        copy=False,
        tracking=True,
        help="The lead was not answered within the response SLA of its sales team. "
        "Stays set once the SLA was broken.",
    )
    response_overdue_date = fields.Datetime(
        string="Response Overdue Since", readonly=True, copy=False
    )

    def init(self):
        res = super().init()
        # The SLA cron looks for unanswered leads only: a small partial index instead of
        # a scan of every lead ever answered.
        create_index(
            self.env.cr,
            "crm_lead_response_pending_index",
            self._table,
            ["create_date"],
            where="first_response_date IS NULL AND response_overdue IS NOT TRUE "
            "AND active",
        )
        return res

    @api.depends("first_response_date", "team_id.response_calendar_id")
    def _compute_response_delay_hours(self):
        answered = self.filtered(
            lambda lead: lead.first_response_date and lead.create_date
        )
        hours = answered._lifecycle_working_hours(
            {lead: (lead.create_date, lead.first_response_date) for lead in answered}
        )
        for lead in self:
            lead.response_delay_hours = hours.get(lead, 0.0)

    # ------------------------------------------------------------
    # BUSINESS: first response
    # ------------------------------------------------------------

    def _lifecycle_refresh_interactions(self):
        res = super()._lifecycle_refresh_interactions()
        self._lifecycle_set_first_response()
        return res

    def _lifecycle_set_first_response(self):
        """Set the first response of the leads that have none yet, from what Odoo
        recorded after each lead's creation: a discussion message by an internal user
        (email or chatter reply to the lead), a logged call (message of a done activity
        of category phonecall) or a meeting (its creation or start, whichever is first).
        One UPDATE for the whole recordset; the delays are then recomputed in batch."""
        leads = self.filtered("id")
        if not leads:
            return
        self.env.flush_all()
        # Set-based: one statement whatever the number of leads; never overwrites.
        # Index probes per lead (first_response_sql): leads created in the running
        # transaction look like an empty table to the planner, and a join plan then
        # rescans every lead message per lead.
        firsts = first_response_sql(
            # create_date keeps the microseconds of the transaction's time, message
            # dates are whole seconds: an automatic reply sent in the second of the
            # creation must count.
            SQL(
                """SELECT id, date_trunc('second', create_date) AS create_date
                     FROM crm_lead
                    WHERE id = ANY(%s) AND first_response_date IS NULL""",
                leads.ids,
            ),
            self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_comment"),
        )
        self.env.cr.execute(
            SQL(
                """
            %s
            UPDATE crm_lead l SET first_response_date = firsts.first
              FROM firsts
             WHERE l.id = firsts.id AND firsts.first IS NOT NULL
         RETURNING l.id
                """,
                firsts,
            )
        )
        answered = self.browse(row[0] for row in self.env.cr.fetchall())
        if answered:
            answered.invalidate_recordset(["first_response_date"])
            answered.modified(["first_response_date"])

    def _lifecycle_working_hours(self, spans):
        """Working hours of each lead's team calendar in a span of time.

        :param spans: {lead: (start, end)} naive UTC datetimes
        :return: {lead: hours}; one calendar query per calendar, not per lead
        """
        by_calendar = defaultdict(list)
        for lead, span in spans.items():
            by_calendar[lead.team_id._lifecycle_response_calendar()].append(
                (lead, span)
            )
        result = {}
        for calendar, items in by_calendar.items():
            if not calendar:
                for lead, (start, end) in items:
                    result[lead] = max((end - start).total_seconds(), 0.0) / 3600
                continue
            start = min(span[0] for _lead, span in items).replace(tzinfo=utc)
            end = max(span[1] for _lead, span in items).replace(tzinfo=utc)
            intervals = sorted(
                (
                    begin.astimezone(utc).replace(tzinfo=None),
                    stop.astimezone(utc).replace(tzinfo=None),
                )
                for begin, stop, _meta in calendar._work_intervals_batch(start, end)[
                    False
                ]
            )
            starts = [begin for begin, _stop in intervals]
            stops = [stop for _begin, stop in intervals]
            worked = [0.0]
            for begin, stop in zip(starts, stops, strict=True):
                worked.append(worked[-1] + (stop - begin).total_seconds())

            for lead, (begin, stop) in items:
                seconds = _worked_until(stop, starts, stops, worked) - _worked_until(
                    begin, starts, stops, worked
                )
                result[lead] = round(max(seconds, 0.0) / 3600, 4)
        return result

    # ------------------------------------------------------------
    # BUSINESS: response SLA
    # ------------------------------------------------------------

    @api.model
    def _cron_lifecycle_response_overdue(self):
        """Flag the open leads that got no first response within the SLA of their team,
        and tell their salesperson and team leader, once per lead."""
        now = fields.Datetime.now()
        # One query selects the candidates (unanswered, not flagged, open, older than
        # the SLA in wall-clock hours, which working hours never exceed); only those are
        # measured in working hours.
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
            SELECT l.id
              FROM crm_lead l
              JOIN crm_team t ON t.id = l.team_id
             WHERE l.first_response_date IS NULL
               AND l.response_overdue IS NOT TRUE
               AND l.active
               AND COALESCE(l.probability, 0) < 100
               AND l.lifecycle_state IN ('new', 'contacted')
               AND t.response_sla_hours > 0
               -- only leads that arrived since the SLA was turned on
               AND l.create_date >= COALESCE(t.response_sla_start_date,
                                             '-infinity'::timestamp)
               AND l.create_date
                   <= %(now)s - make_interval(secs => t.response_sla_hours * 3600)
                """,
                now=now,
            )
        )
        candidates = self.browse(row[0] for row in self.env.cr.fetchall())
        if not candidates:
            return candidates
        elapsed = candidates._lifecycle_working_hours(
            {lead: (lead.create_date, now) for lead in candidates}
        )
        overdue = candidates.filtered(
            lambda lead: elapsed[lead] >= lead.team_id.response_sla_hours
        )
        overdue._lifecycle_flag_response_overdue()
        return overdue

    def _lifecycle_flag_response_overdue(self):
        """Flag the leads overdue (never twice), reassign them where their team asks
        for it, and schedule one activity for the salesperson and one for the team
        leader."""
        leads = self.filtered(lambda lead: not lead.response_overdue)
        if not leads:
            return
        leads.write(
            {"response_overdue": True, "response_overdue_date": fields.Datetime.now()}
        )
        leads.filtered(
            "team_id.response_overdue_reassign"
        )._lifecycle_reassign_overdue()
        todo = self.env.ref("mail.mail_activity_data_todo")
        model_id = self.env["ir.model"]._get_id("crm.lead")
        deadline = fields.Date.context_today(self)
        activities = []
        for lead in leads:
            for user in (lead.user_id | lead.team_id.user_id).filtered("active"):
                activities.append(
                    {
                        "res_model_id": model_id,
                        "res_id": lead.id,
                        "activity_type_id": todo.id,
                        "user_id": user.id,
                        "date_deadline": deadline,
                        "summary": self.env._("Answer this lead: response SLA broken"),
                        "note": self.env._(
                            "No first response within the %(hours)s working hours of "
                            "the team's SLA. %(cost)s",
                            hours=lead.team_id.response_sla_hours,
                            cost=lead._lifecycle_value_cost_text(),
                        ),
                    }
                )
        # The activities show in each user's to-do; no assignment email per activity
        # (a cron run can flag hundreds of leads at once).
        self.env["mail.activity"].with_context(mail_activity_quick_update=True).create(
            activities
        )

    def _lifecycle_reassign_overdue(self):
        """Give each lead to the other team member with the fewest unanswered open
        leads (counted in one grouped query), and say why in its chatter."""
        members = self.team_id.member_ids.filtered("active")
        load = dict(
            self._read_group(
                [
                    ("first_response_date", "=", False),
                    ("user_id", "in", members.ids),
                ],
                ["user_id"],
                ["__count"],
            )
        )
        load = {user: load.get(user, 0) for user in members}
        for lead in self:
            candidates = (lead.team_id.member_ids & members) - lead.user_id
            if not candidates:
                continue
            target = lead.team_id._lifecycle_pick_assignee(candidates, load)
            previous = lead.user_id
            lead.user_id = target
            lead.message_post(
                body=self.env._(
                    "Reassigned from %(old)s to %(new)s: no first response within "
                    "the %(hours)s working hours of the team's SLA.",
                    old=previous.name or self.env._("nobody"),
                    new=target.name,
                    hours=lead.team_id.response_sla_hours,
                ),
                subtype_xmlid="mail.mt_note",
            )

    # ------------------------------------------------------------
    # BUSINESS: new lead notification
    # ------------------------------------------------------------

    def _lifecycle_notify_team_new_lead(self):
        """Tell the members and the leader of each lead's sales team that new leads
        arrived (inbox or email, as each user prefers), without a chatter message.

        The shipped automation rule calls this once per created lead. The leads are
        queued and told when the transaction commits, once per team: a lead alone is
        notified on the lead, the leads of one import (several for a team in one
        transaction) in one digest on the team, not one message each."""
        self.filtered("team_id")._lifecycle_at_commit("_lifecycle_notify_team_batch")
        return True

    def _lifecycle_notify_team_batch(self):
        for team, leads in self.grouped("team_id").items():
            if team:
                leads._lifecycle_notify_team(team)

    def _lifecycle_notify_team(self, team):
        """Notify the team of these leads: on the lead when alone, else in a digest
        on the team."""
        members = team.member_ids | team.user_id
        partners = members.partner_id - self.env.user.partner_id
        if not partners:
            return
        if len(self) == 1:
            self.message_notify(
                partner_ids=partners.ids,
                subject=self.env._("New lead for %(team)s", team=team.name),
                body=self.env._(
                    "New lead %(lead)s arrived for %(team)s: answer it quickly.",
                    lead=self.name,
                    team=team.name,
                ),
            )
            return
        shown = self[:NEW_LEAD_DIGEST_SIZE]
        items = Markup().join(
            Markup("<li>%s</li>") % lead._get_html_link() for lead in shown
        )
        more = (
            Markup("<p>%s</p>")
            % self.env._("… and %(count)s more.", count=len(self) - len(shown))
            if len(self) > len(shown)
            else ""
        )
        team.message_notify(
            partner_ids=partners.ids,
            subject=self.env._(
                "%(count)s new leads for %(team)s", count=len(self), team=team.name
            ),
            body=Markup("<p>%s</p><ul>%s</ul>%s")
            % (
                self.env._(
                    "%(count)s new leads arrived for %(team)s: answer them quickly.",
                    count=len(self),
                    team=team.name,
                ),
                items,
                more,
            ),
        )
