# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from . import (
    crm_team,
    crm_lead,
    crm_distributor_sellout,
    crm_lead_lifecycle_report,
    utm_campaign_lifecycle_report,
)
