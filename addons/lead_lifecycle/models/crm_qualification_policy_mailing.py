# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import fields, models


class CrmQualificationPolicy(models.Model):
    _inherit = "crm.qualification.policy"  # pylint: disable=consider-merging-classes-inherited

    mailing_list_ids = fields.Many2many(
        "mailing.list",
        "crm_qualification_policy_mailing_list_rel",
        "policy_id",
        "list_id",
        string="Mailing Lists",
        groups="mass_mailing.group_mass_mailing_user",
        help="Partners qualified under this policy join these mailing lists (through "
        "the automation rule 'Qualified partners join their policy's mailing lists').",
    )
