# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""crm.lead: the two-way interactions of a lead, counted from what Odoo records
(emails received, logged calls, meetings held, our unanswered attempts), in one
set-based query. The checklist (crm_lead_lifecycle.py) reads the counters; scoring
(crm_lead_scoring.py) derives its events from the same definitions
(INBOUND_EMAIL_SQL, CALL_SQL, MEETING_HELD_SQL)."""

from odoo import api, fields, models
from odoo.tools import SQL

# What counts as an interaction, written once for the counters below and for
# scoring's events (crm_lead_scoring.py), on the aliases of their queries:
# m = mail_message of the lead, l = crm_lead, i = the internal (non-share) user
# partners (INTERNAL_PARTNERS_SQL, joined on m.author_id), t = mail_activity_type
# (joined on m.mail_activity_type_id), e = calendar_event of the lead.
INTERNAL_PARTNERS_SQL = SQL("SELECT DISTINCT partner_id FROM res_users WHERE NOT share")
# An email received: an email not written by an internal user, except the email that
# created the lead through a mail alias (the request itself, not a reply).
INBOUND_EMAIL_SQL = SQL(
    "(m.message_type = 'email'"
    " AND m.message_id IS DISTINCT FROM l.lifecycle_origin_message_id"
    " AND i.partner_id IS NULL)"
)
# A logged call: the message of a done activity of the 'phonecall' category.
CALL_SQL = SQL("COALESCE(t.category = 'phonecall', FALSE)")


def meeting_held_sql(now):
    """A meeting held: an active calendar event of the lead that has started."""
    return SQL("(e.active AND e.start <= %s)", now)


def interaction_totals_sql(message_leads, meeting_leads, lead_ids, now, discussion):
    """The interaction counts of leads, as CTEs ending in ``tot`` (id, inbound_n,
    call_n, meeting_n, first, last, attempts), for _lifecycle_refresh_interactions
    and the install's backfill (hooks.py) alike.

    :param message_leads: SQL condition on ``m.res_id`` (the leads' messages)
    :param meeting_leads: SQL condition on ``e.opportunity_id`` (their meetings)
    :param lead_ids: SQL query of one column ``res_id``: the leads counted
    :param now: meetings that started by then are held
    :param discussion: id of mail.mt_comment (our emails are discussion messages)
    """
    return SQL(
        """
        WITH internal AS (
            %(internal)s
        ), msg AS (
            SELECT m.id, m.res_id, m.date,
                   %(inbound)s AS inbound,
                   %(call)s AS call,
                   (m.message_type IN ('comment', 'email', 'email_outgoing')
                    AND m.subtype_id = %(discussion)s
                    AND i.partner_id IS NOT NULL) AS outbound
              FROM mail_message m
              JOIN crm_lead l ON l.id = m.res_id
         LEFT JOIN internal i ON i.partner_id = m.author_id
         LEFT JOIN mail_activity_type t ON t.id = m.mail_activity_type_id
             WHERE m.model = 'crm.lead' AND %(message_leads)s
        ), meet AS (
            SELECT e.opportunity_id AS res_id, count(*) AS n, min(e.start) AS first,
                   max(e.start) AS last
              FROM calendar_event e
             WHERE %(meeting_leads)s AND %(meeting_held)s
          GROUP BY e.opportunity_id
        ), agg AS (
            SELECT res_id,
                   count(*) FILTER (WHERE inbound) AS inbound_n,
                   min(date) FILTER (WHERE inbound) AS inbound_first,
                   max(date) FILTER (WHERE inbound) AS inbound_last,
                   count(*) FILTER (WHERE call) AS call_n,
                   min(date) FILTER (WHERE call) AS call_first,
                   max(date) FILTER (WHERE call) AS call_last,
                   max(id) FILTER (WHERE inbound OR call) AS answer_id
              FROM msg GROUP BY res_id
        ), ids AS (
            %(lead_ids)s
        ), sums AS (
            SELECT ids.res_id AS id,
                   COALESCE(a.inbound_n, 0) AS inbound_n,
                   COALESCE(a.call_n, 0) AS call_n,
                   COALESCE(mt.n, 0) AS meeting_n,
                   LEAST(a.inbound_first, a.call_first, mt.first) AS first,
                   GREATEST(a.inbound_last, a.call_last, mt.last) AS last,
                   COALESCE(a.answer_id, 0) AS answer_id,
                   mt.last AS meeting_last
              FROM ids
         LEFT JOIN agg a ON a.res_id = ids.res_id
         LEFT JOIN meet mt ON mt.res_id = ids.res_id
        ), tot AS (
            SELECT sums.id, sums.inbound_n, sums.call_n, sums.meeting_n, sums.first,
                   sums.last,
                   (SELECT count(*) FROM msg
                     WHERE msg.res_id = sums.id AND msg.outbound
                       AND msg.id > sums.answer_id
                       AND msg.date >= COALESCE(sums.meeting_last,
                           '-infinity'::timestamp)) AS attempts
              FROM sums
        )
        """,
        internal=INTERNAL_PARTNERS_SQL,
        inbound=INBOUND_EMAIL_SQL,
        call=CALL_SQL,
        meeting_held=meeting_held_sql(now),
        discussion=discussion,
        message_leads=message_leads,
        meeting_leads=meeting_leads,
        lead_ids=lead_ids,
    )


class CrmLead(models.Model):
    _inherit = "crm.lead"

    lifecycle_origin_message_id = fields.Char(
        string="Creating Email Message-ID",
        copy=False,
        readonly=True,
        help="Message-ID of the email that created the lead through a mail alias: that "
        "email is the request itself, not a reply, and never counts as an interaction.",
    )
    # Interactions, detected from messages, activities and meetings
    inbound_email_count = fields.Integer(
        string="Emails Received", readonly=True, copy=False
    )
    call_count = fields.Integer(string="Logged Calls", readonly=True, copy=False)
    meeting_count = fields.Integer(string="Meetings Held", readonly=True, copy=False)
    contact_attempt_count = fields.Integer(
        string="Unanswered Attempts",
        readonly=True,
        copy=False,
        help="Our emails to the lead since its last answer (or ever, if it never "
        "answered).",
    )
    first_two_way_date = fields.Datetime(
        string="First Two-Way Contact", readonly=True, copy=False
    )
    last_interaction_date = fields.Datetime(
        string="Last Interaction", readonly=True, copy=False
    )

    # ------------------------------------------------------------
    # ORM
    # ------------------------------------------------------------

    @api.model
    def message_new(self, msg_dict, custom_values=None):
        # Remember the Message-ID of the email that creates the lead: it is the request,
        # not a reply, and must not count as two-way contact.
        custom_values = dict(custom_values or {})
        if msg_dict.get("message_id"):
            custom_values.setdefault(
                "lifecycle_origin_message_id", msg_dict["message_id"]
            )
        return super().message_new(msg_dict, custom_values=custom_values)

    def _message_post_after_hook(self, message, msg_vals):
        res = super()._message_post_after_hook(message, msg_vals)
        # Emails and chatter replies, and the messages of done activities (a logged
        # call); not the other notifications, such as crm's "Lead created" posted at
        # every creation (a recount per created lead would double a lead's cost).
        if message.message_type in ("email", "comment") or (
            message.message_type == "notification" and message.mail_activity_type_id
        ):
            self._lifecycle_refresh_interactions()
        return res

    # ------------------------------------------------------------
    # BUSINESS: interactions
    # ------------------------------------------------------------

    def _lifecycle_refresh_interactions(self):
        """Recount the two-way interactions of the leads from what Odoo recorded, in one
        set-based query for the whole recordset (safe to run any number of times).

        - emails received: messages of type email whose author is not an internal user,
          except the email that created the lead through a mail alias;
        - logged calls: done activities of the 'phonecall' category (their messages);
        - meetings held: calendar events of the lead that have started;
        - contact attempts: our emails (discussion messages by internal users) since the
          lead's last answer.
        """
        leads = self.filtered("id")
        if not leads:
            return
        self.env.flush_all()
        discussion = self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_comment")
        totals = interaction_totals_sql(
            message_leads=SQL("m.res_id = ANY(%s)", leads.ids),
            meeting_leads=SQL("e.opportunity_id = ANY(%s)", leads.ids),
            # every lead of self, also those with nothing left to count
            lead_ids=SQL(
                "SELECT id AS res_id FROM crm_lead WHERE id = ANY(%s)", leads.ids
            ),
            now=fields.Datetime.now(),
            discussion=discussion,
        )
        self.env.cr.execute(
            SQL(
                "%s SELECT id, inbound_n, call_n, meeting_n, first, last, attempts "
                "FROM tot",
                totals,
            )
        )
        for (
            lead_id,
            inbound,
            calls,
            meetings,
            first,
            last,
            attempts,
        ) in self.env.cr.fetchall():
            lead = self.browse(lead_id)
            values = {
                "inbound_email_count": inbound,
                "call_count": calls,
                "meeting_count": meetings,
                "first_two_way_date": first or False,
                "last_interaction_date": last or False,
                "contact_attempt_count": attempts,
            }
            changed = {
                key: value for key, value in values.items() if lead[key] != value
            }
            if changed:
                lead.write(changed)

    @api.model
    def _cron_lifecycle_refresh_meetings(self):
        """Meetings count once they have started: recount leads whose meetings started
        since the last run (a day back at most)."""
        since = fields.Datetime.subtract(fields.Datetime.now(), days=1)
        events = self.env["calendar.event"].search(
            [
                ("opportunity_id", "!=", False),
                ("start", ">=", since),
                ("start", "<=", fields.Datetime.now()),
            ]
        )
        events.opportunity_id._lifecycle_refresh_interactions()
