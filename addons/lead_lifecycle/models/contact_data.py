# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Contact data: what makes an email or a phone valid, and their normal forms.

Plain functions (no model), the one place these rules are written; used by the
leads' qualification checklist and contactability hint (crm_lead_lifecycle.py), the
automatic first reply (crm_lead_first_reply.py), partner matching
(crm_lead_partner_match.py) and the cleaning of rented-list files
(crm_rented_list_contact_clean.py).

Email
    :func:`normalize_email` gives the normalized form of an address, or why it is
    malformed: email-validator's syntax rules (no deliverability check), with a
    fast path for plain ASCII addresses, the bulk of any file. :func:`email_valid`
    is email-validator's verdict alone, for an address that Odoo already
    normalized (``email_normalized``); crm's ``email_state`` accepts addresses such
    as ``@hotmail.com`` that it refuses.

Phone
    Two levels, on purpose. :func:`sanitize_phone` / :func:`parse_phone` keep a
    number that is *possible* (a full dialable length for its country) and give its
    E.164 form: what a campaign can dial; vendors' files are full of recently
    assigned ranges that a stricter check would drop. :func:`phone_valid` is
    Odoo's own check (phone_validation: a *valid* number for the country), what a
    lead must have to be qualified with "a valid phone".

Web domain
    :func:`web_domain` reads the domain of a website or an email;
    :data:`FREE_MAIL_DOMAINS` are the providers whose domain says nothing about the
    company of the person.
