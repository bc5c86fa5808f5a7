# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The server enforces the rules: what a JSON-RPC write/create, an import (load) or
a server action run by a user may not do, and what the module's own actions still
do. Everything runs as real users (with_user), never sudo."""

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Command
from odoo.tests import new_test_user, tagged

from .common import LeadLifecycleCase
from .common_rented_list import RentedListCase


@tagged("post_install", "-at_install")
class TestLeadServerFields(LeadLifecycleCase):
    def _server_action(self, code):
        return self.env["ir.actions.server"].create(
            {
                "name": "Run by a user",
                "model_id": self.env["ir.model"]._get_id("crm.lead"),
                "state": "code",
                "code": code,
            }
        )

    def _run(self, action, user, lead):
        return (
            action.with_user(user)
            .with_context(
                active_model="crm.lead", active_id=lead.id, active_ids=lead.ids
            )
            .run()
        )

    # Qualification and audit facts

    def test_write_qualified_refused(self):
        lead = self._lead()
        as_salesman = lead.with_user(self.salesman)
        for values in (
            {"lifecycle_state": "qualified"},
            {"qualified_by_id": self.salesman.id},
            {"qualified_date": "2026-01-01 10:00:00"},
            {"first_response_date": "2026-01-01 10:00:00"},
            {"first_two_way_date": "2026-01-01 10:00:00"},
            {"call_count": 3},
            {"score": 99},
            {"sales_ready": True},
            {"rating_date": "2026-01-01 10:00:00"},
        ):
            with self.subTest(values=values), self.assertRaises(AccessError):
                as_salesman.write(values)
        self.assertEqual(lead.lifecycle_state, "new")
        self.assertFalse(lead.qualified_by_id)
        self.assertFalse(lead.first_response_date)

    def test_manager_plain_write_refused_override_logged(self):
        lead = self._lead(email_from=False)
        with self.assertRaises(AccessError):
            lead.with_user(self.manager).write({"lifecycle_state": "qualified"})
        # The override is the Qualify action, with a reason in the chatter.
        lead.with_user(self.manager).action_qualify(override_reason="Known account")
        self.assertEqual(lead.lifecycle_state, "qualified")
        self.assertEqual(lead.qualified_by_id, self.manager)
        self.assertEqual(lead.qualification_override_reason, "Known account")
        self.assertIn("Known account", lead.message_ids[0].body)

    def test_create_with_server_fields(self):
        Lead = self.env["crm.lead"].with_user(self.salesman)
        with self.assertRaises(AccessError):
            Lead.create({"name": "Forged", "lifecycle_state": "qualified"})
        with self.assertRaises(AccessError):
            Lead.create({"name": "Forged", "qualified_by_id": self.salesman.id})
        # a default_ context key is a value too
        with self.assertRaises(AccessError):
            Lead.with_context(default_lifecycle_state="qualified").create(
                {"name": "Forged"}
            )
        # the neutral values a new lead gets anyway are accepted
        lead = Lead.create({"name": "Plain", "lifecycle_state": "new", "call_count": 0})
        self.assertEqual(lead.lifecycle_state, "new")

    def test_unchanged_value_accepted(self):
        # An import that updates existing leads writes back their current values.
        lead = self._lead()
        lead.with_user(self.salesman).write(
            {"lifecycle_state": "new", "call_count": 0, "name": "Renamed"}
        )
        self.assertEqual(lead.name, "Renamed")

    def test_import_refused(self):
        Lead = self.env["crm.lead"].with_user(self.salesman)
        result = Lead.load(
            ["name", "lifecycle_state", "qualified_by_id/.id"],
            [["Imported", "qualified", str(self.salesman.id)]],
        )
        self.assertFalse(result["ids"])
        self.assertEqual(result["messages"][0]["type"], "error")
        self.assertFalse(self.env["crm.lead"].search([("name", "=", "Imported")]))
        # updating an existing lead
        lead = self._lead()
        result = Lead.load([".id", "lifecycle_state"], [[str(lead.id), "qualified"]])
        self.assertFalse(result["ids"])
        self.assertEqual(lead.lifecycle_state, "new")

    def test_server_action_refused(self):
        lead = self._lead()
        action = self._server_action(
            "record.write({'lifecycle_state': 'qualified', 'qualified_by_id': user.id})"
        )
        with self.assertRaises(AccessError):
            self._run(action, self.salesman, lead)
        self.assertEqual(lead.lifecycle_state, "new")

    def test_partner_first_touch_refused(self):
        lead = self._lead()
        partner = self.env["res.partner"].create({"name": "Existing"})
        with self.assertRaises(AccessError):
            partner.with_user(self.salesman).write({"qualified_from_lead_id": lead.id})
        with self.assertRaises(AccessError):
            self.env["res.partner"].with_user(self.salesman).create(
                {"name": "Forged", "qualified_from_lead_id": lead.id}
            )
        partner.with_user(self.salesman).write({"name": "Still editable"})
        self.assertFalse(partner.qualified_from_lead_id)

    def test_actions_still_write_as_users(self):
        """Qualify, Mark as Lost and the interactions are the way, as a salesman."""
        lead = self._lead()
        self._log_call(lead, user=self.salesman)
        self.assertEqual(lead.call_count, 1)
        self.assertEqual(lead.lifecycle_state, "contacted")
        lead.with_user(self.salesman).action_qualify(create_opportunity=True)
        self.assertEqual(lead.lifecycle_state, "qualified")
        self.assertEqual(lead.qualified_by_id, self.salesman)
        self.assertEqual(lead.type, "opportunity")
        self.assertEqual(lead.partner_id.qualified_from_lead_id, lead)
        other = self._lead(email_from="other@prospect.example")
        other.with_user(self.salesman).action_set_lost(
            lost_reason_id=self.env.ref("crm.lost_reason_1").id
        )
        self.assertEqual(other.lifecycle_state, "disqualified")
        self.assertTrue(other.disqualified_date)

    def test_merge_as_salesman(self):
        """crm's merge writes the merged lead's server-only values itself."""
        lead = self._lead()
        self._log_call(lead)
        twin = self._lead(name="Twin")
        merged = (lead | twin).with_user(self.salesman).merge_opportunity()
        self.assertIn(merged, lead | twin)
        self.assertEqual(len((lead | twin).exists()), 1)

    def test_partner_merge_keeps_first_touch(self):
        lead = self._lead()
        self._log_call(lead)
        lead.action_qualify()
        source = lead.partner_id
        destination = self.env["res.partner"].create(
            {"name": "Jane D.", "email": source.email}
        )
        # an administrator (not superuser mode): merging reads every field
        wizard = (
            self.env["base.partner.merge.automatic.wizard"]
            .with_user(self.env.ref("base.user_admin"))
            .create({})
        )
        wizard._merge((source | destination).ids, destination)
        self.assertEqual(destination.qualified_from_lead_id, lead)

    # Conversion under a policy that enforces it

    def test_write_type_opportunity_refused(self):
        lead = self._lead()
        with self.assertRaisesRegex(UserError, "must be qualified"):
            lead.with_user(self.salesman).write({"type": "opportunity"})
        self.assertEqual(lead.type, "lead")
        # without an enforcing policy, or once qualified, a write converts
        free = self._lead(team_id=self.free_team.id)
        free.with_user(self.salesman).write({"type": "opportunity"})
        self.assertEqual(free.type, "opportunity")

    def test_create_opportunity_refused(self):
        Lead = self.env["crm.lead"].with_user(self.salesman)
        with self.assertRaisesRegex(UserError, "must be qualified"):
            Lead.create(
                {"name": "Direct", "type": "opportunity", "team_id": self.team.id}
            )
        opportunity = Lead.create(
            {"name": "Direct", "type": "opportunity", "team_id": self.free_team.id}
        )
        self.assertEqual(opportunity.type, "opportunity")

    def test_import_opportunity_refused(self):
        Lead = self.env["crm.lead"].with_user(self.salesman)
        result = Lead.load(
            ["name", "type", "team_id/.id"],
            [["Imported opportunity", "opportunity", str(self.team.id)]],
        )
        self.assertFalse(result["ids"])
        self.assertIn("must be qualified", result["messages"][0]["message"])
        lead = self._lead()
        result = Lead.load([".id", "type"], [[str(lead.id), "opportunity"]])
        self.assertFalse(result["ids"])
        self.assertEqual(lead.type, "lead")

    def test_server_action_opportunity_refused(self):
        lead = self._lead()
        action = self._server_action("record.write({'type': 'opportunity'})")
        with self.assertRaisesRegex(UserError, "must be qualified"):
            self._run(action, self.salesman, lead)
        self.assertEqual(lead.type, "lead")

    def test_convert_wizard_after_qualify(self):
        lead = self._lead()
        self._log_call(lead)
        lead.with_user(self.salesman).action_qualify(create_opportunity=False)
        self.assertEqual(lead.type, "lead")
        # what crm's convert wizards call
        lead.with_user(self.salesman).convert_opportunity(lead.partner_id)
        self.assertEqual(lead.type, "opportunity")

    # Blacklisting through a lost reason

    def test_lost_reason_blacklist_needs_marketing_right(self):
        reason = self.env.ref("lead_lifecycle.lost_reason_do_not_contact")
        Blacklist = self.env["mail.blacklist"].with_context(active_test=False)
        lead = self._lead(email_from="stop@prospect.example")
        lead.with_user(self.salesman).action_set_lost(lost_reason_id=reason.id)
        self.assertFalse(lead.active)
        self.assertEqual(lead.lifecycle_state, "disqualified")
        self.assertFalse(Blacklist.search([("email", "=", "stop@prospect.example")]))
        self.assertIn("marketing user must confirm", lead.message_ids[0].body)

    def test_lost_reason_blacklist_marketing_user(self):
        marketer = new_test_user(
            self.env,
            "ll_sales_marketer",
            groups="sales_team.group_sale_salesman,"
            "mass_mailing.group_mass_mailing_user",
        )
        reason = self.env.ref("lead_lifecycle.lost_reason_do_not_contact")
        lead = self._lead(email_from="stop2@prospect.example", user_id=marketer.id)
        lead.with_user(marketer).action_set_lost(lost_reason_id=reason.id)
        self.assertTrue(
            self.env["mail.blacklist"].search(
                [("email", "=", "stop2@prospect.example")]
            )
        )


@tagged("post_install", "-at_install")
class TestRentedListServerFields(RentedListCase):
    def test_use_count_not_writable(self):
        mailing = self.env["mailing.mailing"].create({"subject": "Forged use"})
        as_marketing = self.rented_list.with_user(self.marketing_user)
        for values in (
            {"use_count": 5},
            {"state": "draft"},
            {"valid_count": 1000},
            {"mailing_ids": [Command.link(mailing.id)]},
        ):
            with self.subTest(values=values), self.assertRaises(AccessError):
                as_marketing.write(values)
        # editable terms stay editable
        as_marketing.write({"allowed_uses": 3})
        self.assertEqual(self.rented_list.allowed_uses, 3)

    def test_use_counted_by_server(self):
        as_marketing = self.rented_list.with_user(self.marketing_user)
        mailing = self.env["mailing.mailing"].create(
            {
                "subject": "Hello",
                "mailing_model_id": self.env["ir.model"]._get_id(
                    "crm.rented.list.contact"
                ),
            }
        )
        as_marketing._count_use(mailing.with_user(self.marketing_user))
        self.assertEqual(self.rented_list.use_count, 1)
        self.assertIn(mailing, self.rented_list.mailing_ids)

    def test_create_list_with_state_refused(self):
        RentedList = self.env["crm.rented.list"].with_user(self.marketing_user)
        with self.assertRaises(AccessError):
            RentedList.create({"name": "Forged", "state": "active", "use_count": 0})
        with self.assertRaises(AccessError):
            RentedList.create({"name": "Forged", "use_count": -3})
        draft = RentedList.create({"name": "Draft", "state": "draft"})
        draft.action_activate()
        self.assertEqual(draft.state, "active")

    def test_contact_server_fields(self):
        self._import()
        alice = self._contact("alice@acme.example").with_user(self.marketing_user)
        lead = self.env["crm.lead"].create({"name": "Elsewhere"})
        for values in (
            {"state": "promoted"},
            {"promoted_lead_id": lead.id},
            {"contact_count": 10},
            {"validity": "invalid_email", "match_status": "blacklisted"},
        ):
            with self.subTest(values=values), self.assertRaises(AccessError):
                alice.write(values)
        alice.action_log_call()
        self.assertEqual(alice.contact_count, 1)
        self.assertEqual(alice.state, "contacted")
        alice.write({"response": "replied"})
        self.assertEqual(alice.response, "replied")

    def test_attachment_must_be_the_lists(self):
        foreign = self.env["ir.attachment"].create(
            {
                "name": "invoice.pdf",
                "raw": b"%PDF",
                "res_model": "res.partner",
                "res_id": self.vendor.id,
            }
        )
        as_marketing = self.rented_list.with_user(self.marketing_user)
        with self.assertRaises(ValidationError):
            as_marketing.write({"attachment_id": foreign.id})
        own = (
            self.env["ir.attachment"]
            .with_user(self.marketing_user)
            .create(
                {
                    "name": "rented.csv",
                    "raw": self._sample_bytes(),
                    "res_model": "crm.rented.list",
                    "res_id": self.rented_list.id,
                }
            )
        )
        as_marketing.write({"attachment_id": own.id})
        self.assertEqual(self.rented_list.attachment_id, own)

    def test_purge_keeps_foreign_attachment(self):
        foreign = self.env["ir.attachment"].create(
            {
                "name": "invoice.pdf",
                "raw": b"%PDF",
                "res_model": "res.partner",
                "res_id": self.vendor.id,
            }
        )
        # As written before the check existed.
        self.env.cr.execute(
            "UPDATE crm_rented_list SET attachment_id = %s WHERE id = %s",
            (foreign.id, self.rented_list.id),
        )
        self.rented_list.invalidate_recordset(["attachment_id"])
        as_marketing = self.rented_list.with_user(self.marketing_user)
        as_marketing.action_expire()
        as_marketing.action_purge()
        self.assertEqual(self.rented_list.state, "purged")
        self.assertTrue(foreign.exists())

    def test_purge_deletes_own_attachment(self):
        own = self.env["ir.attachment"].create(
            {
                "name": "rented.csv",
                "raw": self._sample_bytes(),
                "res_model": "crm.rented.list",
                "res_id": self.rented_list.id,
            }
        )
        self.rented_list.attachment_id = own
        as_marketing = self.rented_list.with_user(self.marketing_user)
        as_marketing.action_expire()
        as_marketing.action_purge()
        self.assertFalse(own.exists())
