# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models

from .crm_lead_rating import RATING_HELP, RATINGS


class ResPartner(models.Model):
    _inherit = "res.partner"

    # Rating rolled up from the partner's leads
    lifecycle_lead_ids = fields.One2many(
        "crm.lead", "partner_id", string="Leads and Opportunities"
    )
    lead_rating = fields.Selection(
        RATINGS,
        string="Rating",
        compute="_compute_lead_rating",
        store=True,
        recursive=True,
        index=True,
        help="The best rating of the partner's current leads and opportunities "
        "(qualified leads, open opportunities); on a company, also of its contacts'. "
        + RATING_HELP,
    )
    lead_rating_date = fields.Datetime(
        string="Rating Assessed On",
        compute="_compute_lead_rating",
        store=True,
        recursive=True,
        help="When a current lead or opportunity of the partner was last rated.",
    )

    @api.depends(
        "lifecycle_lead_ids.rating",
        "lifecycle_lead_ids.rating_date",
        "lifecycle_lead_ids.lifecycle_state",
        "lifecycle_lead_ids.type",
        "lifecycle_lead_ids.active",
        "lifecycle_lead_ids.stage_id.is_won",
        "child_ids.lead_rating",
        "child_ids.lead_rating_date",
    )
    def _compute_lead_rating(self):
        # One grouped query for the whole batch: rating keys sort best first, so the
        # best rating is the minimum.
        partners = self.filtered("id")
        groups = {}
        if partners:
            groups = {
                partner.id: (rating, date)
                for partner, rating, date in self.env["crm.lead"]
                .sudo()
                ._read_group(
                    self.env["crm.lead"]._rating_current_domain()
                    + [("partner_id", "in", partners.ids)],
                    ["partner_id"],
                    ["rating:min", "rating_date:max"],
                )
            }
        for partner in self:
            ratings, dates = [], []
            own = groups.get(partner._origin.id or partner.id)
            if own:
                ratings.append(own[0])
                dates.append(own[1])
            if partner.is_company:
                for child in partner.child_ids.filtered("lead_rating"):
                    ratings.append(child.lead_rating)
                    dates.append(child.lead_rating_date)
            ratings = [r for r in ratings if r]
            dates = [d for d in dates if d]
            partner.lead_rating = min(ratings) if ratings else False
            partner.lead_rating_date = max(dates) if dates else False
