# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from . import crm_qualification_policy
from . import crm_lost_reason
from . import crm_team
from . import crm_lead_qualification
from . import res_partner
from . import calendar_event
from . import crm_first_reply
from . import crm_lead_first_reply
from . import crm_team_response
from . import crm_lead_response
from . import crm_lead_attribution
from . import utm_campaign