"""

import functools
import re

import phonenumbers
from email_validator import EmailNotValidError, validate_email

from odoo.exceptions import UserError
from odoo.tools import email_normalize

# ------------------------------------------------------------
# Email
# ------------------------------------------------------------

# Plain ASCII addresses, the bulk of any file; anything else goes to email_validator.
SIMPLE_EMAIL = re.compile(
    r"[a-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}",
)


def normalize_email(email):
    """(normalized email, None) or (None, why it is malformed)."""
    candidate = email.strip().lower()
    if len(candidate) <= 254 and SIMPLE_EMAIL.fullmatch(candidate):
        return candidate, None
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError as error:
        return None, str(error)
    return email_normalize(email) or candidate, None


def email_valid(email):
    """True when ``email`` (an address Odoo normalized) passes email-validator's
    syntax rules, without any deliverability check (no DNS lookup)."""
    if not email:
        return False
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError:
        return False
    return True


# ------------------------------------------------------------
# Phone
# ------------------------------------------------------------

PHONE_CACHE_SIZE = 200_000
# National North American numbers that phonenumbers reads as +1 and ten digits.
NANP_FAST_REGIONS = frozenset({"US", "CA"})
NANP_NATIONAL = re.compile(r"\(?([2-9]\d\d)\)?[ .\-]?([2-9]\d\d)[ .\-]?(\d{4})")


def sanitize_phone(number, region):
    """E.164 form of a phone number (its extension dropped), or None.

    A fast path reads the most common national format of a North American file
    (``(207)206-2066``, ``348.627.3162``, ``207-206-2066``, ``2072062066``: ten digits,
    area code and exchange not starting with 0 or 1) without phonenumbers, which
    gives the same answer for them (tests compare both on a sample); anything else
    goes to parse_phone.
    """
    if region in NANP_FAST_REGIONS:
        match = NANP_NATIONAL.fullmatch(number.strip())
        if match:
            return "+1" + "".join(match.groups())
    return parse_phone(number, region)


# "+" then digits and spaces: the international format most files use.
INTERNATIONAL_DIGITS = re.compile(r"\+[1-9][0-9 ]*")


@functools.lru_cache(maxsize=64)
def _national_prefix(country_code):
    """phonenumbers' metadata of a country calling code (that of its main region)
    and the compiled national prefix it strips when parsing, or None."""
    metadata = phonenumbers.PhoneMetadata.metadata_for_region_or_calling_code(
        country_code, phonenumbers.region_code_for_country_code(country_code)
    )
    pattern = metadata and metadata.national_prefix_for_parsing
    return metadata, re.compile(pattern) if pattern else None


def _international_e164(digits):
    """What parse_phone gives for ``+`` and ``digits``, without phonenumbers'
    parsing, which is most of its cost (~0.04 ms a number): the country calling
    code is read as phonenumbers reads it (the first 1 to 3 digits that are one),
    and the rest is the national number when phonenumbers would take it as it is:
    no national prefix to strip (e.g. the 0 of "+32 02 ..."), no leading zero kept
    (Italy), a length it accepts. Anything else returns NotImplemented and goes to
    phonenumbers (tests compare both on generated numbers of every country)."""
    for size in (1, 2, 3):
        country_code = int(digits[:size])
        if country_code in phonenumbers.COUNTRY_CODE_TO_REGION_CODE:
            break
    else:
        return NotImplemented
    national = digits[size:]
    metadata, prefix = _national_prefix(country_code)
    if (
        metadata is None
        or not 2 <= len(national) <= 17
        or national[0] == "0"
        or (prefix and prefix.match(national))
    ):
        return NotImplemented
    possible = phonenumbers.is_possible_number_with_reason(
        phonenumbers.PhoneNumber(
            country_code=country_code, national_number=int(national)
        )
    )
    if possible != phonenumbers.ValidationResult.IS_POSSIBLE:
        return None
    return f"+{country_code}{national}"


@functools.lru_cache(maxsize=PHONE_CACHE_SIZE)
def parse_phone(number, region):
    """E.164 form of a phone number by phonenumbers (its extension dropped), or None.

    Parsed by phonenumbers with ``region`` (ISO alpha-2: the row's country, else the
    list company's) for national formats such as ``(207)206-2066`` or
    ``348.627.3162``; ``+``, ``00`` and the region's own international prefix
    (``011`` in North America, which is also read without a region) are
    understood, and an extension (``x381``, ``ext. 12``) is accepted. A number is
    kept when it is *possible* (a full dialable length for its country), not only when
    its area code is assigned today: vendors' files are full of recently assigned or
    re-assigned ranges. Cached by (raw, region): a file repeats its switchboards.
    phonenumbers costs ~0.04 ms a number; the former digit-rule shortcut (7 to 15
    digits after a country code) disagreed with it on most national formats.
    """
    text = number.strip()
    if text.startswith("00"):
        text = "+" + text[2:]
    elif text.startswith("011") and not region:
        text = "+" + text[3:]
    if INTERNATIONAL_DIGITS.fullmatch(text):
        e164 = _international_e164(text[1:].replace(" ", ""))
        if e164 is not NotImplemented:
            return e164
    try:
        parsed = phonenumbers.parse(text, region or None)
    except phonenumbers.NumberParseException:
        return None
    # Possible as a full number: a number only dialable locally ("206-2066", the
    # "12" of a typo) cannot be called from a campaign.
    possible = phonenumbers.is_possible_number_with_reason(parsed)
    if possible != phonenumbers.ValidationResult.IS_POSSIBLE:
        return None
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def phone_valid(number, country_code=None):
    """True when ``number`` is a valid number for ``country_code`` (ISO alpha-2, or
    None for an international number), as Odoo's phone_validation says (the check
    behind crm's ``phone_state``)."""
    from odoo.addons.phone_validation.tools import phone_validation

    try:
        phone_validation.phone_parse(number, country_code or None)
    except UserError:
        return False
    return True


# ------------------------------------------------------------
# Web domain
# ------------------------------------------------------------

# Free-mail providers: the domain of such an address is not the person's company.
FREE_MAIL_DOMAINS = frozenset(
    {
        "gmail.com",
        "googlemail.com",
        "hotmail.com",
        "outlook.com",
        "live.com",
        "yahoo.com",
        "icloud.com",
        "me.com",
        "aol.com",
        "gmx.com",
        "gmx.net",
        "gmx.de",
        "web.de",
        "proton.me",
        "protonmail.com",
        "orange.fr",
        "free.fr",
        "laposte.net",
    }
)


def web_domain(value):
    """The domain of a website (``https://www.acme.com/about``) or of an email
    (``ann@acme.com``), lower-cased and without ``www.``; "" when there is none."""
    value = (value or "").strip().lower()
    if "@" in value:
        value = value.rpartition("@")[2]
    for prefix in ("https://", "http://"):
        value = value.removeprefix(prefix)
    return value.split("/")[0].removeprefix("www.")
