# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# Concern: automation rules: the shipped rules' runs bounded to new records (history is
# applied by the Apply Rules to History wizard).
from odoo import fields, models

from ..hooks import INSTALL_DATE_PARAM

# Dates a time-based rule may be keyed on that the install fills for history.
HISTORY_DATE_FIELDS = {
    ("crm.lead", "disqualified_date"),
    ("crm.lead", "qualified_date"),
    ("crm.lead", "rating_date"),
    ("res.partner", "qualified_date"),
    ("res.partner", "lead_rating_date"),
}


class BaseAutomation(models.Model):
    _inherit = "base.automation"

    def _process(self, records, domain_post=None):
        # Nothing acts on the past by itself: a time-based rule keyed on a lifecycle
        # date skips the records dated before lead_lifecycle was installed (history);
        # the configuration's "Apply to History" does that on purpose.
        since = self._lifecycle_history_bound()
        if since:
            date_field = self.trg_date_id.name
            records = records.filtered(
                lambda record: not record[date_field] or record[date_field] >= since
            )
        return super()._process(records, domain_post=domain_post)

    def _lifecycle_history_bound(self):
        self.ensure_one()
        if self.trigger != "on_time" or not self.trg_date_id:
            return False
        if (self.trg_date_id.model, self.trg_date_id.name) not in HISTORY_DATE_FIELDS:
            return False
        since = self.env["ir.config_parameter"].sudo().get_param(INSTALL_DATE_PARAM)
        return fields.Datetime.to_datetime(since) if since else False
