# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# Concern: crm.lead, value of speed: routing and answering delays, the value expected
# now and lost per hour of delay (from the fitted curves, crm_lead_value_curve.py).
from odoo import api, fields, models
from odoo.tools import SQL, format_amount
from odoo.tools.sql import create_index


class CrmLead(models.Model):
    # One class per concern of crm.lead (house style), hence the pylint exception.
    _inherit = "crm.lead"  # pylint: disable=consider-merging-classes-inherited

    # Delay split: routing (created -> assigned) and answering (assigned -> answered)
    assigned_date = fields.Datetime(
        string="Assigned",
        readonly=True,
        copy=False,
        help="When the lead first got a salesperson (at creation, or the first "
        "assignment recorded in its chatter).",
    )
    routing_delay_hours = fields.Float(
        string="Routing Delay (Working Hours)",
        compute="_compute_split_delay_hours",
        store=True,
        copy=False,
        aggregator="avg",
        help="Working hours between the lead's creation and its first salesperson "
        "(until its first response when it was answered before being assigned).",
    )
    answering_delay_hours = fields.Float(
        string="Answering Delay (Working Hours)",
        compute="_compute_split_delay_hours",
        store=True,
        copy=False,
        aggregator="avg",
        help="Working hours between the lead's assignment and its first response.",
    )
    # Value of speed (refreshed by its own cron, see _cron_lifecycle_refresh_value)
    value_expected_now = fields.Monetary(
        currency_field="company_currency",
        readonly=True,
        copy=False,
        help="What the lead is still expected to bring if answered now: its "
        "expected revenue (or the won revenue per lead of the value curve) x "
        "2^(-d / half-life), d the working hours it has waited.",
    )
    value_lost_per_hour = fields.Monetary(
        string="Value at Stake per Hour",
        currency_field="company_currency",
        readonly=True,
        copy=False,
        help="What one more working hour without an answer costs: value expected now x "
        "(1 - 2^(-1 / half-life)). Sort the leads by it to answer the costliest first.",
    )
    value_curve_note = fields.Char(
        string="Value Curve", compute="_compute_value_curve_note"
    )

    def init(self):
        res = super().init()
        # The lead list sorted by value at stake reads the top of this index.
        create_index(
            self.env.cr,
            "crm_lead_value_lost_per_hour_index",
            self._table,
            ["value_lost_per_hour DESC NULLS LAST", "id DESC"],
        )
        # After the reflection of the fields and the computation of new columns
        # (init() runs before both).
        self.pool.post_init(self._lifecycle_backfill_assigned_date)
        return res

    @api.depends(
        "create_date",
        "assigned_date",
        "first_response_date",
        "team_id.response_calendar_id",
    )
    def _compute_split_delay_hours(self):
        spans_routing, spans_answering = {}, {}
        for lead in self:
            if not lead.create_date:
                continue
            end = lead.assigned_date or lead.first_response_date
            if lead.first_response_date and end:
                end = min(end, lead.first_response_date)
            if end:
                spans_routing[lead] = (lead.create_date, max(end, lead.create_date))
            if lead.assigned_date and lead.first_response_date:
                spans_answering[lead] = (
                    max(lead.assigned_date, lead.create_date),
                    max(lead.first_response_date, lead.assigned_date),
                )
        routing = self._lifecycle_working_hours(spans_routing)
        answering = self._lifecycle_working_hours(spans_answering)
        for lead in self:
            lead.routing_delay_hours = routing.get(lead, 0.0)
            lead.answering_delay_hours = answering.get(lead, 0.0)

    def _compute_value_curve_note(self):
        curves = self._lifecycle_value_curves()
        for lead in self:
            curve = lead._lifecycle_value_curve(curves)
            if lead.first_response_date:
                lead.value_curve_note = False
            elif not curve:
                lead.value_curve_note = self.env._(
                    "Not enough history, using the team SLA."
                )
            else:
                lead.value_curve_note = curve.status

    # ------------------------------------------------------------
    # ORM
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        leads = super().create(vals_list)
        # after create: the salesperson may come from a default or a compute
        assigned = leads.filtered(lambda lead: lead.user_id and not lead.assigned_date)
        if assigned:
            assigned.write({"assigned_date": fields.Datetime.now()})
        return leads

    def write(self, vals):
        if vals.get("user_id") and "assigned_date" not in vals:
            unassigned = self.filtered(lambda lead: not lead.assigned_date)
            res = super().write(vals)
            if unassigned:
                unassigned.write({"assigned_date": fields.Datetime.now()})
            return res
        return super().write(vals)

    # ------------------------------------------------------------
    # BUSINESS: value of speed
    # ------------------------------------------------------------

    def _lifecycle_backfill_assigned_date(self):
        """Set the assignment date of the leads that have a salesperson but none yet:
        the first assignment tracked in the lead's chatter, else its creation."""
        cr = self.env.cr
        # Set-based (install or upgrade on 100,000 leads): one statement, an index
        # probe of mail_message (model, res_id) per lead.
        cr.execute(
            SQL(
                """
            UPDATE crm_lead l
               SET assigned_date = COALESCE((
                       SELECT min(m.date)
                         FROM mail_message m
                         JOIN mail_tracking_value v ON v.mail_message_id = m.id
                        WHERE m.model = 'crm.lead' AND m.res_id = l.id
                          AND v.field_id = (SELECT id FROM ir_model_fields
                                             WHERE model = 'crm.lead'
                                               AND name = 'user_id')
                          AND v.new_value_integer IS NOT NULL
                          AND v.new_value_integer <> 0
                   ), l.create_date)
             WHERE l.assigned_date IS NULL AND l.user_id IS NOT NULL
         RETURNING l.id
                """,
            )
        )
        ids = [row[0] for row in cr.fetchall()]
        if ids:
            leads = self.browse(ids)
            leads.invalidate_recordset(["assigned_date"])
            self.env.add_to_compute(self._fields["routing_delay_hours"], leads)
            self.env.add_to_compute(self._fields["answering_delay_hours"], leads)
            leads.flush_recordset(["routing_delay_hours", "answering_delay_hours"])

    def _lifecycle_value_curves(self):
        """The curves with enough history, by (company, team, source)."""
        curves = (
            self.env["crm.lead.value.curve"]
            .sudo()
            .search([("enough_history", "=", True)])
        )
        return {curve._lifecycle_scope(): curve for curve in curves}

    def _lifecycle_value_curve(self, curves):
        """The most specific curve with enough history for this lead: its team and
        source, its team, its company; none: the team SLA alone."""
        self.ensure_one()
        company = (self.company_id or self.env.company).id
        team = self.team_id.id or None
        source = self.source_id.id or None
        return (
            (team and source and curves.get((company, team, source)))
            or (team and curves.get((company, team, None)))
            or curves.get((company, None, None))
        )

    def _lifecycle_value_now(self, curves, hours):
        """(value expected now, value lost per hour) of an unanswered lead."""
        self.ensure_one()
        curve = self._lifecycle_value_curve(curves)
        if not curve:
            return 0.0, 0.0
        if self.expected_revenue > 0:
            return curve._lifecycle_value(self.expected_revenue, hours)
        return curve._lifecycle_value(
            curve.revenue_p0, hours, from_expected_revenue=False
        )

    @api.model
    def _cron_lifecycle_refresh_value(self, now=None):
        """Refresh the value expected now and the value at stake of every unanswered
        open lead; zero them on the leads answered or closed since. Its own cron (every
        15 minutes), not the SLA cron's: the SLA cron prices only the leads it flags."""
        self.env.flush_all()
        cr = self.env.cr
        # Set-based: one UPDATE for the leads answered or closed, one query for the
        # pending leads, one UPDATE from arrays.
        cr.execute(
            SQL(
                """
            UPDATE crm_lead SET value_expected_now = 0, value_lost_per_hour = 0
             WHERE (value_lost_per_hour <> 0 OR value_expected_now <> 0)
               AND (first_response_date IS NOT NULL OR NOT active
                    OR COALESCE(probability, 0) >= 100)
                """
            )
        )
        cr.execute(
            SQL(
                """
            SELECT id FROM crm_lead
             WHERE first_response_date IS NULL AND active
               AND COALESCE(probability, 0) < 100
                """
            )
        )
        leads = self.browse(row[0] for row in cr.fetchall())
        leads._lifecycle_price(now)
        return leads

    def _lifecycle_price(self, now=None):
        """Store the value expected now and the value at stake of these unanswered
        leads (0 where no curve has enough history)."""
        now = now or fields.Datetime.now()
        cr = self.env.cr
        leads = self
        if not leads:
            return leads
        curves = self._lifecycle_value_curves()
        if not curves:
            cr.execute(
                SQL(
                    "UPDATE crm_lead SET value_expected_now = 0, "
                    "value_lost_per_hour = 0 WHERE id = ANY(%s) "
                    "AND (value_lost_per_hour <> 0 OR value_expected_now <> 0)",
                    leads.ids,
                )
            )
            leads.invalidate_recordset(["value_expected_now", "value_lost_per_hour"])
            return leads
        hours = leads._lifecycle_working_hours(
            {lead: (lead.create_date, now) for lead in leads if lead.create_date}
        )
        ids, values, losses = [], [], []
        for lead in leads:
            value, loss = lead._lifecycle_value_now(curves, hours.get(lead, 0.0))
            ids.append(lead.id)
            values.append(round(value, 2))
            losses.append(round(loss, 2))
        cr.execute(
            SQL(
                """
            UPDATE crm_lead l
               SET value_expected_now = v.value, value_lost_per_hour = v.loss
              FROM unnest(%s::int[], %s::numeric[], %s::numeric[]) AS v(id, value, loss)
             WHERE l.id = v.id
                """,
                ids,
                values,
                losses,
            )
        )
        leads.invalidate_recordset(["value_expected_now", "value_lost_per_hour"])
        return leads

    def _lifecycle_value_cost_text(self):
        """What the delay of this unanswered lead is costing, for the SLA notice."""
        self.ensure_one()
        if not self.value_lost_per_hour:
            return self.env._(
                "Not enough history to price the delay: using the team SLA."
            )
        currency = self.company_currency or self.env.company.currency_id
        return self.env._(
            "Waiting costs about %(loss)s per working hour (value expected now: "
            "%(value)s).",
            loss=format_amount(self.env, self.value_lost_per_hour, currency),
            value=format_amount(self.env, self.value_expected_now, currency),
        )

    def _lifecycle_flag_response_overdue(self):
        # Priced first: the breach notices say what the delay is costing.
        self.env.flush_all()
        self._lifecycle_price()
        return super()._lifecycle_flag_response_overdue()
