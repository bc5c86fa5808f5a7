# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from odoo.exceptions import AccessError
from odoo.tests import Form, tagged
from odoo.tests.common import freeze_time

from .common_attribution import MONDAY, AttributionCommon

REPLY = """From: Jane Reply <jane.reply@acme-attribution.com>
To: sales@example.com
Subject: Re: Spring offer
Message-ID: <reply-1@acme-attribution.com>
In-Reply-To: <trace-1@example.com>
References: <trace-1@example.com>
Content-Type: text/plain; charset=utf-8

Interesting, please call me.
"""


@tagged("post_install", "-at_install")
class TestAttribution(AttributionCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.campaign = cls.env["utm.campaign"].create(
            {"name": "Spring offer", "cost": 1200.0}
        )
        cls.other_campaign = cls.env["utm.campaign"].create({"name": "Autumn"})
        cls.source = cls.env["utm.source"].create({"name": "Spring newsletter"})
        cls.medium = cls.env["utm.medium"].create({"name": "Newsletter email"})
        cls.mailing = cls.env["mailing.mailing"].create(
            {
                "subject": "Spring offer",
                "mailing_model_id": cls.env["ir.model"]._get_id("res.partner"),
                "campaign_id": cls.campaign.id,
                "source_id": cls.source.id,
                "medium_id": cls.medium.id,
            }
        )
        recipient = cls.env["res.partner"].create({"name": "Newsletter reader"})
        cls.env["mailing.trace"].create(
            {
                "mass_mailing_id": cls.mailing.id,
                "model": "res.partner",
                "res_id": recipient.id,
                "email": "jane.reply@acme-attribution.com",
                "message_id": "<trace-1@example.com>",
            }
        )

    def _lead_from_mailing_reply(self):
        lead = self.env["crm.lead"].browse(
            self.env["mail.thread"].message_process("crm.lead", REPLY)
        )
        lead.write({"team_id": self.team.id, "user_id": self.salesman.id})
        return lead

    def _campaign_lead(self, **values):
        return self._lead(
            MONDAY, campaign_id=self.campaign.id, source_id=self.source.id, **values
        )

    def test_mailing_reply_carries_campaign_to_partner_and_won_revenue(self):
        lead = self._lead_from_mailing_reply()
        self.assertEqual(lead.campaign_id, self.campaign)
        self.assertEqual(lead.source_id, self.source)
        self.assertEqual(lead.medium_id, self.medium)
        self.assertFalse(lead.first_response_date, "The reply is the lead's request")

        result = lead._lifecycle_qualify(
            create_opportunity=True, override_reason="test"
        )
        self.assertEqual(result["qualified"], lead)
        partner = lead.partner_id
        self.assertEqual(partner.email_normalized, "jane.reply@acme-attribution.com")
        self.assertEqual(partner.campaign_id, self.campaign)
        self.assertEqual(partner.source_id, self.source)
        self.assertEqual(partner.medium_id, self.medium)
        self.assertEqual(lead.type, "opportunity")
        lead.expected_revenue = 6000.0
        lead.action_set_won()

        # The campaign's other leads: a second qualified opportunity still open, a
        # lead disqualified as not contactable, a new one; another campaign's lead.
        open_deal = self._campaign_lead(name="Open deal", expected_revenue=2000.0)
        open_deal._lifecycle_qualify(create_opportunity=True, override_reason="test")
        bounced = self._campaign_lead(name="Bounced")
        bounced.action_set_lost(
            lost_reason_id=self.env.ref("lead_lifecycle.lost_reason_bounced").id
        )
        self._campaign_lead(name="Untouched")
        self._lead(MONDAY, campaign_id=self.other_campaign.id, expected_revenue=99.0)

        # Hand-computed: 4 leads, 2 qualified (both opportunities, so contacted),
        # 1 disqualified not contactable, 1 won at 6000; cost 1200.
        Report = self.env["crm.lead.lifecycle.report"]
        [row] = Report.read_group(
            [("campaign_id", "=", self.campaign.id)],
            [
                "lead_count:sum",
                "contacted_count:sum",
                "qualified_count:sum",
                "disqualified_count:sum",
                "not_contactable_count:sum",
                "not_interested_count:sum",
                "opportunity_count:sum",
                "won_count:sum",
                "won_revenue:sum",
                "won_rate:avg",
                "qualified_opportunity_rate:avg",
                "opportunity_won_rate:avg",
            ],
            ["campaign_id"],
        )
        self.assertEqual(
            {key: row[key] for key in row if key.endswith(("count", "revenue"))},
            {
                "campaign_id_count": 4,
                "lead_count": 4,
                "contacted_count": 2,
                "qualified_count": 2,
                "disqualified_count": 1,
                "not_contactable_count": 1,
                "not_interested_count": 0,
                "opportunity_count": 2,
                "won_count": 1,
                "won_revenue": 6000.0,
            },
        )
        self.assertAlmostEqual(row["won_rate"], 25.0)
        self.assertAlmostEqual(row["qualified_opportunity_rate"], 100.0)
        self.assertAlmostEqual(row["opportunity_won_rate"], 50.0)

        Campaigns = self.env["utm.campaign.lifecycle.report"]
        [sums] = Campaigns.read_group(
            [("campaign_id", "=", self.campaign.id)],
            ["cost:sum", "lead_count:sum", "qualified_count:sum", "won_revenue:sum"],
            ["campaign_id"],
        )
        self.assertEqual(
            (sums["cost"], sums["lead_count"], sums["qualified_count"]), (1200.0, 4, 2)
        )
        self.assertEqual(sums["won_revenue"], 6000.0)
        [ratios] = Campaigns.search_read(
            [("campaign_id", "=", self.campaign.id)],
            [
                "cost_per_lead",
                "cost_per_qualified",
                "cost_per_won",
                "revenue_cost_ratio",
                "qualified_rate",
                "qualified_won_rate",
            ],
        )
        self.assertAlmostEqual(ratios["cost_per_lead"], 1200.0 / 4)
        self.assertAlmostEqual(ratios["cost_per_qualified"], 1200.0 / 2)
        self.assertAlmostEqual(ratios["cost_per_won"], 1200.0 / 1)
        self.assertAlmostEqual(ratios["revenue_cost_ratio"], 6000.0 / 1200.0)
        self.assertAlmostEqual(ratios["qualified_rate"], 50.0)
        self.assertAlmostEqual(ratios["qualified_won_rate"], 50.0)

        # The campaign's smart buttons show the same figures.
        self.campaign.invalidate_recordset()
        self.assertEqual(self.campaign.lifecycle_lead_count, 4)
        self.assertEqual(self.campaign.lifecycle_qualified_count, 2)
        self.assertEqual(self.campaign.lifecycle_won_count, 1)
        self.assertEqual(self.campaign.lifecycle_won_revenue, 6000.0)
        self.assertAlmostEqual(self.campaign.lifecycle_cost_per_qualified, 600.0)
        self.assertAlmostEqual(self.campaign.lifecycle_revenue_cost_ratio, 5.0)
        action = self.campaign.action_view_campaign_report()
        self.assertEqual(action["res_model"], "utm.campaign.lifecycle.report")
        self.assertEqual(action["domain"], [("campaign_id", "=", self.campaign.id)])

        # The funnel of the campaign: new 4 > contacted 2 > qualified 2 > opp 2 > won 1.
        funnel = self.env["crm.lead.funnel.report"].read_group(
            [("campaign_id", "=", self.campaign.id)],
            ["lead_count:sum"],
            ["funnel_stage"],
        )
        self.assertEqual(
            {group["funnel_stage"]: group["lead_count"] for group in funnel},
            {
                "1_new": 4,
                "2_contacted": 2,
                "3_qualified": 2,
                "4_opportunity": 2,
                "5_won": 1,
            },
        )

    def test_first_touch_is_never_overwritten(self):
        first = self.env["utm.campaign"].create({"name": "First touch"})
        partner = self.env["res.partner"].create(
            {
                "name": "Known Prospect",
                "email": "known@acme-attribution.com",
                "campaign_id": first.id,
            }
        )
        lead = self._campaign_lead(
            email_from="known@acme-attribution.com",
            contact_name="Known Prospect",
            medium_id=self.medium.id,
        )
        lead._lifecycle_qualify(override_reason="test")
        self.assertEqual(lead.partner_id, partner)
        self.assertEqual(partner.campaign_id, first, "first touch kept")
        self.assertEqual(partner.source_id, self.source, "empty source filled")
        self.assertEqual(partner.medium_id, self.medium)

    def test_conversion_by_response_delay_bucket(self):
        fast = self._campaign_lead(name="Fast", expected_revenue=100.0)
        slow = self._campaign_lead(name="Slow")
        never = self._campaign_lead(name="Never")
        for lead, delay in ((fast, timedelta(minutes=30)), (slow, timedelta(hours=6))):
            with freeze_time(MONDAY.replace(hour=9) + delay):
                lead.with_user(self.salesman).message_post(
                    body="Hello",
                    message_type="comment",
                    subtype_xmlid="mail.mt_comment",
                )
        # Created at midnight: working hours start at 9.
        self.assertAlmostEqual(fast.response_delay_hours, 0.5)
        self.assertAlmostEqual(slow.response_delay_hours, 6.0)
        fast._lifecycle_qualify(create_opportunity=True, override_reason="test")
        fast.action_set_won()
        groups = self.env["crm.lead.lifecycle.report"].read_group(
            [("lead_id", "in", (fast | slow | never).ids)],
            [
                "lead_count:sum",
                "won_rate:avg",
                "within_sla_rate:avg",
                "response_delay_hours:avg",
            ],
            ["response_bucket"],
        )
        by_bucket = {group["response_bucket"]: group for group in groups}
        self.assertEqual(set(by_bucket), {"1_lt1h", "3_4_24h", "5_never"})
        self.assertEqual(by_bucket["1_lt1h"]["won_rate"], 100.0)
        self.assertEqual(by_bucket["3_4_24h"]["won_rate"], 0.0)
        self.assertEqual(by_bucket["5_never"]["won_rate"], 0.0)
        self.assertEqual(by_bucket["3_4_24h"]["within_sla_rate"], 0.0, "6 h > 4 h SLA")
        self.assertEqual(by_bucket["1_lt1h"]["within_sla_rate"], 100.0)
        [total] = self.env["crm.lead.lifecycle.report"].read_group(
            [("lead_id", "in", (fast | slow | never).ids)],
            ["within_sla_rate:avg", "response_delay_hours:avg", "answered_count:sum"],
            ["team_id"],
        )
        self.assertAlmostEqual(total["within_sla_rate"], 100.0 / 3)
        self.assertAlmostEqual(total["response_delay_hours"], (0.5 + 6.0) / 2)
        self.assertEqual(total["answered_count"], 2)

    def test_campaign_cost_in_form(self):
        with Form(self.other_campaign) as form:
            form.cost = 500.0
        self.assertEqual(self.other_campaign.cost, 500.0)
        self.assertEqual(
            self.other_campaign.cost_currency_id, self.env.company.currency_id
        )

    def test_report_access(self):
        mine = self._campaign_lead(name="Mine")
        theirs = self._campaign_lead(name="Theirs", user_id=self.salesman_2.id)
        leads = mine | theirs
        Report = self.env["crm.lead.lifecycle.report"]
        self.assertEqual(
            Report.with_user(self.salesman)
            .search([("lead_id", "in", leads.ids)])
            .lead_id,
            mine,
        )
        self.assertEqual(
            Report.with_user(self.leader)
            .search([("lead_id", "in", leads.ids)])
            .lead_id,
            leads,
        )
        with self.assertRaises(AccessError):
            self.env["utm.campaign.lifecycle.report"].with_user(self.salesman).search(
                []
            )
        self.assertTrue(
            self.env["utm.campaign.lifecycle.report"]
            .with_user(self.leader)
            .search([("campaign_id", "=", self.campaign.id)])
        )

    def test_report_menus_and_views(self):
        report_menu = self.env.ref("crm.crm_menu_report")
        for xmlid in (
            "crm_lead_lifecycle_report_menu",
            "crm_lead_funnel_report_menu",
            "utm_campaign_lifecycle_report_menu",
            "crm_lead_response_report_menu",
        ):
            menu = self.env.ref(f"lead_lifecycle.{xmlid}")
            self.assertEqual(menu.parent_id, report_menu)
            self.assertTrue(menu.action)
        for model in (
            "crm.lead.lifecycle.report",
            "crm.lead.funnel.report",
            "utm.campaign.lifecycle.report",
        ):
            views = self.env[model].get_views(
                [(False, "pivot"), (False, "graph"), (False, "list"), (False, "search")]
            )
            self.assertEqual(set(views["views"]), {"pivot", "graph", "list", "search"})
