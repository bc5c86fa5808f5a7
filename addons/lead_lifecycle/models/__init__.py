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
from . import crm_qualification_policy_rating
from . import crm_lead_rating
from . import crm_lead_scoring_rule
from . import crm_lead_score_event
from . import crm_lead_scoring
from . import crm_team_scoring
from . import res_partner_rating
from . import mailing_trace
