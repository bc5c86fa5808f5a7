# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Mailing lists fed by the lifecycle: adding and removing partners and emails, the
subscriptions and the partner form (the rules: test_marketing_list_rules.py, dynamic
lists: test_dynamic_lists.py)."""

from lxml import etree

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import new_test_user, tagged
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
