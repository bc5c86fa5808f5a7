# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# Concern: the first-reply templates per lead source and team (model crm.first.reply).
import pytz

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.base.models.res_partner import _tz_get

WEEKDAY_FIELDS = [
    "send_monday",
    "send_tuesday",
    "send_wednesday",
    "send_thursday",
    "send_friday",
    "send_saturday",
    "send_sunday",
]


class CrmFirstReply(models.Model):
    _name = "crm.first.reply"
    _description = "Lead First Reply"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        index=True,
        help="Leave empty to share the first reply between companies.",
    )
    # Matching
    source_id = fields.Many2one(
        "utm.source",
        index=True,
        help="Leads of this source get this reply. Leave empty for the default "
        "reply of the sales team (or, without a team, the generic reply).",
    )
    team_id = fields.Many2one(
        "crm.team",
        string="Sales Team",
        check_company=True,
        index=True,
        help="Only for the leads of this team. Leave empty for every team.",
    )
    lang_id = fields.Many2one(
        "res.lang",
        string="Language",
        help="Only for the leads in this language. Leave empty for every language.",
    )
    template_id = fields.Many2one(
        "mail.template",
        string="Email Template",
        required=True,
        domain="[('model', '=', 'crm.lead')]",
        help="Rendered on the lead: its contact name, company, salesperson, "
        "campaign...",
    )
    send_from = fields.Selection(
        [
            ("salesperson", "Salesperson"),
            ("team_alias", "Sales Team Alias"),
        ],
        required=True,
        default="salesperson",
        help="Sender of the reply (unless the template sets its own 'From'). "
        "Answers go back to the lead's thread either way.",
    )
    # Automatic reply
    auto_send = fields.Boolean(
        string="Send Automatically",
        help="Send this reply automatically when a matching lead is created "
        "(through the automation rule 'Lead Lifecycle: automatic first reply').",
    )
    hour_from = fields.Float(
        string="From", default=0.0, help="Automatic replies are sent from this hour."
    )
    hour_to = fields.Float(
        string="To", default=24.0, help="Automatic replies are sent until this hour."
    )
    tz = fields.Selection(
        _tz_get,
        string="Timezone",
        default=lambda self: self.env.user.tz or "UTC",
        required=True,
        help="Timezone of the sending hours.",
    )
    send_monday = fields.Boolean(string="Monday", default=True)
    send_tuesday = fields.Boolean(string="Tuesday", default=True)
    send_wednesday = fields.Boolean(string="Wednesday", default=True)
    send_thursday = fields.Boolean(string="Thursday", default=True)
    send_friday = fields.Boolean(string="Friday", default=True)
    send_saturday = fields.Boolean(string="Saturday", default=True)
    send_sunday = fields.Boolean(string="Sunday", default=True)
    dedupe_days = fields.Integer(
        string="Not Twice Within (Days)",
        default=30,
        help="An automatic reply is never sent to an email that received a first reply "
        "within this many days (0: once per lead only).",
    )

    @api.constrains("hour_from", "hour_to", "dedupe_days")
    def _check_hours(self):
        for reply in self:
            if not 0 <= reply.hour_from < reply.hour_to <= 24:
                raise ValidationError(
                    self.env._(
                        "First reply %(name)s: the sending hours must be between "
                        "0:00 and 24:00, 'From' before 'To'.",
                        name=reply.name,
                    )
                )
            if reply.dedupe_days < 0:
                raise ValidationError(
                    self.env._(
                        "First reply %(name)s: the number of days cannot be negative; "
                        "use 0 to only send once per lead.",
                        name=reply.name,
                    )
                )

    @api.constrains("template_id")
    def _check_template_id(self):
        for reply in self:
            if reply.template_id.model != "crm.lead":
                raise ValidationError(
                    self.env._(
                        "First reply %(name)s: choose an email template of the Lead/"
                        "Opportunity model.",
                        name=reply.name,
                    )
                )

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _match_rank(self, lead):
        """Rank of this reply for the lead: None when it does not apply, else a tuple,
        higher is better: the source first, then the team, then the language."""
        self.ensure_one()
        company = lead.company_id or self.env.company
        if self.company_id and self.company_id != company:
            return None
        for mine, theirs in (
            (self.source_id, lead.source_id),
            (self.team_id, lead.team_id),
            (self.lang_id, lead.lang_id),
        ):
            if mine and mine != theirs:
                return None
        return (
            bool(self.source_id),
            bool(self.team_id),
            bool(self.lang_id),
            bool(self.company_id),
            -self.sequence,
            -self.id,
        )

    def _is_sending_time(self, when=None):
        """Whether ``when`` (UTC, default now) falls in the sending hours and days of
        this reply, in its timezone."""
        self.ensure_one()
        when = when or fields.Datetime.now()
        local = pytz.utc.localize(when).astimezone(pytz.timezone(self.tz or "UTC"))
        if not self[WEEKDAY_FIELDS[local.weekday()]]:
            return False
        hour = local.hour + local.minute / 60.0 + local.second / 3600.0
        return self.hour_from <= hour < self.hour_to
