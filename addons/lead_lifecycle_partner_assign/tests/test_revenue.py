# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import tagged

from .common import DistributorCase


@tagged("post_install", "-at_install")
class TestIndirectRevenue(DistributorCase):
    """Direct and indirect revenue of one campaign, against figures computed by hand:

    - lead D, won by us: 3,000 (direct)
    - lead P, won by Brussels Resellers, reported from the portal: 2,000 (indirect)
    - lead S, won by Antwerp Resellers, from its sell-out file: 500 + 700 = 1,200
      (indirect; matched by email and by reference; an unmatched row counts nothing)
    - lead L, lost by Brussels Resellers; lead X, passed, no answer
    - campaign cost 1,240: cost per won euro = 1,240 / 6,200 = 0.2
    """

    def setUp(self):
        super().setUp()
        self.campaign.cost = 1240.0
        self.direct = self._qualified_lead(name="D", email_from="d@x.example")
        self.direct.write({"type": "opportunity", "expected_revenue": 3000.0})
        self.direct.action_set_won()
        self.portal_won = self._accepted("P", self.reseller, self.reseller_user)
        self.portal_won.with_user(self.reseller_user).distributor_report_outcome(
            "won", amount=2000.0, date="2026-03-10"
        )
        self.sellout_lead = self._accepted("S", self.other, self.other_user)
        self.lost = self._accepted("L", self.reseller, self.reseller_user)
        self.lost.with_user(self.reseller_user).distributor_report_outcome(
            "lost", lost_reason_id=self.lost_reason.id
        )
        self.waiting = self._qualified_lead(name="X", email_from="x@x.example")
        self._pass(self.waiting)
        self.rows = self.env["crm.distributor.sellout"].create(
            [
                {
                    "distributor_id": self.other.id,
                    "lead_ref": "S@X.example",
                    "amount": 500.0,
                    "sale_date": "2026-03-12",
                },
                {
                    "distributor_id": self.other.id,
                    "lead_ref": str(self.sellout_lead.id),
                    "amount": 700.0,
                    "sale_date": "2026-03-20",
                },
                {
                    # Brussels did not get lead S: not matched.
                    "distributor_id": self.reseller.id,
                    "lead_ref": str(self.sellout_lead.id),
                    "amount": 999.0,
                    "sale_date": "2026-03-20",
                },
            ]
        )

    def _accepted(self, name, reseller, user):
        lead = self._qualified_lead(name=name, email_from=f"{name.lower()}@x.example")
        self._pass(lead, partner=reseller)
        lead.with_user(user).partner_interested()
        return lead

    def test_sellout_matching(self):
        self.assertEqual(self.rows.mapped("state"), ["matched", "matched", "unmatched"])
        self.assertEqual(self.rows[:2].lead_id, self.sellout_lead)
        lead = self.sellout_lead
        self.assertEqual(lead.distributor_state, "won")
        self.assertEqual(lead.distributor_amount, 1200.0)
        self.assertEqual(lead.expected_revenue, 1200.0)
        self.assertEqual(lead.distributor_outcome_date.isoformat(), "2026-03-20")
        self.assertTrue(lead.stage_id.is_won)
        # Matching again does not count the rows twice.
        self.rows.action_match()
        self.assertEqual(lead.distributor_amount, 1200.0)

    def test_campaign_report(self):
        row = self.env["utm.campaign.lifecycle.report"].search(
            [("campaign_id", "=", self.campaign.id)]
        )
        self.assertEqual(row.won_count, 3)
        self.assertAlmostEqual(row.won_revenue, 6200.0)
        self.assertAlmostEqual(row.direct_revenue, 3000.0)
        self.assertAlmostEqual(row.indirect_revenue, 3200.0)
        self.assertAlmostEqual(row.cost_per_won_amount, 0.2)

    def test_lifecycle_report_by_distributor_and_source(self):
        report = self.env["crm.lead.lifecycle.report"]
        by_distributor = {
            distributor: (indirect, direct)
            for distributor, indirect, direct in report._read_group(
                [("campaign_id", "=", self.campaign.id)],
                ["distributor_id"],
                ["indirect_revenue:sum", "direct_revenue:sum"],
            )
        }
        self.assertEqual(by_distributor[self.reseller], (2000.0, 0.0))
        self.assertEqual(by_distributor[self.other], (1200.0, 0.0))
        self.assertEqual(by_distributor[self.env["res.partner"]], (0.0, 3000.0))
        [(indirect, direct)] = report._read_group(
            [("source_id", "=", self.source.id)],
            [],
            ["indirect_revenue:sum", "direct_revenue:sum"],
        )
        self.assertEqual((indirect, direct), (3200.0, 3000.0))

    def test_distributor_performance(self):
        report = self.env["crm.distributor.report"]
        figures = {
            distributor: values
            for distributor, *values in report._read_group(
                [("campaign_id", "=", self.campaign.id)],
                ["distributor_id"],
                [
                    "received_count:sum",
                    "accepted_count:sum",
                    "answered_in_sla_count:sum",
                    "won_count:sum",
                    "revenue:sum",
                ],
            )
        }
        # Brussels: P (won), L (lost), X (no answer yet).
        self.assertEqual(figures[self.reseller], [3, 2, 2, 1, 2000.0])
        self.assertEqual(figures[self.other], [1, 1, 1, 1, 1200.0])
