# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import base64
import os
import time
import unittest

from odoo import Command
from odoo.modules.module import get_module_path
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tests.common import ChromeBrowser

# Clicks the notebook tab of that label, then says whether the tab's content is shown.
OPEN_TAB = """
(() => {
    const tab = [...document.querySelectorAll('.o_notebook .nav-link')]
        .find((link) => link.textContent.trim() === %(tab)r);
    if (tab && !tab.classList.contains('active')) { tab.click(); }
    const shown = document.querySelector(%(selector)r);
    if (shown) { tab.scrollIntoView({block: 'start'}); }
    return Boolean(shown);
})()
"""
CHART_DRAWN = (
    "Boolean(window.Chart && document.querySelector('.o_graph_renderer canvas') "
    "&& window.Chart.getChart(document.querySelector('.o_graph_renderer canvas')))"
)


def _shown(selector):
    return f"Boolean(document.querySelector({selector!r}))"


@tagged("post_install", "-at_install")
@unittest.skipUnless(
    os.environ.get("LL_SCREENSHOTS") == "1",
    "set LL_SCREENSHOTS=1 to write the README screenshots into docs/screenshots",
)
class TestLeadLifecycleScreenshots(HttpCase):
    """The README's screenshots, one per main screen, taken in Chromium.

    Run with LL_SCREENSHOTS=1 (off in CI so that the tree stays clean). With demo data
    the screens show the demo story; the records below make each screen meaningful
    without it.
    """

    browser_size = "1366x900"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user = new_test_user(
            cls.env,
            "ll_screens",
            groups="sales_team.group_sale_manager,mass_mailing.group_mass_mailing_user,"
            "base.group_partner_manager,crm.group_use_lead,"
            "lead_lifecycle.group_lead_lifecycle_manager",
            name="Sam Sales",
        )
        cls.policy = cls.env["crm.qualification.policy"]._get_default_policy(
            cls.env.company
        )
        cls.campaign = cls.env["utm.campaign"].create(
            {"name": "Trade Fair 2026", "cost": 4500.0}
        )
        cls.lead = cls.env["crm.lead"].create(
            {
                "name": "Fleet renewal: 40 trucks",
                "type": "lead",
                "user_id": cls.user.id,
                "partner_name": "Acme Logistics",
                "contact_name": "Jane Doe",
                "email_from": "jane@acme-logistics.example",
                "phone": "+32 2 555 12 34",
                "campaign_id": cls.campaign.id,
                "bant_need": "Replace 40 trucks before winter",
                "rating": "b",
                "priority": "3",
            }
        )
        cls.lead.with_user(cls.user).activity_schedule(
            "mail.mail_activity_data_call"
        ).action_feedback("Discussed the fleet project: budget decided next week")
        # A web request nobody answered within the SLA: its card shows the flag.
        cls.env["crm.lead"].create(
            {
                "name": "Urgent: quote for 12 vans",
                "type": "lead",
                "user_id": cls.user.id,
                "contact_name": "Paul Urgent",
                "email_from": "paul@vans.example",
                "rating": "a",
                "priority": "3",
                "response_overdue": True,
            }
        )
        won = cls.env["crm.lead"].create(
            {
                "name": "Warehouse scanners",
                "type": "opportunity",
                "user_id": cls.user.id,
                "campaign_id": cls.campaign.id,
                "expected_revenue": 18000,
            }
        )
        won.action_set_won()
        vendor = cls.env["res.partner"].create(
            {"name": "ListCo Data", "is_company": True}
        )
        cls.rented_list = cls.env["crm.rented.list"].create(
            {
                "name": "Logistics managers 2026",
                "vendor_id": vendor.id,
                "cost": 1200.0,
                "allowed_uses": 3,
                "campaign_id": cls.campaign.id,
            }
        )
        cls.rented_list.action_activate()
        cls.env["mail.blacklist"].create({"email": "eve@umbrella.example"})
        rows = [
            ("Alice", "Martin", "Acme", "alice@acme.example", "Brussels"),
            ("Bob", "Durand", "Globex", "bob@globex.example", "Paris"),
            ("Carol", "Bad", "Initech", "carol(at)initech.example", "Lyon"),
            ("Alice", "Martin", "Acme", "ALICE@acme.example", "Brussels"),
            ("Eve", "Black", "Umbrella", "eve@umbrella.example", "Madrid"),
            ("Frank", "Moreau", "Stark", "frank@stark.example", "Lille"),
        ]
        cls.env["crm.rented.list.contact"].with_context(
            default_rented_list_id=cls.rented_list.id
        ).load(
            ["first_name", "last_name", "partner_name", "email", "city"],
            [list(row) for row in rows],
        )
        cls.policy.write(
            {
                "mailing_list_ids": [
                    Command.link(
                        cls.env.ref(
                            "lead_lifecycle.mailing_list_qualified_prospects"
                        ).id
                    )
                ]
            }
        )

    def _capture(self, browser, name, url, ready):
        browser.navigate_to(self.base_url() + url, wait_stop=False)
        self.assertTrue(browser._wait_ready(ready, timeout=30), f"{name}: not shown")
        # Let the last rendering (fonts, chart animation) settle before the capture.
        time.sleep(1)
        data = browser._websocket_request(
            "Page.captureScreenshot", params={"format": "png"}, timeout=30
        )["data"]
        path = os.path.join(self.directory, f"{name}.png")
        with open(path, "wb") as png:
            png.write(base64.b64decode(data))

    def test_screenshots(self):
        self.directory = os.path.normpath(
            os.path.join(
                get_module_path("lead_lifecycle"), "..", "..", "docs", "screenshots"
            )
        )
        os.makedirs(self.directory, exist_ok=True)
        self.env.flush_all()
        screens = [
            (
                "lead_form_checklist",
                f"/odoo/action-crm.crm_lead_all_leads/{self.lead.id}",
                OPEN_TAB
                % {"tab": "Qualification", "selector": ".o_lead_lifecycle_checklist"},
            ),
            (
                "leads_list",
                "/odoo/action-crm.crm_lead_all_leads",
                _shown(".o_list_view .o_data_row td[name=lifecycle_state] .badge"),
            ),
            (
                "leads_kanban",
                "/odoo/action-crm.crm_lead_all_leads?view_type=kanban",
                _shown(".o_kanban_view .o_kanban_record .o_lead_lifecycle_overdue"),
            ),
            (
                "rented_list_form",
                f"/odoo/action-lead_lifecycle.crm_rented_list_action/{self.rented_list.id}",
                _shown(".o_form_view button[name=action_view_contacts] .o_stat_value"),
            ),
            (
                "rented_list_contacts",
                "/odoo/action-lead_lifecycle.crm_rented_list_contact_action",
                _shown(".o_list_view .o_data_row td[name=match_status] .badge"),
            ),
            (
                "campaign_report_graph",
                "/odoo/action-lead_lifecycle.utm_campaign_lifecycle_report_action"
                "?view_type=graph",
                CHART_DRAWN,
            ),
            (
                "response_time_report",
                "/odoo/action-lead_lifecycle.crm_lead_lifecycle_report_action_response",
                CHART_DRAWN,
            ),
            (
                "policy_form",
                f"/odoo/action-lead_lifecycle.crm_qualification_policy_action/"
                f"{self.policy.id}",
                _shown(".o_form_view .o_field_widget[name=min_interactions]"),
            ),
        ]
        browser = ChromeBrowser(self, headless=True, success_signal="test successful")
        try:
            self.authenticate("ll_screens", "ll_screens", browser=browser)
            self.http_request_key = self.canonical_tag + "_browser_js"
            self.cr.flush()
            self.cr.clear()
            for name, url, ready in screens:
                self._capture(browser, name, url, ready)
        finally:
            browser.stop()
            self._wait_remaining_requests()
            self.http_request_key = self.canonical_tag
        for name, _url, _ready in screens:
            size = os.path.getsize(os.path.join(self.directory, f"{name}.png"))
            self.assertLess(size, 300_000, f"{name}.png is too large for the README")
