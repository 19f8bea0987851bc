"""The per-property cleaners give exactly what ``model.values.clean_value`` gives."""

from __future__ import annotations

from collections.abc import Callable

from hypothesis import given, settings
from hypothesis import strategies as st

from narcolink.ingest.cleaners import cleaner_for
from narcolink.model.values import ValueRejected, clean_value
from narcolink.model.vocabulary import get_property, get_schema

PROPERTIES = [
    ("Person", "name"),
    ("Person", "birthDate"),
    ("Person", "country"),
    ("Person", "nationality"),
    ("Person", "email"),
    ("Person", "gender"),
    ("Person", "website"),
    ("Person", "idNumber"),
    ("Person", "address"),
    ("Person", "notes"),
    ("Person", "spokenLanguage"),
    ("Person", "topics"),
    ("Consignment", "weightKg"),
    ("OnlineListing", "url"),
    ("UserAccount", "ipAddress"),
    ("Seizure", "summary"),
]
SAMPLES = [
    "2025-05-14",
    "2025-02-30",
    "1990-13-01",
    "2025",
    "14/05/2025",
    "India",
    "in",
    "XX",
    "a@b.com",
    "A.B@EXAMPLE.COM",
    "not an email",
    "1,200",
    "1e3",
    "nan",
    "inf",
    "-3.5",
    "https://example.com/x?y=1",
    "example",
    "male",
    "F",
    "hin",
    "en",
    "crime.traffick",
    "10.0.0.1",
    "::1",
    "  padded  ",
    "",
    "   ",
    "a\x07b",
    "x" * 120,
    "राहुल",
    "Ｆｕｌｌ",
]


def outcome(clean: Callable[[], str]) -> tuple[str, str]:
    try:
        return ("ok", clean())
    except ValueRejected as exc:
        return ("refused", str(exc))


@settings(deadline=None, max_examples=400)
@given(
    raw=st.one_of(st.sampled_from(SAMPLES), st.text(max_size=40)),
    where=st.sampled_from(PROPERTIES),
)
def test_cleaners_match_clean_value(raw: str, where: tuple[str, str]) -> None:
    prop = get_property(get_schema(where[0]), where[1])
    expected = outcome(lambda: clean_value(prop, raw, region=None, max_chars=100))
    assert outcome(lambda: cleaner_for(prop)(raw, 100)) == expected
