# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import TransactionCase, new_test_user


class AssessmentCase(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.salesman = new_test_user(
            cls.env,
            "assess_salesman",
            groups="sales_team.group_sale_salesman",
            email="salesman@example.org",
        )
        cls.manager = new_test_user(
            cls.env,
            "assess_manager",
            groups="sales_team.group_sale_manager",
            email="manager@example.org",
        )
        cls.leader = new_test_user(
            cls.env,
            "assess_leader",
            groups="sales_team.group_sale_salesman",
            email="leader@example.org",
        )
        cls.policy = cls.env["crm.qualification.policy"].create(
            {"name": "Assessment policy", "rating_a_revenue": 10000.0}
        )
        cls.team = cls.env["crm.team"].create(
            {
                "name": "Assessment team",
                "user_id": cls.leader.id,
                "qualification_policy_id": cls.policy.id,
            }
        )
        cls.not_interested = cls.env.ref("lead_lifecycle.lost_reason_no_project")
        cls.not_contactable = cls.env.ref("lead_lifecycle.lost_reason_bounced")
        cls.rules = {
            rule.kind: rule for rule in cls.env["crm.lead.scoring.rule"].search([])
        }
        cls.external = cls.env["res.partner"].create(
            {"name": "Outside Person", "email": "outside@example.org"}
        )

    @classmethod
    def _lead(cls, **values):
        vals = {"name": "Assessed lead", "type": "lead", "team_id": cls.team.id}
        vals.update(values)
        return cls.env["crm.lead"].create(vals)
