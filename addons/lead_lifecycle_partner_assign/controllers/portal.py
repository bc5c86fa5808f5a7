# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from werkzeug.exceptions import NotFound
from werkzeug.urls import url_encode

from odoo import http
from odoo.exceptions import AccessError, UserError
from odoo.http import request

from odoo.addons.website_crm_partner_assign.controllers.main import WebsiteAccount


class DistributorPortal(WebsiteAccount):
    @http.route()
    def portal_my_opportunity(self, opp, **kw):
        response = super().portal_my_opportunity(opp, **kw)
        # Portal users do not read lost reasons: the form lists them.
        response.qcontext.update(
            lost_reasons=request.env["crm.lost.reason"].sudo().search([]),
            outcome_error=kw.get("outcome_error"),
        )
        return response

    @http.route()
    def portal_my_lead(self, lead, **kw):
        response = super().portal_my_lead(lead, **kw)
        response.qcontext.update(outcome_error=kw.get("outcome_error"))
        return response

    @http.route(
        "/my/opportunity/<int:lead_id>/outcome",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_my_opportunity_outcome(
        self,
        lead_id,
        outcome=None,
        amount=None,
        date=None,
        lost_reason_id=None,
        comment=None,
        **kw,
    ):
        """The distributor reports the outcome of a lead passed to it: won with the
        amount and date of its sale, or lost with a reason."""
        lead = request.env["crm.lead"].browse(lead_id).exists()
        try:
            lead.check_access("read")
        except AccessError as error:
            raise NotFound() from error
        if not lead:
            raise NotFound()
        try:
            lead.distributor_report_outcome(
                outcome,
                amount=float(amount or 0),
                date=date or False,
                lost_reason_id=int(lost_reason_id) if lost_reason_id else False,
                comment=comment,
            )
        except (UserError, ValueError) as error:
            message = error.args[0] if error.args else str(error)
            query = url_encode({"outcome_error": message})
            return request.redirect(f"/my/{lead.type}/{lead.id}?{query}")
        return request.redirect(f"/my/opportunity/{lead.id}")
