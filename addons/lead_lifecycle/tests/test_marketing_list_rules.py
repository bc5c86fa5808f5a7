# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Mailing lists fed by the lifecycle: the shipped rules (rating, qualification,
not contactable) and the rules an administrator builds with the list actions."""

from unittest.mock import patch

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged

from .common_marketing import MarketingListsCase


@tagged("post_install", "-at_install")
class TestMailingListRules(MarketingListsCase):
    """The shipped automation rules and the new server action types."""

    def test_partner_rated_c_joins_keep_in_touch_through_the_rule(self):
        lead = self._qualified_lead(email="c-rated@ll-mkt.test", expected_revenue=0)
        self.assertEqual(lead.rating, "c")
        partner = lead.partner_id
        self.assertEqual(partner.lead_rating, "c")
        self.assertFalse(self._subscriptions(partner, self.keep_in_touch))
        self._run_time_based_rules()
        kit = self._subscriptions(partner, self.keep_in_touch)
        self.assertEqual(len(kit), 1)
        self.assertEqual(
            kit.lifecycle_automation_id,
            self.env.ref("lead_lifecycle.base_automation_partner_rating_keep_in_touch"),
        )
        rule = self.env.ref(
            "lead_lifecycle.base_automation_partner_rating_keep_in_touch"
        )
        self._run_time_based_rules()
        self.assertEqual(len(self._subscriptions(partner, self.keep_in_touch)), 1)
        rule.active = False
        self.addCleanup(rule.write, {"active": True})
        other = self._qualified_lead(email="c-rated-2@ll-mkt.test", expected_revenue=0)
        self._run_time_based_rules()
        self.assertFalse(self._subscriptions(other.partner_id, self.keep_in_touch))

    def test_qualifying_a_lead_joins_the_default_list_once(self):
        # Partners already qualified in the database (demo data) are counted too.
        qualified_before = self.qualified_prospects.lifecycle_qualified_count
        lead = self._qualified_lead()
        partner = lead.partner_id
        subscriptions = self._subscriptions(partner)
        self.assertEqual(subscriptions.list_id, self.qualified_prospects)
        self.assertEqual(len(subscriptions), 1)
        self.assertEqual(subscriptions.lifecycle_origin, "qualification")
        self.assertEqual(
            subscriptions.lifecycle_automation_id,
            self.env.ref("lead_lifecycle.base_automation_partner_qualified_lists"),
        )
        self.assertEqual(
            self.qualified_prospects.lifecycle_qualified_count, qualified_before + 1
        )

    def test_mass_qualification_joins_the_lists_in_one_batch(self):
        """The time-based rule runs its action once per qualified partner; the
        partners join at the commit that follows, in one subscription batch."""
        leads = self.env["crm.lead"].create(
            [
                {
                    "name": f"Mass {i}",
                    "contact_name": f"Mass Person {i}",
                    "partner_name": f"Mass Company {i}",
                    "email_from": f"mass{i}@ll-mkt.test",
                    "team_id": self.team.id,
                    "expected_revenue": 1000,
                }
                for i in range(5)
            ]
        )
        for lead in leads:
            lead.activity_schedule("mail.mail_activity_data_call").action_done()
        result = leads._lifecycle_qualify(create_opportunity=False)
        self.assertEqual(result["qualified"], leads, result["skipped"])
        persons = leads.partner_id
        self.assertEqual(len(persons), 5)
        self._commit_hooks()
        self.assertFalse(self._subscriptions(persons), "joined by the rule, later")
        MailingList = type(self.env["mailing.list"])
        with patch.object(
            MailingList,
            "_lifecycle_subscribe",
            autospec=True,
            side_effect=MailingList._lifecycle_subscribe,
        ) as subscribe:
            self._run_qualified_lists_rule()
        self.assertEqual(subscribe.call_count, 1)
        subscriptions = self._subscriptions(persons)
        self.assertEqual(subscriptions.list_id, self.qualified_prospects)
        self.assertEqual(len(subscriptions), 5)
        self.assertEqual(
            set(subscriptions.mapped("lifecycle_automation_id")),
            {self.env.ref("lead_lifecycle.base_automation_partner_qualified_lists")},
        )

    def test_qualifying_joins_the_team_policy_lists(self):
        policy = self.env["crm.qualification.policy"].create(
            {"name": "Team policy", "mailing_list_ids": [Command.set(self.list_a.ids)]}
        )
        team = self.env["crm.team"].create(
            {"name": "Team Marketing", "qualification_policy_id": policy.id}
        )
        lead = self._qualified_lead(email="team@ll-mkt.test", team_id=team.id)
        self.assertEqual(self._subscriptions(lead.partner_id).list_id, self.list_a)

    def test_disabled_rule_subscribes_nobody(self):
        rule = self.env.ref("lead_lifecycle.base_automation_partner_qualified_lists")
        rule.active = False
        # Disabling unpatches the model in the registry: patch it back for the others.
        self.addCleanup(rule.write, {"active": True})
        lead = self._qualified_lead(email="off@ll-mkt.test")
        self.assertTrue(lead.partner_id)
        self.assertFalse(self._subscriptions(lead.partner_id))

    def test_qualifying_a_blacklisted_email_subscribes_nobody(self):
        self.env["mail.blacklist"]._add("black@ll-mkt.test")
        lead = self._qualified_lead(email="black@ll-mkt.test")
        self.assertFalse(self._subscriptions_of_email("black@ll-mkt.test"))
        self.assertTrue(lead.partner_id)

    def test_qualifying_someone_who_opted_out_keeps_the_opt_out(self):
        contact = self.Contact.create(
            {
                "name": "Gone",
                "email": "gone@ll-mkt.test",
                "subscription_ids": [
                    Command.create(
                        {"list_id": self.qualified_prospects.id, "opt_out": True}
                    )
                ],
            }
        )
        lead = self._qualified_lead(email="gone@ll-mkt.test")
        subscriptions = self._subscriptions_of_email("gone@ll-mkt.test")
        self.assertEqual(subscriptions.contact_id, contact)
        self.assertTrue(subscriptions.opt_out)
        self.assertEqual(contact.partner_id, lead.partner_id)

    def test_not_contactable_lead_leaves_every_list(self):
        leads = self.env["crm.lead"].create(
            [
                {"name": "Bounced", "email_from": "bounced@ll-mkt.test"},
                {"name": "No project", "email_from": "noproject@ll-mkt.test"},
            ]
        )
        leads._action_add_to_mailing_lists(self.list_a | self.list_b)
        leads[0].action_set_lost(
            lost_reason_id=self.env.ref("lead_lifecycle.lost_reason_bounced").id
        )
        leads[1].action_set_lost(
            lost_reason_id=self.env.ref("lead_lifecycle.lost_reason_no_project").id
        )
        self.assertEqual(leads.mapped("lifecycle_state"), ["disqualified"] * 2)
        self._run_time_based_rules()
        gone = self._subscriptions_of_email("bounced@ll-mkt.test")
        self.assertEqual(len(gone), 2)
        self.assertTrue(all(gone.mapped("opt_out")))
        kept = self._subscriptions_of_email("noproject@ll-mkt.test")
        self.assertFalse(any(kept.mapped("opt_out")))
        # An automation never brings it back.
        self.assertFalse(leads[0]._action_add_to_mailing_lists(self.list_a))

    def test_every_rule_twice_changes_nothing(self):
        lead = self._qualified_lead(email="twice@ll-mkt.test")
        lost = self.env["crm.lead"].create(
            {"name": "Lost", "email_from": "lost-twice@ll-mkt.test"}
        )
        lost._action_add_to_mailing_lists(self.list_a)
        lost.action_set_lost(
            lost_reason_id=self.env.ref("lead_lifecycle.lost_reason_no_answer").id
        )
        self._run_time_based_rules()
        dynamic = self.List.create(
            {
                "name": "Food lovers",
                "dynamic": True,
                "sync_method": "full",
                "sync_domain": repr([("industry_id", "=", self.industry_food.id)]),
            }
        )
        food = self._partners(2, prefix="food2", industry_id=self.industry_food.id)
        self.assertEqual(len(self._subscriptions(food, dynamic)), 2)
        runs = {
            "lead_lifecycle.base_automation_partner_qualified_lists": lead.partner_id,
            "lead_lifecycle.base_automation_lead_not_contactable_unsubscribe": lost,
        }
        before = self._snapshot()
        for _run in range(2):
            for xmlid, records in runs.items():
                self.env.ref(xmlid).action_server_ids.with_context(
                    active_model=records._name, active_ids=records.ids
                ).run()
            food._mailing_sync_dynamic_lists()
            food.write({"industry_id": self.industry_food.id})
            self._commit_hooks()
            self.assertEqual(self._snapshot(), before)

    def _admin_rule(self, state, lists, model="base.model_res_partner", **values):
        model = self.env.ref(model)
        rule = self.env["base.automation"].create(
            {
                "name": "Admin rule",
                "trigger": "on_create_or_write",
                "model_id": model.id,
                "filter_domain": repr([("industry_id", "=", self.industry_wood.id)])
                if model.model == "res.partner"
                else False,
            }
        )
        # Built in the rule's action form, as an admin does.
        with Form(
            self.env["ir.actions.server"].with_context(
                default_model_id=model.id,
                default_base_automation_id=rule.id,
                default_usage="base_automation",
            ),
            view="base_automation.ir_actions_server_view_form_automation",
        ) as form:
            form.state = state
            for mailing_list in lists:
                form.mailing_list_ids.add(mailing_list)
            for name, value in values.items():
                setattr(form, name, value)
        action = form.record
        return rule, action

    def test_admin_rule_add_to_mailing_list(self):
        rule, action = self._admin_rule("mailing_list_add", self.list_a)
        self.assertEqual(action.name, "Add to mailing lists: Newsletter A")
        partner = self._partners(1, prefix="wood", industry_id=self.industry_wood.id)
        other = self._partners(1, prefix="notwood")
        subscription = self._subscriptions(partner)
        self.assertEqual(subscription.list_id, self.list_a)
        self.assertEqual(subscription.lifecycle_origin, "rule")
        self.assertEqual(subscription.lifecycle_automation_id, rule)
        self.assertFalse(self._subscriptions(other))
        other.industry_id = self.industry_wood
        self.assertEqual(self._subscriptions(other).list_id, self.list_a)

    def test_admin_rule_guard_only_opted_in(self):
        partner = self._partners(1, prefix="woodg")
        partner._action_add_to_mailing_lists(self.list_b).opt_out = True
        self._admin_rule(
            "mailing_list_add", self.list_a, mailing_list_only_opted_in=True
        )
        partner.industry_id = self.industry_wood
        self.assertFalse(self._subscriptions(partner, self.list_a))

    def test_admin_rule_remove_from_mailing_list(self):
        lead = self.env["crm.lead"].create(
            {"name": "Rule lead", "email_from": "rulelead@ll-mkt.test"}
        )
        lead._action_add_to_mailing_lists(self.list_a | self.list_b)
        rule, action = self._admin_rule(
            "mailing_list_remove",
            self.list_a,
            model="crm.model_crm_lead",
            mailing_list_remove_mode="delete",
        )
        self.assertEqual(action.name, "Remove from mailing lists: Newsletter A")
        lead.name = "Rule lead (changed)"
        self.assertEqual(
            self._subscriptions_of_email("rulelead@ll-mkt.test").list_id, self.list_b
        )

    def test_mailing_list_action_checks(self):
        values = {
            "name": "Bad",
            "model_id": self.env.ref("base.model_res_partner").id,
            "state": "mailing_list_add",
        }
        with self.assertRaises(ValidationError):
            self.env["ir.actions.server"].create(values)
        with self.assertRaises(ValidationError):
            self.env["ir.actions.server"].create(
                dict(
                    values,
                    model_id=self.env.ref("base.model_res_country").id,
                    mailing_list_ids=[Command.set(self.list_a.ids)],
                )
            )

    def test_action_fields_in_automation_form(self):
        view = self.env.ref("base_automation.ir_actions_server_view_form_automation")
        arch = self.env["ir.actions.server"].get_view(view.id, "form")["arch"]
        for name in (
            "mailing_list_ids",
            "mailing_list_only_opted_in",
            "mailing_list_remove_mode",
        ):
            self.assertIn(f'name="{name}"', arch)
        action = self.env["ir.actions.server"].new(
            {"state": "mailing_list_add", "usage": "ir_actions_server"}
        )
        self.assertEqual(
            set(action.available_model_ids.mapped("model")), {"res.partner", "crm.lead"}
        )

    def test_server_action_on_many_records(self):
        partners = self._partners(5, prefix="multi")
        action = self.env["ir.actions.server"].create(
            {
                "name": "Add to A",
                "model_id": self.env.ref("base.model_res_partner").id,
                "state": "mailing_list_add",
                "mailing_list_ids": [Command.set(self.list_a.ids)],
            }
        )
        action.with_context(active_model="res.partner", active_ids=partners.ids).run()
        subscriptions = self._subscriptions(partners, self.list_a)
        self.assertEqual(len(subscriptions), 5)
        self.assertEqual(subscriptions.lifecycle_action_id, action)
