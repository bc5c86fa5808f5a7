# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# Concern: the Apply Rules to History wizard: a shipped rule applied to the records that
# existed before it, with a count first.
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from ..hooks import INSTALL_DATE_PARAM


class CrmLeadLifecycleHistory(models.TransientModel):
    """Apply a rule to the records that existed before lead_lifecycle was installed
    (or before the feature was turned on): rules never do it by themselves. Shows how
    many records the rule will act on before it does."""

    _name = "crm.lead.lifecycle.history"
    _description = "Apply a Lead Lifecycle Rule to History"

    rule = fields.Selection(
        [
            ("keep_in_touch", 'Partners rated C join "Keep in touch"'),
            (
                "not_contactable",
                "Leads disqualified as not contactable leave every mailing list",
            ),
            (
                "qualification_lists",
                "Partners of qualified leads join their qualification policy's "
                "mailing lists",
            ),
            ("response_sla", "Flag unanswered leads older than their team's SLA"),
            (
                "sales_ready",
                "Notify the teams of leads at or above their sales-ready score",
            ),
        ],
        required=True,
        default="keep_in_touch",
    )
    count = fields.Integer(string="Records Concerned", compute="_compute_count")
    done = fields.Boolean(readonly=True)
    summary = fields.Char(readonly=True)

    @api.depends("rule")
    def _compute_count(self):
        for wizard in self:
            # Counted as the rule would run it (superuser); only managers may open
            # the wizard (access rights).
            wizard.count = len(wizard.sudo()._history_records()) if wizard.rule else 0

    def action_apply(self):
        self.ensure_one()
        if not self.env.user.has_group("lead_lifecycle.group_lead_lifecycle_manager"):
            raise AccessError(
                self.env._("Only a Lead Lifecycle manager may apply rules to history.")
            )
        # The rule's work runs as the automation would (superuser), once the user is
        # known to be a manager.
        records = self.sudo()._history_records()
        if not records:
            raise UserError(
                self.env._("No record of the history is concerned by this rule.")
            )
        if self.rule == "keep_in_touch":
            records._lifecycle_join_keep_in_touch()
        elif self.rule == "qualification_lists":
            Partner = self.env["res.partner"].sudo()
            MailingList = self.env["mailing.list"].sudo()
            for list_id, partner_ids in self.sudo()._history_list_partners().items():
                Partner.browse(partner_ids)._action_add_to_mailing_lists(
                    MailingList.browse(list_id), origin="qualification"
                )
        elif self.rule == "sales_ready":
            # What the scoring does when a score crosses the threshold: flag, and
            # notify (or assign) once.
            records._scoring_apply_sales_ready()
        elif self.rule == "not_contactable":
            records._action_remove_from_mailing_lists()
        else:
            records._lifecycle_flag_response_overdue()
        self.write(
            {
                "done": True,
                "summary": self.env._(
                    "Applied to %(count)s records.", count=len(records)
                ),
            }
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }

    def _history_records(self):
        """The records the rule would act on, had it run on history."""
        self.ensure_one()
        since = fields.Datetime.to_datetime(
            self.env["ir.config_parameter"].sudo().get_param(INSTALL_DATE_PARAM)
        )
        if self.rule in ("keep_in_touch", "qualification_lists"):
            return self.env["res.partner"].browse(
                {
                    partner_id
                    for partner_ids in self._history_list_partners().values()
                    for partner_id in partner_ids
                }
            )
        if self.rule == "sales_ready":
            return self._history_sales_ready_leads()
        if self.rule == "not_contactable":
            domain = [
                ("active", "=", False),
                ("lifecycle_state", "=", "disqualified"),
                ("lost_reason_id.lifecycle_category", "=", "not_contactable"),
                ("email_normalized", "!=", False),
            ]
            if since:
                domain.append(("disqualified_date", "<", since))
            return self.env["crm.lead"].with_context(active_test=False).search(domain)
        leads = self.env["crm.lead"]
        now = fields.Datetime.now()
        for team in self.env["crm.team"].search([("response_sla_hours", ">", 0)]):
            start = team.response_sla_start_date or since
            if not start:
                continue
            candidates = self.env["crm.lead"].search(
                [
                    ("team_id", "=", team.id),
                    ("first_response_date", "=", False),
                    ("response_overdue", "=", False),
                    ("probability", "<", 100),
                    ("lifecycle_state", "in", ("new", "contacted")),
                    ("create_date", "<", start),
                ]
            )
            elapsed = candidates._lifecycle_working_hours(
                {lead: (lead.create_date, now) for lead in candidates}
            )
            leads |= candidates.filtered(
                lambda lead, team=team, elapsed=elapsed: elapsed[lead]
                >= team.response_sla_hours
            )
        return leads

    def _history_list_partners(self):
        """{list id: partner ids} the list rule would subscribe: partners with an
        email that is not blacklisted, not yet on the list nor opted out of it (by
        partner or by email: the subscription reuses a contact with the email).

        SQL for the count shown before applying: the ORM would load every partner
        rated or qualified (100k+ in a CRM in use) to filter them in Python."""
        self.ensure_one()
        if self.rule == "keep_in_touch":
            keep_in_touch = self.env.ref(
                "lead_lifecycle.mailing_list_keep_in_touch", raise_if_not_found=False
            )
            if not keep_in_touch:
                return {}
            pairs = SQL(
                "SELECT id AS partner_id, %s AS list_id FROM res_partner "
                "WHERE lead_rating = 'c'",
                keep_in_touch.id,
            )
        else:
            # The lead's policy: its team's, else the default of its company.
            Policy = self.env["crm.qualification.policy"]
            companies = self.env["res.company"].sudo().search([])
            defaults = [Policy._get_default_policy_id(c.id) or 0 for c in companies]
            pairs = SQL(
                """
                SELECT DISTINCT l.partner_id, rel.list_id
                  FROM crm_lead l
             LEFT JOIN crm_team t ON t.id = l.team_id
             LEFT JOIN unnest(%(companies)s::int[], %(defaults)s::int[])
                       AS d(company_id, policy_id)
                       ON d.company_id = COALESCE(l.company_id, %(company)s)
                  JOIN crm_qualification_policy_mailing_list_rel rel
                       ON rel.policy_id = COALESCE(t.qualification_policy_id,
                                                   NULLIF(d.policy_id, 0))
                 WHERE l.lifecycle_state = 'qualified' AND l.partner_id IS NOT NULL
                """,
                companies=companies.ids,
                defaults=defaults,
                company=self.env.company.id,
            )
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
            SELECT pairs.list_id, pairs.partner_id
              FROM (%(pairs)s) pairs
              JOIN res_partner p ON p.id = pairs.partner_id
              JOIN mailing_list ml ON ml.id = pairs.list_id
             WHERE p.active AND ml.active AND p.email_normalized IS NOT NULL
               AND NOT EXISTS (SELECT 1 FROM mail_blacklist b
                                WHERE b.active AND b.email = p.email_normalized)
               AND NOT EXISTS (
                   SELECT 1 FROM mailing_subscription s
                     JOIN mailing_contact c ON c.id = s.contact_id
                    WHERE s.list_id = pairs.list_id
                      AND (c.partner_id = p.id
                           OR c.email_normalized = p.email_normalized))
                """,
                pairs=pairs,
            )
        )
        by_list = defaultdict(list)
        for list_id, partner_id in self.env.cr.fetchall():
            by_list[list_id].append(partner_id)
        return dict(by_list)

    def _history_sales_ready_leads(self):
        """Open leads at or above their team's sales-ready score that were never
        sales-ready: the threshold was set, or the score reached, before it could
        notify (history, a threshold set later). SQL: a field compared with another
        model's field is no domain."""
        self.env.flush_all()
        self.env.cr.execute(
            """
            SELECT l.id
              FROM crm_lead l
              JOIN crm_team t ON t.id = l.team_id
             WHERE l.active AND t.sales_ready_score > 0
               AND l.score >= t.sales_ready_score
               AND NOT COALESCE(l.sales_ready, FALSE) AND l.sales_ready_date IS NULL
               AND COALESCE(l.probability, 0) < 100
            """
        )
        return self.env["crm.lead"].browse(row[0] for row in self.env.cr.fetchall())
