"""Search keys: names in their own script and in Latin; phones as E.164 and national."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from narcolink.model.keys import (
    MAX_KEY,
    common_romanisation,
    name_tokens,
    phone_tokens,
    query_tokens,
    record_keys,
    whole_token,
)


def finds(keys: set[str], query: str) -> bool:
    """How View.search matches: every word token as a prefix, or the whole form as a prefix."""
    tokens, whole = query_tokens(query)
    by_tokens = bool(tokens) and all(any(k.startswith(t) for k in keys) for t in tokens)
    by_whole = len(whole) >= 4 and any(k.startswith(whole) for k in keys)
    return by_tokens or by_whole


def has_script(tokens: set[str], script: str) -> bool:
    return any(any(script in unicodedata.name(c, "") for c in tok) for tok in tokens)


@pytest.mark.parametrize(
    ("name", "script", "native", "latin"),
    [
        ("राजेश कुमार", "DEVANAGARI", {"राजेश", "कुमार"}, {"rajesh", "kumar"}),
        ("सुनील शर्मा", "DEVANAGARI", {"सुनील", "शर्मा"}, {"sunil", "sharma"}),
        ("ਹਰਪ੍ਰੀਤ ਸਿੰਘ", "GURMUKHI", {"ਹਰਪ੍ਰੀਤ", "ਸਿੰਘ"}, {"singh"}),
        ("ਗੁਰਪ੍ਰੀਤ ਕੌਰ", "GURMUKHI", {"ਗੁਰਪ੍ਰੀਤ", "ਕੌਰ"}, {"kaur"}),
        ("عمران خان", "ARABIC", {"عمران", "خان"}, {"khan"}),
    ],
)
def test_names_in_other_scripts_get_native_and_latin_keys(
    name: str, script: str, native: set[str], latin: set[str]
) -> None:
    tokens = name_tokens(name)
    assert native <= tokens
    assert latin <= tokens
    assert has_script(tokens, script)
    assert any(t.isascii() for t in tokens)


@pytest.mark.parametrize(
    ("name", "query"),
    [
        ("राजेश कुमार", "राजेश"),
        ("राजेश कुमार", "कुमार राजेश"),
        ("राजेश कुमार", "rajesh kumar"),
        ("राजेश कुमार", "Rajesh"),
        ("राजेश कुमार", "raj"),
        ("ਹਰਪ੍ਰੀਤ ਸਿੰਘ", "ਸਿੰਘ"),
        ("ਹਰਪ੍ਰੀਤ ਸਿੰਘ", "singh"),
        ("عمران خان", "عمران خان"),
        ("عمران خان", "khan"),
        ("José Álvarez", "jose alvarez"),
        ("José Álvarez", "ÁLVAREZ"),
        ("O'Brien-Smith", "obrien"),
        ("Rajesh Kumar", "rajesh \u0301"),  # a stray combining mark is not a word
        ("Ryan D’Souza", "dsouza"),
        ("Ryan D’Souza", "d souza"),
    ],
)
def test_a_query_finds_the_name(name: str, query: str) -> None:
    assert finds(name_tokens(name), query)


@pytest.mark.parametrize(
    ("name", "query"),
    [("राजेश कुमार", "suresh"), ("José Álvarez", "jose garcia"), ("ਸਿੰਘ", "kaur")],
)
def test_a_query_does_not_find_other_names(name: str, query: str) -> None:
    assert not finds(name_tokens(name), query)


def test_indic_vowel_signs_are_kept_in_native_keys() -> None:
    # Stripping combining marks would turn कुमार into कमर (a different word).
    assert "कुमार" in name_tokens("कुमार")
    assert "कमर" not in name_tokens("कुमार")


def test_latin_names_are_case_and_accent_folded() -> None:
    assert name_tokens("José ÁLVAREZ") == {"jose", "alvarez"}


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("राजेश", "rajesh"),
        ("कुमार", "kumar"),
        ("शर्मा", "sharma"),
        ("चौधरी", "chaudhari"),
        ("ਸਿੰਘ", "singh"),
        ("ਕੌਰ", "kaur"),
        ("Rajesh", None),
        ("عمران", None),
    ],
)
def test_common_romanisation(word: str, expected: str | None) -> None:
    assert common_romanisation(word) == expected


@pytest.mark.parametrize(
    ("e164", "national"),
    [
        ("+919812345678", "9812345678"),
        ("+12025550143", "2025550143"),
        ("+971501234567", "501234567"),  # UAE: nine-digit national number
        ("+442079460958", "2079460958"),
    ],
)
def test_phone_keys_are_e164_digits_and_national_number(e164: str, national: str) -> None:
    assert phone_tokens(e164) == {e164.lstrip("+"), national}


@pytest.mark.parametrize(
    ("e164", "typed"),
    [
        ("+919812345678", "98123 45678"),
        ("+919812345678", "098123-45678"),
        ("+919812345678", "+91 98123 45678"),
        ("+919812345678", "0091 9812345678"),
        ("+919812345678", "9812345"),  # as you type
        ("+12025550143", "(202) 555-0143"),
        ("+12025550143", "+1 202.555.0143"),
        ("+12025550143", "1-202-555-0143"),
        ("+971501234567", "050 123 4567"),
        ("+971501234567", "+971 50 123 4567"),
    ],
)
def test_a_phone_typed_any_way_finds_the_record(e164: str, typed: str) -> None:
    assert finds(record_keys({"phone": [e164]}, {"phone": "phone"}), typed)


def test_a_phone_does_not_find_a_different_number() -> None:
    assert not finds(record_keys({"phone": ["+919812345678"]}, {"phone": "phone"}), "98123 45679")


@pytest.mark.parametrize(
    ("stored", "typed"),
    [
        ("AB-12 CD/3456", "AB 12 CD 3456"),
        ("AB-12 CD/3456", "ab12cd3456"),
        ("EE123456789IN", "EE 1234 5678 9IN"),
        ("0012345678", "0012345678"),  # digits with leading zeros are not a phone number
        ("0012345678", "00123 45678"),
    ],
)
def test_an_identifier_typed_with_spaces_finds_the_record(stored: str, typed: str) -> None:
    keys = record_keys({"passportNumber": [stored]}, {"passportNumber": "identifier"})
    assert keys == {whole_token(stored)}
    assert finds(keys, typed)


def test_wallet_and_account_keys_are_whole() -> None:
    keys = record_keys(
        {"publicKey": ["TXyz 1234 abcd"], "username": ["med.max_vendor"], "notes": ["ignored"]},
        {"publicKey": "string", "username": "string", "notes": "text"},
    )
    assert keys == {"txyz1234abcd", "medmaxvendor"}


def test_keys_are_capped() -> None:
    keys = name_tokens("a" * 500 + " " + "क" * 500)
    assert keys and all(len(k) <= MAX_KEY for k in keys)
    tokens, whole = query_tokens("b" * 1000)
    assert all(len(t) <= MAX_KEY for t in tokens) and len(whole) <= MAX_KEY


def test_query_tokens_are_deduplicated_and_limited() -> None:
    tokens, _ = query_tokens("kumar KUMAR Kumar a b c d e f g h i j")
    assert tokens.count("kumar") == 1
    assert len(tokens) == 8


names = st.text(
    alphabet=st.characters(categories=("L", "M", "Zs", "Pd", "Po")),
    min_size=1,
    max_size=40,
)


@given(names)
@example("\U00010d24")  # a word of combining marks only
def test_a_name_always_finds_itself(name: str) -> None:
    keys = name_tokens(name)
    if not keys:  # nothing searchable, e.g. punctuation only
        assert query_tokens(name) == ([], "")
        return
    assert finds(keys, name)


@given(st.dictionaries(st.sampled_from(["name", "alias", "phone", "idNumber"]), st.lists(names)))
def test_keys_are_deterministic_and_independent_of_order(props: dict[str, list[str]]) -> None:
    types = {"name": "name", "alias": "name", "phone": "phone", "idNumber": "identifier"}
    props = {k: v for k, v in props.items() if k != "phone"}
    forward = record_keys(props, types)
    backward = record_keys({k: list(reversed(v)) for k, v in reversed(props.items())}, types)
    assert forward == backward == record_keys(props, types)
