# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# Concern: merging partners: the merged partner keeps the first touch of the merged
# ones.
from odoo import models

from .base import lifecycle_server_write


class BasePartnerMergeAutomaticWizard(models.TransientModel):
    _inherit = "base.partner.merge.automatic.wizard"

    def _update_values(self, src_partners, dst_partner):
        # The merged partner keeps the first touch of the merged ones: values taken
        # from existing partners by the merge, not given by the user.
        with lifecycle_server_write():
            return super()._update_values(src_partners, dst_partner)
