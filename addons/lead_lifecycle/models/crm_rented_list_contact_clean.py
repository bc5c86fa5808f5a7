# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# Concern: cleaning the rows of a rented list: countries resolved, emails and phones
# validated, each row's validity, reason and warnings, and its channel flags from the
# new values. Rows are flagged, never dropped.
import functools
import unicodedata

import pycountry

from odoo import api, models
from odoo.tools import SQL

from .contact_data import (
    normalize_email as _normalize_email,
)
from .contact_data import (
    sanitize_phone as _sanitize_phone,
)
from .crm_rented_list_contact_import import BATCH_SIZE, IMPORT_COLUMNS
from .crm_rented_list_match import CALLABLE_SQL, MAILABLE_SQL

MAX_VALUE_LENGTH = 256


def _flags_from_values(condition):
    """MAILABLE_SQL or CALLABLE_SQL on the values ``v`` of _clean's UPDATE."""
    for column in ("email_normalized", "phone_sanitized", "validity"):
        condition = condition.replace(f"c.{column}", f"v.{column}")
    return SQL(condition)


@functools.lru_cache(maxsize=4096)
def _country_key(name):
    """Exact-match key of a country name: casefolded, accents, curly apostrophes
    and repeated spaces ignored ("Cote d'Ivoire" is "Côte d'Ivoire"); no fuzzy
    matching."""
    text = unicodedata.normalize("NFKD", name.replace("\u2019", "'"))
    text = "".join(char for char in text if not unicodedata.combining(char))
    return " ".join(text.casefold().split())


