# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# Concern: the rental terms a mailing must respect: an active rental, and the uses the
# terms allow, counted once per list and mailing.
from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from .base import lifecycle_server_write


class CrmRentedList(models.Model):
    _inherit = "crm.rented.list"

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _check_mailing_terms(self, mailing, uses=True):
        """Refuse a mailing the terms do not allow; returns the lists it will use.

        :param bool uses: check the uses left too (False for a test send, which
            reaches none of the list's contacts and is no use of it)
        """
        today = fields.Date.context_today(self)
        for rented_list in self:
            if rented_list.state != "active" or (
                rented_list.rental_end and rented_list.rental_end < today
            ):
                raise UserError(
                    self.env._(
                        "Mailing %(mailing)s targets contacts of %(name)s, whose "
                        "rental is not active (ended %(date)s): remove them from the "
                        "recipients or renew the rental.",
                        mailing=mailing.subject or mailing.display_name,
                        name=rented_list.name,
                        date=rented_list.rental_end or "-",
                    )
                )
            if (
                uses
                and rented_list.allowed_uses
                and mailing not in rented_list.mailing_ids
                and rented_list.use_count >= rented_list.allowed_uses
            ):
                raise rented_list._uses_spent_error()
        return self

    def _uses_spent_error(self):
        """The refusal of a mailing on a list whose allowed uses are all spent."""
        return UserError(
            self.env._(
                "List %(name)s allows %(allowed)s uses and all of them are spent: "
                "negotiate more uses with the vendor or choose another list.",
                name=self.name,
                allowed=self.allowed_uses,
            )
        )

    def _count_use(self, mailing):
        """One use per list and mailing, whatever the number of sending batches.

        Counted in the transaction that sends, before the mails go out: the mass
        mailing commits while it sends, so a use counted afterwards could be lost and
        let the list be used past its terms.

        :raise UserError: a list whose uses were spent meanwhile (another mailing
            counted the last one)
        """
        # id order: two mailings of the same lists lock them in one order (no
        # deadlock)
        to_count = self.filtered(lambda rl: mailing not in rl.mailing_ids).sorted("id")
        if not to_count:
            return
        self.flush_model(["use_count", "allowed_uses"])
        for rented_list in to_count:
            # One conditional UPDATE, not a read then a write: the row lock makes two
            # mailings counting at once wait for each other, and the condition refuses
            # the use past the terms that the first one spent (REPEATABLE READ turns a
            # concurrent update into a serialization failure, which Odoo retries).
            self.env.cr.execute(
                SQL(
                    "UPDATE crm_rented_list SET use_count = COALESCE(use_count, 0) + 1 "
                    "WHERE id = %s AND (COALESCE(allowed_uses, 0) = 0 "
                    "OR COALESCE(use_count, 0) < allowed_uses) "
                    "RETURNING use_count",
                    rented_list.id,
                )
            )
            row = self.env.cr.fetchone()
            rented_list.invalidate_recordset(["use_count"])
            if not row:
                raise rented_list._uses_spent_error()
            with lifecycle_server_write():
                rented_list.sudo().write(
                    {"mailing_ids": [fields.Command.link(mailing.id)]}
                )
            rented_list.message_post(
                body=self.env._(
                    "Used by mailing %(mailing)s (%(count)s of %(allowed)s uses).",
                    mailing=mailing.subject or mailing.display_name,
                    count=row[0],
                    allowed=rented_list.allowed_uses or self.env._("unlimited"),
                )
            )
