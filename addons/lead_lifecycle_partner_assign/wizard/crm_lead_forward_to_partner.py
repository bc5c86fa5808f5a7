# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


class CrmLeadForwardToPartner(models.TransientModel):
    _inherit = "crm.lead.forward.to.partner"

    def action_forward(self):
        # Before any email goes out: only qualified leads are passed.
        self.assignation_lines.lead_id._distributor_check_passable()
        return super().action_forward()
