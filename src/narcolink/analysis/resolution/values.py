"""Phones, emails, dates and identifiers in the forms the comparisons need.

Stored values are already cleaned at import (phones as E.164, dates as ISO prefixes); these
functions also accept raw text, because evaluation data sets and partners' files arrive
uncleaned. Each returns None for a value that carries no evidence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import phonenumbers

_DIGITS = re.compile(r"\d+")
_E164 = re.compile(r"^\+[1-9]\d{7,14}$")
_PLACEHOLDER_PHONES = frozenset({"0000000000", "1111111111", "9999999999", "1234567890"})


def phone_e164(text: str, region: str | None = None) -> str | None:
    """E.164 form of a phone number (``region`` reads national numbers), None if invalid."""
    text = text.strip()
    if not text:
        return None
    if _E164.match(text):  # already cleaned at import: keep it, minus placeholder lines
        return None if len(set(text[-10:])) == 1 else text
    try:
        number = phonenumbers.parse(text, region.upper() if region else None)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    national = str(number.national_number)
    if national in _PLACEHOLDER_PHONES or len(set(national)) == 1:
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def phone_tail(e164: str, digits: int = 8) -> str:
    """The last digits: the same line written with a wrong or missing country code."""
    return e164[-digits:]


_GMAIL_LIKE = frozenset({"gmail.com", "googlemail.com"})


def email_key(text: str) -> str | None:
    """Lower-cased address; Gmail's dots and +tags (which reach the same box) removed."""
    text = text.strip().lower()
    local, at, domain = text.rpartition("@")
    if not at or not local or "." not in domain:
        return None
    local = local.split("+", 1)[0]
    if domain in _GMAIL_LIKE:
        local, domain = local.replace(".", ""), "gmail.com"
    return f"{local}@{domain}" if local else None


def email_local(key: str) -> str:
    return key.partition("@")[0]


@dataclass(frozen=True)
class PartialDate:
    """A date known to the year, the month or the day."""

    year: int
    month: int | None = None
    day: int | None = None

    @property
    def iso(self) -> str:
        out = f"{self.year:04d}"
        if self.month:
            out += f"-{self.month:02d}"
            if self.day:
                out += f"-{self.day:02d}"
        return out

    @property
    def digits(self) -> str | None:
        """YYYYMMDD when the day is known (compared with an edit distance for typos)."""
        if self.month and self.day:
            return f"{self.year:04d}{self.month:02d}{self.day:02d}"
        return None

    @property
    def swapped(self) -> str | None:
        """YYYYDDMM: the same date with day and month exchanged (a common entry error)."""
        if self.month and self.day and self.day <= 12 and self.day != self.month:
            return f"{self.year:04d}{self.day:02d}{self.month:02d}"
        return None


_ISO = re.compile(r"^\s*(\d{4})(?:[-/.](\d{1,2})(?:[-/.](\d{1,2}))?)?\s*(?:[T ].*)?$")
_DMY = re.compile(r"^\s*(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})\s*$")
_COMPACT = re.compile(r"^\s*(\d{4})(\d{2})(\d{2})\s*$")


# Characters that scanning or hurried typing puts in place of digits.
_OCR_DIGITS = str.maketrans({"o": "0", "O": "0", "|": "1", "l": "1", "I": "1", "S": "5",
                             "Z": "2", "B": "8"})  # fmt: skip


def parse_date(text: str, day_first: bool = True) -> PartialDate | None:
    """ISO (full or partial), YYYYMMDD, or DD/MM/YYYY (MM/DD when ``day_first`` is False).

    Impossible dates keep what is certain: 1990-02-30 is known to the month; a month
    over 12 with a day that could be a month is read as day and month swapped."""
    text = text.strip().translate(_OCR_DIGITS)
    if not text:
        return None
    year = month = day = None
    if m := _COMPACT.match(text):
        year, month, day = (int(g) for g in m.groups())
    elif m := _ISO.match(text):
        year = int(m.group(1))
        month = int(m.group(2)) if m.group(2) else None
        day = int(m.group(3)) if m.group(3) else None
    elif m := _DMY.match(text):
        first, second, year = (int(g) for g in m.groups())
        day, month = (first, second) if day_first else (second, first)
        if month > 12 >= day:
            day, month = month, day
    if year is None or not 1800 <= year <= 2100:
        return None
    if month and day and month > 12 >= day:
        month, day = day, month
    if month is None or not 1 <= month <= 12:
        return PartialDate(year)
    if day is None:
        return PartialDate(year, month)
    try:
        date(year, month, day)
    except ValueError:
        return PartialDate(year, month)
    return PartialDate(year, month, day)


_ID_NOISE = re.compile(r"[^0-9A-Za-z]")


def identifier_key(text: str) -> str | None:
    """Identifiers compared whole: upper case, no spaces, dashes or dots; None if trivial."""
    key = _ID_NOISE.sub("", text).upper()
    if len(key) < 4 or len(set(key)) == 1:
        return None
    return key
