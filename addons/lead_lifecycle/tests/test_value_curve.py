# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The value of speed: the fitted curves, the value at stake of the leads, the
routing and answering delays."""

from datetime import timedelta

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged
from odoo.tests.common import freeze_time
from odoo.tools import SQL

from ..models.value_curve_fit import fit_value_curve
from .common_attribution import MONDAY, AttributionCommon


@tagged("post_install", "-at_install")
class TestValueCurve(AttributionCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.source = cls.env["utm.source"].create({"name": "Speed source"})

    def _history(self, team, hours=40, per_hour=50, p0=0.4, half_life=8.0, **kw):
        """Closed leads with a known decay: in each working hour h of delay,
        round(per_hour * p0 * 2^-(h + 0.5)/half_life) of per_hour leads are won (1,000
        each), the others lost. Inserted in SQL (thousands of leads)."""
        rows = []
        for hour in range(hours):
            wins = round(per_hour * p0 * 2 ** (-(hour + 0.5) / half_life))
            for i in range(per_hour):
                # delays spread evenly inside the hour, mean h + 0.5
                rows.append((hour + (i % 4 + 0.5) / 4, i < wins))
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
            INSERT INTO crm_lead (name, type, active, probability, company_id, team_id,
                                  source_id, expected_revenue, first_response_date,
                                  response_delay_hours, create_date, write_date)
            SELECT 'History', 'opportunity', won, CASE WHEN won THEN 100 ELSE 0 END,
                   %(company)s, %(team)s, %(source)s,
                   CASE WHEN won THEN 1000 ELSE 0 END, %(date)s, delay, %(date)s,
                   %(date)s
              FROM unnest(%(delays)s::float[], %(wons)s::bool[]) AS v(delay, won)
                """,
                company=(team.company_id or self.env.company).id,
                team=team.id,
                source=kw.get("source_id"),
                date=MONDAY - timedelta(days=30),
                delays=[row[0] for row in rows],
                wons=[row[1] for row in rows],
            )
        )

    def _curve(self, team, source=False):
        return self.env["crm.lead.value.curve"].search(
            [("team_id", "=", team.id), ("source_id", "=", source)]
        )

    def test_known_half_life_is_recovered(self):
        self._history(self.team, source_id=self.source.id)
        self.env["crm.lead.value.curve"]._lifecycle_fit_curves()
        for curve in (self._curve(self.team), self._curve(self.team, self.source.id)):
            self.assertTrue(curve.enough_history)
            self.assertEqual(curve.closed_count, 2000)
            self.assertAlmostEqual(curve.half_life, 8.0, delta=0.8)
            self.assertAlmostEqual(curve.p0, 0.4, delta=0.04)
            self.assertLess(curve.half_life_low, 8.0)
            self.assertGreater(curve.half_life_high, 8.0)
            # won revenue per lead: 1,000 x the win rate, the same half-life
            self.assertAlmostEqual(curve.revenue_p0, 400, delta=40)
            self.assertAlmostEqual(curve.revenue_half_life, 8.0, delta=0.8)
            self.assertIn("Half-life 8.", curve.status)
        points = self._curve(self.team).point_ids
        self.assertEqual(set(points.mapped("kind")), {"observed", "fitted"})
        first = points.filtered(lambda p: p.delay_hours == 0 and p.kind == "observed")
        self.assertAlmostEqual(first.rate, 100 * 19 / 50)
        # the button refits and the graph action shows this curve's points
        self._curve(self.team).action_recompute()
        action = self._curve(self.team).action_view_graph()
        self.assertEqual(
            action["domain"], [("curve_id", "=", self._curve(self.team).id)]
        )
        self.assertIn("Half-life", action["name"])

    def test_demo_history_gives_a_curve(self):
        curves = self.env["crm.lead.value.curve"]._lifecycle_demo_history(self.team.id)
        curve = curves.filtered(lambda c: c.team_id == self.team and not c.source_id)
        self.assertEqual(curve.closed_count, 400)
        self.assertTrue(curve.enough_history)
        # 400 leads drawn around a half-life of 8 working hours
        self.assertLess(curve.half_life_low, 8.0)
        self.assertGreater(curve.half_life_high, 8.0)

    def test_only_managers_recompute(self):
        self._history(self.team, hours=10, per_hour=5)
        curve = self.env["crm.lead.value.curve"]._lifecycle_fit_curves()[:1]
        user = new_test_user(
            self.env,
            "speed_user",
            groups="sales_team.group_sale_salesman,lead_lifecycle.group_lead_lifecycle_user",
        )
        self.assertTrue(curve.with_user(user).status)  # users read the curves
        with self.assertRaises(AccessError):
            curve.with_user(user).action_recompute()

    def test_fit_function_half_life_bounds(self):
        # 24 won out of 60 at every delay: no decay, the interval is unbounded above
        fit = fit_value_curve([(d + 0.5, 60, 24, 0.0) for d in range(20)])
        self.assertIsNone(fit["half_life_high"])
        self.assertAlmostEqual(fit["p0"], 0.4, delta=0.02)
        self.assertEqual(fit_value_curve([(1.0, 10, 0, 0.0)]), {})

    def test_too_little_history_falls_back_to_the_sla(self):
        # The company has no other history (the database's demo leads say nothing
        # of first responses here): only these 50 closed leads.
        self.env.cr.execute(
            "UPDATE crm_lead SET first_response_date = NULL "
            "WHERE first_response_date IS NOT NULL"
        )
        self.env.invalidate_all()
        self._history(self.team, hours=10, per_hour=5)
        self.env["crm.lead.value.curve"]._lifecycle_fit_curves()
        curve = self._curve(self.team)
        self.assertEqual(curve.closed_count, 50)
        self.assertFalse(curve.enough_history)
        self.assertIn("Not enough history", curve.status)
        self.assertIn("using the team SLA", curve.status)
        lead = self._lead(MONDAY.replace(hour=9), expected_revenue=5000)
        self.env["crm.lead"]._cron_lifecycle_refresh_value(now=MONDAY.replace(hour=15))
        self.assertEqual(lead.value_lost_per_hour, 0)
        self.assertEqual(
            lead.value_curve_note, "Not enough history, using the team SLA."
        )
        # the SLA alone still flags it, and the notice says the delay is not priced
        with freeze_time(MONDAY.replace(hour=15)):
            self.env["crm.lead"]._cron_lifecycle_response_overdue()
        self.assertTrue(lead.response_overdue)
        notes = self._activities(lead).mapped("note")
        self.assertTrue(notes)
        self.assertTrue(all("Not enough history to price" in note for note in notes))

    def _activities(self, leads):
        return self.env["mail.activity"].search(
            [("res_model", "=", "crm.lead"), ("res_id", "in", leads.ids)]
        )

    def test_value_at_stake_and_ordering(self):
        self._history(self.team)
        self.env["crm.lead.value.curve"]._lifecycle_fit_curves()
        curve = self._curve(self.team)
        monday_9 = MONDAY.replace(hour=9)
        small = self._lead(monday_9, expected_revenue=1000)
        big_old = self._lead(
            monday_9 - timedelta(days=3),  # Friday 9:00: 8 working hours by Monday 9
            expected_revenue=8000,
        )
        big = self._lead(monday_9, expected_revenue=5000)
        unpriced = self._lead(monday_9)
        answered = self._lead(monday_9, expected_revenue=9000)
        answered.first_response_date = monday_9 + timedelta(minutes=5)
        self.env["crm.lead"]._cron_lifecycle_refresh_value(
            now=monday_9 + timedelta(hours=2)
        )
        h = curve.half_life
        # 2 working hours waited: 5,000 x 2^(-2/h) expected, x (1 - 2^(-1/h)) per hour
        self.assertAlmostEqual(big.value_expected_now, 5000 * 2 ** (-2 / h), delta=0.01)
        self.assertAlmostEqual(
            big.value_lost_per_hour,
            5000 * 2 ** (-2 / h) * (1 - 2 ** (-1 / h)),
            delta=0.01,
        )
        # 10 working hours (the weekend does not count): 8,000 is now worth less
        # than 5,000 waiting 2 hours
        self.assertAlmostEqual(
            big_old.value_expected_now, 8000 * 2 ** (-10 / h), delta=0.01
        )
        # no expected revenue: the curve's won revenue per lead
        self.assertAlmostEqual(
            unpriced.value_expected_now,
            curve.revenue_p0 * 2 ** (-2 / curve.revenue_half_life),
            delta=0.01,
        )
        self.assertEqual(answered.value_lost_per_hour, 0)
        self.assertIn("Half-life", big.value_curve_note)
        leads = small | big_old | big | unpriced | answered
        ordered = self.env["crm.lead"].search(
            [("id", "in", leads.ids)], order="value_lost_per_hour desc, id"
        )
        self.assertEqual(ordered, big | big_old | small | unpriced | answered)

        # a breach notice says what the delay is costing, in the company currency
        with freeze_time(monday_9 + timedelta(hours=5)):
            self.env["crm.lead"]._cron_lifecycle_response_overdue()
        self.assertTrue(big.response_overdue)
        note = self._activities(big).mapped("note")[0]
        self.assertIn("Waiting costs about", note)
        self.assertIn("per working hour", note)
        self.assertIn(f"{big.value_lost_per_hour:,.2f}", note)

    def test_routing_and_answering_delay(self):
        monday_9 = MONDAY.replace(hour=9)
        lead = self._lead(monday_9, user_id=False)
        self.assertFalse(lead.assigned_date)
        with freeze_time(monday_9 + timedelta(hours=2)):
            lead.user_id = self.salesman
        self.assertEqual(lead.assigned_date, monday_9 + timedelta(hours=2))
        self.assertAlmostEqual(lead.routing_delay_hours, 2.0)
        self.assertEqual(lead.answering_delay_hours, 0.0)
        # reassigning keeps the first assignment
        with freeze_time(monday_9 + timedelta(hours=3)):
            lead.user_id = self.salesman_2
        self.assertEqual(lead.assigned_date, monday_9 + timedelta(hours=2))
        with freeze_time(monday_9 + timedelta(hours=5)):
            lead.with_user(self.salesman_2).message_post(
                body="Hello", message_type="comment", subtype_xmlid="mail.mt_comment"
            )
        self.assertEqual(lead.first_response_date, monday_9 + timedelta(hours=5))
        self.assertAlmostEqual(lead.routing_delay_hours, 2.0)
        self.assertAlmostEqual(lead.answering_delay_hours, 3.0)
        self.assertAlmostEqual(
            lead.routing_delay_hours + lead.answering_delay_hours,
            lead.response_delay_hours,
        )
        # overnight: created Monday 16:00, assigned Tuesday 10:00 = 2 working hours
        night = self._lead(monday_9.replace(hour=16), user_id=False)
        # a salesperson by default (the creating user) is an assignment at creation
        with freeze_time(monday_9):
            default = (
                self.env["crm.lead"]
                .with_user(self.salesman)
                .create({"name": "Mine", "team_id": self.team.id})
            )
        self.assertEqual(default.user_id, self.salesman)
        self.assertEqual(default.assigned_date, monday_9)
        with freeze_time(monday_9 + timedelta(days=1, hours=1)):
            night.user_id = self.salesman
        self.assertAlmostEqual(night.routing_delay_hours, 2.0)

    def test_backfill_assigned_date_from_creation(self):
        lead = self._lead(MONDAY.replace(hour=9))
        self.env.cr.execute(
            "UPDATE crm_lead SET assigned_date = NULL WHERE id = %s", [lead.id]
        )
        lead.invalidate_recordset(["assigned_date"])
        self.env["crm.lead"]._lifecycle_backfill_assigned_date()
        self.assertEqual(lead.assigned_date, MONDAY.replace(hour=9))
        self.assertEqual(lead.routing_delay_hours, 0.0)
