# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# Concern: the end of a rental: lists whose rental ended are expired and the personal
# data of their contacts never promoted is erased (PURGED_COLUMNS, and what mail and
# mass mailing keep about them); the figures are kept.
from collections import Counter

from odoo import api, fields, models
from odoo.tools import SQL

from .base import lifecycle_server_write
from .crm_rented_list_contact_import import IMPORT_COLUMNS

CONTACT_MODEL = "crm.rented.list.contact"
# Personal data erased by the purge (the company name and industry are not personal).
PERSONAL_COLUMNS = [
    "first_name",
    "last_name",
    "contact_name",
    "function",
    "email",
    "email_normalized",
    "phone",
    "mobile",
    "phone_sanitized",
    "cleaning_warnings",
    "street",
    "city",
    "zip",
    "website",
    "notes",
]
# Columns of the file that are about the company, not the person: the purge keeps them.
NOT_PERSONAL_COLUMNS = {"partner_name", "industry", "country_name"}
# Columns of a contact the purge empties: the personal columns; any other column of
# the file not known to be impersonal (a column added to the import later is erased
# by default); the reason of the validity (it quotes the raw email and phone); the
# row hash (a hash of a known person's row would confirm they were on the list; a
# purged list takes no new import, so nothing needs it); the links to the partner,
# lead and contact the row matched (they name the person).
PURGED_COLUMNS = list(
    dict.fromkeys(
        [
            *PERSONAL_COLUMNS,
            *(name for name in IMPORT_COLUMNS if name not in NOT_PERSONAL_COLUMNS),
            "validity_reason",
            "import_key",
            "matched_partner_id",
            "matched_lead_id",
            "duplicate_of_id",
        ]
    )
)


class CrmRentedList(models.Model):
    _inherit = "crm.rented.list"

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    @api.model
    def _cron_expire_and_purge(self):
        """Lists whose rental ended, whatever their state (a draft never activated)
        and archived or not: expire them, purge their unpromoted contacts."""
        ended = self.with_context(active_test=False).search(
            [
                ("state", "!=", "purged"),
                ("rental_end", "<", fields.Date.context_today(self)),
            ]
        )
        ended.action_expire()
        ended._purge()

    def _purge(self):
        """Erase the personal data of the contacts never promoted; keep the figures.

        On the contacts, the PURGED_COLUMNS; around them, everything mail and mass
        mailing keep (see _purge_contact_mail). The list's own file goes too. The
        promoted contacts are kept: their lead holds the same data by right.
        """
        if not self:
            return
        self._refresh_figures()
        self.env.flush_all()
        # One UPDATE for every contact of the lists, whatever their number.
        self.env.cr.execute(
            SQL(
                """
                UPDATE crm_rented_list_contact
                   SET %s, state = 'purged', write_uid = %s,
                       write_date = now() AT TIME ZONE 'UTC'
                 WHERE rented_list_id = ANY(%s) AND promoted_lead_id IS NULL
             RETURNING id, rented_list_id
                """,
                SQL(", ").join(
                    SQL("%s = NULL", SQL.identifier(name)) for name in PURGED_COLUMNS
                ),
                self.env.uid,
                self.ids,
            )
        )
        rows = self.env.cr.fetchall()
        purged_counts = Counter(list_id for _contact_id, list_id in rows)
        self._purge_contact_mail([contact_id for contact_id, _list_id in rows])
        self.env.invalidate_all()
        # Only the list's own file: the field may name another record's attachment
        # (data written before the check, or by superuser code).
        self.env["ir.attachment"].sudo().union(
            *(
                rented_list.attachment_id.sudo()
                for rented_list in self
                if rented_list._owns_attachment(rented_list.attachment_id.sudo())
            )
        ).unlink()
        for rented_list in self:
            rented_list.message_post(
                body=self.env._(
                    "Purge: personal data of %(purged)s contacts erased, %(kept)s "
                    "promoted contacts kept. The figures of the list are kept.",
                    purged=purged_counts[rented_list.id],
                    kept=rented_list.promoted_count,
                )
            )
        with lifecycle_server_write():
            self.write({"state": "purged"})

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
