# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# Concern: the unsubscribe link of a mailing sent to a rented list.
from odoo.addons.mass_mailing.controllers.main import MassMailController


class LifecycleMassMailController(MassMailController):
    def _mailing_unsubscribe_from_document(
        self, mailing, document_id, email, hash_token
    ):
        """Unsubscribing from a mailing sent to rented-list contacts is the
        contact's response, Opted Out (the list counts it as a response, and every
        list's mailings leave the email out), besides stock's blocklist entry. The
        link's token was checked by the route."""
        if mailing.mailing_model_real == "crm.rented.list.contact" and document_id:
            mailing.env["crm.rented.list.contact"]._record_opt_out(
                mailing, int(document_id)
            )
        return super()._mailing_unsubscribe_from_document(
            mailing, document_id, email, hash_token
        )
