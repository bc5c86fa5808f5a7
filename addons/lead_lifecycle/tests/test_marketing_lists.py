# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Mailing lists fed by the lifecycle: adding and removing, the shipped and admin
rules, dynamic lists."""

from unittest.mock import patch

from lxml import etree

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import Form, new_test_user, tagged
from odoo.tools.misc import file_path

from .common_marketing import MarketingListsCase


@tagged("post_install", "-at_install")
class TestMailingListCore(MarketingListsCase):
    """The batched, idempotent subscription method every automation goes through."""

    def test_add_creates_one_contact_and_one_subscription_each(self):
        partners = self._partners(3)
        # An unlinked contact with the same email (imported) is reused and linked.
        imported = self.Contact.create(
            {"name": "Imported", "email": "P0@LL-MKT.test", "list_ids": []}
        )
        subscriptions = partners._action_add_to_mailing_lists(self.list_a | self.list_b)
        self.assertEqual(len(subscriptions), 6)
        contacts = subscriptions.contact_id
        self.assertEqual(len(contacts), 3)
        self.assertIn(imported, contacts)
        self.assertEqual(imported.partner_id, partners[0])
        self.assertEqual(contacts.partner_id, partners)
        self.assertEqual(set(subscriptions.mapped("lifecycle_origin")), {"rule"})
        before = self._snapshot()
        self.assertFalse(
            partners._action_add_to_mailing_lists(self.list_a | self.list_b)
        )
        self.assertEqual(self._snapshot(), before)
        self.assertEqual(
            self.Contact.search_count([("email_normalized", "like", "@ll-mkt.test")]), 3
        )

    def test_new_contacts_carry_what_create_would_give(self):
        """Contacts made in one INSERT hold what mailing.contact's create gives them:
        normalized email, the partner's data and tags (mass_mailing_partner), the
        partners' contact counts, no creation message."""
        tag = self.env["res.partner.category"].create({"name": "Trade fair"})
        country = self.env.ref("base.be")
        partners = self._partners(
            2, prefix="ins", country_id=country.id, category_id=[Command.set(tag.ids)]
        )
        partners[0].email = "Ins Zero <INS0@LL-MKT.test>"
        contacts = partners._action_add_to_mailing_lists(self.list_a).contact_id
        self.env.flush_all()
        self.env.invalidate_all()
        for partner in partners:
            contact = contacts.filtered(lambda c, p=partner: c.partner_id == p)
            self.assertEqual(contact.name, partner.name)
            self.assertEqual(contact.email, partner.email)
            self.assertEqual(contact.email_normalized, partner.email_normalized)
            self.assertEqual(contact.country_id, country)
            self.assertEqual(contact.tag_ids, tag)
            self.assertEqual(contact.list_ids, self.list_a)
            self.assertFalse(contact.message_ids)
            self.assertEqual(partner.mass_mailing_contact_ids, contact)
            self.assertEqual(partner.mass_mailing_contacts_count, 1)
        self.assertEqual(self.list_a.contact_count, 2)

    def test_rule_on_contact_creation_still_runs(self):
        """With an automation rule on the creation of mailing contacts, they are
        created through the ORM, so that the rule runs."""
        self.env["base.automation"].create(
            {
                "name": "Tag new contacts",
                "model_id": self.env.ref("mass_mailing.model_mailing_contact").id,
                "trigger": "on_create",
                "action_server_ids": [
                    Command.create(
                        {
                            "name": "Tag",
                            "model_id": self.env.ref(
                                "mass_mailing.model_mailing_contact"
                            ).id,
                            "state": "code",
                            "code": "records.write({'company_name': 'Seen by rule'})",
                        }
                    )
                ],
            }
        )
        partners = self._partners(2, prefix="watched")
        contacts = partners._action_add_to_mailing_lists(self.list_a).contact_id
        self.assertEqual(len(contacts), 2)
        self.assertEqual(set(contacts.mapped("company_name")), {"Seen by rule"})

    def test_add_reuses_the_partner_contact(self):
        partner = self._partners(1)
        contact = self.Contact.create(
            {"name": partner.name, "email": partner.email, "partner_id": partner.id}
        )
        subscriptions = partner._action_add_to_mailing_lists(self.list_a)
        self.assertEqual(subscriptions.contact_id, contact)

    def test_partner_without_email_is_skipped(self):
        partner = self.env["res.partner"].create({"name": "No Email"})
        self.assertFalse(partner._action_add_to_mailing_lists(self.list_a))

    def test_blacklisted_email_never_subscribed(self):
        partners = self._partners(2, prefix="bl")
        self.env["mail.blacklist"]._add(partners[0].email)
        subscriptions = partners._action_add_to_mailing_lists(self.list_a)
        self.assertEqual(subscriptions.contact_id.partner_id, partners[1])
        self.assertFalse(
            self.Contact.search([("email_normalized", "=", "bl0@ll-mkt.test")])
        )

    def test_opted_out_never_resubscribed(self):
        partner = self._partners(1, prefix="oo")
        subscription = partner._action_add_to_mailing_lists(self.list_a)
        subscription.opt_out = True
        new = partner._action_add_to_mailing_lists(self.list_a | self.list_b)
        self.assertEqual(new.list_id, self.list_b)
        self.assertTrue(subscription.opt_out)
        self.assertEqual(len(self._subscriptions(partner, self.list_a)), 1)

    def test_only_opted_in_guard(self):
        partners = self._partners(3, prefix="guard")
        first = partners[0]._action_add_to_mailing_lists(self.list_a)
        first.opt_out = True
        bounced = partners[1]._action_add_to_mailing_lists(self.list_a)
        bounced.contact_id.message_bounce = 2
        added = partners._action_add_to_mailing_lists(self.list_b, only_opted_in=True)
        self.assertEqual(added.contact_id.partner_id, partners[2])
        # Without the guard only the list's own opt-outs count.
        added = partners._action_add_to_mailing_lists(self.list_b)
        self.assertEqual(added.contact_id.partner_id, partners[:2])

    def test_same_email_twice_in_a_batch_makes_one_contact(self):
        partners = self._partners(1, prefix="dup") | self._partners(1, prefix="dup")
        subscriptions = partners._action_add_to_mailing_lists(self.list_a)
        self.assertEqual(len(subscriptions), 1)
        self.assertEqual(len(self._subscriptions_of_email("dup0@ll-mkt.test")), 1)

    def test_remove_opt_out_and_delete(self):
        partners = self._partners(2, prefix="rm")
        partners._action_add_to_mailing_lists(self.list_a | self.list_b)
        partners[0]._action_remove_from_mailing_lists(self.list_a)
        self.assertTrue(self._subscriptions(partners[0], self.list_a).opt_out)
        self.assertFalse(self._subscriptions(partners[0], self.list_b).opt_out)
        # Opted out: automations keep off.
        self.assertFalse(partners[0]._action_add_to_mailing_lists(self.list_a))
        # Every list, by deletion: the subscriptions go (opt-outs stay recorded).
        partners[1]._action_remove_from_mailing_lists(mode="delete")
        self.assertFalse(self._subscriptions(partners[1]))
        partners[0]._action_remove_from_mailing_lists(mode="delete")
        self.assertEqual(self._subscriptions(partners[0]).list_id, self.list_a)

    def test_lead_subscribes_its_partner_or_its_email(self):
        partner = self._partners(1, prefix="leadp")
        leads = self.env["crm.lead"].create(
            [
                {"name": "With partner", "partner_id": partner.id},
                {
                    "name": "Without partner",
                    "contact_name": "Cold Contact",
                    "email_from": "Cold <cold@ll-mkt.test>",
                },
                {"name": "No email"},
            ]
        )
        subscriptions = leads._action_add_to_mailing_lists(self.list_a)
        self.assertEqual(len(subscriptions), 2)
        self.assertEqual(
            self._subscriptions(partner, self.list_a).contact_id.partner_id, partner
        )
        cold = self._subscriptions_of_email("cold@ll-mkt.test").contact_id
        self.assertFalse(cold.partner_id, "no partner before qualification")
        self.assertEqual(cold.name, "Cold Contact")
        self.assertFalse(self.env["res.partner"].search([("email", "ilike", "cold@")]))
        leads._action_remove_from_mailing_lists()
        self.assertTrue(self._subscriptions_of_email("cold@ll-mkt.test").opt_out)

    def test_batch_query_count_does_not_grow_with_partners(self):
        """10 or 60 partners: the same number of queries (no per-partner loop)."""
        few = self._partners(10, prefix="few")
        many = self._partners(60, prefix="many")
        # Warm the caches (views, defaults, subtypes) first.
        self._partners(2, prefix="warm")._action_add_to_mailing_lists(
            self.keep_in_touch
        )
        self.env.flush_all()

        def count_queries(partners, mailing_list):
            start = self.cr.sql_log_count
            partners._action_add_to_mailing_lists(mailing_list)
            self.env.flush_all()
            return self.cr.sql_log_count - start

        self.assertEqual(
            count_queries(few, self.list_a), count_queries(many, self.list_b)
        )

    def test_unique_partner_per_list_still_enforced(self):
        partner = self._partners(1, prefix="uniq")
        partner._action_add_to_mailing_lists(self.list_a)
        other = self.Contact.create({"name": "Other", "email": "other@ll-mkt.test"})
        other.partner_id = partner
        with self.assertRaises(ValidationError):
            self.Subscription.create(
                {"contact_id": other.id, "list_id": self.list_a.id}
            )

    def test_partner_email_change_follows_to_contact(self):
        partner = self._partners(1, prefix="mv")
        contact = partner._action_add_to_mailing_lists(self.list_a).contact_id
        partner.email = "moved@ll-mkt.test"
        self.assertEqual(contact.email, "moved@ll-mkt.test")
        self.assertEqual(contact.email_normalized, "moved@ll-mkt.test")
        self.assertFalse(partner._action_add_to_mailing_lists(self.list_a))

    def test_partner_smart_button_and_list_counts(self):
        partner = self._partners(1, prefix="btn")
        # Partners already qualified in the database (demo data) are counted too.
        qualified_before = self.qualified_prospects.lifecycle_qualified_count
        partner._action_add_to_mailing_lists(self.list_a | self.list_b)
        partner._action_add_to_mailing_lists(
            self.qualified_prospects, origin="qualification"
        )
        partner._action_remove_from_mailing_lists(self.list_b)
        self.assertEqual(partner.mailing_subscription_count, 2)
        action = partner.action_view_mailing_subscriptions()
        self.assertEqual(
            self.Subscription.search(action["domain"]), self._subscriptions(partner)
        )
        self.assertEqual(
            self.qualified_prospects.lifecycle_qualified_count, qualified_before + 1
        )
        self.assertEqual(self.list_a.lifecycle_qualified_count, 0)
        self.assertEqual(self.list_a.lifecycle_automated_count, 1)
        action = self.qualified_prospects.action_view_lifecycle_subscriptions()
        self.assertEqual(
            len(self.Subscription.search(action["domain"])), qualified_before + 1
        )

    def test_salesman_reads_partner_form_without_marketing_rights(self):
        salesman = new_test_user(
            self.env, "ll_mkt_salesman", groups="sales_team.group_sale_salesman"
        )
        partner = self._partners(1, prefix="sm")
        partner._action_add_to_mailing_lists(self.list_a)
        arch = partner.with_user(salesman).get_views([(False, "form")])["views"][
            "form"
        ]["arch"]
        self.assertNotIn("mailing_subscription_count", arch)
        partner.with_user(salesman).read(["name"])

    def test_keep_in_touch_method_and_rating_rule_file(self):
        partners = self._partners(2, prefix="kit")
        subscriptions = partners._lifecycle_join_keep_in_touch()
        self.assertEqual(subscriptions.list_id, self.keep_in_touch)
        self.assertEqual(set(subscriptions.mapped("lifecycle_origin")), {"rating"})
        before = self._snapshot()
        partners._lifecycle_join_keep_in_touch()
        self.assertEqual(self._snapshot(), before)
        # The rule shipped for the lead to wire calls this very method.
        tree = etree.parse(
            file_path("lead_lifecycle/data/base_automation_rating_data.xml")
        )
        code = tree.xpath("//field[@name='code']")[0].text
        self.assertEqual(code, "records._lifecycle_join_keep_in_touch()")


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