class CrmRentedListContact(models.Model):
    _inherit = "crm.rented.list.contact"

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _clean(self):
        """Resolve countries, validate emails and phones; flag rows, never drop them.

        Rows are read and written in batches of BATCH_SIZE with one SELECT and one
        UPDATE ... FROM unnest() each; the per-row work is pure Python: a regular
        expression for plain ASCII emails (email_validator for the rest), a cached
        phonenumbers parse per (phone, region), one country lookup built per call.
        The channel flags are set here from the row's current match and response,
        and again once the rows are matched (crm.rented.list._sync_channel_flags).
        """
        if not self:
            return
        self.env.flush_all()
        countries = self._clean_country_lookup()
        self.env.cr.execute(
            SQL(
                """
                SELECT DISTINCT c.rented_list_id, co.code
                  FROM crm_rented_list_contact c
                  JOIN res_company rc ON rc.id = c.company_id
                  JOIN res_partner p ON p.id = rc.partner_id
                  JOIN res_country co ON co.id = p.country_id
                 WHERE c.id = ANY(%s)
                """,
                self.ids,
            )
        )
        regions = dict(self.env.cr.fetchall())
        for start in range(0, len(self.ids), BATCH_SIZE):
            batch_ids = self.ids[start : start + BATCH_SIZE]
            self.env.cr.execute(
                SQL(
                    """
                    SELECT c.id, c.email, c.phone, c.mobile, c.country_name,
                           c.rented_list_id, %s
                      FROM crm_rented_list_contact c
                     WHERE c.id = ANY(%s)
                    """,
                    SQL(
                        ", ".join(
                            f"length(coalesce(c.{name}, ''))" for name in IMPORT_COLUMNS
                        )
                    ),
                    batch_ids,
                )
            )
            results = [
                self._clean_row(row, countries, regions.get(row[5]))
                for row in self.env.cr.fetchall()
            ]
            self.env.cr.execute(
                SQL(
                    """
                    UPDATE crm_rented_list_contact c
                       SET email_normalized = v.email_normalized,
                           phone_sanitized = v.phone_sanitized,
                           validity = v.validity,
                           validity_reason = v.reason,
                           cleaning_warnings = v.warnings,
                           country_id = v.country_id,
                           is_mailable = (%s),
                           is_callable = (%s)
                      FROM unnest(%s::int[], %s::varchar[], %s::varchar[],
                                  %s::varchar[], %s::varchar[], %s::varchar[],
                                  %s::int[])
                           AS v(id, email_normalized, phone_sanitized, validity,
                                reason, warnings, country_id)
                     WHERE c.id = v.id
                    """,
                    # The flags from the new values, in the same UPDATE (the
                    # matching that follows only rewrites the rows it suppresses).
                    _flags_from_values(MAILABLE_SQL),
                    _flags_from_values(CALLABLE_SQL),
                    *map(list, zip(*results, strict=True)),
                )
            )
        self.invalidate_recordset(
            [
                "country_id",
                "email_normalized",
                "phone_sanitized",
                "validity",
                "validity_reason",
                "cleaning_warnings",
                "is_mailable",
                "is_callable",
            ]
        )

    @api.model
    def _clean_country_lookup(self):
        """{country key: (res.country id, ISO alpha-2)}, built once per cleaning.

        Keys (see _country_key) are, from pycountry's ISO 3166 data, every
        country's alpha-2 and alpha-3 code, name, common name and official name,
        and Odoo's res.country names in every installed language. No alias table:
        a name ISO does not give ("Korea", which is the start of both "Korea,
        Republic of" and "Korea, Democratic People's Republic of") stays unknown,
        a warning with the raw value kept. A key that would name two countries
        (none today) is dropped rather than guessed.
        """
        langs = {code for code, _name in self.env["res.lang"].get_installed()}
        self.env.cr.execute("SELECT id, code, name FROM res_country")
        by_code = {}
        names = {}
        for country_id, code, name in self.env.cr.fetchall():
            by_code[code.upper()] = (country_id, code.upper())
            names[code.upper()] = [
                value for lang, value in (name or {}).items() if lang in langs
            ] + [(name or {}).get("en_US") or ""]
        candidates = {}
        for country in pycountry.countries:
            code = country.alpha_2
            for attribute in (
                "alpha_2",
                "alpha_3",
                "name",
                "common_name",
                "official_name",
            ):
                value = getattr(country, attribute, None)
                if value:
                    candidates.setdefault(_country_key(value), set()).add(code)
        for code, values in names.items():
            for value in [code, *values]:
                if value:
                    candidates.setdefault(_country_key(value), set()).add(code)
        return {
            key: by_code[codes.pop()]
            for key, codes in candidates.items()
            if len(codes) == 1 and next(iter(codes)) in by_code
        }

    @api.model
    def _clean_row(self, row, countries, default_region=None):
        """(id, email, phone, validity, reason, warnings, country) of one fetched
        row.

        Validity says whether the row can be used at all: ``empty`` (no email, no
        phone), ``invalid_value`` (a value too long), ``invalid_email`` (the email
        given is malformed), ``invalid_phone`` (no email and no phone that can be
        dialled), else ``valid``. An unknown country or a bad phone next to a
        valid email is a warning, not an invalid row."""
        contact_id, email, phone, mobile, country_name = row[:5]
        lengths = row[6:]
        normalized = sanitized = None
        reasons = []
        warnings = []
        validity = "valid"
        country_id, region = None, default_region
        if country_name:
            country_id, region = countries.get(
                _country_key(country_name), (None, default_region)
            )
            if not country_id:
                warnings.append(
                    self.env._(
                        "Unknown country %(country)s (kept as written)",
                        country=country_name,
                    )
                )
        too_long = [
            self._fields[name].string
            for name, length in zip(IMPORT_COLUMNS, lengths, strict=True)
            if length > MAX_VALUE_LENGTH and name != "notes"
        ]
        if too_long:
            validity = "invalid_value"
            reasons.append(
                self.env._("Value too long in %(columns)s", columns=", ".join(too_long))
            )
        if email:
            normalized, error = _normalize_email(email)
            if error:
                if validity == "valid":
                    validity = "invalid_email"
                reasons.append(
                    self.env._(
                        "Malformed email %(email)s: %(error)s", email=email, error=error
                    )
                )
        bad_phones = []
        for number in (phone, mobile):
            if not number:
                continue
            formatted = _sanitize_phone(number, region)
            if not formatted:
                bad_phones.append(self.env._("Invalid phone %(phone)s", phone=number))
            elif sanitized is None:
                sanitized = formatted
        if not email and not phone and not mobile:
            validity = "empty"
            reasons.append(self.env._("No email and no phone"))
        elif not email and not sanitized:
            if validity == "valid":
                validity = "invalid_phone"
            reasons += bad_phones
            bad_phones = []
        warnings += bad_phones
        return (
            contact_id,
            normalized,
            sanitized,
            validity,
            "; ".join(reasons) or None,
            "; ".join(warnings) or None,
            country_id,
        )

    @api.model
    def _clean_values(self, rented_list, fields, values):
        """The cleaning (_clean_row) of rows of a file about to be added to
        ``rented_list``: ``values`` are their values (_row_values) in the order of
        ``fields``. Returns one result of _clean_row per row, without an id."""
        countries = self._clean_country_lookup()
        region = rented_list.company_id.partner_id.country_id.code or None
        # Positions in the rows of the columns _clean_row reads (None: not in the
        # file), then of every import column for the lengths.
        index = {name: position for position, name in enumerate(fields)}
        read = [index.get(name) for name in ("email", "phone", "mobile")]
        read.append(index.get("country_name"))
        lengths = [index.get(name) for name in IMPORT_COLUMNS]
        results = []
        for row in values:
            size = len(row)
            cells = [
                row[position] if position is not None and position < size else None
                for position in (*read, *lengths)
            ]
            results.append(
                self._clean_row(
                    (
                        None,
                        *cells[:4],
                        rented_list.id,
                        *(len(cell) if cell else 0 for cell in cells[4:]),
                    ),
                    countries,
                    region,
                )
            )
        return results
