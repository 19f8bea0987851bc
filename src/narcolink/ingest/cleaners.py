"""One cleaning function per property, chosen once per file.

``model.values.clean_value`` dispatches on the property type for every value; on a
million-row import that dispatch (a chain of type comparisons) costs more than the
cleaning. Here the same building blocks are picked once per property. Results are the
same as ``clean_value``'s (a property-based test checks it); a type not listed here goes
through ``clean_value`` itself.
"""

from __future__ import annotations

from collections.abc import Callable

from followthemoney.property import Property
from followthemoney.types import registry

from narcolink.model.values import (
    ValueRejected,
    clean_date,
    clean_email,
    clean_number,
    clean_text,
    clean_value,
)

Cleaner = Callable[[str, int], str]  # (raw text, max characters) -> stored value

PLAIN_TYPES = frozenset({"string", "text", "name", "address", "identifier"})
FTM_TYPES = frozenset(
    {"country", "url", "ip", "gender", "language", "topic", "checksum", "mimetype"}
)


def _text(raw: str, max_chars: int) -> str:
    text = clean_text(raw, max_chars)
    if not text:
        raise ValueRejected("empty value")
    return text


def _number(raw: str, max_chars: int) -> str:
    return clean_number(_text(raw, max_chars))


def _date(raw: str, max_chars: int) -> str:
    return clean_date(_text(raw, max_chars))


def _email(raw: str, max_chars: int) -> str:
    return clean_email(_text(raw, max_chars))


def _ftm(kind_name: str) -> Cleaner:
    kind = registry.get(kind_name)
    assert kind is not None

    def clean(raw: str, max_chars: int) -> str:
        cleaned = kind.clean_text(_text(raw, max_chars))
        if cleaned is None:
            raise ValueRejected(f"not a valid {kind.name}")
        return cleaned

    return clean


def cleaner_for(prop: Property) -> Cleaner:
    """The cleaning function for values of ``prop`` (phones excepted: they need a region)."""
    kind = prop.type.name
    if kind in PLAIN_TYPES:
        return _text
    if kind == "number":
        return _number
    if kind == "date":
        return _date
    if kind == "email":
        return _email
    if kind in FTM_TYPES:
        return _ftm(kind)

    def general(raw: str, max_chars: int) -> str:
        return clean_value(prop, raw, region=None, max_chars=max_chars)

    return general
