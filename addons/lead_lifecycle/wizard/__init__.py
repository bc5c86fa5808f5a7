# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from . import crm_lead_qualify
from . import crm_lead_lifecycle_history
from . import mail_compose_message
from . import mailing_mailing_test
