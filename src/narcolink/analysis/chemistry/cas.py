"""CAS Registry Numbers: format and check digit (pure, no RDKit)."""

from __future__ import annotations

import re

CAS_PATTERN = re.compile(r"^(\d{2,7})-(\d{2})-(\d)$")


def cas_check_digit(body: str) -> int:
    """The check digit for the digits before it (weights 1, 2, 3, ... from the right)."""
    digits = body[::-1]
    return sum((i + 1) * int(d) for i, d in enumerate(digits)) % 10


def is_valid_cas(text: str) -> bool:
    """True for a well-formed CAS number whose check digit is right."""
    match = CAS_PATTERN.match(text.strip())
    if not match:
        return False
    return cas_check_digit(match.group(1) + match.group(2)) == int(match.group(3))


def looks_like_cas(text: str) -> bool:
    return bool(CAS_PATTERN.match(text.strip()))
