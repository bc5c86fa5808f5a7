# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.tests import BaseCase, tagged

from ..models import contact_data


@tagged("post_install", "-at_install")
class TestContactData(BaseCase):
    """The rules of contact data, written once in models/contact_data.py."""

    def test_email_valid(self):
        self.assertTrue(contact_data.email_valid("ann@acme-logistics.example"))
        # crm's email_state accepts it, email-validator does not
        self.assertFalse(contact_data.email_valid("@hotmail.com"))
        self.assertFalse(contact_data.email_valid(""))
        self.assertFalse(contact_data.email_valid(False))

    def test_normalize_email(self):
        self.assertEqual(
            contact_data.normalize_email(" Ann@Acme.com "), ("ann@acme.com", None)
        )
        normalized, error = contact_data.normalize_email("ann@@acme")
        self.assertIsNone(normalized)
        self.assertTrue(error)

    def test_phones(self):
        # possible (dialable) is enough for a campaign...
        self.assertEqual(
            contact_data.sanitize_phone("(207)206-2066", "US"), "+12072062066"
        )
        self.assertIsNone(contact_data.sanitize_phone("206-2066", "US"))
        # ...a lead's phone must be valid for its country (Odoo's phone_validation)
        self.assertTrue(contact_data.phone_valid("+32 2 555 12 34", "BE"))
        self.assertFalse(contact_data.phone_valid("12", "BE"))

    def test_web_domain_and_free_mail(self):
        self.assertEqual(
            contact_data.web_domain("https://www.acme.com/about"), "acme.com"
        )
        self.assertEqual(contact_data.web_domain("Ann@Acme.com"), "acme.com")
        self.assertEqual(contact_data.web_domain(False), "")
        self.assertIn("gmail.com", contact_data.FREE_MAIL_DOMAINS)
        # a reserved test domain is no provider: not in the production list
        self.assertNotIn("example.com", contact_data.FREE_MAIL_DOMAINS)
