# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import random

import phonenumbers

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

    def test_international_fast_path_is_phonenumbers_answer(self):
        """Numbers written "+" and digits (with spaces) skip phonenumbers' parsing
        when it would take the national number as it is; on generated numbers of
        every country calling code (with national prefixes, leading zeros, every
        length) the answer is phonenumbers' own, and most take the fast path."""

        def phonenumbers_answer(text, region):
            try:
                parsed = phonenumbers.parse(text, region)
            except phonenumbers.NumberParseException:
                return None
            possible = phonenumbers.is_possible_number_with_reason(parsed)
            if possible != phonenumbers.ValidationResult.IS_POSSIBLE:
                return None
            return phonenumbers.format_number(
                parsed, phonenumbers.PhoneNumberFormat.E164
            )

        rng = random.Random(17)
        codes = sorted(phonenumbers.COUNTRY_CODE_TO_REGION_CODE)
        fast = 0
        for _index in range(20000):
            national = "".join(
                str(rng.randint(0, 9)) for _digit in range(rng.randint(1, 16))
            )
            digits = f"{rng.choice(codes)}{national}"
            text = "+" + rng.choice(
                [digits, " ".join(digits[i : i + 3] for i in range(0, len(digits), 3))]
            )
            region = rng.choice([None, "BE", "US", "IT"])
            fast += (
                contact_data._international_e164(text[1:].replace(" ", ""))
                is not NotImplemented
            )
            self.assertEqual(
                contact_data.parse_phone.__wrapped__(text, region),
                phonenumbers_answer(text, region),
                (text, region),
            )
        self.assertGreater(fast, 10000)
        self.assertEqual(
            contact_data.parse_phone("+32 2 555 12 34", "US"), "+3225551234"
        )
        # the national prefix of "+32 02 ..." is phonenumbers' to strip
        self.assertIs(contact_data._international_e164("320025551234"), NotImplemented)
        self.assertEqual(
            contact_data.parse_phone("+32 02 555 12 34", None), "+3225551234"
        )

    def test_web_domain_and_free_mail(self):
        self.assertEqual(
            contact_data.web_domain("https://www.acme.com/about"), "acme.com"
        )
        self.assertEqual(contact_data.web_domain("Ann@Acme.com"), "acme.com")
        self.assertEqual(contact_data.web_domain(False), "")
        self.assertIn("gmail.com", contact_data.FREE_MAIL_DOMAINS)
        # a reserved test domain is no provider: not in the production list
        self.assertNotIn("example.com", contact_data.FREE_MAIL_DOMAINS)
