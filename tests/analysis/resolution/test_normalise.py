"""Name, script, phone, email, date, address and company normalisation."""

from __future__ import annotations

import pytest

from narcolink.analysis.resolution.addresses import parse_address, postcode_key, state_code
from narcolink.analysis.resolution.companies import parse_company
from narcolink.analysis.resolution.names import is_placeholder, parse_name, skeleton
from narcolink.analysis.resolution.scripts import romanise, scripts_in
from narcolink.analysis.resolution.values import (
    email_key,
    identifier_key,
    parse_date,
    phone_e164,
)


@pytest.mark.parametrize(
    ("text", "latin"),
    [
        ("राजेश कुमार", "rajesh kumar"),
        ("अमरजीत", "amarjit"),  # medial schwa dropped
        ("सुरेंद्र", "surendra"),  # final vowel kept after a conjunct
        ("कमल", "kamal"),
        ("ਗੁਰਪ੍ਰੀਤ ਸਿੰਘ", "gurprit singh"),
        ("ਸ਼ਰਮਾ", "sharma"),  # Gurmukhi sha is sa + nukta after NFC
        ("ज़ाकिर", "zakir"),
        ("রাজেশ", "rajesh"),  # Bengali shares the Brahmic table
        ("José Müller", "jose muller"),
    ],
)
def test_romanise_writes_names_as_people_spell_them(text: str, latin: str) -> None:
    assert romanise(text) == latin


def test_scripts_are_detected() -> None:
    assert scripts_in("Ravi रवि ਰਵੀ روی") == {"latin", "devanagari", "gurmukhi", "arabic"}


@pytest.mark.parametrize(
    "spelling", ["Mohd. Iqbal", "Md Iqbal", "Mohammed Iqbal", "मोहम्मद इक़बाल", "محمد اقبال"]
)
def test_muhammad_family_in_every_script(spelling: str) -> None:
    assert parse_name(spelling).words == ["muhammad", "iqbal"]


def test_titles_patronymic_and_initials() -> None:
    parsed = parse_name("Shri R.K. Sharma s/o Late Ram Prasad")
    assert parsed.words == ["r", "k", "sharma"]
    assert parsed.initials == ["r", "k"]
    assert parsed.father == ["ram", "prasad"]
    assert parsed.surname == "sharma"


def test_husband_name_and_capital_initials() -> None:
    parsed = parse_name("Smt. Sunita Devi W/O Ramesh Kumar")
    assert parsed.words == ["sunita", "devi"]
    assert parsed.spouse == ["ramesh", "kumar"]
    assert parse_name("RK Sharma").words == ["r", "k", "sharma"]


def test_surname_first_forms() -> None:
    comma = parse_name("SHARMA, Rajesh Kumar")
    assert comma.surname_first and comma.given == "rajesh" and comma.surname == "sharma"
    bare = parse_name("Sharma Rajesh")
    assert bare.given == "rajesh" and bare.surname == "sharma"
    plain = parse_name("Rajesh Sharma")
    assert not plain.surname_first and plain.given == "rajesh"


def test_leading_only_titles_and_gujarati_suffixes() -> None:
    assert parse_name("Begum Nusrat").words == ["nusrat"]
    assert parse_name("Nusrat Begum").words == ["nusrat", "begum"]
    assert parse_name("Rameshbhai Patel").words == ["ramesh", "patel"]


def test_skeletons_meet_across_spellings_and_scripts() -> None:
    assert skeleton("muhammad") == skeleton("mhmd") == "md"
    assert parse_name("ਹਰਜੀਤ").skeletons == parse_name("Harjeet").skeletons
    assert skeleton("rajesh") != skeleton("rakesh")


def test_placeholders_are_not_names() -> None:
    assert is_placeholder("Unknown") and is_placeholder("No Name") and is_placeholder("Baby")
    assert parse_name("Unknown").words == []
    assert not is_placeholder("Ravi")


def test_phones() -> None:
    assert phone_e164("98123 45678", "in") == "+919812345678"
    assert phone_e164("+1 (251) 555-0142") == "+12515550142"
    assert phone_e164("9999999999", "in") is None
    assert phone_e164("not a phone", "in") is None


def test_emails_fold_gmail_aliases() -> None:
    assert email_key("R.K.Sharma+orders@GMail.com") == "rksharma@gmail.com"
    assert email_key("ravi@example.in") == "ravi@example.in"
    assert email_key("no-at-sign") is None


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("1985-03-12", "1985-03-12"),
        ("12/03/1985", "1985-03-12"),  # day first (Indian records)
        ("19850312", "1985-03-12"),
        ("1985-03", "1985-03"),
        ("1985", "1985"),
        ("1990-02-30", "1990-02"),  # impossible day: the month is still known
        ("1980-22-03", "1980-03-22"),  # month over 12: day and month swapped
        ("o4/|9/1958", "1958-04-19"),  # scanning errors; 19 cannot be a month
    ],
)
def test_dates_partial_and_damaged(text: str, iso: str) -> None:
    parsed = parse_date(text)
    assert parsed is not None and parsed.iso == iso


def test_date_swapped_form_and_garbage() -> None:
    parsed = parse_date("1985-03-12")
    assert parsed is not None and parsed.swapped == "19851203"
    assert parse_date("someday") is None
    assert parse_date("1700-01-01") is None


def test_identifiers() -> None:
    assert identifier_key("abc-123 45") == "ABC12345"
    assert identifier_key("000") is None


def test_indian_address() -> None:
    parts = parse_address("H.No. 12, Gali No. 3, Mayur Vihar Ph-1, Delhi 110091")
    assert parts.postcode == "110091"
    assert parts.state == "DL"
    assert parts.number == "12"
    assert parts.street_key == "gali 3 mayur vihar phase 1"


def test_us_address() -> None:
    parts = parse_address("12 N Main St Apt 4, Mobile AL 36602", country="us")
    assert parts.postcode == "36602"
    assert parts.state == "AL"
    assert parts.number == "12"
    assert parts.street_key is not None and parts.street_key.startswith("north main street")


def test_state_and_postcode_keys() -> None:
    assert state_code("Uttar Pradesh") == "UP"
    assert state_code("alabama", "us") == "AL"
    assert postcode_key("110 091", "in") == "110091"
    assert postcode_key("36602-1234", "us") == "36602"


@pytest.mark.parametrize(
    "name",
    ["M/s. Sharma Pharma Pvt. Ltd.", "SHARMA PHARMA PRIVATE LIMITED", "Sharma Pharma (P) Ltd"],
)
def test_company_legal_forms(name: str) -> None:
    company = parse_company(name)
    assert company.key == "sharma pharma"
    assert company.legal_form == "pvt_ltd"
    assert company.distinctive == ("sharma",)


def test_company_llp_and_ampersand() -> None:
    company = parse_company("Roorkee Chem & Co. LLP")
    assert company.legal_form == "llp"
    assert company.key == "roorkee chem"  # "& Co." is a legal form as well
