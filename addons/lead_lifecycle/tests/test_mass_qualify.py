# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Qualifying many leads at once: mixed batches, partners shared within a batch, a
failing lead skipped alone, mass override."""

from unittest.mock import patch

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import LeadLifecycleCase


@tagged("post_install", "-at_install")
class TestMassQualify(LeadLifecycleCase):
    def test_mass_qualify_200_mixed_leads(self):
        self.policy.write({"min_interactions": 0, "require_valid_email": True})
        Lead = self.env["crm.lead"]
        vals = []
        for index in range(200):
            good = index % 2 == 0
            vals.append(
                {
                    "name": f"Lead {index}",
                    "type": "lead",
                    "team_id": self.team.id,
                    "user_id": self.salesman.id,
                    "partner_name": f"Company {index}",
                    "contact_name": f"Person {index}",
                    "email_from": f"person{index}@company{index}.example"
                    if good
                    else f"person{index}@invalid",
                }
            )
        leads = Lead.create(vals)
        good, bad = leads[::2], leads[1::2]
        partners_before = self.env["res.partner"].search_count([])
        wizard = (
            self.env["crm.lead.qualify"]
            .with_user(self.salesman)
            .with_context(active_model="crm.lead", active_ids=leads.ids)
            .create({})
        )
        action = wizard.action_qualify()
        self.assertEqual(action["res_model"], "crm.lead.qualify")
        self.assertEqual(wizard.state, "done")
        self.assertIn("Qualified 100, skipped 100.", wizard.summary)
        self.assertIn("Lead 1</b>", wizard.summary)
        self.assertIn("a valid email", wizard.summary)
        self.assertEqual(set(good.mapped("lifecycle_state")), {"qualified"})
        self.assertEqual(set(bad.mapped("lifecycle_state")), {"new"})
        self.assertFalse(bad.partner_id, "failed leads are untouched")
        self.assertEqual(
            self.env["res.partner"].search_count([]), partners_before + 200
        )

    def test_mass_qualify_shares_partners_within_the_batch(self):
        """Leads of one batch get what lead-by-lead qualification would give them:
        one company per name and web domain, one person per email, existing
        partners reused, first touch on the partners that were new."""
        self.policy.min_interactions = 0
        existing = self.env["res.partner"].create(
            {"name": "Known Person", "email": "known@globex.example"}
        )
        other_acme = self.env["res.partner"].create(
            {"name": "ACME LOGISTICS", "is_company": True, "website": "acme.other"}
        )
        jane = self._lead(name="Jane 1")
        jane_again = self._lead(
            name="Jane 2", email_from="JANE.DOE@acme-logistics.example"
        )
        john = self._lead(
            name="John",
            contact_name="John Roe",
            email_from="john@acme-logistics.example",
        )
        known = self._lead(
            name="Known", partner_name="Globex", email_from="known@globex.example"
        )
        only_company = self._lead(
            name="Company only",
            contact_name=False,
            email_from=False,
            partner_name="Initech",
            website=False,
        )
        leads = jane | jane_again | john | known | only_company
        partners_before = self.env["res.partner"].search_count([])
        result = leads._lifecycle_qualify()
        self.assertEqual(result["qualified"], leads)
        self.assertFalse(result["skipped"])
        self.assertEqual(jane.partner_id, jane_again.partner_id, "one person per email")
        acme = jane.partner_id.parent_id
        self.assertEqual(john.partner_id.parent_id, acme, "one company per name+domain")
        self.assertNotEqual(acme, other_acme, "another web domain: another company")
        self.assertEqual(acme.website, "https://www.acme-logistics.example")
        self.assertEqual(known.partner_id, existing)
        self.assertTrue(only_company.partner_id.is_company)
        self.assertEqual(only_company.partner_id.name, "Initech")
        # jane, john, acme, initech
        self.assertEqual(self.env["res.partner"].search_count([]), partners_before + 4)
        self.assertEqual(jane.partner_id.qualified_from_lead_id, jane)
        self.assertEqual(acme.qualified_from_lead_id, jane)
        self.assertEqual(john.partner_id.qualified_from_lead_id, john)
        self.assertEqual(existing.qualified_from_lead_id, known)
        self.assertEqual(jane.partner_id.campaign_id, self.campaign)
        for lead in leads:
            self.assertEqual(lead.lifecycle_state, "qualified")
            self.assertEqual(lead.qualified_by_id, self.env.user)
            self.assertIn(
                f"Qualified into {lead.partner_id.display_name}",
                lead.message_ids[0].body,
            )
            self.assertEqual(
                lead.message_ids[0].subtype_id, self.env.ref("mail.mt_note")
            )

    def test_mass_qualify_failing_lead_is_skipped_alone(self):
        """A lead failing in the middle of the batch (here: its partner cannot be
        created) leaves the others qualified; nothing of the failed one stays."""
        self.policy.min_interactions = 0
        leads = self._lead(name="A", email_from="a@a.example", partner_name="A Co")
        leads |= self._lead(name="B", email_from="b@b.example", partner_name="B Co")
        leads |= self._lead(name="C", email_from="c@c.example", partner_name="C Co")
        failing = leads[1]
        Lead = type(self.env["crm.lead"])
        origin = Lead._lifecycle_new_partner_values

        def new_partner_values(lead, name, is_company):
            if lead == failing and is_company:
                raise UserError(self.env._("The company B Co is refused"))
            return origin(lead, name, is_company)

        partners_before = self.env["res.partner"].search_count([])
        with patch.object(Lead, "_lifecycle_new_partner_values", new_partner_values):
            result = leads._lifecycle_qualify()
        self.assertEqual(result["qualified"], leads - failing)
        self.assertEqual(result["skipped"], {failing: "The company B Co is refused"})
        self.assertEqual(failing.lifecycle_state, "new")
        self.assertFalse(failing.partner_id)
        self.assertFalse(
            failing.message_ids.filtered(lambda m: "Qualified into" in (m.body or ""))
        )
        self.assertEqual(self.env["res.partner"].search_count([]), partners_before + 4)

    def test_mass_override_logs_each_lead_missing_items(self):
        self.policy.require_valid_email = True
        good = self._lead(name="Good")
        bad = self._lead(name="Bad", email_from="jane@invalid")
        (good | bad).with_user(self.manager)._lifecycle_qualify(
            override_reason="Met both at the fair"
        )
        for lead in good | bad:
            self.assertEqual(lead.lifecycle_state, "qualified")
            self.assertEqual(lead.qualification_override_reason, "Met both at the fair")
        self.assertIn("a valid email", bad.message_ids[0].body)
        self.assertNotIn("a valid email", good.message_ids[0].body)
        self.assertIn("two-way interaction", good.message_ids[0].body)
