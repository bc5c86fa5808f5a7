# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""lead.lifecycle.report.dimensions: the dimensions the lifecycle reports share."""

from odoo import fields, models


class LeadLifecycleReportDimensions(models.AbstractModel):
    """The per-lead dimensions of the lifecycle reports, declared once: the lead
    analysis (crm.lead.lifecycle.report) selects them in _lead_rows(), the funnel
    (crm.lead.funnel.report) reads them from those rows."""

    _name = "lead.lifecycle.report.dimensions"
    _description = "Lead Lifecycle Report Dimensions"

    lead_id = fields.Many2one("crm.lead", readonly=True)
    create_date = fields.Datetime(string="Created On", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    campaign_id = fields.Many2one("utm.campaign", readonly=True)
    source_id = fields.Many2one("utm.source", readonly=True)
    medium_id = fields.Many2one("utm.medium", readonly=True)
    rented_list_id = fields.Many2one("crm.rented.list", readonly=True)
    rented_list_vendor_id = fields.Many2one(
        "res.partner", string="List Vendor", readonly=True
    )
