"""Value cleaning: a clean stored form, or a rejection that says why."""

from __future__ import annotations

import pytest
from followthemoney.property import Property
from hypothesis import given, settings
from hypothesis import strategies as st

from narcolink.model.values import ValueRejected, clean_value, phone_region
from narcolink.model.vocabulary import get_property, get_schema

LIMIT = 100_000


def prop(schema: str, name: str) -> Property:
    return get_property(get_schema(schema), name)


PHONE = prop("Person", "phone")


@pytest.mark.parametrize(
    ("raw", "region", "expected"),
    [
        ("98123 45678", "in", "+919812345678"),
        ("098123 45678", "IN", "+919812345678"),
        ("+91 98123 45678", None, "+919812345678"),
        ("+91-98123-45678", "us", "+919812345678"),  # an explicit country code wins
        ("0091 98123 45678", "in", "+919812345678"),
        ("011 2345 6789", "in", "+911123456789"),  # Delhi landline with trunk zero
        ("(202) 555-0143", "us", "+12025550143"),
        ("202.555.0143", "US", "+12025550143"),
        ("+1 202 555 0143", None, "+12025550143"),
        ("1-202-555-0143", "us", "+12025550143"),
        ("+971 50 123 4567", None, "+971501234567"),
    ],
)
def test_phones_become_e164(raw: str, region: str | None, expected: str) -> None:
    assert clean_value(PHONE, raw, region=region, max_chars=LIMIT) == expected


@pytest.mark.parametrize(
    ("raw", "region", "reason"),
    [
        ("12", "in", "not a possible phone number"),
        ("call me", "in", "not a phone number"),
        ("98123 45678", None, "no country known"),
        ("555 01", "us", "not a possible phone number"),
    ],
)
def test_bad_phones_are_rejected_with_a_reason(raw: str, region: str | None, reason: str) -> None:
    with pytest.raises(ValueRejected, match=reason):
        clean_value(PHONE, raw, region=region, max_chars=LIMIT)


@pytest.mark.parametrize(
    ("schema", "name", "raw", "expected"),
    [
        ("Person", "birthDate", "1990-05-01", "1990-05-01"),
        ("Person", "birthDate", "1990-05", "1990-05"),
        ("Seizure", "date", "2025-05-18T10:30:00", "2025-05-18T10:30:00"),
        ("Person", "nationality", "India", "in"),
        ("Person", "nationality", "IN", "in"),
        ("Person", "nationality", "United States", "us"),
        ("Person", "email", "Vendor@Example.com", "Vendor@example.com"),
        ("SeizedItem", "quantity", "3.7", "3.7"),
        ("SeizedItem", "quantity", "17,000", "17000"),
        ("SeizedItem", "quantity", 42, "42"),
        ("Consignment", "trackingNumber", " EE123456789IN ", "EE123456789IN"),
        ("Person", "name", "  राजेश कुमार ", "राजेश कुमार"),
        ("Person", "name", "Jose\u0301", "José"),  # NFC
        ("SeizedItem", "seizure", "ncb-0123abcd", "ncb-0123abcd"),
        ("OnlineListing", "url", "https://b2b.example/vendor/42", "https://b2b.example/vendor/42"),
    ],
)
def test_good_values_are_cleaned(schema: str, name: str, raw: object, expected: str) -> None:
    assert clean_value(prop(schema, name), raw, region="in", max_chars=LIMIT) == expected


@pytest.mark.parametrize(
    ("schema", "name", "raw", "reason"),
    [
        ("Person", "birthDate", "2020-13-45", "not a valid date"),
        ("Person", "birthDate", "yesterday", "not a valid date"),
        ("Person", "birthDate", "31/02/2020", "not a valid date"),
        ("Person", "nationality", "Narnia", "not a valid country"),
        ("Person", "nationality", "XX", "not a valid country"),
        ("Person", "email", "not-an-email", "not a valid email"),
        ("Person", "email", "a@", "not a valid email"),
        ("SeizedItem", "quantity", "three", "not a number"),
        ("SeizedItem", "quantity", "nan", "not a finite number"),
        ("SeizedItem", "quantity", "inf", "not a finite number"),
        ("SeizedItem", "seizure", "<script>", "not a record reference"),
        ("SeizedItem", "seizure", "a b", "not a record reference"),
        ("Person", "name", "   ", "empty value"),
        ("Person", "name", None, "empty value"),
        ("Person", "name", True, "expected text, got bool"),
        ("Person", "name", ["a"], "expected text, got list"),
        ("Person", "name", "a\x00b", "control characters"),
        ("Person", "name", "bell\x07", "control characters"),
        ("Person", "name", "esc\x1b[31m", "control characters"),
        ("Person", "name", "del\x7f", "control characters"),
    ],
)
def test_bad_values_are_rejected_with_a_reason(
    schema: str, name: str, raw: object, reason: str
) -> None:
    with pytest.raises(ValueRejected, match=reason):
        clean_value(prop(schema, name), raw, region="in", max_chars=LIMIT)


def test_a_million_character_value_is_rejected_naming_the_limit() -> None:
    with pytest.raises(ValueRejected, match="1,000,000 characters; the limit is 100,000"):
        clean_value(prop("Person", "notes"), "x" * 1_000_000, region=None, max_chars=LIMIT)


def test_a_value_at_the_limit_is_kept() -> None:
    value = "y" * 100
    assert clean_value(prop("Person", "notes"), value, region=None, max_chars=100) == value


def test_newlines_and_tabs_are_not_control_characters_for_text() -> None:
    text = "line one\nline two\tindented"
    assert clean_value(prop("Person", "notes"), text, region=None, max_chars=LIMIT) == text


def test_phone_region_prefers_the_record_country() -> None:
    assert phone_region(["us"], "in") == "us"
    assert phone_region(["zz-unknown", "ae"], "in") == "ae"
    assert phone_region([], "in") == "in"
    assert phone_region([], None) is None


PROPS = [
    prop("Person", "name"),
    prop("Person", "phone"),
    prop("Person", "birthDate"),
    prop("Person", "nationality"),
    prop("Person", "email"),
    prop("Person", "notes"),
    prop("SeizedItem", "quantity"),
    prop("SeizedItem", "seizure"),
    prop("Consignment", "trackingNumber"),
    prop("OnlineListing", "url"),
    prop("CryptoWallet", "publicKey"),
]

raw_values = st.one_of(
    st.text(max_size=300),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=50),
    st.from_regex(r"\+?[0-9 ()\-.]{0,20}", fullmatch=True),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.none(),
    st.booleans(),
)


@settings(max_examples=300)
@given(st.sampled_from(PROPS), raw_values, st.sampled_from([None, "in", "us", "zz"]))
def test_clean_value_never_raises_anything_but_value_rejected(
    p: Property, raw: object, region: str | None
) -> None:
    try:
        cleaned = clean_value(p, raw, region=region, max_chars=200)
    except ValueRejected as exc:
        assert str(exc), "a rejection must say why"
        return
    assert isinstance(cleaned, str)
    assert cleaned == cleaned.strip() and cleaned
    assert len(cleaned) <= 200 or p.type.name in {"phone", "number"}
    assert not any(ord(c) < 32 and c not in "\t\n\r" for c in cleaned)


@settings(max_examples=300)
@given(st.sampled_from(PROPS), raw_values)
def test_cleaning_is_idempotent(p: Property, raw: object) -> None:
    """A cleaned value cleans to itself, so re-importing an export changes nothing."""
    try:
        once = clean_value(p, raw, region="in", max_chars=1000)
    except ValueRejected:
        return
    assert clean_value(p, once, region="in", max_chars=1000) == once
