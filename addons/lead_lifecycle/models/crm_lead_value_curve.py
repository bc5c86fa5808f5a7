# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The value of speed: how the win rate of a company's leads falls with the working
hours it waits for a first response, fitted from its own closed leads.

Model: p(d) = p0 * 2 ** (-d / half_life), d the working-hour delay to first response,
fitted (value_curve_fit.py) on the closed leads aggregated in SQL by delay bins; the
curves per company, team and source, their graph points and the demo history."""

from datetime import datetime, timedelta

from odoo import api, fields, models
from odoo.tools import SQL

from .value_curve_fit import fit_value_curve

# How much history is enough for a curve (per team, per team and source, per company):
# at least this many closed leads with a first response, this many of them won, and a
# bounded confidence interval of the half-life.
MIN_CLOSED_LEADS = 100
MIN_WON_LEADS = 20
# width of the SQL delay bins (working hours); the fit uses their mid-points
BIN_HOURS = 0.5
# graph buckets (whole working hours); the last one holds every longer delay
GRAPH_MAX_HOURS = 48
# the demo history's first lead (a Monday): the same delays whatever the install date
DEMO_HISTORY_START = datetime(2025, 1, 6, 8, 0)


class CrmLeadValueCurve(models.Model):
    _name = "crm.lead.value.curve"
    _description = "Lead Value Curve (Value of Speed)"
    _order = "company_id, team_id, source_id"

    # Scope
    name = fields.Char(compute="_compute_name")
    company_id = fields.Many2one("res.company", required=True, readonly=True)
    team_id = fields.Many2one(
        "crm.team",
        string="Sales Team",
        readonly=True,
        ondelete="cascade",
        help="Empty: every lead of the company.",
    )
    source_id = fields.Many2one(
        "utm.source",
        readonly=True,
        ondelete="cascade",
        help="Empty: every source of the team.",
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    # History
    closed_count = fields.Integer(string="Closed Leads", readonly=True)
    won_count = fields.Integer(string="Won Leads", readonly=True)
    enough_history = fields.Boolean(readonly=True)
    status = fields.Char(compute="_compute_status")
    computed_at = fields.Datetime(readonly=True)
    # Fit
    p0 = fields.Float(
        string="Win Rate at Once",
        readonly=True,
        digits=(16, 4),
        help="Fitted win rate of a lead answered without delay.",
    )
    half_life = fields.Float(
        string="Half-Life (Working Hours)",
        readonly=True,
        digits=(16, 2),
        help="Working hours of waiting after which the win rate is halved.",
    )
    half_life_low = fields.Float(
        string="Half-Life 95% Low", readonly=True, digits=(16, 2)
    )
    half_life_high = fields.Float(
        string="Half-Life 95% High",
        readonly=True,
        digits=(16, 2),
        help="0: the history does not bound the half-life from above.",
    )
    revenue_p0 = fields.Monetary(
        string="Won Revenue per Lead at Once",
        readonly=True,
        currency_field="currency_id",
    )
    revenue_half_life = fields.Float(
        string="Revenue Half-Life (Working Hours)", readonly=True, digits=(16, 2)
    )
    point_ids = fields.One2many(
        "crm.lead.value.curve.point", "curve_id", string="Points", readonly=True
    )

    @api.depends("company_id", "team_id", "source_id")
    def _compute_name(self):
        for curve in self:
            curve.name = " / ".join(
                name
                for name in (
                    curve.company_id.name,
                    curve.team_id.name or self.env._("All teams"),
                    curve.source_id.name or self.env._("All sources"),
                )
                if name
            )

    @api.depends("enough_history", "half_life", "half_life_low", "half_life_high")
    def _compute_status(self):
        for curve in self:
            if not curve.enough_history:
                curve.status = self.env._(
                    "Not enough history (%(closed)s closed leads, %(won)s won; "
                    "needs %(min_closed)s and %(min_won)s with a bounded half-life): "
                    "using the team SLA.",
                    closed=curve.closed_count,
                    won=curve.won_count,
                    min_closed=MIN_CLOSED_LEADS,
                    min_won=MIN_WON_LEADS,
                )
            else:
                curve.status = self.env._(
                    "Half-life %(half_life).1f working hours "
                    "(95%% confidence: %(low).1f-%(high).1f).",
                    half_life=curve.half_life,
                    low=curve.half_life_low,
                    high=curve.half_life_high,
                )

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_recompute(self):
        self._lifecycle_fit_curves()
        return True

    def action_view_graph(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "lead_lifecycle.crm_lead_value_curve_point_action"
        )
        action["name"] = f"{self.name}: {self.status}"
        action["domain"] = [("curve_id", "=", self.id)]
        return action

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    @api.model
    def _cron_lifecycle_fit_value_curves(self):
        return self._lifecycle_fit_curves()

    @api.model
    def _lifecycle_fit_curves(self):
        """Refit every curve from the closed leads: one aggregate query gives the delay
        bins of every scope (company; company and team; company, team and source)."""
        self.env.flush_all()
        # Set-based: GROUPING SETS gives the bins of all scopes in one scan of the
        # closed leads (100,000 leads stay well under a second).
        self.env.cr.execute(
            SQL(
                """
            SELECT l.company_id, l.team_id, l.source_id,
                   GROUPING(l.team_id) AS no_team, GROUPING(l.source_id) AS no_source,
                   floor(l.response_delay_hours / %(width)s) AS bin,
                   count(*) AS leads,
                   count(*) FILTER (WHERE l.active AND l.probability = 100) AS wins,
                   COALESCE(sum(l.expected_revenue)
                       FILTER (WHERE l.active AND l.probability = 100), 0) AS revenue
              FROM crm_lead l
             WHERE l.first_response_date IS NOT NULL
               AND l.company_id IS NOT NULL
               AND ((l.active AND l.probability = 100)
                    OR (NOT l.active AND COALESCE(l.probability, 0) = 0))
          GROUP BY GROUPING SETS (
                   (l.company_id, floor(l.response_delay_hours / %(width)s)),
                   (l.company_id, l.team_id, floor(l.response_delay_hours / %(width)s)),
                   (l.company_id, l.team_id, l.source_id,
                    floor(l.response_delay_hours / %(width)s)))
                """,
                width=BIN_HOURS,
            )
        )
        scopes = {}
        for (
            company,
            team,
            source,
            no_team,
            no_source,
            bin_,
            n,
            w,
            rev,
        ) in self.env.cr.fetchall():
            key = (company, None if no_team else team, None if no_source else source)
            if (team is None and not no_team) or (source is None and not no_source):
                # leads without a team (a source) are in the wider scope already
                continue
            scopes.setdefault(key, []).append(
                ((bin_ + 0.5) * BIN_HOURS, n, w, float(rev))
            )
        existing = {curve._lifecycle_scope(): curve for curve in self.search([])}
        # Every point is rewritten: one DELETE and one batch create instead of an
        # unlink and a create per curve.
        self.env.cr.execute(SQL("DELETE FROM crm_lead_value_curve_point"))
        self.env["crm.lead.value.curve.point"].invalidate_model()
        self.invalidate_model(["point_ids"])
        now = fields.Datetime.now()
        to_create, points = [], {}
        kept = self.browse()
        for key, bins in scopes.items():
            vals = self._prepare_curve_vals(bins)
            points[key] = vals.pop("point_ids")
            vals["computed_at"] = now
            curve = existing.get(key)
            if curve:
                curve.write(vals)
                kept |= curve
            else:
                vals.update(company_id=key[0], team_id=key[1], source_id=key[2])
                to_create.append(vals)
        (self.browse().union(*existing.values()) - kept).unlink()
        curves = kept | self.create(to_create)
        self.env["crm.lead.value.curve.point"].create(
            [
                dict(point, curve_id=curve.id)
                for curve in curves
                for point in points[curve._lifecycle_scope()]
            ]
        )
        return curves

    @api.model
    def _prepare_curve_vals(self, bins):
        closed = sum(n for _d, n, _w, _r in bins)
        won = sum(w for _d, _n, w, _r in bins)
        # below the thresholds no fit is used: none is made (the graph shows the
        # observed win rates alone)
        fit = (
            fit_value_curve(bins)
            if closed >= MIN_CLOSED_LEADS and won >= MIN_WON_LEADS
            else {}
        )
        enough = bool(
            fit
            and closed >= MIN_CLOSED_LEADS
            and won >= MIN_WON_LEADS
            and fit["half_life_low"]
            and fit["half_life_high"]
        )
        vals = {
            "closed_count": closed,
            "won_count": won,
            "enough_history": enough,
            "p0": fit.get("p0", 0.0),
            "half_life": fit.get("half_life", 0.0),
            "half_life_low": fit.get("half_life_low") or 0.0,
            "half_life_high": fit.get("half_life_high") or 0.0,
            "revenue_p0": fit.get("revenue_p0", 0.0),
            "revenue_half_life": fit.get("revenue_half_life", 0.0),
        }
        # graph points: observed win rate per whole working hour, beside the fit
        buckets = {}
        for d, n, w, _r in bins:
            bucket = buckets.setdefault(min(int(d), GRAPH_MAX_HOURS), [0, 0])
            bucket[0] += n
            bucket[1] += w
        points = []
        for hour, (n, w) in sorted(buckets.items()):
            points.append(
                {
                    "delay_hours": hour,
                    "kind": "observed",
                    "rate": 100.0 * w / n,
                    "leads": n,
                }
            )
            if fit:
                points.append(
                    {
                        "delay_hours": hour,
                        "kind": "fitted",
                        "rate": 100.0
                        * fit["p0"]
                        * 2 ** (-(hour + 0.5) / fit["half_life"]),
                        "leads": n,
                    }
                )
        vals["point_ids"] = points
        return vals

    @api.model
    def _lifecycle_demo_history(self, team, count=400, half_life=8.0, p0=0.45):
        """Demo data: `count` closed opportunities of a team over the past year, whose
        chance of being won halves every `half_life` working hours of waiting for the
        first response; then the curves are fitted. Deterministic (a Weyl sequence
        instead of random draws)."""
        team = self.env["crm.team"].browse(team)
        Lead = self.env["crm.lead"].with_context(
            tracking_disable=True, mail_create_nolog=True
        )
        leads = Lead.create(
            [
                {
                    "name": self.env._("Past enquiry %(number)s", number=index + 1),
                    "type": "opportunity",
                    "team_id": team.id,
                    "user_id": team.user_id.id,
                    "expected_revenue": 2000 + 500 * (index % 13),
                }
                for index in range(count)
            ]
        )
        start = DEMO_HISTORY_START
        created, answered = [], []
        for index, _lead in enumerate(leads):
            when = start + timedelta(days=index * 360 // count, hours=index % 8)
            # delays to first response from minutes to about three days (wall clock)
            wait = ((index * 0.754877666) % 1) ** 2 * 72
            created.append(when)
            answered.append(when + timedelta(hours=wait))
        self.env.flush_all()
        # Set-based: past creation dates cannot be written through the ORM.
        self.env.cr.execute(
            SQL(
                """
            UPDATE crm_lead l SET create_date = v.created, assigned_date = v.created
              FROM unnest(%s::int[], %s::timestamp[]) AS v(id, created)
             WHERE l.id = v.id
                """,
                leads.ids,
                created,
            )
        )
        leads.invalidate_recordset(["create_date", "assigned_date"])
        for lead, when in zip(leads, answered, strict=True):
            lead.first_response_date = when
        leads.flush_recordset()
        won = leads.browse(
            lead.id
            for index, lead in enumerate(leads)
            if (index * 0.569840291) % 1
            < p0 * 2 ** (-lead.response_delay_hours / half_life)
        )
        won.action_set_won()
        (leads - won).action_set_lost(
            lost_reason_id=self.env.ref("crm.lost_reason_1").id
        )
        return self._lifecycle_fit_curves()

    def _lifecycle_scope(self):
        """(company, team, source) of the curve, None for "all"."""
        self.ensure_one()
        return (self.company_id.id, self.team_id.id or None, self.source_id.id or None)

    def _lifecycle_value(self, base, hours, from_expected_revenue=True):
        """Value still expected and value lost in the next working hour of a lead
        worth ``base`` when answered at once, after ``hours`` of waiting."""
        self.ensure_one()
        half_life = (
            self.half_life if from_expected_revenue else self.revenue_half_life
        ) or self.half_life
        now = base * 2.0 ** (-hours / half_life)
        return now, now * (1 - 2.0 ** (-1.0 / half_life))


class CrmLeadValueCurvePoint(models.Model):
    _name = "crm.lead.value.curve.point"
    _description = "Lead Value Curve Point"
    _order = "curve_id, delay_hours, kind"

    curve_id = fields.Many2one(
        "crm.lead.value.curve", required=True, ondelete="cascade", index=True
    )
    delay_hours = fields.Integer(
        string="Delay (Working Hours)",
        help="Whole working hours to first response (the last bucket holds every "
        "longer delay).",
    )
    kind = fields.Selection(
        [("observed", "Observed win rate"), ("fitted", "Fitted curve")],
        required=True,
    )
    rate = fields.Float(string="Win Rate (%)", aggregator="avg", digits=(16, 2))
    leads = fields.Integer(string="Closed Leads", aggregator="sum")
