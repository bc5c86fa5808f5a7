# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import TransactionCase, new_test_user


class LeadLifecycleCase(TransactionCase):
    """Users, a sales team with an enforcing policy, and helpers to record interactions
    the way Odoo records them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.company = cls.env.company
        cls.salesman = new_test_user(
            cls.env,
            "ll_salesman",
            groups="sales_team.group_sale_salesman,base.group_partner_manager",
            name="Sam Salesman",
            email="sam@lead-lifecycle.example",
        )
        cls.manager = new_test_user(
            cls.env,
            "ll_manager",
            groups="sales_team.group_sale_manager,base.group_partner_manager",
            name="Maria Manager",
            email="maria@lead-lifecycle.example",
        )
        cls.policy = cls.env["crm.qualification.policy"].create(
            {
                "name": "Strict",
                "min_interactions": 1,
                "enforce_conversion": True,
            }
        )
        cls.team = cls.env["crm.team"].create(
            {
                "name": "Enforcing team",
                "use_leads": True,
                "use_opportunities": True,
                "qualification_policy_id": cls.policy.id,
                "user_id": cls.manager.id,
            }
        )
        cls.free_team = cls.env["crm.team"].create(
            {"name": "Free team", "use_leads": True, "use_opportunities": True}
        )
        cls.source = cls.env["utm.source"].create({"name": "Trade show 2026"})
        cls.medium = cls.env["utm.medium"].create({"name": "Booth"})
        cls.campaign = cls.env["utm.campaign"].create({"name": "Spring launch"})
        cls.country_be = cls.env.ref("base.be")

    def _lead(self, **values):
        vals = {
            "name": "Needs 50 seats",
            "type": "lead",
            "team_id": self.team.id,
            "user_id": self.salesman.id,
            "partner_name": "Acme Logistics",
            "contact_name": "Jane Doe",
            "email_from": "Jane.Doe@acme-logistics.example",
            "phone": "+32 2 290 34 90",
            "mobile": "+32 470 12 34 56",
            "function": "COO",
            "street": "Rue de la Loi 16",
            "city": "Brussels",
            "zip": "1000",
            "country_id": self.country_be.id,
            "website": "https://www.acme-logistics.example",
            "source_id": self.source.id,
            "medium_id": self.medium.id,
            "campaign_id": self.campaign.id,
        }
        vals.update(values)
        return self.env["crm.lead"].create(vals)

    def _log_call(self, lead, user=None):
        env = self.env(user=user) if user else self.env
        activity = lead.with_env(env).activity_schedule(
            "mail.mail_activity_data_call", summary="Call"
        )
        activity.action_feedback(feedback="Talked about their project")
        return activity

    def _receive_email(self, lead, body="Yes, let us talk next week."):
        """An email from the lead, as the mail gateway posts it."""
        return lead.message_post(
            body=body,
            message_type="email",
            author_id=False,
            email_from=lead.email_from,
            subtype_xmlid="mail.mt_comment",
        )

    def _send_email(self, lead, user=None):
        """Our email to the lead (a discussion message of an internal user)."""
        env = self.env(user=user or self.salesman)
        return lead.with_env(env).message_post(
            body="Following up on your request",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
