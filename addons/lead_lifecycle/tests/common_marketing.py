# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Fixtures of the marketing-list tests: lists, partners, subscriptions, rules."""

from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.tests import TransactionCase


class MarketingListsCase(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.List = cls.env["mailing.list"]
        cls.Contact = cls.env["mailing.contact"]
        cls.Subscription = cls.env["mailing.subscription"]
        cls.list_a = cls.List.create({"name": "Newsletter A"})
        cls.list_b = cls.List.create({"name": "Newsletter B"})
        cls.qualified_prospects = cls.env.ref(
            "lead_lifecycle.mailing_list_qualified_prospects"
        )
        cls.keep_in_touch = cls.env.ref("lead_lifecycle.mailing_list_keep_in_touch")
        cls.industry_food = cls.env["res.partner.industry"].create({"name": "Food"})
        cls.industry_wood = cls.env["res.partner.industry"].create({"name": "Wood"})
        # A team of our own, under the company default policy (not a demo team's).
        cls.team = cls.env["crm.team"].create({"name": "Marketing lists team"})

    @classmethod
    def _partners(cls, count, prefix="p", **values):
        return cls.env["res.partner"].create(
            [
                dict(
                    {"name": f"{prefix} {i}", "email": f"{prefix}{i}@ll-mkt.test"},
                    **values,
                )
                for i in range(count)
            ]
        )

    def _company_staff_list(self, company_name):
        """A company, and a dynamic list (full sync) of the people of that company:
        a criterion on commercial_company_name, a stored computed field."""
        company = self.env["res.partner"].create(
            {"name": company_name, "is_company": True}
        )
        dynamic = self.List.create(
            {
                "name": f"{company_name} staff",
                "dynamic": True,
                "sync_method": "full",
                "sync_domain": repr([("commercial_company_name", "=", company_name)]),
            }
        )
        return company, dynamic

    def _subscriptions(self, records, lists=None):
        """Subscriptions of the partners (by contact partner) or emails."""
        domain = [("contact_id.partner_id", "in", records.ids)]
        if lists is not None:
            domain.append(("list_id", "in", lists.ids))
        return self.Subscription.search(domain)

    def _subscriptions_of_email(self, email, lists=None):
        domain = [("contact_id.email_normalized", "=", email)]
        if lists is not None:
            domain.append(("list_id", "in", lists.ids))
        return self.Subscription.search(domain)

    def _run_time_based_rules(self):
        """What base_automation's cron does, a bit more than an hour from now."""
        self.env.flush_all()
        later = fields.Datetime.now() + timedelta(minutes=62)
        with freeze_time(later):
            self.env["base.automation"]._check()

    def _snapshot(self):
        """Counts that must not change when an automation runs again."""
        return (
            self.Contact.search_count([]),
            self.Subscription.search_count([]),
            self.Subscription.search_count([("opt_out", "=", True)]),
        )

    def _qualified_lead(self, email="jane@ll-mkt.test", **values):
        """A lead with one logged call, qualified through the real path."""
        lead = self.env["crm.lead"].create(
            dict(
                {
                    "name": "Opportunity for Jane",
                    "contact_name": "Jane Prospect",
                    "email_from": email,
                    "type": "lead",
                    "team_id": self.team.id,
                    # rating B: only the qualification rule applies, not "rated C"
                    "expected_revenue": 1000,
                },
                **values,
            )
        )
        lead.activity_schedule("mail.mail_activity_data_call").action_done()
        result = lead._lifecycle_qualify(create_opportunity=False)
        self.assertEqual(result["qualified"], lead, result["skipped"])
        self._run_qualified_lists_rule()
        return lead

    def _run_qualified_lists_rule(self):
        """The shipped rule 'Qualified partners join their policy's mailing lists' as
        base_automation's cron runs it a bit more than an hour from now (the other
        time-based rules wait), up to the commit that subscribes the partners."""
        rule = self.env.ref("lead_lifecycle.base_automation_partner_qualified_lists")
        rule.last_run = False
        others = self.env["base.automation"].search(
            [("trigger", "=", "on_time"), ("id", "!=", rule.id)]
        )
        others.active = False
        try:
            self._run_time_based_rules()
        finally:
            others.active = True
        self._commit_hooks()

    def _commit_hooks(self):
        """What a commit runs first: the partners queued by the rules join then."""
        self.env.flush_all()
        self.env.cr.precommit.run()
