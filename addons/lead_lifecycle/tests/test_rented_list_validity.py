# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import csv
import importlib.util
import io
import random

import phonenumbers

from odoo.tests import tagged
from odoo.tools.misc import file_path

from ..models.contact_data import NANP_NATIONAL
from ..models.contact_data import parse_phone as _parse_phone
from ..models.contact_data import sanitize_phone as _sanitize_phone
from ..models.crm_rented_list_contact_clean import _country_key
from .common_rented_list import RentedListCase

# The styles of a generated customer file (Faker-like): US phones in national
# formats, with extensions and the 001 international prefix; country names as
# ISO writes them, as people write them, and as codes.
PHONE_STYLES = [
    ("({a}){b}-{c}", "+1{a}{b}{c}"),
    ("{a}.{b}.{c}", "+1{a}{b}{c}"),
    ("{a}-{b}-{c}", "+1{a}{b}{c}"),
    ("001-{a}-{b}-{c}x381", "+1{a}{b}{c}"),
    ("+1-{a}-{b}-{c}x12", "+1{a}{b}{c}"),
    ("{a}{b}{c}", "+1{a}{b}{c}"),
]
COUNTRY_STYLES = [
    ("United States of America", "US"),
    ("USA", "US"),
    ("US", "US"),
    ("Syrian Arab Republic", "SY"),
    ("Viet Nam", "VN"),
    ("Vietnam", "VN"),
    ("Côte d'Ivoire", "CI"),
    ("Cote d'Ivoire", "CI"),
    ("south korea", "KR"),
    ("FRA", "FR"),
    ("de", "DE"),
    ("Germany", "DE"),
]


def _generated_rows(count, seed=17):
    """(csv rows, expectations) of a generated customer file: good emails only."""
    rng = random.Random(seed)
    rows, expected = [], []
    for index in range(count):
        pattern, e164 = PHONE_STYLES[index % len(PHONE_STYLES)]
        parts = {
            "a": str(rng.randint(201, 989)),
            "b": str(rng.randint(200, 999)),
            "c": f"{rng.randint(0, 9999):04d}",
        }
        country, code = COUNTRY_STYLES[index % len(COUNTRY_STYLES)]
        if code != "US":
            # A national US format next to another country parses in that
            # country's plan: give those rows an international number.
            pattern, e164 = "+1 {a} {b} {c}", "+1{a}{b}{c}"
        rows.append(
            [
                f"First{index}",
                f"Last{index}",
                f"person{index}@customer{index % 37}.example",
                pattern.format(**parts),
                country,
            ]
        )
        expected.append((e164.format(**parts), code))
    return rows, expected


