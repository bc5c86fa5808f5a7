# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Dynamic mailing lists (mass_mailing_list_dynamic): members follow partner
changes."""

from unittest.mock import patch

from odoo.tests import tagged

from .common_marketing import MarketingListsCase


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
