# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestInstall(TransactionCase):
    def test_dependencies_installed(self):
        modules = self.env["ir.module.module"].search(
            [
                (
                    "name",
                    "in",
                    [
                        "lead_lifecycle",
                        "mass_mailing_partner",
                        "mass_mailing_list_dynamic",
                        "marketing_crm_partner",
                        "phone_validation",
                    ],
                )
            ]
        )
        self.assertEqual(set(modules.mapped("state")), {"installed"})
        self.assertEqual(len(modules), 5)

    def test_sales_groups_imply_lifecycle_groups(self):
        salesman = new_test_user(
            self.env, "ll_salesman", groups="sales_team.group_sale_salesman"
        )
        manager = new_test_user(
            self.env, "ll_manager", groups="sales_team.group_sale_manager"
        )
        self.assertTrue(salesman.has_group("lead_lifecycle.group_lead_lifecycle_user"))
        self.assertFalse(
            salesman.has_group("lead_lifecycle.group_lead_lifecycle_manager")
        )
        self.assertTrue(
            manager.has_group("lead_lifecycle.group_lead_lifecycle_manager")
        )
        self.assertTrue(manager.has_group("lead_lifecycle.group_lead_lifecycle_user"))

    def test_configuration_menu_under_crm(self):
        menu = self.env.ref("lead_lifecycle.lead_lifecycle_config_menu")
        self.assertEqual(menu.parent_id, self.env.ref("crm.crm_menu_config"))
