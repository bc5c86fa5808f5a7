# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, models
from odoo.tools import SQL

CONTACT_MODEL = "crm.rented.list.contact"


class CrmRentedList(models.Model):
    _inherit = "crm.rented.list"

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    @api.model
    def _purge_contact_mail(self, contact_ids):
        """Erase what mail and mass mailing keep about the given list contacts.

        - messages on the contacts (replies, logged calls, tracking, mailings kept as
          archives) are deleted, not blanked: their bodies, subjects, senders and
          recipients all quote the person, and a purged contact has no history to
          keep. With them go, by their foreign keys, the mails still queued to the
          contacts (a mass mailing's mail.mail is a message of its recipient), their
          notifications (with failure reasons), tracking values and reactions;
        - attachments of the contacts (files of replies) and of those messages,
          through ir.attachment so that the filestore forgets their files too;
        - followers, scheduled messages and activities of the contacts;
        - on mailing traces, the email, the failure reason (bounce messages quote
          the address) and the partner; on link clicks, the IP. The traces and clicks
          themselves stay: the mailing's statistics count them.

        Set-based SQL for what grows with the list (a 100k-row list mailed three
        times has 300k traces and, with archives, 300k messages): mail.message's
        unlink reads every message with its recipients to tell web clients of the
        deletion, which nobody watches on purged contacts. The ORM where Odoo
        cleans up after the record (attachments, scheduled messages, activities).
        """
        if not contact_ids:
            return
        self.env.flush_all()
        cr = self.env.cr
        cr.execute(
            SQL(
                """
                SELECT id FROM mail_message
                 WHERE model = %(model)s AND res_id = ANY(%(ids)s)
                 UNION
                SELECT mm.mail_message_id
                  FROM mailing_trace t
                  JOIN mail_mail mm ON mm.id = t.mail_mail_id
                 WHERE t.model = %(model)s AND t.res_id = ANY(%(ids)s)
                """,
                model=CONTACT_MODEL,
                ids=contact_ids,
            )
        )
        message_ids = [row[0] for row in cr.fetchall()]
        scheduled = (
            self.env["mail.scheduled.message"]
            .sudo()
            .search([("model", "=", CONTACT_MODEL), ("res_id", "in", contact_ids)])
        )
        # As mail.message's unlink: the files of the record and those attached to
        # the message itself, never a file a message shares (a mailing's attachment).
        cr.execute(
            SQL(
                """
                SELECT id FROM ir_attachment
                 WHERE (res_model = %s AND res_id = ANY(%s))
                    OR (res_model = 'mail.message' AND res_id = ANY(%s))
                    OR (res_model = 'mail.scheduled.message' AND res_id = ANY(%s))
                """,
                CONTACT_MODEL,
                contact_ids,
                message_ids,
                scheduled.ids,
            )
        )
        attachment_ids = [row[0] for row in cr.fetchall()]
        self.env["ir.attachment"].sudo().browse(attachment_ids).unlink()
        scheduled.unlink()
        self.env["mail.activity"].sudo().with_context(active_test=False).search(
            [("res_model", "=", CONTACT_MODEL), ("res_id", "in", contact_ids)]
        ).unlink()
        self.env.flush_all()
        cr.execute(SQL("DELETE FROM mail_message WHERE id = ANY(%s)", message_ids))
        cr.execute(
            SQL(
                """
                DELETE FROM mail_followers
                 WHERE res_model = %s AND res_id = ANY(%s)
                """,
                CONTACT_MODEL,
                contact_ids,
            )
        )
        trace_columns = ["email", "failure_reason"]
        if "partner_id" in self.env["mailing.trace"]._fields:  # mass_mailing_partner
            trace_columns.append("partner_id")
        cr.execute(
            SQL(
                """
                UPDATE mailing_trace SET %s
                 WHERE model = %s AND res_id = ANY(%s)
                """,
                SQL(", ").join(
                    SQL("%s = NULL", SQL.identifier(name)) for name in trace_columns
                ),
                CONTACT_MODEL,
                contact_ids,
            )
        )
        cr.execute(
            SQL(
                """
                UPDATE link_tracker_click c SET ip = NULL
                  FROM mailing_trace t
                 WHERE c.mailing_trace_id = t.id AND c.ip IS NOT NULL
                   AND t.model = %s AND t.res_id = ANY(%s)
                """,
                CONTACT_MODEL,
                contact_ids,
            )
        )
        self.env.invalidate_all()
