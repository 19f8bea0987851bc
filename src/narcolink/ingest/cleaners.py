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
Step = Callable[[str], str]  # cleaned text -> stored value

PLAIN_TYPES = frozenset({"string", "text", "name", "address", "identifier"})
FTM_TYPES = frozenset(
    {"country", "url", "ip", "gender", "language", "topic", "checksum", "mimetype"}
)


def _text(raw: str, max_chars: int) -> str:
    text = clean_text(raw, max_chars)
    if not text:
        raise ValueRejected("empty value")
    return text


def _as_is(text: str) -> str:
    return text


def _ftm(kind_name: str) -> Step:
    kind = registry.get(kind_name)
    assert kind is not None

    def clean(text: str) -> str:
        cleaned = kind.clean_text(text)
        if cleaned is None:
            raise ValueRejected(f"not a valid {kind.name}")
        return cleaned

    return clean


def step_for(prop: Property) -> Step | None:
    """What ``prop``'s cleaner does after the text cleaning (NFC, strip, size and
    control-character checks), or None when it is not built that way."""
    kind = prop.type.name
    if kind in PLAIN_TYPES:
        return _as_is
    if kind == "number":
        return clean_number
    if kind == "date":
        return clean_date
    if kind == "email":
        return clean_email
    if kind in FTM_TYPES:
        return _ftm(kind)
    return None


def cleaner_for(prop: Property) -> Cleaner:
    """The cleaning function for values of ``prop`` (phones excepted: they need a region)."""
    step = step_for(prop)
    if step is _as_is:
        return _text
    if step is not None:
        typed = step

        def clean(raw: str, max_chars: int) -> str:
            return typed(_text(raw, max_chars))

        return clean

    def general(raw: str, max_chars: int) -> str:
        return clean_value(prop, raw, region=None, max_chars=max_chars)

    return general
