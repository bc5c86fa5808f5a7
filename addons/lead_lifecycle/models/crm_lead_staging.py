# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Staged leads are mailed at their email, never turned into partners by mailing.

A staged lead (new or contacted, without partner) has no res.partner: qualification is
the only way into the customer database. Stock Odoo only notifies partners, so every
way of emailing a lead (chatter suggested recipient, composer and templates with
``email_to`` / ``use_default_to``, the first reply) finds *or creates* a partner from
its email, and crm then links that partner to the lead.

For staged leads the lead's own email is kept out of partner creation and handed to
``message_post`` as the notify parameter ``lifecycle_email_to`` (notify parameters are
the extension point Odoo offers, see ``_get_notify_valid_parameters``). The message is
then mailed as a mail.mail with ``email_to`` linked to the chatter message, exactly as
mass mailing mails leads: the Message-ID is the message's, so the answer is routed
back to the lead by the mail gateway, its author stays the email. Once the lead has a
partner (qualified), the standard behaviour applies.
"""

import threading

from odoo import models, tools
from odoo.tools.mail import email_split_tuples

STAGED_STATES = ("new", "contacted")


class CrmLead(models.Model):
    _inherit = "crm.lead"

    # ------------------------------------------------------------
    # MAIL
    # ------------------------------------------------------------

    def _message_get_suggested_recipients(self):
        """Flag the staged lead's own email (a suggestion without partner) as
        ``lifecycle_staged``: the web client then mails it as an email instead of
        creating a partner from it (see static/src/chatter/composer_patch.js)."""
        recipients = super()._message_get_suggested_recipients()
        if self._lifecycle_staged():
            own = set(tools.email_normalize_all(self.email_from or ""))
            for recipient in recipients:
                emails = tools.email_normalize_all(recipient.get("email") or "")
                if not recipient.get("partner_id") and own & set(emails):
                    recipient["lifecycle_staged"] = True
        return recipients

    def _get_notify_valid_parameters(self):
        return super()._get_notify_valid_parameters() | {"lifecycle_email_to"}

    def message_post(self, **kwargs):
        # A message prepared for a staged lead and posted once it has a partner
        # (a scheduled message, the lead qualified meanwhile): its contact is the
        # recipient now, as for any lead with a partner.
        if (
            kwargs.get("lifecycle_email_to")
            and len(self) == 1
            and self.partner_id
            and not self._lifecycle_staged()
        ):
            kwargs.pop("lifecycle_email_to")
            kwargs["partner_ids"] = list(kwargs.get("partner_ids") or []) + [
                self.partner_id.id
            ]
        return super().message_post(**kwargs)

    def _notify_thread(self, message, msg_vals=False, **kwargs):
        # Popped before super: stock returns early when no partner is to notify
        # (the lead's email may be the only recipient).
        email_to = kwargs.pop("lifecycle_email_to", False)
        res = super()._notify_thread(message, msg_vals=msg_vals, **kwargs)
        if email_to and self._lifecycle_staged():
            self._lifecycle_staged_send_email(message, email_to, msg_vals, **kwargs)
        return res

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _lifecycle_staged(self):
        """The leads of self that are staged: not qualified yet, without partner."""
        return self.filtered(
            lambda lead: lead.lifecycle_state in STAGED_STATES and not lead.partner_id
        )

    def _lifecycle_staged_split_emails(self, emails):
        """Split ``emails`` (a list of addresses) into the lead's own address(es)
        and the others, compared on their normalized form.

        :return: (own: list, others: list)
        """
        self.ensure_one()
        own_normalized = set(tools.email_normalize_all(self.email_from or ""))
        name = self.contact_name or self.partner_name
        own, others = [], []
        for email in emails:
            normalized = tools.email_normalize_all(email)
            if not set(normalized) & own_normalized:
                others.append(email)
            elif name and not email_split_tuples(email)[0][0]:
                # a name, as crm's _message_partner_info_from_emails suggests it
                own.append(tools.formataddr((name, normalized[0])))
            else:
                own.append(email)
        return own, others

    def _lifecycle_staged_send_email(self, message, email_to, msg_vals=False, **kwargs):
        """Mail ``message`` to ``email_to`` (the staged lead's address, no partner),
        rendered in the notification layout as for a customer, as a mail.mail of the
        message (same Message-ID: the answer comes back to the lead)."""
        self.ensure_one()
        mail_auto_delete = kwargs.get("mail_auto_delete", True)
        # a recipient as _notify_get_recipients describes one, without partner
        recipient = {
            "active": True,
            "id": False,
            "is_follower": False,
            "lang": self.lang_code,
            "groups": [],
            "notif": "email",
            "share": True,
            "type": "customer",
            "uid": False,
            "ushare": False,
        }
        base_values = self._notify_by_email_get_base_mail_values(
            message, additional_values={"auto_delete": mail_auto_delete}
        )
        SafeMail = self.env["mail.mail"].sudo()
        mails = SafeMail
        for (
            _lang,
            render_values,
            group,
        ) in self._notify_get_classified_recipients_iterator(
            message,
            [recipient],
            msg_vals=msg_vals,
            model_description=kwargs.get("model_description"),
            force_email_company=kwargs.get("force_email_company"),
            force_email_lang=kwargs.get("force_email_lang"),
        ):
            group.pop("recipients", None)
            body = self._notify_by_email_render_layout(
                message, group, msg_vals=msg_vals, render_values=render_values
            )
            mails |= SafeMail.create(
                self._notify_by_email_get_final_mail_values(
                    [],
                    base_values,
                    additional_values={"body_html": body, "email_to": email_to},
                )
            )
        # as stock _notify_thread_by_email: sent after commit, at once in tests
        test_mode = getattr(threading.current_thread(), "testing", False)
        force_send = self.env.context.get(
            "mail_notify_force_send", kwargs.get("force_send", True)
        )
        if mails and force_send and (not self.pool._init or test_mode):
            if test_mode:
                mails.send()
            else:
                mails.send_after_commit()
        return mails
