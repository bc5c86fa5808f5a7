# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# Concern: mailing subscriptions: where an automated subscription came from.
from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

SUBSCRIPTION_ORIGINS = [
    ("qualification", "Lead Qualification"),
    ("rating", "Lead Rating"),
    ("criteria", "Special-Interest Criteria"),
    ("rule", "Automation Rule"),
]


class MailingSubscription(models.Model):
    _inherit = "mailing.subscription"

    lifecycle_origin = fields.Selection(
        SUBSCRIPTION_ORIGINS,
        string="Added By",
        readonly=True,
        index="btree_not_null",
        help="Which automation subscribed the contact (empty: by hand or import).",
    )
    lifecycle_action_id = fields.Many2one(
        "ir.actions.server",
        string="Added by Action",
        readonly=True,
        ondelete="set null",
    )
    lifecycle_automation_id = fields.Many2one(
        "base.automation",
        string="Added by Rule",
        related="lifecycle_action_id.base_automation_id",
        store=True,
        readonly=True,
    )

    @api.constrains("contact_id", "list_id")
    def _check_contact_id_partner_id_list_id(self):
        # Same rule as mass_mailing_partner's check, which reads the whole list once per
        # subscription (quadratic: minutes for 10,000 subscriptions); here one query.
        if not self:
            return
        partners = self.contact_id.partner_id
        if not partners:
            return
        self.flush_model(["contact_id", "list_id"])
        self.env["mailing.contact"].flush_model(["partner_id"])
        self.env.cr.execute(
            SQL(
                """
                SELECT 1
                  FROM mailing_subscription s
                  JOIN mailing_contact c ON c.id = s.contact_id
                 WHERE s.list_id = ANY(%s) AND c.partner_id = ANY(%s)
              GROUP BY s.list_id, c.partner_id
                HAVING count(*) > 1
                 LIMIT 1
                """,
                self.list_id.ids,
                partners.ids,
            )
        )
        if self.env.cr.fetchone():
            raise ValidationError(
                self.env._("A partner cannot be multiple times in the same list")
            )
