"""Typed cleaning of property values, with a reason for every rejection.

FtM's ``EntityProxy.add`` silently drops values it cannot clean; an analyst importing
a file must instead be told which value was refused and why, so cleaning here returns
either a clean value or a reason.
"""

from __future__ import annotations

import math
import re
import unicodedata
from datetime import date

import phonenumbers
from followthemoney.property import Property
from followthemoney.types import registry

from narcolink.model.phones import fast_e164

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_ISO_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_PLAIN_EMAIL = re.compile(
    r"^[A-Za-z0-9._%+\-]{1,64}@[A-Za-z0-9\-]{1,63}(?:\.[A-Za-z0-9\-]{1,63})+$"
)
_ENTITY_REF = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:\-/]{0,254}$")


class ValueRejected(ValueError):
    """A raw value that cannot be stored in the property's type."""


def clean_text(raw: str, max_chars: int) -> str:
    """NFC-normalise, strip and refuse control characters and oversize values."""
    text = unicodedata.normalize("NFC", raw).strip()
    if len(text) > max_chars:
        raise ValueRejected(f"value has {len(text):,} characters; the limit is {max_chars:,}")
    if _CONTROL.search(text):
        raise ValueRejected("value contains control characters")
    return text


def clean_phone(text: str, region: str | None) -> str:
    fast = fast_e164(text, region)
    if fast is not None:
        return fast
    hint = "" if region or text.startswith("+") else " (no country known: write it as +CC...)"
    try:
        number = phonenumbers.parse(text, region.upper() if region else None)
    except phonenumbers.NumberParseException as exc:
        if exc.error_type == phonenumbers.NumberParseException.INVALID_COUNTRY_CODE and hint:
            raise ValueRejected(f"not a phone number{hint}") from None
        reason = re.sub(r"^\(\d+\)\s*", "", str(exc)).rstrip(".")
        raise ValueRejected(f"not a phone number ({reason})") from None
    if not phonenumbers.is_possible_number(number):
        raise ValueRejected(f"not a possible phone number{hint}")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def clean_date(text: str) -> str:
    """ISO dates (YYYY, YYYY-MM, YYYY-MM-DD) checked here; other forms go through FtM."""
    match = _ISO_DATE.match(text)
    if match is None:
        cleaned = registry.date.clean_text(text)
        if cleaned is None:
            raise ValueRejected("not a valid date (use YYYY-MM-DD, YYYY-MM or YYYY)")
        return cleaned
    year, month, day = match.groups()
    try:
        date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        raise ValueRejected(f"not a valid date: {text!r} does not exist") from None
    return text


def clean_email(text: str) -> str:
    """Plain ASCII addresses checked here (lower-cased domain); others through FtM."""
    if _PLAIN_EMAIL.match(text):
        local, _, domain = text.rpartition("@")
        return f"{local}@{domain.lower()}"
    cleaned = registry.email.clean_text(text)
    if cleaned is None:
        raise ValueRejected("not a valid email address")
    return cleaned


def clean_number(text: str) -> str:
    candidate = text.replace(",", "").replace("_", "").strip()
    try:
        number = float(candidate)
    except ValueError:
        raise ValueRejected("not a number") from None
    if not math.isfinite(number):
        raise ValueRejected("not a finite number")
    return candidate


def clean_value(prop: Property, raw: object, *, region: str | None, max_chars: int) -> str:
    """Return the stored form of ``raw`` for ``prop`` or raise ValueRejected with a reason."""
    if raw is None:
        raise ValueRejected("empty value")
    if isinstance(raw, bool) or not isinstance(raw, str | int | float):
        raise ValueRejected(f"expected text, got {type(raw).__name__}")
    text = clean_text(str(raw), max_chars)
    if not text:
        raise ValueRejected("empty value")
    kind = prop.type
    if kind == registry.phone:
        return clean_phone(text, region)
    if kind == registry.number:
        return clean_number(text)
    if kind == registry.date:
        return clean_date(text)
    if kind == registry.email:
        return clean_email(text)
    if kind == registry.entity:
        if not _ENTITY_REF.match(text):
            raise ValueRejected("not a record reference (letters, digits and ._:-/ only)")
        return text
    if kind in (
        registry.date,
        registry.country,
        registry.email,
        registry.url,
        registry.ip,
        registry.gender,
        registry.language,
        registry.topic,
        registry.checksum,
        registry.mimetype,
    ):
        cleaned = kind.clean_text(text)
        if cleaned is None:
            raise ValueRejected(f"not a valid {kind.name}")
        return cleaned
    if kind == registry.identifier:
        return text
    return text


def phone_region(country_values: list[str], default: str | None) -> str | None:
    """Region used to read national phone numbers: the record's country, else the agency's."""
    for value in country_values:
        if len(value) == 2:
            return value
    return default
