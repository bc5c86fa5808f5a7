# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# Concern: lost reasons: the lifecycle category of a reason (not contactable, outside
# our interest) and whether it blacklists the email.
from odoo import fields, models


class CrmLostReason(models.Model):
    _inherit = "crm.lost.reason"

    lifecycle_category = fields.Selection(
        [
            ("not_contactable", "Not Contactable"),
            ("not_interested", "Outside Our Interest"),
            ("duplicate", "Duplicate"),
            ("other", "Other"),
        ],
        string="Disqualification Category",
        default="other",
        required=True,
        help="Why a lead lost with this reason was disqualified. Not contactable: "
        "bounced email, invalid phone, no answer. Outside our interest: no project "
        "for us.",
    )
    blacklist_email = fields.Boolean(
        string="Blacklist the Email",
        help="The contact asked not to be contacted: disqualifying with this reason "
        "adds the lead's email to the blacklist. Otherwise the email stays usable "
        "for marketing.",
    )
