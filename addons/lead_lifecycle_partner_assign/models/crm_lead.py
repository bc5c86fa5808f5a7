# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.lead_lifecycle.models.base import lifecycle_server_write

DISTRIBUTOR_STATES = [
    ("passed", "Awaiting Answer"),
    ("accepted", "Accepted"),
    ("declined", "Declined"),
    ("won", "Won by Distributor"),
    ("lost", "Lost by Distributor"),
    ("recalled", "Recalled"),
]

# Set by the hand-over steps below only (lead_lifecycle's server-only fields).
DISTRIBUTOR_SERVER_FIELDS = {
    "distributor_id",
    "distributor_state",
    "distributor_passed_by_id",
    "distributor_passed_date",
    "distributor_accept_deadline",
    "distributor_accept_date",
    "distributor_answer_date",
    "distributor_outcome_deadline",
    "distributor_outcome_date",
    "distributor_amount",
    "distributor_lost_reason_id",
    "distributor_decline_reason",
    "distributor_reminder_date",
    "distributor_recall_due",
}

# Hours between the reminder to the distributor and the offer to recall the lead.
RECALL_AFTER_REMINDER = timedelta(days=1)


class CrmLead(models.Model):
    _inherit = "crm.lead"

    # Hand-over to a distributor (the last one; the chatter and tracking keep the
    # earlier ones)
    distributor_id = fields.Many2one(
        "res.partner",
        string="Passed to Distributor",
        readonly=True,
        copy=False,
        tracking=True,
        index="btree_not_null",
        help="The distributor (company) the lead was last passed to; kept after a "
        "decline or a recall, for the history and the reports.",
    )
    distributor_state = fields.Selection(
        DISTRIBUTOR_STATES,
        string="Distributor Status",
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
    )
    distributor_passed_by_id = fields.Many2one(
        "res.users", string="Passed By", readonly=True, copy=False, tracking=True
    )
    distributor_passed_date = fields.Datetime(
        string="Passed On", readonly=True, copy=False, tracking=True
    )
    distributor_accept_deadline = fields.Datetime(
        string="Answer Expected By",
        readonly=True,
        copy=False,
        help="End of the team's answer SLA (working days).",
    )
    distributor_accept_date = fields.Datetime(
        string="Accepted On", readonly=True, copy=False
    )
    distributor_answer_date = fields.Datetime(
        string="Answered On",
        readonly=True,
        copy=False,
        help="When the distributor accepted or declined the lead.",
    )
    distributor_outcome_deadline = fields.Datetime(
        string="Outcome Expected By", readonly=True, copy=False
    )
    distributor_outcome_date = fields.Date(
        string="Distributor Sale Date", readonly=True, copy=False, tracking=True
    )
    distributor_amount = fields.Monetary(
        string="Distributor Sale Amount",
        currency_field="company_currency",
        readonly=True,
        copy=False,
        tracking=True,
    )
    distributor_lost_reason_id = fields.Many2one(
        "crm.lost.reason",
        readonly=True,
        copy=False,
        tracking=True,
    )
    distributor_decline_reason = fields.Text(
        string="Decline Reason", readonly=True, copy=False
    )
    distributor_reminder_date = fields.Datetime(
        string="Distributor Reminded On", readonly=True, copy=False
    )
    distributor_recall_due = fields.Boolean(
        string="To Recall",
        readonly=True,
        copy=False,
        tracking=True,
        help="The distributor missed the hand-over SLA and was reminded: the team may "
        "recall the lead.",
    )
    distributor_answered_in_sla = fields.Boolean(
        string="Answered Within SLA",
        compute="_compute_distributor_answered_in_sla",
        store=True,
    )

    @api.depends("distributor_answer_date", "distributor_accept_deadline")
    def _compute_distributor_answered_in_sla(self):
        for lead in self:
            lead.distributor_answered_in_sla = bool(
                lead.distributor_answer_date
                and (
                    not lead.distributor_accept_deadline
                    or lead.distributor_answer_date <= lead.distributor_accept_deadline
                )
            )

    # ------------------------------------------------------------
    # ORM
    # ------------------------------------------------------------

    def write(self, vals):
        passed = self.browse()
        partner = self.env["res.partner"]
        if vals.get("partner_assigned_id"):
            partner = partner.browse(vals["partner_assigned_id"])
            passed = self.filtered(lambda lead: lead.partner_assigned_id != partner)
            if not self.env.context.get("distributor_pass_unchecked"):
                passed._distributor_check_passable()
        res = super().write(vals)
        if passed:
            passed._distributor_record_pass(partner)
        return res

    def _merge_get_fields(self):
        return super()._merge_get_fields() + sorted(DISTRIBUTOR_SERVER_FIELDS)

    def _lifecycle_server_fields(self):
        return super()._lifecycle_server_fields() | DISTRIBUTOR_SERVER_FIELDS

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_assign_partner(self):
        # The "Automatic Assignment" button passes leads: qualified ones only.
        self._distributor_check_passable()
        return super().action_assign_partner()

    def action_distributor_recall(self):
        """Take the lead back from its distributor: the assignment is cleared, the
        distributor, dates and reasons stay on the lead and in the chatter."""
        is_manager = self.env.user.has_group("sales_team.group_sale_manager")
        not_due = self.filtered(lambda lead: not lead.distributor_recall_due)
        if not_due and not is_manager:
            raise UserError(
                self.env._(
                    "These leads are still within their distributor's hand-over SLA:"
                    "\n%(leads)s\nOnly a sales manager recalls them before the "
                    "reminder.",
                    leads="\n".join(f"- {name}" for name in not_due.mapped("name")),
                )
            )
        leads = self.filtered("partner_assigned_id")
        if not leads:
            raise UserError(
                self.env._("These leads are not with a distributor: nothing to recall.")
            )
        for lead in leads:
            lead.message_post(
                body=self.env._(
                    "Recalled from %(distributor)s by %(user)s.",
                    distributor=lead.partner_assigned_id.display_name,
                    user=self.env.user.name,
                )
            )
        leads.with_context(distributor_pass_unchecked=True).write(
            {"partner_assigned_id": False}
        )
        with lifecycle_server_write():
            leads.write(
                {"distributor_state": "recalled", "distributor_recall_due": False}
            )
        todo = self.env.ref("mail.mail_activity_data_todo")
        summary = self._distributor_recall_summary()
        leads.activity_ids.filtered(
            lambda act: act.activity_type_id == todo and act.summary == summary
        ).action_feedback(feedback=self.env._("Recalled."))
        return True

    # ------------------------------------------------------------
    # BUSINESS: the distributor's answers (Odoo's portal buttons)
    # ------------------------------------------------------------

    def assign_partner(self, partner_id=False):
        # The geo-assignment API itself; action_assign_partner checked the leads.
        return super(
            CrmLead, self.with_context(distributor_pass_unchecked=True)
        ).assign_partner(partner_id=partner_id)

    def partner_interested(self, comment=False):
        passed = self.filtered(lambda lead: lead.distributor_state == "passed")
        res = super().partner_interested(comment=comment)
        now = fields.Datetime.now()
        for lead in passed.sudo():
            with lifecycle_server_write():
                lead.write(
                    {
                        "distributor_state": "accepted",
                        "distributor_accept_date": now,
                        "distributor_answer_date": now,
                        "distributor_recall_due": False,
                        "distributor_outcome_deadline": (
                            lead.team_id._distributor_outcome_deadline(now)
                        ),
                    }
                )
        return res

    def partner_desinterested(self, comment=False, contacted=False, spam=False):
        # super() unassigns the lead: keep a sudo handle to record the answer.
        passed = self.filtered(
            lambda lead: lead.distributor_state in ("passed", "accepted")
        ).sudo()
        res = super().partner_desinterested(
            comment=comment, contacted=contacted, spam=spam
        )
        with lifecycle_server_write():
            passed.write(
                {
                    "distributor_state": "declined",
                    "distributor_answer_date": fields.Datetime.now(),
                    "distributor_decline_reason": comment or False,
                    "distributor_recall_due": False,
                }
            )
        return res

    def distributor_report_outcome(
        self, outcome, amount=0.0, date=False, lost_reason_id=False, comment=False
    ):
        """The distributor's outcome of leads it accepted: ``won`` with the amount
        (company currency) and the date of its sale, or ``lost`` with a reason.
        Called from the portal as the distributor's user (its record rules decide
        which leads it may report on), and by the sell-out import."""
        self.check_access("write")
        not_accepted = self.filtered(
            lambda lead: lead.distributor_state not in ("accepted", "won", "lost")
        )
        if not_accepted:
            raise UserError(
                self.env._(
                    "Accept these leads before reporting their outcome:\n%(leads)s",
                    leads="\n".join(f"- {n}" for n in not_accepted.mapped("name")),
                )
            )
        if outcome == "won":
            if not amount or amount <= 0:
                raise UserError(
                    self.env._("Give the amount of the sale to report a lead won.")
                )
        elif outcome == "lost":
            if not lost_reason_id:
                raise UserError(self.env._("Give a reason to report a lead lost."))
        else:
            raise UserError(self.env._("The outcome is either won or lost."))
        date = fields.Date.to_date(date) or fields.Date.context_today(self)
        for lead in self:
            if outcome == "won":
                money = f"{amount:.2f} {lead.company_currency.name or ''}"
                body = self.env._(
                    "Won by the distributor on %(date)s: %(amount)s.",
                    date=fields.Date.to_string(date),
                    amount=money,
                )
            else:
                reason = self.env["crm.lost.reason"].sudo().browse(int(lost_reason_id))
                body = self.env._(
                    "Lost by the distributor: %(reason)s.", reason=reason.name
                )
            if comment:
                body = Markup("<p>%s</p><p>%s</p>") % (body, comment)
            lead.message_post(body=body)
        self.sudo()._distributor_apply_outcome(outcome, amount, date, lost_reason_id)
        return True

    def _distributor_apply_outcome(self, outcome, amount, date, lost_reason_id=False):
        """Record an outcome (trusted caller): a won sale is the lead's won revenue,
        counted as indirect revenue through the distributor by the reports."""
        vals = {
            "distributor_state": outcome,
            "distributor_outcome_date": date,
            "distributor_recall_due": False,
            "distributor_amount": amount if outcome == "won" else 0.0,
            "distributor_lost_reason_id": (
                int(lost_reason_id) if outcome == "lost" else False
            ),
        }
        with lifecycle_server_write():
            self.write(vals)
        if outcome == "won":
            self.write({"expected_revenue": amount})
            self.action_set_won()
            # Won on the day the distributor sold (the currency conversion's date).
            self.write({"date_closed": fields.Datetime.to_datetime(date)})
        else:
            self.action_set_lost(lost_reason_id=int(lost_reason_id))

    # ------------------------------------------------------------
    # BUSINESS: passing a lead
    # ------------------------------------------------------------

    def _distributor_check_passable(self):
        unqualified = self.filtered(lambda lead: lead.lifecycle_state != "qualified")
        if unqualified:
            raise UserError(
                self.env._(
                    "Only qualified leads are passed to a distributor; these are "
                    "not:\n%(leads)s\nQualify them first.",
                    leads="\n".join(f"- {n}" for n in unqualified.mapped("name")),
                )
            )

    def _distributor_record_pass(self, partner):
        now = fields.Datetime.now()
        for lead in self:
            deadline = lead.team_id._distributor_accept_deadline(now)
            with lifecycle_server_write():
                lead.write(
                    {
                        "distributor_id": partner.commercial_partner_id.id,
                        "distributor_state": "passed",
                        "distributor_passed_by_id": self.env.user.id,
                        "distributor_passed_date": now,
                        "distributor_accept_deadline": deadline,
                        "distributor_accept_date": False,
                        "distributor_answer_date": False,
                        "distributor_outcome_deadline": False,
                        "distributor_outcome_date": False,
                        "distributor_amount": 0.0,
                        "distributor_lost_reason_id": False,
                        "distributor_reminder_date": False,
                        "distributor_recall_due": False,
                    }
                )
            lead.message_post(
                body=self.env._(
                    "Passed to %(distributor)s by %(user)s; answer expected by "
                    "%(deadline)s.",
                    distributor=partner.display_name,
                    user=self.env.user.name,
                    deadline=deadline and fields.Datetime.to_string(deadline) or "-",
                )
            )

    # ------------------------------------------------------------
    # BUSINESS: SLA reminders and recall (cron)
    # ------------------------------------------------------------

    @api.model
    def _distributor_recall_summary(self):
        return self.env._("Recall from the distributor?")

    @api.model
    def _cron_distributor_sla(self):
        """Remind the distributors that missed their hand-over SLA (answer, then
        outcome) by email, and a day after the reminder offer the lead to the team
        for recall (flag + activity for the one who passed it)."""
        now = fields.Datetime.now()
        late = self.search(
            [
                ("partner_assigned_id", "!=", False),
                "|",
                "&",
                ("distributor_state", "=", "passed"),
                ("distributor_accept_deadline", "<", now),
                "&",
                ("distributor_state", "=", "accepted"),
                ("distributor_outcome_deadline", "<", now),
            ]
        )
        to_remind = late.filtered(lambda lead: not lead.distributor_reminder_date)
        to_offer = late.filtered(
            lambda lead: lead.distributor_reminder_date
            and not lead.distributor_recall_due
            and lead.distributor_reminder_date + RECALL_AFTER_REMINDER <= now
        )
        template = self.env.ref(
            "lead_lifecycle_partner_assign.mail_template_distributor_reminder"
        )
        for lead in to_remind:
            lead.message_post_with_source(
                template,
                partner_ids=lead.partner_assigned_id.ids,
                subtype_xmlid="mail.mt_comment",
            )
        with lifecycle_server_write():
            to_remind.write({"distributor_reminder_date": now})
            to_offer.write({"distributor_recall_due": True})
        for lead in to_offer:
            lead.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=self._distributor_recall_summary(),
                note=self.env._(
                    "%(distributor)s missed the hand-over SLA and was reminded: "
                    "recall the lead to give it to someone who follows up.",
                    distributor=lead.partner_assigned_id.display_name,
                ),
                user_id=(
                    lead.distributor_passed_by_id
                    or lead.team_id.user_id
                    or self.env.user
                ).id,
            )
        return True
