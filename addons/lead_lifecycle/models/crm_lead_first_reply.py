# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# Concern: crm.lead, first reply: the template chosen for a lead, sent by one click or
# automatically, and why it is not sent.
import logging
from datetime import timedelta

from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools import formataddr

_logger = logging.getLogger(__name__)


class CrmLead(models.Model):
    _inherit = "crm.lead"

    first_reply_sent_date = fields.Datetime(
        string="First Reply Sent",
        readonly=True,
        copy=False,
        help="When the first reply (a ready-made template, sent by hand or "
        "automatically) was sent to the lead. Set once.",
    )

    # ------------------------------------------------------------
    # ORM
    # ------------------------------------------------------------

    def _message_post_after_hook(self, message, msg_vals):
        res = super()._message_post_after_hook(message, msg_vals)
        # The first reply is a discussion message (an email to the lead) posted from the
        # composer opened by "Send First Reply" or by the automatic reply.
        if (
            self.env.context.get("lead_lifecycle_first_reply")
            and message.message_type == "comment"
            and message.subtype_id
            == self.env.ref("mail.mt_comment", raise_if_not_found=False)
        ):
            self.filtered(lambda lead: not lead.first_reply_sent_date).write(
                {"first_reply_sent_date": message.date or fields.Datetime.now()}
            )
        return res

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_send_first_reply(self):
        """Open the mail composer on the lead with its first reply preselected: the
        template of the lead's source, else of its team, else the generic one."""
        self.ensure_one()
        if not self.email_from:
            raise UserError(
                self.env._(
                    "Lead %(lead)s has no email address: add the contact's email, then "
                    "send the first reply.",
                    lead=self.name,
                )
            )
        config = self._first_reply_get_config()[self]
        if not config:
            raise UserError(
                self.env._(
                    "No first reply applies to lead %(lead)s "
                    "(source: %(source_name)s). A Lead Lifecycle manager can add one "
                    "in CRM > Configuration > Lead Lifecycle > First Replies.",
                    lead=self.name,
                    source_name=self.source_id.name or self.env._("none"),
                )
            )
        context = {
            "default_composition_mode": "comment",
            "default_model": self._name,
            "default_res_ids": self.ids,
            "default_template_id": config.template_id.id,
            "default_email_layout_xmlid": "mail.mail_notification_light",
            "lead_lifecycle_first_reply": True,
        }
        email_from, author = self._first_reply_sender(config)
        if email_from:
            context["default_email_from"] = email_from
            context["default_author_id"] = (author or self.env.user.partner_id).id
        return {
            "name": self.env._("First Reply"),
            "type": "ir.actions.act_window",
            "res_model": "mail.compose.message",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": context,
        }

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _first_reply_get_config(self):
        """The first reply that applies to each lead of self, found with one search for
        the whole recordset: the most specific active reply of the lead's company (or
        shared) whose source, team and language are the lead's or empty. The source
        weighs most, then the team, then the language; so the lead's source (for its
        team, its language), else its team's default, else the generic reply.

        :return: dict {lead: crm.first.reply (empty when none applies)}
        """
        # sudo: the configuration is not secret, and the automation rule runs for
        # whoever creates the lead (the company is filtered explicitly).
        Reply = self.env["crm.first.reply"].sudo()
        companies = self.company_id | self.env.company
        replies = Reply.search(
            [("company_id", "in", companies.ids + [False])], order="sequence, id"
        )
        result = {}
        for lead in self:
            best, best_rank = Reply, None
            for reply in replies:
                rank = reply._match_rank(lead)
                if rank is not None and (best_rank is None or rank > best_rank):
                    best, best_rank = reply, rank
            result[lead] = best
        return result

    def _first_reply_sender(self, config):
        """Sender of the first reply: the salesperson, or the sales team's alias when
        the reply is configured so (each falls back on the other).

        :return: (email_from or False, author: the salesperson's partner when they
          send, else an empty recordset)
        """
        self.ensure_one()
        team = self.team_id
        alias = (
            formataddr((team.name, team.alias_email))
            if team.alias_name and team.alias_email
            else False
        )
        salesperson = self.user_id.email and self.user_id.email_formatted
        empty = self.env["res.partner"]
        if config.send_from == "team_alias" and alias:
            return alias, empty
        if salesperson:
            return salesperson, self.user_id.partner_id
        return alias, empty

    def _first_reply_skip_reason(self):
        """Why the lead must not get an automatic first reply, or False.

        Hook: extend it (and call super) to skip more leads."""
        self.ensure_one()
        if self.env.context.get("lead_lifecycle_rented_import"):
            return self.env._("created by the import of a rented list")
        if self.first_reply_sent_date:
            return self.env._("first reply already sent")
        if not self.email_from:
            return self.env._("no email")
        if not self._lifecycle_email_valid():
            return self.env._("invalid email")
        if self.is_blacklisted:
            return self.env._("blacklisted email")
        return False

    def _action_send_first_reply_auto(self):
        """Entry point of the automation rule 'automatic first reply' (on creation):
        send the first reply to the leads whose reply is automatic, within its sending
        hours, never twice to the same email within its window, never to a blacklisted
        or invalid email nor to a lead imported from a rented list.

        :return: dict(sent=crm.lead recordset, skipped={lead: reason})
        """
        now = fields.Datetime.now()
        Reply = self.env["crm.first.reply"].sudo()
        skipped = {
            lead: reason for lead in self if (reason := lead._first_reply_skip_reason())
        }
        pending = self.filtered(lambda lead: lead not in skipped)
        # The rule runs once per created lead: without any automatic reply (the
        # default) one count answers, no reply is matched to the lead.
        auto = pending and Reply.search_count([("auto_send", "=", True)], limit=1)
        configs = pending._first_reply_get_config() if auto else {}
        candidates = {}
        for lead in pending:
            config = configs.get(lead, Reply)
            if not config.auto_send:
                skipped[lead] = self.env._("no automatic first reply applies")
            elif not config._is_sending_time(now):
                skipped[lead] = self.env._("outside the sending hours")
            else:
                candidates[lead] = config
        last_sent = self._first_reply_last_sent(
            {lead.email_normalized for lead in candidates}
        )
        sent = self.browse()
        replied_now = set()
        for lead, config in candidates.items():
            email = lead.email_normalized
            if config.dedupe_days and (
                email in replied_now
                or (
                    email in last_sent
                    and last_sent[email] > now - timedelta(days=config.dedupe_days)
                )
            ):
                skipped[lead] = self.env._("a first reply went to this email recently")
                continue
            if not lead._first_reply_send(config):
                skipped[lead] = self.env._("no sender address")
                continue
            replied_now.add(email)
            sent |= lead
        for lead, reason in skipped.items():
            _logger.debug("No automatic first reply to lead %s: %s", lead.id, reason)
        return {"sent": sent, "skipped": skipped}

    def _first_reply_last_sent(self, emails):
        """When each email last got a first reply, from any lead (archived ones too),
        in one grouped query.

        :return: dict {email_normalized: datetime}
        """
        if not emails:
            return {}
        groups = (
            self.env["crm.lead"]
            .sudo()
            .with_context(active_test=False)
            ._read_group(
                [
                    ("email_normalized", "in", list(emails)),
                    ("first_reply_sent_date", "!=", False),
                ],
                ["email_normalized"],
                ["first_reply_sent_date:max"],
            )
        )
        return dict(groups)

    def _first_reply_send(self, config):
        """Post the reply of config on the lead as a discussion message (an email to the
        lead, logged in the chatter, answers coming back to the lead's thread). From a
        server action (the automation rule) the email goes through the mail queue, so
        that creating the lead never waits for the mail server.

        :return: the message, or False when there is no sender address
        """
        self.ensure_one()
        email_from, author = self._first_reply_sender(config)
        email_from = email_from or (self.company_id or self.env.company).email_formatted
        if not email_from:
            return False
        # An internal author, so that the reply counts as our contact attempt.
        author = author or self.user_id.partner_id or self.env.ref("base.partner_root")
        return self.with_context(
            lead_lifecycle_first_reply=True
        ).message_post_with_source(
            config.template_id,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            author_id=author.id,
            email_from=email_from,
            email_layout_xmlid="mail.mail_notification_light",
        )