@tagged("post_install", "-at_install")
class TestDynamicLists(MarketingListsCase):
    """Special-interest lists (mass_mailing_list_dynamic) follow partner changes."""

    def _dynamic(self, sync_method):
        return self.List.create(
            {
                "name": f"Food ({sync_method})",
                "dynamic": True,
                "sync_method": sync_method,
                "sync_domain": repr([("industry_id", "=", self.industry_food.id)]),
            }
        )

    def test_add_only_list(self):
        dynamic = self._dynamic("add")
        partner = self._partners(1, prefix="add")
        self.assertFalse(self._subscriptions(partner, dynamic))
        partner.industry_id = self.industry_food
        subscription = self._subscriptions(partner, dynamic)
        self.assertEqual(len(subscription), 1)
        self.assertEqual(subscription.lifecycle_origin, "criteria")
        partner.industry_id = self.industry_wood
        self.assertEqual(self._subscriptions(partner, dynamic), subscription)

    def test_add_and_remove_list(self):
        dynamic = self._dynamic("full")
        partners = self._partners(2, prefix="full", industry_id=self.industry_food.id)
        self.assertEqual(len(self._subscriptions(partners, dynamic)), 2)
        partners[0].industry_id = self.industry_wood
        self.assertEqual(
            self._subscriptions(partners, dynamic).contact_id.partner_id, partners[1]
        )
        partners[0].industry_id = self.industry_food
        self.assertEqual(len(self._subscriptions(partners, dynamic)), 2)

    def test_opt_out_survives_leaving_and_matching_again(self):
        dynamic = self._dynamic("full")
        partner = self._partners(1, prefix="ooful", industry_id=self.industry_food.id)
        subscription = self._subscriptions(partner, dynamic)
        subscription.opt_out = True
        partner.industry_id = self.industry_wood
        partner.industry_id = self.industry_food
        self.assertEqual(self._subscriptions(partner, dynamic), subscription)
        self.assertTrue(subscription.opt_out)

    def test_blacklisted_partner_never_joins(self):
        dynamic = self._dynamic("add")
        dynamic.sync_domain = repr([("industry_id", "=", self.industry_food.id)])
        self.env["mail.blacklist"]._add("dynbl0@ll-mkt.test")
        partner = self._partners(1, prefix="dynbl", industry_id=self.industry_food.id)
        self.assertFalse(self._subscriptions(partner, dynamic))

    def test_sync_on_create_and_on_batch_write(self):
        dynamic = self._dynamic("full")
        partners = self._partners(3, prefix="batch")
        self.assertFalse(self._subscriptions(partners, dynamic))
        partners.write({"industry_id": self.industry_food.id})
        self.assertEqual(len(self._subscriptions(partners, dynamic)), 3)
        partners.write({"industry_id": False})
        self.assertFalse(self._subscriptions(partners, dynamic))

    def test_criteria_on_other_fields_cost_nothing(self):
        """Only writes touching the criteria fields resynchronize."""
        # Other dynamic lists of the database (demo data) have their own criteria.
        self.List.search([("dynamic", "=", True)]).write({"dynamic": False})
        self._dynamic("add")
        self.assertEqual(
            self.List._lifecycle_dynamic_fields(), {"industry_id", "email", "active"}
        )
        partner = self._partners(1, prefix="cheap")
        Partner = type(self.env["res.partner"])
        with patch.object(
            Partner, "_mailing_sync_dynamic_lists", autospec=True
        ) as sync:
            partner.write({"comment": "Nothing to do with lists"})
            self.env.flush_all()
            sync.assert_not_called()
            partner.write({"industry_id": self.industry_wood.id})
            sync.assert_called_once()

    def test_criteria_on_a_computed_field(self):
        """A stored computed criterion (commercial_company_name, like a rating rolled
        up from leads) resynchronizes when it is recomputed, without a write."""
        company, dynamic = self._company_staff_list("Foodies Inc")
        partner = self._partners(1, prefix="staff")
        partner.parent_id = company
        # at commit (cr.flush is what the commit runs first)
        self.env.cr.flush()
        self.assertTrue(self._subscriptions(partner, dynamic))
        company.name = "Woodies Inc"
        self.env.cr.flush()
        self.assertFalse(self._subscriptions(partner, dynamic))

    def test_no_dynamic_list_no_sync(self):
        self.List.search([("dynamic", "=", True)]).write({"dynamic": False})
        self.assertFalse(self.List._lifecycle_dynamic_fields())

    def test_oca_sync_still_works_with_automated_members(self):
        dynamic = self._dynamic("full")
        partners = self._partners(
            2, prefix="ocasync", industry_id=self.industry_food.id
        )
        dynamic.action_sync()
        self.assertEqual(
            self._subscriptions(partners, dynamic).contact_id.partner_id, partners
        )
