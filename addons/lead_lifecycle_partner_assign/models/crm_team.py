# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime, time, timedelta

from pytz import timezone, utc

from odoo import fields, models


class CrmTeam(models.Model):
    _inherit = "crm.team"

    # Hand-over SLA of the leads the team passes to distributors
    distributor_accept_days = fields.Integer(
        string="Distributor Answer (Working Days)",
        default=2,
        help="Working days (team calendar) a distributor has to accept or decline a "
        "lead passed to it. 0: no deadline.",
    )
    distributor_outcome_days = fields.Integer(
        string="Distributor Outcome (Days)",
        default=30,
        help="Days, from its acceptance, a distributor has to report the outcome "
        "(won with amount and date, or lost with a reason). 0: no deadline.",
    )

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _distributor_accept_deadline(self, start):
        """End of the answer SLA of a lead passed at ``start`` (naive UTC), counted
        in working days of the team's response calendar; False without an SLA."""
        team = self[:1]
        days = team.distributor_accept_days if team else 2
        if days <= 0:
            return False
        calendar = team._lifecycle_response_calendar()
        if not calendar:
            return start + timedelta(days=days)
        # plan_days counts the day it starts on: days + 1 finds the Nth working day
        # after it; the deadline is the end of that day's working hours.
        day = calendar.plan_days(days + 1, start)
        if not day:
            return start + timedelta(days=days)
        tz = timezone(calendar.tz or "UTC")
        local_day = utc.localize(day).astimezone(tz).date()
        begin = tz.localize(datetime.combine(local_day, time.min))
        intervals = calendar._attendance_intervals_batch(
            begin, begin + timedelta(days=1)
        )
        end = max((stop for _start, stop, _meta in intervals[False]), default=None)
        return end.astimezone(utc).replace(tzinfo=None) if end else day

    def _distributor_outcome_deadline(self, start):
        team = self[:1]
        days = team.distributor_outcome_days if team else 30
        return start + timedelta(days=days) if days > 0 else False
