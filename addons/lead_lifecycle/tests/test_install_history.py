# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import importlib.util
from datetime import timedelta
from pathlib import Path

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import SQL, convert_file

from odoo.addons.lead_lifecycle import hooks

from .common import LeadLifecycleCase

HISTORY_COLUMNS = [
    "lifecycle_state",
    "qualified_date",
    "disqualified_date",
    "rating",
    "rating_suggested",
    "rating_date",
    "first_response_date",
    "first_two_way_date",
    "response_delay_hours",
]


@tagged("post_install", "-at_install")
class TestInstallHistory(LeadLifecycleCase):
    """The install hooks on a simulated CRM in use: leads as stock Odoo left them (our
    columns empty), then the post_init_hook's backfill."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.reason_expensive = cls.env["crm.lost.reason"].create(
            {"name": "Too expensive for them"}
        )
        cls.reason_unreachable = cls.env["crm.lost.reason"].create(
            {"name": "Unreachable contact"}
        )
        cls.won_stage = cls.env["crm.stage"].search([("is_won", "=", True)], limit=1)

    def _history(self, leads):
        """Make the leads look as stock Odoo left them before the install."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "UPDATE crm_lead SET %s, inbound_email_count = 0 WHERE id = ANY(%s)",
                SQL(", ").join(
                    SQL("%s = NULL", SQL.identifier(column))
                    for column in HISTORY_COLUMNS
                ),
                leads.ids,
            )
        )
        self.env.invalidate_all()

    def _backfill(self, leads):
        return hooks.backfill_history(self.env, max_id=max(leads.ids))

    def _message_count(self):
        self.env.cr.execute("SELECT count(*) FROM mail_message")
        return self.env.cr.fetchone()[0]

    def _set_dates(self, records, **dates):
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "UPDATE %s SET %s WHERE id = ANY(%s)",
                SQL.identifier(records._table),
                SQL(", ").join(
                    SQL("%s = %s", SQL.identifier(name), value)
                    for name, value in dates.items()
                ),
                records.ids,
            )
        )
        records.invalidate_recordset()

    def _make_history(self):
        Lead = self.env["crm.lead"]
        past = fields.Datetime.now() - timedelta(days=400)
        lead_new = self._lead(name="Old lead", partner_id=False)
        lead_answered = self._lead(name="Old lead that answered")
        lead_answered.message_post(
            body="Yes, call me",
            message_type="email",
            author_id=False,
            email_from="jane@acme.example",
            subtype_xmlid="mail.mt_comment",
        )
        partner = self.env["res.partner"].create(
            {"name": "Old customer", "email": "old@customer.example"}
        )
        opportunity = Lead.create(
            {
                "name": "Old deal",
                "type": "opportunity",
                "partner_id": partner.id,
                "email_from": "old@customer.example",
                "team_id": self.free_team.id,
            }
        )
        orphan = Lead.create(
            {
                "name": "Old deal without partner",
                "type": "opportunity",
                "team_id": self.free_team.id,
            }
        )
        won = Lead.create(
            {
                "name": "Old won deal",
                "type": "opportunity",
                "team_id": self.free_team.id,
            }
        )
        won.action_set_won()
        lost = self._lead(name="Old lost lead", email_from="lost@acme.example")
        lost.action_set_lost(lost_reason_id=self.reason_expensive.id)
        unreachable = self._lead(name="Unreachable", email_from="nobody@acme.example")
        unreachable.action_set_lost(lost_reason_id=self.reason_unreachable.id)
        leads = (
            lead_new | lead_answered | opportunity | orphan | won | lost | unreachable
        )
        self._set_dates(leads, create_date=past, date_conversion=None)
        self._set_dates(opportunity, date_conversion=past + timedelta(days=3))
        self._set_dates(lost | unreachable, date_closed=past + timedelta(days=5))
        self._history(leads)
        return {
            "new": lead_new,
            "answered": lead_answered,
            "opportunity": opportunity,
            "orphan": orphan,
            "won": won,
            "lost": lost,
            "unreachable": unreachable,
            "partner": partner,
            "past": past,
        }

    def test_backfill_states_and_dates(self):
        h = self._make_history()
        self.assertFalse(h["opportunity"].lifecycle_state)
        messages = self._message_count()
        self._backfill(h["new"] | h["unreachable"])
        past = h["past"]
        self.assertEqual(h["new"].lifecycle_state, "new")
        self.assertEqual(h["answered"].lifecycle_state, "contacted")
        self.assertEqual(h["answered"].inbound_email_count, 1)
        self.assertTrue(h["answered"].first_two_way_date)
        # Opportunities and won deals passed the lead stage: qualified, dated by their
        # conversion (else creation), partner kept as it was (none made).
        self.assertEqual(h["opportunity"].lifecycle_state, "qualified")
        self.assertEqual(h["opportunity"].qualified_date, past + timedelta(days=3))
        self.assertEqual(h["opportunity"].partner_id, h["partner"])
        self.assertEqual(h["won"].lifecycle_state, "qualified")
        self.assertEqual(h["won"].qualified_date, past)
        self.assertEqual(h["orphan"].lifecycle_state, "qualified")
        self.assertFalse(h["orphan"].partner_id)
        self.assertIn(
            h["orphan"],
            self.env["crm.lead"].search(
                [("lifecycle_state", "=", "qualified"), ("partner_id", "=", False)]
            ),
        )
        # Lost: disqualified on their closing date, reasons mapped by name.
        self.assertEqual(h["lost"].lifecycle_state, "disqualified")
        self.assertEqual(h["lost"].disqualified_date, past + timedelta(days=5))
        self.assertEqual(self.reason_expensive.lifecycle_category, "not_interested")
        self.assertEqual(self.reason_unreachable.lifecycle_category, "not_contactable")
        self.assertEqual(h["lost"].rating, "d")
        # Ratings follow the suggestion but carry no date: nothing fires on history.
        self.assertEqual(h["opportunity"].rating, "c")
        self.assertFalse(h["opportunity"].rating_date)
        self.assertEqual(h["partner"].lead_rating, "c")
        self.assertFalse(h["partner"].lead_rating_date)
        self.assertEqual(
            self._message_count(), messages, "no tracking, no notification"
        )

    def test_backfill_keeps_worked_leads(self):
        h = self._make_history()
        # A lead qualified by hand since (or by the install's own data) stays so.
        self._set_dates(h["new"], lifecycle_state="disqualified")
        self._backfill(h["new"] | h["unreachable"])
        self.assertEqual(h["new"].lifecycle_state, "disqualified")

    def test_install_fires_no_rule(self):
        h = self._make_history()
        self.env["ir.config_parameter"].set_param(
            hooks.INSTALL_DATE_PARAM, fields.Datetime.to_string(fields.Datetime.now())
        )
        self._backfill(h["new"] | h["unreachable"])
        Subscription = self.env["mailing.subscription"]
        before = Subscription.search_count([])
        activities = self.env["mail.activity"].search_count([])
        # An hour and more later, the time-based rules and the SLA run.
        self.env["base.automation"]._check()
        self.free_team.response_sla_hours = 1
        self.assertTrue(self.free_team.response_sla_start_date)
        self.team.response_sla_hours = 0
        self.team.response_sla_hours = 2
        overdue = self.env["crm.lead"]._cron_lifecycle_response_overdue()
        self.assertFalse(overdue & (h["new"] | h["answered"]))
        self.assertFalse(h["new"].response_overdue)
        self.assertEqual(Subscription.search_count([]), before)
        self.assertEqual(self.env["mail.activity"].search_count([]), activities)
        # A rule keyed on a lifecycle date skips what is dated before the install.
        rule = self.env.ref(
            "lead_lifecycle.base_automation_lead_not_contactable_unsubscribe"
        )
        self._set_dates(
            h["unreachable"],
            disqualified_date=fields.Datetime.now() - timedelta(hours=2),
        )
        self.env["ir.config_parameter"].set_param(
            hooks.INSTALL_DATE_PARAM,
            fields.Datetime.to_string(fields.Datetime.now() - timedelta(hours=1)),
        )
        self.assertEqual(rule._lifecycle_history_bound().date(), fields.Date.today())
        unsubscribed = []
        self.patch(
            type(self.env["crm.lead"]),
            "_action_remove_from_mailing_lists",
            lambda records, *a, **k: unsubscribed.append(records),
        )
        rule._process(h["unreachable"])
        self.assertFalse(unsubscribed and unsubscribed[0])

    def test_apply_to_history_counts_first(self):
        h = self._make_history()
        self._backfill(h["new"] | h["unreachable"])
        keep = self.env.ref("lead_lifecycle.mailing_list_keep_in_touch")
        Wizard = self.env["crm.lead.lifecycle.history"]
        salesman_wizard = Wizard.with_user(self.salesman)
        with self.assertRaises(AccessError):
            salesman_wizard.create({"rule": "keep_in_touch"}).action_apply()
        wizard = Wizard.with_user(self.manager).create({"rule": "keep_in_touch"})
        self.assertIn(h["partner"], wizard.sudo()._history_records())
        count = wizard.count
        self.assertGreaterEqual(count, 1)
        self.assertNotIn(h["partner"], keep.subscription_ids.contact_id.partner_id)
        wizard.action_apply()
        self.assertTrue(wizard.done)
        self.assertIn(h["partner"], keep.subscription_ids.contact_id.partner_id)
        # The SLA on history: counted, then flagged on purpose.
        self.free_team.response_sla_hours = 1
        lead = self.env["crm.lead"].create(
            {"name": "Old unanswered", "team_id": self.free_team.id, "type": "lead"}
        )
        self._set_dates(lead, create_date=h["past"])
        sla = Wizard.with_user(self.manager).create({"rule": "response_sla"})
        self.assertIn(lead, sla.sudo()._history_records())
        self.assertGreaterEqual(sla.count, 1)
        sla.action_apply()
        self.assertTrue(lead.response_overdue)

    def test_lost_reason_1_deleted_before_install(self):
        self.env["ir.model.data"].search(
            [("module", "=", "crm"), ("name", "=", "lost_reason_1")]
        ).unlink()
        convert_file(
            self.env,
            "lead_lifecycle",
            "data/crm_lost_reason_data.xml",
            {},
            mode="init",
            noupdate=True,
        )
        self.assertFalse(self.env.ref("crm.lost_reason_1", raise_if_not_found=False))

    def test_shipped_scoring_rules_do_not_rescore_history(self):
        # Loading the module's data: no score events yet, no rescore of every lead.
        calls = []
        Lead = type(self.env["crm.lead"])
        self.patch(Lead, "_scoring_rescore_all", lambda model: calls.append(model))
        Rule = self.env["crm.lead.scoring.rule"]
        values = {"name": "Install rule", "kind": "call", "points": 5, "active": False}
        Rule.with_context(install_module="lead_lifecycle").create(values)
        self.assertFalse(calls)
        Rule.create(dict(values, name="A manager's rule"))
        self.assertEqual(len(calls), 1)

    def test_uninstall_hook_keeps_lists(self):
        keep = self.env.ref("lead_lifecycle.mailing_list_keep_in_touch")
        bounced = self.env.ref("lead_lifecycle.lost_reason_bounced")
        hooks.uninstall_hook(self.env)
        self.assertFalse(
            self.env["ir.model.data"].search(
                [
                    ("module", "=", "lead_lifecycle"),
                    (
                        "name",
                        "in",
                        ["mailing_list_keep_in_touch", "lost_reason_bounced"],
                    ),
                ]
            )
        )
        self.assertTrue(keep.exists())
        self.assertTrue(bounced.exists())
        self.env.cr.execute(
            "SELECT count(*) FROM pg_indexes WHERE indexname = ANY(%s)",
            [hooks.FOREIGN_INDEXES],
        )
        self.assertEqual(self.env.cr.fetchone()[0], 0)
        self.env.cr.execute("SELECT to_regclass(%s)", [hooks.CLAIM_TABLE])
        self.assertIsNone(self.env.cr.fetchone()[0], "the claim table goes too")
        # Installed again: the records left behind are adopted, not duplicated.
        hooks._adopt_detached_records(self.env)
        self.assertEqual(
            self.env.ref("lead_lifecycle.mailing_list_keep_in_touch"), keep
        )

    def test_pre_init_creates_columns_of_stored_computes(self):
        self.env.cr.execute("ALTER TABLE res_partner DROP COLUMN lead_rating_date")
        hooks.pre_init_hook(self.env)
        self.env.cr.execute(
            "SELECT 1 FROM information_schema.columns WHERE table_name = 'res_partner' "
            "AND column_name = 'lead_rating_date'"
        )
        self.assertTrue(self.env.cr.fetchone())
        self.env.cr.execute("SELECT max(id) FROM crm_lead")
        max_id = self.env.cr.fetchone()[0]
        self.assertEqual(
            int(self.env["ir.config_parameter"].get_param(hooks.HISTORY_LEAD_PARAM)),
            max_id,
        )

    def _migration_1_1(self):
        path = Path(hooks.__file__).parent / "migrations/18.0.1.1.0/post-migration.py"
        spec = importlib.util.spec_from_file_location("ll_migration_1_1", path)
        migration = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(migration)
        return migration

    def test_migration_from_1_0_0(self):
        migration = self._migration_1_1()
        h = self._make_history()
        installed = fields.Datetime.now() - timedelta(days=10)
        # What 1.0.0's install left: every lead "new", rated at the install's time.
        leads = h["opportunity"] | h["won"] | h["lost"] | h["new"]
        self._set_dates(
            leads,
            lifecycle_state="new",
            rating="c",
            rating_suggested="c",
            rating_date=installed + timedelta(seconds=20),
        )
        self.env["ir.config_parameter"].search(
            [("key", "=", hooks.INSTALL_DATE_PARAM)]
        ).unlink()
        self._set_dates(
            self.env["ir.model"].search([("model", "=", "crm.qualification.policy")]),
            create_date=installed,
        )
        worked = self._lead(name="Worked since", partner_id=False)
        self._set_dates(
            worked,
            create_date=installed + timedelta(days=1),
            lifecycle_state="new",
            rating_date=installed + timedelta(days=1),
        )
        migration.migrate(self.env.cr, "18.0.1.0.0")
        self.env.invalidate_all()
        self.assertEqual(h["opportunity"].lifecycle_state, "qualified")
        self.assertEqual(h["won"].lifecycle_state, "qualified")
        self.assertEqual(h["lost"].lifecycle_state, "disqualified")
        self.assertEqual(h["new"].lifecycle_state, "new")
        self.assertFalse(h["opportunity"].rating_date)
        self.assertEqual(worked.lifecycle_state, "new")
        self.assertTrue(worked.rating_date)
        self.assertTrue(
            self.env["ir.config_parameter"].get_param(hooks.INSTALL_DATE_PARAM)
        )

    def test_migration_sla_teams_keep_history_unflagged(self):
        # 1.0.0 had an SLA without a start date; a team turned it on before the
        # upgrade, another did not.
        migration = self._migration_1_1()
        installed = fields.Datetime.now() - timedelta(days=30)
        self.env["ir.config_parameter"].set_param(
            hooks.INSTALL_DATE_PARAM, fields.Datetime.to_string(installed)
        )
        old = self._lead(name="Unanswered before the install", partner_id=False)
        since = self._lead(name="Unanswered since the install", partner_id=False)
        self._set_dates(old, create_date=installed - timedelta(days=60))
        self._set_dates(since, create_date=installed + timedelta(days=1))
        self._history(old)
        self._set_dates(self.team, response_sla_hours=2, response_sla_start_date=None)
        migration.migrate(self.env.cr, "18.0.1.0.0")
        self.env.invalidate_all()
        # Without a start date the cron would flag it: still new and unanswered.
        self.assertEqual(old.lifecycle_state, "new")
        self.assertFalse(old.first_response_date)
        self.assertEqual(self.team.response_sla_start_date, installed)
        self.assertFalse(self.free_team.response_sla_start_date, "SLA off: untouched")
        overdue = self.env["crm.lead"]._cron_lifecycle_response_overdue()
        self.assertNotIn(old, overdue)
        self.assertFalse(old.response_overdue, "history is never flagged by itself")
        self.assertIn(since, overdue, "leads since the install stay under the SLA")
        # A team that turns its SLA on after the upgrade counts from then.
        self.free_team.response_sla_hours = 1
        self.assertGreater(self.free_team.response_sla_start_date, installed)

    def _subscribe(self, mailing_list, email, opt_out=False):
        contact = self.env["mailing.contact"].create({"name": email, "email": email})
        return self.env["mailing.subscription"].create(
            {"contact_id": contact.id, "list_id": mailing_list.id, "opt_out": opt_out}
        )

    def test_apply_to_history_qualification_lists(self):
        prospects = self.env["mailing.list"].create({"name": "Strict prospects"})
        self.policy.mailing_list_ids = [Command.link(prospects.id)]
        Partner = self.env["res.partner"]
        partners = {
            key: Partner.create({"name": key, "email": f"{key}@history.example"})
            for key in ("joins", "blacklisted", "opted_out", "member", "not_qualified")
        }
        no_email = Partner.create({"name": "No email"})
        self.env["mail.blacklist"]._add("blacklisted@history.example")
        self._subscribe(prospects, "opted_out@history.example", opt_out=True)
        self._subscribe(prospects, "member@history.example")
        leads = self.env["crm.lead"]
        for key, partner in [*partners.items(), ("no_email", no_email)]:
            leads |= self._lead(
                name=key, partner_id=partner.id, email_from=partner.email
            )
        self._set_dates(leads, lifecycle_state="qualified")
        self._set_dates(
            leads.filtered(lambda lead: lead.name == "not_qualified"),
            lifecycle_state="contacted",
        )
        wizard = self.env["crm.lead.lifecycle.history"].with_user(self.manager)
        wizard = wizard.create({"rule": "qualification_lists"})
        concerned = wizard.sudo()._history_records()
        self.assertIn(partners["joins"], concerned)
        self.assertFalse(
            concerned
            & (
                no_email
                | partners["blacklisted"]
                | partners["opted_out"]
                | partners["member"]
                | partners["not_qualified"]
            ),
            "no email, blacklisted, opted out, already on the list, not qualified",
        )
        self.assertEqual(wizard.count, len(concerned))
        wizard.action_apply()
        subscriptions = prospects.subscription_ids
        self.assertIn(partners["joins"], subscriptions.contact_id.partner_id)
        joined = subscriptions.filtered(
            lambda s: s.contact_id.partner_id == partners["joins"]
        )
        self.assertEqual(joined.lifecycle_origin, "qualification")
        self.assertFalse(joined.opt_out)
        self.assertEqual(
            subscriptions.filtered(
                lambda s: s.contact_id.email == "opted_out@history.example"
            ).opt_out,
            True,
            "an opt-out stays an opt-out",
        )
        self.assertNotIn(
            "blacklisted@history.example", subscriptions.contact_id.mapped("email")
        )
        # Applied: nobody left to subscribe on that list.
        again = self.env["crm.lead.lifecycle.history"].create(
            {"rule": "qualification_lists"}
        )
        self.assertNotIn(partners["joins"], again._history_records())

    def test_apply_to_history_keep_in_touch_skips_blacklist(self):
        keep = self.env.ref("lead_lifecycle.mailing_list_keep_in_touch")
        Partner = self.env["res.partner"]
        rated = Partner.create({"name": "Rated", "email": "rated@history.example"})
        banned = Partner.create({"name": "Banned", "email": "banned@history.example"})
        by_email = Partner.create({"name": "Known", "email": "known@history.example"})
        self._set_dates(rated | banned | by_email, lead_rating="c")
        self.env["mail.blacklist"]._add("banned@history.example")
        self._subscribe(keep, "known@history.example", opt_out=True)
        wizard = self.env["crm.lead.lifecycle.history"].create(
            {"rule": "keep_in_touch"}
        )
        concerned = wizard._history_records()
        self.assertIn(rated, concerned)
        self.assertNotIn(banned, concerned)
        self.assertNotIn(by_email, concerned, "opted out of the list by email")

    def test_apply_to_history_sales_ready(self):
        self.team.sales_ready_score = 10
        ready = self._lead(name="Scored before the threshold", partner_id=False)
        below = self._lead(name="Below", partner_id=False)
        won = self._lead(name="Won already", partner_id=False)
        notified = self._lead(name="Notified once", partner_id=False)
        self._set_dates(ready | won | notified, score=15)
        self._set_dates(below, score=5)
        self._set_dates(won, probability=100)
        self._set_dates(
            notified, sales_ready_date=fields.Datetime.now() - timedelta(days=3)
        )
        Wizard = self.env["crm.lead.lifecycle.history"]
        wizard = Wizard.with_user(self.manager).create({"rule": "sales_ready"})
        concerned = wizard.sudo()._history_records()
        self.assertIn(ready, concerned)
        self.assertFalse(concerned & (below | won | notified))
        self.assertEqual(wizard.count, len(concerned))
        Activity = self.env["mail.activity"]
        self.assertFalse(
            Activity.search([("res_id", "=", ready.id), ("res_model", "=", "crm.lead")])
        )
        wizard.action_apply()
        self.assertTrue(ready.sales_ready)
        self.assertTrue(ready.sales_ready_date)
        activity = Activity.search(
            [("res_id", "=", ready.id), ("res_model", "=", "crm.lead")]
        )
        self.assertEqual(activity.user_id, self.manager, "the team leader is told")
        self.assertFalse(below.sales_ready)
        self.assertNotIn(
            ready, Wizard.create({"rule": "sales_ready"})._history_records()
        )
        # Nothing left to apply: the manager is told so.
        self._set_dates(self.env["crm.team"].search([]), sales_ready_score=0)
        with self.assertRaises(UserError):
            Wizard.with_user(self.manager).create(
                {"rule": "sales_ready"}
            ).action_apply()