def _csv(header, rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode()


@tagged("post_install", "-at_install")
class TestRentedListValidity(RentedListCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # National numbers without a row country are read in the company's plan.
        cls.env.company.country_id = cls.env.ref("base.us")

    def _import_dialog(self, content, rented_list=None):
        """Upload and import as the web client's Import dialog does (its default
        options, 2,000-row windows), from the list's Import button."""
        rented_list = rented_list or self.rented_list
        importer = (
            self.env["base_import.import"]
            .with_context(default_rented_list_id=rented_list.id)
            .create(
                {
                    "res_model": "crm.rented.list.contact",
                    "file": content,
                    "file_name": "customers.csv",
                    "file_type": "text/csv",
                }
            )
        )
        options = {
            "import_skip_records": [],
            "import_set_empty_fields": [],
            "fallback_values": {},
            "name_create_enabled_fields": {},
            "encoding": "",
            "separator": "",
            "quoting": '"',
            "date_format": "",
            "datetime_format": "",
            "float_thousand_separator": ",",
            "float_decimal_separator": ".",
            "advanced": True,
            "has_headers": True,
            "keep_matches": False,
            "limit": 2000,
            "skip": 0,
            "tracking_disable": True,
        }
        preview = importer.parse_preview(options)
        self.assertFalse(preview.get("error"), preview)
        options.update(preview["options"])
        fields_ = [
            preview["matches"][index][0] if preview["matches"].get(index) else False
            for index in range(len(preview["headers"]))
        ]
        result = importer.execute_import(fields_, preview["headers"], options)
        self.assertFalse(
            [m for m in result["messages"] if m.get("type") == "error"], result
        )
        return result

    def test_generated_file_is_mailable_and_callable(self):
        rows, expected = _generated_rows(360)
        rows.append(["Kim", "Korea", "kim@korea.example", "+82 2 312 3456", "Korea"])
        rows.append(
            ["Al", "Lantis", "al@atlantis.example", "(207)206-2066", "Atlantis"]
        )
        content = _csv(["First Name", "Last Name", "Email", "Phone 1", "Country"], rows)
        self._import_dialog(content)
        contacts = self.rented_list.contact_ids
        self.assertEqual(len(contacts), 362)
        mailable = contacts.filtered("is_mailable")
        self.assertGreaterEqual(len(mailable) / len(contacts), 0.99)
        by_email = {contact.email: contact for contact in contacts}
        for index, (e164, code) in enumerate(expected):
            contact = by_email[f"person{index}@customer{index % 37}.example"]
            self.assertEqual(
                (contact.validity, contact.phone_sanitized, contact.country_id.code),
                ("valid", e164, code),
                (contact.phone, contact.country_name, contact.cleaning_warnings),
            )
            self.assertTrue(contact.is_callable, contact.phone)
            self.assertFalse(contact.cleaning_warnings)
        # "Korea" names two ISO countries: a warning, the raw value kept, mailable.
        for email, country in (
            ("kim@korea.example", "Korea"),
            ("al@atlantis.example", "Atlantis"),
        ):
            contact = by_email[email]
            self.assertEqual(contact.validity, "valid")
            self.assertFalse(contact.country_id)
            self.assertEqual(contact.country_name, country)
            self.assertIn(f"Unknown country {country}", contact.cleaning_warnings)
            self.assertTrue(contact.is_mailable and contact.is_callable)
        # A phone with no row country is read in the company's plan.
        self.assertEqual(
            by_email["al@atlantis.example"].phone_sanitized, "+12072062066"
        )
        # Figures and rates on the list
        rented_list = self.rented_list
        self.assertEqual(rented_list.mailable_count, 362)
        self.assertEqual(rented_list.callable_count, 362)
        self.assertEqual(rented_list.valid_count, 362)
        self.assertAlmostEqual(rented_list.mailable_rate, 100.0)
        self.assertAlmostEqual(rented_list.callable_rate, 100.0)
        # The default mailing domain takes every mailable cold contact.
        domain = self.env["crm.rented.list.contact"]._mailing_get_default_domain(
            self.env["mailing.mailing"]
        )
        self.assertEqual(
            self.env["crm.rented.list.contact"].search(
                [*domain, ("rented_list_id", "=", rented_list.id)]
            ),
            mailable.filtered(lambda c: c.match_status == "none"),
        )

    def test_channels_are_independent(self):
        content = _csv(
            ["Email", "Phone 1", "Phone 2", "Country"],
            [
                ["badphone@acme.example", "12", "n/a", "Belgium"],
                ["bad(at)acme.example", "+32 2 555 12 34", "", "Belgium"],
                ["", "+32 2 555 77 66", "", "BE"],
                ["", "555", "", "BEL"],
                ["", "", "", "Belgium"],
                ["eve@umbrella.example", "+32 2 555 00 11", "", "Belgium"],
                ["bounce@acme.example", "", "", ""],
            ],
        )
        self._import_dialog(content)
        Contact = self.env["crm.rented.list.contact"]

        def row(email=None, phone=None):
            domain = [("rented_list_id", "=", self.rented_list.id)]
            domain += [("email", "=", email)] if email else [("phone", "=", phone)]
            return Contact.search(domain)

        bad_phone = row("badphone@acme.example")
        self.assertEqual(bad_phone.validity, "valid")
        self.assertTrue(bad_phone.is_mailable)
        self.assertFalse(bad_phone.is_callable)
        self.assertIn("Invalid phone 12", bad_phone.cleaning_warnings)
        self.assertIn("Invalid phone n/a", bad_phone.cleaning_warnings)
        self.assertFalse(bad_phone.validity_reason)
        bad_email = row("bad(at)acme.example")
        self.assertEqual(bad_email.validity, "invalid_email")
        self.assertFalse(bad_email.is_mailable)
        self.assertTrue(bad_email.is_callable)
        self.assertEqual(bad_email.phone_sanitized, "+3225551234")
        phone_only = row(phone="+32 2 555 77 66")
        self.assertEqual(
            (phone_only.validity, phone_only.is_mailable, phone_only.is_callable),
            ("valid", False, True),
        )
        self.assertEqual(phone_only.country_id, self.env.ref("base.be"))
        nothing_usable = row(phone="555")
        self.assertEqual(nothing_usable.validity, "invalid_phone")
        self.assertIn("Invalid phone 555", nothing_usable.validity_reason)
        self.assertFalse(nothing_usable.is_mailable or nothing_usable.is_callable)
        empty = Contact.search(
            [("rented_list_id", "=", self.rented_list.id), ("validity", "=", "empty")]
        )
        self.assertEqual(len(empty), 1)
        self.assertFalse(empty.is_mailable or empty.is_callable)
        # Suppressed: blacklisted at matching, bounced afterwards.
        eve = row("eve@umbrella.example")
        self.assertEqual(eve.match_status, "blacklisted")
        self.assertFalse(eve.is_mailable)
        self.assertTrue(eve.is_callable)
        bounce = row("bounce@acme.example")
        self.assertTrue(bounce.is_mailable)
        mailable_before = self.rented_list.mailable_count
        bounce.response = "bounced"
        self.assertFalse(bounce.is_mailable)
        self.assertEqual(self.rented_list.mailable_count, mailable_before - 1)
        # A bad phone does not stop a promotion: promoted on the reply by the
        # shipped automation rule.
        bad_phone.response = "replied"
        self.assertEqual(bad_phone.state, "promoted")
        self.assertEqual(bad_phone.promoted_lead_id.email_from, "badphone@acme.example")

    def test_country_lookup_from_iso_and_odoo_names(self):
        lookup = self.env["crm.rented.list.contact"]._clean_country_lookup()

        def code(name):
            return lookup.get(_country_key(name), (None, None))[1]

        for name, expected in [
            ("Syrian Arab Republic", "SY"),
            ("Syria", "SY"),
            ("United States of America", "US"),
            ("united states", "US"),
            ("USA", "US"),
            ("us", "US"),
            ("Viet Nam", "VN"),
            ("Socialist Republic of Viet Nam", "VN"),
            ("Côte d'Ivoire", "CI"),
            ("COTE D\u2019IVOIRE", "CI"),
            ("Korea, Republic of", "KR"),
            ("South Korea", "KR"),
            ("North Korea", "KP"),
            ("  Germany ", "DE"),
            ("DEU", "DE"),
        ]:
            self.assertEqual(code(name), expected, name)
        for unknown in ("Korea", "Atlantis", "Untied States", ""):
            self.assertIsNone(code(unknown), unknown)
        # Odoo's translated names of installed languages count too.
        belgium = self.env.ref("base.be")
        self.env.cr.execute(
            "UPDATE res_country SET name = name || %s::jsonb WHERE id = %s",
            ['{"en_US": "Belgium", "xx_XX": "Belgie-Test"}', belgium.id],
        )
        self.assertIsNone(
            self.env["crm.rented.list.contact"]
            ._clean_country_lookup()
            .get(_country_key("Belgie-Test"))
        )

    def test_phone_parsing(self):
        for raw, region, expected in [
            ("(207)206-2066", "US", "+12072062066"),
            ("348.627.3162", "US", "+13486273162"),
            ("001-890-799-5446x381", "US", "+18907995446"),
            ("001-890-799-5446x381", None, "+18907995446"),
            ("011 44 20 7946 0958", "US", "+442079460958"),
            ("011 44 20 7946 0958", None, "+442079460958"),
            ("+44 20 7946 0958", "FR", "+442079460958"),
            ("0044 20 7946 0958", "FR", "+442079460958"),
            ("01 23 45 67 89", "FR", "+33123456789"),
            ("02 555 12 34", "BE", "+3225551234"),
            ("(207)206-2066", None, None),
            ("206-2066", "US", None),
            ("12", "DE", None),
            ("n/a", "US", None),
            ("", "US", None),
        ]:
            self.assertEqual(_sanitize_phone(raw, region), expected, (raw, region))
        # The fast path gives phonenumbers' answer on a generated sample of the
        # formats it takes (and of near misses it must leave to phonenumbers).
        rng = random.Random(3)
        fast = 0
        for _index in range(400):
            digits = "".join(str(rng.randint(0, 9)) for _digit in range(10))
            raw = rng.choice(
                [
                    "({}{}{}){}{}{}-{}{}{}{}",
                    "{}{}{}.{}{}{}.{}{}{}{}",
                    "{}{}{}-{}{}{}-{}{}{}{}",
                    "{}{}{}{}{}{}{}{}{}{}",
                    "{}{}{} {}{}{} {}{}{}{}",
                ]
            ).format(*digits)
            for region in ("US", "CA"):
                fast += bool(NANP_NATIONAL.fullmatch(raw))
                self.assertEqual(
                    _sanitize_phone(raw, region), _parse_phone(raw, region), raw
                )
        self.assertGreater(fast, 400)
        # The E.164 result is phonenumbers' own on a generated sample.
        rows, _expected = _generated_rows(120, seed=5)
        for row in rows:
            parsed = phonenumbers.parse(row[3].replace("001-", "+1-", 1), "US")
            self.assertEqual(
                _sanitize_phone(row[3], "US"),
                phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164),
            )

    def test_migration_recomputes_flags(self):
        self._import_dialog(
            _csv(
                ["Email", "Phone 1", "Country"],
                [
                    ["one@acme.example", "348.627.3162", "Syrian Arab Republic"],
                    ["two@acme.example", "12", "Korea"],
                    ["eve@umbrella.example", "", "USA"],
                    ["", "+32 2 555 77 66", "Belgium"],
                ],
            )
        )
        contacts = self.rented_list.contact_ids
        after_import = {
            c.id: (c.validity, c.is_mailable, c.is_callable, c.cleaning_warnings)
            for c in contacts
        }
        figures = (self.rented_list.mailable_count, self.rented_list.callable_count)
        self.assertEqual(figures[0], 2)
        # The state 1.1.0 left: phones without a country code invalid, countries
        # ISO spells its own way unknown, no flags.
        self.env.flush_all()
        self.env.cr.execute(
            """
            UPDATE crm_rented_list_contact
               SET validity = 'invalid_phone', is_mailable = NULL,
                   is_callable = NULL, cleaning_warnings = NULL, country_id = NULL
             WHERE rented_list_id = %s
            """,
            [self.rented_list.id],
        )
        self.env.cr.execute(
            "UPDATE crm_rented_list SET mailable_count = 0, callable_count = 0 "
            "WHERE id = %s",
            [self.rented_list.id],
        )
        self.env.invalidate_all()
        spec = importlib.util.spec_from_file_location(
            "lead_lifecycle_migration_1_2_0",
            file_path("lead_lifecycle/migrations/18.0.1.2.0/post-migration.py"),
        )
        migration = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(migration)
        migration.migrate(self.env.cr, None)  # a new install: nothing to do
        self.assertFalse(any(contacts.mapped("is_mailable")))
        migration.migrate(self.env.cr, "18.0.1.1.0")
        self.env.invalidate_all()
        self.assertEqual(
            {
                c.id: (c.validity, c.is_mailable, c.is_callable, c.cleaning_warnings)
                for c in contacts
            },
            after_import,
        )
        self.assertEqual(
            (self.rented_list.mailable_count, self.rented_list.callable_count), figures
        )
        self.assertEqual(
            contacts.filtered(lambda c: c.email == "one@acme.example").country_id,
            self.env.ref("base.sy"),
        )
