# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from . import controllers
from . import models
from . import wizard
from . import report
from .hooks import post_init_hook, pre_init_hook, uninstall_hook
