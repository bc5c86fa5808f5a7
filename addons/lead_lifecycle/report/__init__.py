# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# Reports: the SQL-view models of the lead lifecycle and their shared declarations.
from . import lead_lifecycle_report_counts
from . import lead_lifecycle_report_dimensions
from . import crm_lead_lifecycle_report
from . import crm_lead_funnel_report
from . import utm_campaign_lifecycle_report
