# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# Concern: mass mailings: the rented lists' terms applied when a mailing is queued or
# sent, and their suppressions.
import logging

from odoo import api, models
from odoo.exceptions import UserError
from odoo.osv import expression

_logger = logging.getLogger(__name__)

CONTACT_MODEL = "crm.rented.list.contact"


class MailingMailing(models.Model):
    _inherit = "mailing.mailing"

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_put_in_queue(self):
        for mailing in self:
            mailing._rented_lists_to_use()
        return super().action_put_in_queue()

    # ------------------------------------------------------------
    # MAILING
    # ------------------------------------------------------------

    def _get_recipients_domain(self):
        """Suppression wins over any domain a user writes."""
        domain = super()._get_recipients_domain()
        if self.mailing_model_real == CONTACT_MODEL:
            domain = expression.AND([domain, self._rented_suppression_domain()])
        return domain

    def _action_send_mail(self, res_ids=None):
        rented = self.filtered(lambda m: m.mailing_model_real == CONTACT_MODEL)
        skipped = self.browse()
        for mailing in rented:
            try:
                # Checked and counted before sending, in the same transaction: the
                # sending commits by batches, a use counted after it could be lost.
                # In a savepoint: a mailing refused on its second list leaves the
                # use of its first one uncounted.
                with self.env.cr.savepoint():
                    mailing._rented_lists_to_use(res_ids)._count_use(mailing)
            except UserError as error:
                if not self.env.context.get("lead_lifecycle_mailing_queue"):
                    raise
                # The queue cron sends every user's mailings: one list past its
                # terms stops this mailing only, with the reason on it.
                mailing._rented_skip_in_queue(error)
                skipped |= mailing
        rented -= skipped
        to_send = self - skipped
        if not to_send:
            return True
        traces_before = rented._rented_traces()
        result = super(MailingMailing, to_send)._action_send_mail(res_ids=res_ids)
        # Only the traces of this sending (a mailing sent in batches counts each
        # contact once); cancelled (suppressed) and failed mails reached nobody.
        new_traces = (rented._rented_traces() - traces_before).filtered(
            lambda t: t.trace_status not in ("cancel", "error")
        )
        self.env[CONTACT_MODEL].browse(
            new_traces.mapped("res_id")
        ).exists()._increment_contact_count()
        return result

    @api.model
    def _process_mass_mailing_queue(self):
        return super(
            MailingMailing, self.with_context(lead_lifecycle_mailing_queue=True)
        )._process_mass_mailing_queue()

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    @api.model
    def _rented_suppression_domain(self):
        return [
            ("is_blacklisted", "=", False),
            ("match_status", "not in", ("blacklisted", "opted_out", "partner")),
            ("response", "not in", ("opted_out", "bounced")),
            ("state", "in", ("new", "contacted")),
        ]

    def _rented_lists_to_use(self, res_ids=None, uses=True):
        """Lists whose contacts the mailing targets, checked against their terms
        (``uses``: see crm.rented.list._check_mailing_terms)."""
        self.ensure_one()
        if self.mailing_model_real != CONTACT_MODEL:
            return self.env["crm.rented.list"]
        contacts = self.env[CONTACT_MODEL].browse(res_ids or [])
        if not res_ids:
            # The user's domain, before suppression: an expired list must be reported,
            # not silently skipped.
            contacts = self.env[CONTACT_MODEL].search(self._parse_mailing_domain())
        lists = contacts.rented_list_id
        return lists._check_mailing_terms(self, uses=uses)

    def _rented_skip_in_queue(self, error):
        """Take a mailing the rented-list terms refuse out of the queue, saying why
        on the mailing (its author renews the rental or changes the recipients)."""
        self.ensure_one()
        _logger.info("Mailing %s not sent: %s", self.id, error)
        self.write({"state": "draft"})
        self.message_post(
            body=self.env._(
                "Not sent: %(reason)s", reason=error.args[0] if error.args else error
            ),
            subtype_xmlid="mail.mt_note",
        )

    def _rented_traces(self):
        return self.env["mailing.trace"].search(
            [("mass_mailing_id", "in", self.ids), ("model", "=", CONTACT_MODEL)]
        )
