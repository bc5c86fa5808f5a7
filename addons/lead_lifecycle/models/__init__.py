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
from . import mailing_contact
from . import mailing_subscription
from . import mailing_list
from . import ir_actions_server
from . import res_partner_mailing
from . import crm_lead_mailing
from . import crm_qualification_policy_mailing
from . import crm_rented_list_contact
from . import crm_rented_list
from . import crm_lead_rented_list
from . import mailing_mailing
from . import base_import_import
from . import mailing_trace
