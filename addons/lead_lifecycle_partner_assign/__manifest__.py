# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Lead Lifecycle: Leads Passed to Distributors",
    "summary": "Pass qualified leads to resellers with a hand-over SLA, recall them, "
    "and count the revenue they win in the campaign, source and list reports",
    "version": "18.0.1.0.0",
    "category": "Sales/CRM",
    "website": "https://github.com/lead-lifecycle/lead_lifecycle",
    "author": "lead_lifecycle authors",
    "maintainers": ["lead-lifecycle"],
    "development_status": "Beta",
    "license": "AGPL-3",
    "depends": ["lead_lifecycle", "website_crm_partner_assign"],
    "data": [
        "security/lead_lifecycle_partner_assign_security.xml",
        "security/ir.model.access.csv",
        "data/mail_template_data.xml",
        "data/ir_cron_data.xml",
        "views/crm_lead_views.xml",
        "views/crm_team_views.xml",
        "views/crm_distributor_sellout_views.xml",
        "views/portal_templates.xml",
        "report/crm_distributor_report_views.xml",
        "report/lifecycle_report_views.xml",
        "views/menus.xml",
    ],
    "demo": [
        "demo/crm_lead_distributor_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "lead_lifecycle_partner_assign/static/tests/tours/*.js",
        ],
    },
    "auto_install": True,
    "installable": True,
    "application": False,
}
