"""The fast phone path answers only where ``phonenumbers.parse`` gives the same answer."""

from __future__ import annotations

import random

import phonenumbers
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from phonenumbers import COUNTRY_CODE_TO_REGION_CODE

from narcolink.model.phones import fast_e164
from narcolink.model.values import ValueRejected, clean_phone

REGIONS = [None, "IN", "US", "GB", "DE", "IT", "AR", "MX", "BR", "CN", "AE", "NG", "RU", "XX"]


def full_parse(text: str, region: str | None) -> str | None:
    """What the library alone makes of it: E.164, or None when it refuses."""
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def written(rng: random.Random, digits: str) -> str:
    """Digits grouped as people write them: runs split by single spaces or hyphens."""
    out, at = [], 0
    while at < len(digits):
        step = rng.randint(1, 5)
        out.append(digits[at : at + step])
        at += step
    sep = rng.choice([" ", "-", ""])
    return sep.join(out)


def test_every_calling_code_and_length_agrees_with_the_library() -> None:
    rng = random.Random(7)
    answered = 0
    for code in sorted(COUNTRY_CODE_TO_REGION_CODE):
        for length in range(1, 19):
            for _ in range(6):
                national = "".join(rng.choice("0123456789") for _ in range(length))
                for text in (f"+{code}{written(rng, national)}", written(rng, national)):
                    region = rng.choice(REGIONS)
                    fast = fast_e164(text, region)
                    if fast is not None:
                        answered += 1
                        assert fast == full_parse(text, region), (text, region)
    # The fast path must be worth having: it answers a good share of plain numbers.
    assert answered > 5_000


@settings(max_examples=3000)
@given(
    st.text(alphabet="+0123456789 -()./x#", min_size=1, max_size=24),
    st.sampled_from(REGIONS),
)
def test_any_text_fast_answer_is_the_library_answer(text: str, region: str | None) -> None:
    fast = fast_e164(text, region)
    if fast is not None:
        assert fast == full_parse(text, region)


@pytest.mark.parametrize(
    ("text", "region", "expected"),
    [
        ("+91 98765 43210", None, "+919876543210"),
        ("+1-202-555-0143", "IN", "+12025550143"),
        ("9876543210", "IN", "+919876543210"),
        ("098765 43210", "IN", None),  # national prefix: the full parser strips it
        ("0091 98765 43210", "IN", None),  # international prefix
        ("919876543210", "IN", None),  # country code without '+'
        ("+39 06 1234 5678", None, None),  # Italian leading zero
        ("(202) 555-0143", "US", None),  # brackets: the full parser
        ("98765 43210", None, None),  # no country known
        ("+91 98765", None, None),  # too short: the full parser words the refusal
    ],
)
def test_which_forms_take_the_fast_path(
    text: str, region: str | None, expected: str | None
) -> None:
    assert fast_e164(text, region) == expected


def test_clean_phone_gives_the_library_answer_both_ways() -> None:
    for text, region in [
        ("+91 98765 43210", None),
        ("098765 43210", "in"),
        ("+39 06 1234 5678", None),
    ]:
        assert clean_phone(text, region) == full_parse(text, region.upper() if region else None)
    with pytest.raises(ValueRejected, match="not a possible phone number"):
        clean_phone("+91 98765", None)
