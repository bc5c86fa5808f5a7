# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# Concern: crm.lead, attribution: the lead's source, medium and campaign given to the
# partner it creates (first touch).
from odoo import models


class CrmLead(models.Model):
    # One class per concern of crm.lead (house style), hence the pylint exception.
    _inherit = "crm.lead"  # pylint: disable=consider-merging-classes-inherited

    # ------------------------------------------------------------
    # BUSINESS: attribution
    # ------------------------------------------------------------

    def _handle_partner_assignment(self, force_partner_id=False, create_missing=True):
        # marketing_crm_partner copies the utm of the lead into a partner it creates; a
        # lead linked to an existing partner gives it its campaign/source/medium only
        # where the partner has none yet (first touch is never overwritten).
        res = super()._handle_partner_assignment(
            force_partner_id=force_partner_id, create_missing=create_missing
        )
        self._lifecycle_give_first_touch()
        return res

    def _lifecycle_give_first_touch(self):
        """Fill the empty utm fields of each lead's partner and its company from the
        lead, never over an existing value."""
        utm_fields = [
            field for _key, field, _cookie in self.env["utm.mixin"].tracking_fields()
        ]
        for lead in self.filtered("partner_id"):
            partners = lead.partner_id | lead.partner_id.commercial_partner_id
            for field in utm_fields:
                if not lead[field]:
                    continue
                empty = partners.filtered(lambda p, f=field: not p[f])
                if empty:
                    empty.write({field: lead[field].id})
