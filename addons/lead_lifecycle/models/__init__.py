# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from . import base
from . import lead_lifecycle_claim
from . import crm_qualification_policy
from . import crm_lost_reason
from . import crm_team
from . import contact_data
from . import crm_lead_lifecycle
from . import crm_lead_checklist
from . import crm_lead_interaction
from . import crm_lead_partner_match
from . import base_partner_merge_automatic_wizard
from . import calendar_event
from . import crm_first_reply
from . import crm_lead_first_reply
from . import mailing_contact
from . import mailing_subscription
from . import mailing_list
from . import ir_actions_server
from . import crm_lead_mailing
from . import crm_rented_list_contact
from . import crm_rented_list
from . import crm_rented_list_figures

# after crm_rented_list, whose model the matching extends (the cleaning imports
# its channel-flag conditions)
from . import crm_rented_list_match
from . import crm_rented_list_contact_import
from . import crm_rented_list_contact_clean
from . import crm_rented_list_contact_promote
from . import crm_rented_list_terms
from . import crm_lead_rented_list
from . import mailing_mailing
from . import base_import_import
from . import crm_lead_rating

# after crm_lead_rating, whose RATINGS it imports (import order is crm.lead's MRO)
from . import res_partner
from . import crm_lead_scoring_rule
from . import crm_lead_score_event
from . import crm_lead_scoring
from . import mailing_trace
from . import crm_lead_response
from . import crm_lead_attribution
from . import base_automation
from . import utm_campaign
from . import crm_lead_guard
from . import crm_lead_staging
from . import mail_template
from . import crm_lead_value_curve
from . import crm_lead_value
from . import crm_rented_list_purge
from . import crm_rented_list_import
from . import mail_scheduled_message
