# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# The test modules of lead_lifecycle: Odoo's test runner finds them here.
from . import test_install
from . import test_qualification
from . import test_disqualify
from . import test_mass_qualify
from . import test_tours
from . import test_first_reply
from . import test_marketing_lists
from . import test_marketing_list_rules
from . import test_dynamic_lists
from . import test_rented_list
from . import test_rented_list_promotion
from . import test_rating
from . import test_scoring
from . import test_attribution
from . import test_response
from . import test_demo
from . import test_guards
from . import test_screenshots
from . import test_concurrency
from . import test_concurrency_rented_list
from . import test_access_matrix
from . import test_install_history
from . import test_staging
from . import test_runtime
from . import test_value_curve
from . import test_rented_list_validity
from . import test_purge
from . import test_messy_files
from . import test_rented_list_import
from . import test_rented_list_import_summary
from . import test_contact_data
from . import test_rented_list_windows
