# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Who sees what: every model and report of the module tried as each role, through
``with_user`` and without sudo (what a JSON-RPC call runs). The tables below are the
table of readme/CONFIGURE.md; change both together."""

from datetime import date, datetime

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, new_test_user

ROLES = ("salesman", "all_leads", "manager", "ll_user", "marketing", "company_b")

# Lead rows (score events, lifecycle and funnel reports): which of the fixture's
# leads each role sees; None = refused (no access right).
LEAD_SCOPE = {
    "salesman": {"own_a", "free_a"},
    "all_leads": {"own_a", "other_a", "free_a"},
    "manager": {"own_a", "other_a", "free_a"},
    "ll_user": set(),
    "marketing": None,
    "company_b": {"won_b1", "won_b2"},
}
LEAD_MODELS = (
    "crm.lead.score.event",
    "crm.lead.lifecycle.report",
    "crm.lead.funnel.report",
)

# Records of the other models: read = "all" (those of the user's companies) or None
# (refused); write = write/create/unlink allowed.
# Configuration read by every sales role, written by the sales manager.
SALES_CONFIGURATION = {
    "salesman": ("all", False),
    "all_leads": ("all", False),
    "manager": ("all", True),
    "ll_user": ("all", False),
    "marketing": (None, False),
    "company_b": ("all", False),
}
# Rented lists and their contacts: marketing's and the sales manager's.
RENTED_LISTS = {
    "salesman": (None, False),
    "all_leads": (None, False),
    "manager": ("all", True),
    "ll_user": (None, False),
    "marketing": ("all", True),
    "company_b": ("all", True),
}
MATRIX = {
    "crm.qualification.policy": SALES_CONFIGURATION,
    "crm.first.reply": SALES_CONFIGURATION,
    "crm.lead.scoring.rule": SALES_CONFIGURATION,
    "crm.rented.list": RENTED_LISTS,
    "crm.rented.list.contact": RENTED_LISTS,
    "utm.campaign.lifecycle.report": {
        "salesman": (None, False),
        "all_leads": ("all", False),
        "manager": ("all", False),
        "ll_user": (None, False),
        "marketing": ("all", False),
        "company_b": ("all", False),
    },
}


class TestAccessMatrix(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.company_a = cls.env.company
        cls.usd = cls.company_a.currency_id
        cls.eur = cls.env.ref("base.EUR")
        cls.eur.active = True
        cls.company_b = cls.env["res.company"].create(
            {"name": "Second Company", "currency_id": cls.eur.id}
        )
        # Company A's rates of the euro (USD per EUR = 1 / rate): 1 EUR = 1.25 USD
        # from March, 2 USD from June.
        cls.env["res.currency.rate"].create(
            [
                {
                    "currency_id": cls.eur.id,
                    "company_id": cls.company_a.id,
                    "name": date(2026, 3, 1),
                    "rate": 0.8,
                },
                {
                    "currency_id": cls.eur.id,
                    "company_id": cls.company_a.id,
                    "name": date(2026, 6, 1),
                    "rate": 0.5,
                },
            ]
        )
        a = cls.company_a.id
        cls.users = {
            "salesman": new_test_user(
                cls.env, "am_salesman", groups="sales_team.group_sale_salesman"
            ),
            "all_leads": new_test_user(
                cls.env,
                "am_all_leads",
                groups="sales_team.group_sale_salesman_all_leads",
            ),
            "manager": new_test_user(
                cls.env, "am_manager", groups="sales_team.group_sale_manager"
            ),
            "ll_user": new_test_user(
                cls.env,
                "am_ll_user",
                groups="base.group_user,lead_lifecycle.group_lead_lifecycle_user",
            ),
            "marketing": new_test_user(
                cls.env,
                "am_marketing",
                groups="base.group_user,mass_mailing.group_mass_mailing_user",
            ),
            # All leads and marketing, but of the second company only: what stops
            # them is the company.
            "company_b": new_test_user(
                cls.env,
                "am_company_b",
                groups="sales_team.group_sale_salesman_all_leads,"
                "mass_mailing.group_mass_mailing_user",
                company_id=cls.company_b.id,
                company_ids=[cls.company_b.id],
            ),
        }
        for role in ("salesman", "all_leads", "manager", "ll_user", "marketing"):
            cls.users[role].company_ids = [Command.set([a])]
        cls.campaign = cls.env["utm.campaign"].create(
            {"name": "Access matrix campaign", "cost": 300.0}
        )
        won_stage = cls.env["crm.stage"].search([("is_won", "=", True)], limit=1)
        Lead = cls.env["crm.lead"]
        base = {
            "type": "opportunity",
            "campaign_id": cls.campaign.id,
            "company_id": a,
        }
        cls.leads = {
            "own_a": Lead.create(
                dict(base, name="Own A", user_id=cls.users["salesman"].id)
            ),
            "other_a": Lead.create(
                dict(base, name="Other A", user_id=cls.users["all_leads"].id)
            ),
            "free_a": Lead.create(dict(base, name="Free A", user_id=False)),
            "won_b1": Lead.create(
                dict(
                    base,
                    name="Won B1",
                    company_id=cls.company_b.id,
                    team_id=False,
                    user_id=cls.users["company_b"].id,
                )
            ),
            "won_b2": Lead.create(
                dict(
                    base,
                    name="Won B2",
                    company_id=cls.company_b.id,
                    team_id=False,
                    user_id=False,
                )
            ),
        }
        # Won: 500 USD in A; 1000 EUR won in April (1250 USD), 600 EUR in July
        # (1200 USD) in B.
        for key, revenue, closed in (
            ("own_a", 500.0, datetime(2026, 4, 10, 12)),
            ("won_b1", 1000.0, datetime(2026, 4, 10, 12)),
            ("won_b2", 600.0, datetime(2026, 7, 1, 12)),
        ):
            cls.leads[key].write(
                {"stage_id": won_stage.id, "expected_revenue": revenue}
            )
            cls.leads[key].date_closed = closed
        cls.lead_ids = [lead.id for lead in cls.leads.values()]
        cls.events = cls.env["crm.lead.score.event"].create(
            [
                {
                    "lead_id": lead.id,
                    "kind": "call",
                    "date": datetime(2026, 4, 1),
                    "source_model": "mail.activity",
                    "source_id": lead.id,
                }
                for lead in cls.leads.values()
            ]
        )
        cls.policy_b = cls.env["crm.qualification.policy"].create(
            {"name": "Policy of B", "company_id": cls.company_b.id}
        )
        RentedList = cls.env["crm.rented.list"]
        cls.lists = RentedList.create({"name": "List of A", "company_id": a})
        cls.lists |= RentedList.create(
            {
                "name": "List of B",
                "company_id": cls.company_b.id,
                "currency_id": cls.eur.id,
            }
        )
        cls.contacts = cls.env["crm.rented.list.contact"].create(
            [
                {"rented_list_id": rented_list.id, "email": f"c{i}@rented.example"}
                for i, rented_list in enumerate(cls.lists)
            ]
        )
        cls.env.flush_all()

    def _env(self, role, company_ids=None):
        """The environment of a request of ``role``; its first active company is the
        current one. Cached report values belong to one request: dropped."""
        self.env.invalidate_all()
        user = self.users[role]
        context = dict(
            self.env.context, allowed_company_ids=company_ids or user.company_ids.ids
        )
        return self.env(user=user, context=context)

    # ------------------------------------------------------------
    # Lead rows
    # ------------------------------------------------------------

    def test_lead_rows_follow_the_lead_rules(self):
        names = {lead.id: key for key, lead in self.leads.items()}
        for model in LEAD_MODELS:
            for role in ROLES:
                with self.subTest(model=model, role=role):
                    Model = self._env(role)[model]
                    expected = LEAD_SCOPE[role]
                    domain = [("lead_id", "in", self.lead_ids)]
                    if expected is None:
                        with self.assertRaises(AccessError):
                            Model.search(domain)
                        continue
                    rows = Model.search(domain)
                    self.assertEqual({names[r.lead_id.id] for r in rows}, expected)
                    for operation in ("write", "create", "unlink"):
                        with self.assertRaises(AccessError):
                            (rows or Model).check_access(operation)

    def test_ll_user_without_sales_rights_reads_no_score_event(self):
        """The bug of issue 15: a Lead Lifecycle user without any sales group read
        every score event and report row."""
        env = self._env("ll_user")
        self.assertFalse(env["crm.lead.score.event"].search_count([]))
        self.assertFalse(env["crm.lead.lifecycle.report"].search_count([]))
        self.assertFalse(env["crm.lead.funnel.report"].search_count([]))
        with self.assertRaises(AccessError):
            env["crm.lead.score.event"].browse(self.events[0].id).read(["kind"])

    # ------------------------------------------------------------
    # Configuration, rented lists, campaign report
    # ------------------------------------------------------------

    def _records(self, model):
        if model == "crm.rented.list":
            return self.lists
        if model == "crm.rented.list.contact":
            return self.contacts
        if model == "utm.campaign.lifecycle.report":
            return self.env[model].search([("campaign_id", "=", self.campaign.id)])
        return self.env[model].search([])

    def test_matrix(self):
        for model, roles in MATRIX.items():
            records = self._records(model)
            for role, (read, write) in roles.items():
                with self.subTest(model=model, role=role):
                    env = self._env(role)
                    Model = env[model]
                    if read is None:
                        with self.assertRaises(AccessError):
                            Model.search([("id", "in", records.ids)])
                    else:
                        visible = Model.search([("id", "in", records.ids)])
                        self.assertTrue(visible)
                        companies = set(env.companies.ids) | {False}
                        if "company_id" in Model._fields:
                            self.assertTrue(
                                set(visible.mapped("company_id").ids) <= companies
                            )
                            hidden = records - visible.sudo()
                            self.assertTrue(
                                all(
                                    r.company_id.id not in companies
                                    for r in hidden.sudo()
                                )
                            )
                    target = (
                        Model.search([("id", "in", records.ids)], limit=1)
                        if read
                        else records[:1].with_env(env)
                    )
                    for operation in ("write", "create", "unlink"):
                        subject = Model if operation == "create" else target
                        if write:
                            subject.check_access(operation)
                        else:
                            with self.assertRaises(AccessError):
                                subject.check_access(operation)

    def test_company_b_user_sees_no_rented_list_or_policy_of_a(self):
        env = self._env("company_b")
        self.assertEqual(
            env["crm.rented.list"]
            .search([("id", "in", self.lists.ids)])
            .mapped("name"),
            ["List of B"],
        )
        with self.assertRaises(AccessError):
            self.lists[0].with_env(env).write({"name": "Taken over"})
        self.lists[1].with_env(env).write({"name": "List of B, renamed"})
        policy_a = self.env["crm.qualification.policy"].create(
            {"name": "Policy of A", "company_id": self.company_a.id}
        )
        policies = env["crm.qualification.policy"].search([])
        self.assertIn(self.policy_b, policies)
        self.assertNotIn(policy_a, policies)

    def test_marketing_user_manages_rented_lists_salesman_does_not(self):
        env = self._env("marketing")
        contact = env["crm.rented.list.contact"].create(
            {"rented_list_id": self.lists[0].id, "email": "new@rented.example"}
        )
        contact.write({"first_name": "New"})
        contact.unlink()
        with self.assertRaises(AccessError):
            self.contacts[0].with_env(self._env("salesman")).read(["email"])

    def test_policy_written_by_manager_only(self):
        policy = self.env["crm.qualification.policy"].search([], limit=1)
        policy.with_env(self._env("manager")).write({"name": "Renamed"})
        for role in ("salesman", "all_leads", "ll_user", "company_b"):
            with self.subTest(role=role), self.assertRaises(AccessError):
                policy.with_env(self._env(role)).write({"name": "Nope"})

    def test_qualify_wizard_own_leads_of_sales_users(self):
        """Lead Lifecycle users open the qualify dialog on leads they may read; the
        dialog of one user is not another's (transient model rule); marketing users
        without Lead Lifecycle rights have none."""
        wizard = self._env("salesman")["crm.lead.qualify"].create(
            {"lead_ids": [Command.set(self.leads["own_a"].ids)]}
        )
        self.assertEqual(wizard.lead_ids, self.leads["own_a"])
        with self.assertRaises(AccessError):
            wizard.with_env(self._env("all_leads")).read(["lead_ids"])
        with self.assertRaises(AccessError):
            self._env("marketing")["crm.lead.qualify"].create(
                {"lead_ids": [Command.set(self.leads["own_a"].ids)]}
            )
        with self.assertRaises(AccessError):
            wizard.unlink()

    def test_partner_qualified_lead_count_follows_the_lead_rules(self):
        partner = self.env["res.partner"].create({"name": "Counted Partner"})
        (self.leads["own_a"] | self.leads["other_a"]).write(
            {"partner_id": partner.id, "lifecycle_state": "qualified"}
        )
        self.env.flush_all()
        for role, count in (("salesman", 1), ("all_leads", 2), ("company_b", 0)):
            with self.subTest(role=role):
                self.assertEqual(
                    partner.with_env(self._env(role)).qualified_lead_count, count
                )
        for role in ("ll_user", "marketing"):
            with self.subTest(role=role), self.assertRaises(AccessError):
                partner.with_env(self._env(role)).read(["qualified_lead_count"])

    # ------------------------------------------------------------
    # Money in one currency
    # ------------------------------------------------------------

    def _campaign_row(self, role, company_ids=None):
        env = self._env(role, company_ids)
        return env["utm.campaign.lifecycle.report"].search(
            [("campaign_id", "=", self.campaign.id)]
        )

    def test_campaign_report_sums_in_company_currency_at_the_date(self):
        """With both companies active and A current, the EUR revenue of B is
        converted into USD at the date each lead was won: 500 + 1000 / 0.8 +
        600 / 0.5 = 2950 USD; the 300 USD cost stays 300."""
        self.users["manager"].company_ids = [
            Command.set([self.company_a.id, self.company_b.id])
        ]
        row = self._campaign_row("manager", [self.company_a.id, self.company_b.id])
        self.assertEqual(row.currency_id, self.usd)
        self.assertAlmostEqual(row.won_revenue, 2950.0)
        self.assertEqual((row.lead_count, row.won_count), (5, 3))
        self.assertAlmostEqual(row.cost, 300.0)
        self.assertAlmostEqual(row.revenue_cost_ratio, 2950.0 / 300.0)
        # Company A alone: its own lead only.
        row = self._campaign_row("manager", [self.company_a.id])
        self.assertAlmostEqual(row.won_revenue, 500.0)
        self.assertEqual(row.lead_count, 3)

    def test_campaign_report_of_company_b_counts_its_leads_in_its_currency(self):
        row = self._campaign_row("company_b")
        self.assertEqual(row.currency_id, self.eur)
        self.assertEqual((row.lead_count, row.won_count), (2, 2))
        # B's figures only, in EUR (B has no rates: 1 to 1 at its own rates).
        self.assertAlmostEqual(row.won_revenue, 1600.0)
        campaign = self.campaign.with_env(self._env("company_b"))
        self.assertAlmostEqual(campaign.lifecycle_won_revenue, 1600.0)
        self.assertEqual(campaign.lifecycle_currency_id, self.eur)

    def test_lifecycle_report_revenue_in_company_currency(self):
        self.users["manager"].company_ids = [
            Command.set([self.company_a.id, self.company_b.id])
        ]
        env = self._env("manager", [self.company_a.id, self.company_b.id])
        rows = env["crm.lead.lifecycle.report"].search(
            [("lead_id", "in", self.lead_ids)]
        )
        revenue = {row.lead_id.name: row.won_revenue for row in rows}
        self.assertAlmostEqual(revenue["Won B1"], 1250.0)
        self.assertAlmostEqual(revenue["Won B2"], 1200.0)
        self.assertAlmostEqual(revenue["Own A"], 500.0)
        self.assertEqual(rows.company_currency_id, self.usd)
        total = env["crm.lead.lifecycle.report"].read_group(
            [("lead_id", "in", self.lead_ids)], ["won_revenue:sum"], []
        )[0]["won_revenue"]
        self.assertAlmostEqual(total, 2950.0)

    def test_campaign_figures_hidden_from_salesman(self):
        with self.assertRaises(AccessError):
            self.campaign.with_env(self._env("salesman")).read(
                ["lifecycle_won_revenue"]
            )
        campaign = self.campaign.with_env(self._env("marketing"))
        self.assertAlmostEqual(campaign.lifecycle_won_revenue, 500.0)
        self.assertEqual(campaign.lifecycle_currency_id, self.usd)
