# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import HttpCase, tagged

from .common import DistributorCase


@tagged("post_install", "-at_install")
class TestDistributorTour(DistributorCase, HttpCase):
    """In Chromium: a manager passes a lead, the reseller reports it won on the
    portal, the campaign report shows the indirect revenue."""

    def test_pass_win_report(self):
        self.reseller.name = "Tour Resellers"
        self.manager.groups_id |= self.env.ref("crm.group_use_lead")
        lead = self._qualified_lead(name="Tour: 30 chairs")
        self.start_tour(
            f"/odoo/action-crm.crm_lead_all_leads/{lead.id}",
            "lead_lifecycle_partner_assign_pass_tour",
            login=self.manager.login,
        )
        self.assertEqual(lead.partner_assigned_id, self.reseller)
        self.assertEqual(lead.distributor_passed_by_id, self.manager)
        self.start_tour(
            f"/my/lead/{lead.id}",
            "lead_lifecycle_partner_assign_portal_tour",
            login=self.reseller_user.login,
        )
        self.assertEqual(lead.distributor_state, "accepted")
        self.start_tour(
            f"/my/opportunity/{lead.id}",
            "lead_lifecycle_partner_assign_outcome_tour",
            login=self.reseller_user.login,
        )
        self.assertEqual(lead.distributor_state, "won")
        self.assertEqual(lead.distributor_amount, 4321.0)
        report = self.env["utm.campaign.lifecycle.report"].with_user(self.manager)
        row = report.search([("campaign_id", "=", self.campaign.id)])
        self.assertEqual(row.indirect_revenue, 4321.0)
        self.start_tour(
            "/odoo/action-lead_lifecycle.utm_campaign_lifecycle_report_action",
            "lead_lifecycle_partner_assign_report_tour",
            login=self.manager.login,
        )
