# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# Concern: the lead counts shared by the lifecycle reports (abstract model).
from odoo import fields, models


class LeadLifecycleReportCounts(models.AbstractModel):
    """The lead counts of the lifecycle reports, declared once: one per lead in the
    lead analysis (crm.lead.lifecycle.report), summed per campaign in the campaign
    performance (utm.campaign.lifecycle.report), which reads the analysis' rows."""

    _name = "lead.lifecycle.report.counts"
    _description = "Lead Lifecycle Report Counts"

    lead_count = fields.Integer(string="Leads", readonly=True)
    contacted_count = fields.Integer(string="Contacted", readonly=True)
    qualified_count = fields.Integer(string="Qualified", readonly=True)
    disqualified_count = fields.Integer(string="Disqualified", readonly=True)
    not_contactable_count = fields.Integer(
        string="Disqualified: Not Contactable", readonly=True
    )
    not_interested_count = fields.Integer(
        string="Disqualified: Not Interested", readonly=True
    )
    duplicate_count = fields.Integer(string="Disqualified: Duplicate", readonly=True)
    opportunity_count = fields.Integer(string="Opportunities", readonly=True)
    won_count = fields.Integer(string="Won", readonly=True)
