# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, new_test_user, tagged, users

from .common_assessment import AssessmentCase


@tagged("post_install", "-at_install")
class TestScoring(AssessmentCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.mailing = cls.env["mailing.mailing"].create(
            {
                "subject": "Scoring mailing",
                "body_html": "<p>Hello</p>",
                "mailing_model_id": cls.env["ir.model"]._get_id("crm.lead"),
            }
        )

    def _points(self, kind):
        return self.rules[kind].points

    def _trace(self, lead):
        return self.env["mailing.trace"].create(
            {
                "model": "crm.lead",
                "res_id": lead.id,
                "mass_mailing_id": self.mailing.id,
                "email": lead.email_from or "x@example.org",
                "trace_status": "sent",
            }
        )

    # ------------------------------------------------------------
    # Each interaction kind
    # ------------------------------------------------------------

    def test_every_kind_has_a_sane_shipped_rule(self):
        kinds = dict(self.env["crm.lead.scoring.rule"]._fields["kind"].selection)
        self.assertEqual(set(self.rules), set(kinds))
        self.assertLess(self._points("bounce"), 0)
        self.assertTrue(self.rules["inbound_email"].half_life_days)
        data = self.env["ir.model.data"].search(
            [("module", "=", "lead_lifecycle"), ("model", "=", "crm.lead.scoring.rule")]
        )
        self.assertEqual(len(data), len(kinds))
        self.assertTrue(all(data.mapped("noupdate")))

    def test_inbound_email_call_and_meeting(self):
        lead = self._lead()
        self.assertEqual(lead.score, 0)
        lead.message_post(
            body="I am interested",
            author_id=self.external.id,
            message_type="email",
            subtype_xmlid="mail.mt_comment",
        )
        self.assertEqual(lead.score, self._points("inbound_email"))
        lead.message_post(
            body="Our own note", message_type="comment", subtype_xmlid="mail.mt_note"
        )
        self.assertEqual(lead.score, self._points("inbound_email"), "not inbound")
        score = lead.score
        activity = lead.activity_schedule(
            "mail.mail_activity_data_call", user_id=self.salesman.id
        )
        activity.action_feedback(feedback="Talked 10 minutes")
        self.assertEqual(lead.score, score + self._points("call"))
        score = lead.score
        self.env["calendar.event"].create(
            {
                "name": "Demo",
                "opportunity_id": lead.id,
                "start": fields.Datetime.now() - timedelta(hours=2),
                "stop": fields.Datetime.now() - timedelta(hours=1),
            }
        )
        self.assertEqual(lead.score, score + self._points("meeting"))
        self.env["calendar.event"].create(
            {
                "name": "Future demo",
                "opportunity_id": lead.id,
                "start": fields.Datetime.now() + timedelta(days=2),
                "stop": fields.Datetime.now() + timedelta(days=2, hours=1),
            }
        )
        self.assertEqual(
            lead.score, score + self._points("meeting"), "not held yet: no points"
        )

    def test_alias_request_is_not_scored_as_a_reply(self):
        lead = self._lead(lifecycle_origin_message_id="<request@example.org>")
        lead.message_post(
            body="The request",
            author_id=self.external.id,
            message_type="email",
            message_id="<request@example.org>",
            subtype_xmlid="mail.mt_comment",
        )
        self.assertEqual(lead.score, 0)

    def test_mailing_open_click_reply(self):
        lead = self._lead()
        trace = self._trace(lead)
        self.assertEqual(lead.score, 0)
        trace.set_opened()
        self.assertEqual(lead.score, self._points("mailing_opened"))
        trace.set_clicked()
        self.assertEqual(
            lead.score, self._points("mailing_opened") + self._points("mailing_clicked")
        )
        trace.set_replied()
        self.assertEqual(
            lead.score,
            self._points("mailing_opened")
            + self._points("mailing_clicked")
            + self._points("mailing_replied"),
        )
        trace.set_clicked()
        self.assertEqual(
            len(lead.score_event_ids), 3, "a second click adds no second event"
        )

    def test_website_form_bant_valid_contact_and_bounce(self):
        lead = self._lead(medium_id=self.env.ref("utm.utm_medium_website").id)
        self.assertEqual(lead.score, self._points("website_form"))
        base = lead.score
        lead.bant_budget = 5000.0
        self.assertEqual(lead.score, base + self._points("bant_filled"))
        lead.write({"bant_need": "A new CRM", "bant_authority": "decision_maker"})
        self.assertEqual(lead.score, base + 3 * self._points("bant_filled"))
        lead.bant_need = False
        self.assertEqual(lead.score, base + 2 * self._points("bant_filled"))
        base = lead.score
        lead.email_from = "valid.person@example.org"
        self.assertEqual(lead.score, base + self._points("valid_email"))
        lead.write(
            {
                "country_id": self.env.ref("base.be").id,
                "phone": "+32 470 12 34 56",
            }
        )
        self.assertEqual(lead.phone_state, "correct")
        self.assertEqual(
            lead.score,
            base + self._points("valid_email") + self._points("valid_phone"),
        )
        base = lead.score
        lead.message_bounce = 1
        self.assertEqual(lead.score, base + self._points("bounce"))
        lead.message_bounce = 0
        self.assertEqual(lead.score, base, "a reply resets the bounce: no penalty")

    def test_negative_points_and_rule_changes_rescore(self):
        lead = self._lead(email_from="rescore@example.org")
        self.assertEqual(lead.score, self._points("valid_email"))
        self.rules["valid_email"].points = -4
        self.assertEqual(lead.score, -4)
        self.rules["valid_email"].active = False
        self.assertEqual(lead.score, 0)

    # ------------------------------------------------------------
    # Decay and the cron
    # ------------------------------------------------------------

    def _event(self, lead, kind, days_ago, source_id=1):
        return self.env["crm.lead.score.event"].create(
            {
                "lead_id": lead.id,
                "kind": kind,
                "date": fields.Datetime.now() - timedelta(days=days_ago),
                "source_model": "test",
                "source_id": source_id,
            }
        )

    def test_decay_halves_points_after_the_half_life(self):
        self.rules["call"].write({"points": 40, "half_life_days": 10})
        lead = self._lead()
        event = self._event(lead, "call", 10)
        self.env["crm.lead"]._scoring_recompute(ids=lead.ids)
        self.assertEqual(lead.score, 20)
        self.assertAlmostEqual(event.points, 20.0, places=1)
        event.date = fields.Datetime.now() - timedelta(days=20)
        self.env["crm.lead"]._scoring_recompute(ids=lead.ids)
        self.assertEqual(lead.score, 10)
        self.rules["call"].half_life_days = 0
        self.assertEqual(lead.score, 40, "no half-life: no decay")

    def test_decay_cron_is_batched_resumable_and_idempotent(self):
        self.rules["call"].write({"points": 40, "half_life_days": 10})
        leads = self._lead() | self._lead() | self._lead()
        for days, lead in zip((0, 10, 20), leads, strict=True):
            self._call(lead)
            lead.score_event_ids.date = fields.Datetime.now() - timedelta(days=days)
        self.assertEqual(leads.mapped("score"), [40, 40, 40], "stale until the cron")
        Lead = self.env["crm.lead"]
        params = self.env["ir.config_parameter"].sudo()
        first_id = min(Lead.with_context(active_test=False).search([]).ids)
        params.set_param("lead_lifecycle.score_decay_cursor", 0)
        Lead._cron_lifecycle_score_decay(batch_size=1)
        cursor = int(params.get_param("lead_lifecycle.score_decay_cursor"))
        self.assertEqual(cursor, first_id, "progress is kept for the next call")
        self.assertEqual(leads.mapped("score"), [40, 40, 40], "not reached yet")
        for _i in range(1000):
            Lead._cron_lifecycle_score_decay(batch_size=2)
            if not int(params.get_param("lead_lifecycle.score_decay_cursor")):
                break
        self.assertEqual(leads.mapped("score"), [40, 20, 10])
        events = leads.score_event_ids
        Lead._cron_lifecycle_score_decay()
        Lead._cron_lifecycle_score_decay()
        self.assertEqual(leads.mapped("score"), [40, 20, 10], "safe to run twice")
        leads._scoring_sync_events()
        leads._scoring_sync_events()
        self.assertEqual(leads.score_event_ids, events, "the log is derived once")
        self.env["crm.lead"]._scoring_recompute(ids=leads.ids)
        self.assertEqual(leads.mapped("score"), [40, 20, 10])

    def test_decay_cron_is_set_based(self):
        self.rules["call"].write({"points": 40, "half_life_days": 10})
        leads = self.env["crm.lead"].create(
            [{"name": f"Bulk {i}", "team_id": self.team.id} for i in range(30)]
        )
        for lead in leads:
            self._event(lead, "call", 10)
        self.env["ir.config_parameter"].sudo().set_param(
            "lead_lifecycle.score_decay_cursor", 0
        )
        self.env.flush_all()
        with self.assertQueryCount(__system__=6):
            self.env["crm.lead"]._cron_lifecycle_score_decay()
        self.assertEqual(set(leads.mapped("score")), {20})

    def test_cron_record_calls_the_method_daily(self):
        cron = self.env.ref("lead_lifecycle.ir_cron_lead_score_decay")
        self.assertEqual(cron.code.strip(), "model._cron_lifecycle_score_decay()")
        self.assertEqual((cron.interval_number, cron.interval_type), (1, "days"))

    # ------------------------------------------------------------
    # Sales-ready
    # ------------------------------------------------------------

    def _call(self, lead):
        lead.activity_schedule(
            "mail.mail_activity_data_call", user_id=self.salesman.id
        ).action_feedback(feedback="Call")

    def _leader_activities(self, lead):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "crm.lead"),
                ("res_id", "=", lead.id),
                ("user_id", "=", self.leader.id),
                ("summary", "=", "Sales-ready lead"),
            ]
        )

    def test_sales_ready_marks_and_notifies_once(self):
        self.team.sales_ready_score = self._points("call") * 2
        lead = self._lead()
        self._call(lead)
        self.assertFalse(lead.sales_ready)
        self._call(lead)
        self.assertTrue(lead.sales_ready)
        self.assertTrue(lead.sales_ready_date)
        self.assertEqual(len(self._leader_activities(lead)), 1)
        self._call(lead)
        self.assertEqual(len(self._leader_activities(lead)), 1)
        self.assertEqual(
            self.env["crm.lead"].search(
                [("sales_ready", "=", True), ("team_id", "=", self.team.id)]
            ),
            lead,
        )
        # Below the threshold again (the calls decayed), then above: no second notice.
        lead.score_event_ids.write({"date": fields.Datetime.now() - timedelta(days=90)})
        self.env["crm.lead"]._cron_lifecycle_score_decay()
        self.assertFalse(lead.sales_ready)
        self._call(lead)
        self._call(lead)
        self.assertTrue(lead.sales_ready)
        self.assertEqual(len(self._leader_activities(lead)), 1)

    def test_sales_ready_is_tracked(self):
        self.team.sales_ready_score = 1
        lead = self._lead().with_context(tracking_disable=False)
        # A record is not tracked in the transaction that creates it: commit that one.
        self.env.flush_all()
        self.env.cr.precommit.run()
        lead.email_from = "tracked@example.org"
        self.assertTrue(lead.sales_ready)
        self.env.flush_all()
        self.env.cr.precommit.run()
        tracked = self.env["mail.tracking.value"].search(
            [
                ("field_id.name", "=", "sales_ready"),
                ("mail_message_id.model", "=", "crm.lead"),
                ("mail_message_id.res_id", "=", lead.id),
            ]
        )
        self.assertTrue(tracked)
        self.assertTrue(self.env["crm.lead"]._fields["sales_ready"].tracking)

    def test_sales_ready_without_threshold_does_nothing(self):
        lead = self._lead(email_from="nothreshold@example.org")
        self.assertGreater(lead.score, 0)
        self.assertFalse(lead.sales_ready)

    def test_sales_ready_assigns_through_assignment_rules(self):
        self.team.write(
            {
                "sales_ready_score": self._points("valid_email"),
                "sales_ready_action": "assign",
            }
        )
        belgian = new_test_user(
            self.env, "assess_belgian", groups="sales_team.group_sale_salesman"
        )
        self.env["crm.team.member"].create(
            [
                {
                    "crm_team_id": self.team.id,
                    "user_id": belgian.id,
                    "assignment_domain": "[('country_id.code', '=', 'BE')]",
                },
                {
                    "crm_team_id": self.team.id,
                    "user_id": self.salesman.id,
                    "assignment_domain": "[('country_id.code', '=', 'FR')]",
                },
            ]
        )
        lead = self._lead(user_id=False, country_id=self.env.ref("base.be").id)
        self.assertFalse(lead.user_id)
        lead.email_from = "assign.me@example.org"
        self.assertTrue(lead.sales_ready)
        self.assertEqual(lead.user_id, belgian)
        self.assertFalse(self._leader_activities(lead))
        nobody = self._lead(user_id=False, country_id=self.env.ref("base.de").id)
        nobody.email_from = "nobody@example.org"
        self.assertFalse(nobody.user_id)
        self.assertEqual(
            len(self._leader_activities(nobody)), 1, "no member matches: notified"
        )

    # ------------------------------------------------------------
    # Explanation, views, access
    # ------------------------------------------------------------

    def test_form_explains_the_score(self):
        lead = self._lead(email_from="explain@example.org")
        self._call(lead)
        self._call(lead)
        html = str(lead.score_explanation)
        self.assertIn("Logged Call", html)
        self.assertIn(f"+{2 * self._points('call')}", html)
        self.assertIn("Valid Email", html)
        self.assertLess(html.index("Logged Call"), html.index("Valid Email"))
        form = Form(lead)
        self.assertEqual(form.score, lead.score)
        self.assertIn("No scored", str(self._lead().score_explanation))

    def test_one_active_rule_per_kind(self):
        with self.assertRaises(ValidationError):
            self.env["crm.lead.scoring.rule"].create(
                {"name": "Second call rule", "kind": "call", "points": 1}
            )

    @users("assess_salesman")
    def test_salesman_reads_but_cannot_edit_rules(self):
        rule = self.env["crm.lead.scoring.rule"].browse(self.rules["call"].id)
        self.assertTrue(rule.points)
        with self.assertRaises(AccessError):
            rule.write({"points": 99})
        with self.assertRaises(AccessError):
            self.env["crm.lead.scoring.rule"].create(
                {"name": "Mine", "kind": "call", "points": 1, "active": False}
            )
        with self.assertRaises(AccessError):
            rule.unlink()

    @users("assess_manager")
    def test_manager_edits_rules(self):
        rule = self.env["crm.lead.scoring.rule"].browse(self.rules["call"].id)
        rule.write({"points": 99})
        self.assertEqual(rule.points, 99)
        new = self.env["crm.lead.scoring.rule"].create(
            {"name": "Spare", "kind": "call", "points": 1, "active": False}
        )
        new.unlink()

    @users("assess_salesman")
    def test_salesman_scores_through_normal_work(self):
        lead = self.env["crm.lead"].create(
            {"name": "Mine", "email_from": "mine@example.org", "team_id": self.team.id}
        )
        self.assertEqual(lead.score, self._points("valid_email"))
        self.assertTrue(lead.score_event_ids)
        self.assertIn("Valid Email", str(lead.score_explanation))

    def test_salesman_sees_score_events_of_own_leads_only(self):
        mine = self._lead(user_id=self.salesman.id, email_from="own@example.org")
        theirs = self._lead(user_id=self.leader.id, email_from="their@example.org")
        Event = self.env["crm.lead.score.event"].with_user(self.salesman)
        self.assertEqual(
            Event.search([("lead_id", "in", (mine | theirs).ids)]).lead_id, mine
        )
