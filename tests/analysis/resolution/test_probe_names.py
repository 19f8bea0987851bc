"""Labelled South Asian name pairs through the compiled name comparisons (DuckDB SQL).

True pairs (Mohd families, Devanagari/Gurmukhi/Urdu against Latin, initials, s/o and w/o
patronymics, surname first, titles, spelling families) must land in a level that counts
as the same name on both given name and surname; true non-pairs ("Rajesh Kumar" and
"Rakesh Kumar") must not land in a same-name or typing-error level for the given name.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import pytest

from narcolink.analysis.resolution.probe import levels
from narcolink.analysis.resolution.spec import FieldSpec
from narcolink.engines import Engine, open_engine

PROBES = Path(__file__).parent / "probe_pairs.csv"
SAME_GIVEN = {
    "same given name",
    "same names, surname first",
    "same given name in another spelling or script",
    "initial matches given name",
}
SAME_SURNAME = {"same surname", "same surname in another spelling or script"}
FIELDS = [FieldSpec("given", "given_name"), FieldSpec("surname", "surname")]


@pytest.fixture(scope="module")
def engine() -> Iterator[Engine]:
    with open_engine("duckdb") as engine:
        yield engine


@pytest.fixture(scope="module")
def probes() -> list[dict[str, str]]:
    with PROBES.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def results(engine: Engine, probes: list[dict[str, str]]) -> list[dict[str, str]]:
    pairs = [({"name": p["left"]}, {"name": p["right"]}) for p in probes]
    return levels(engine, "person", FIELDS, pairs)


def test_probe_set_covers_every_category(probes: list[dict[str, str]]) -> None:
    categories = {p["category"] for p in probes}
    assert {"mohd", "devanagari", "gurmukhi", "urdu", "initials", "patronymic", "order"} <= (
        categories
    )
    assert sum(p["same"] == "0" for p in probes) >= 8


def test_true_pairs_agree_on_given_name_and_surname(
    probes: list[dict[str, str]], results: list[dict[str, str]]
) -> None:
    misses = defaultdict(list)
    for probe, got in zip(probes, results, strict=True):
        if probe["same"] != "1":
            continue
        surname_ok = got["surname"] in SAME_SURNAME or got["given"] == "same names, surname first"
        if got["given"] not in SAME_GIVEN or not surname_ok:
            misses[probe["category"]].append(f"{probe['left']} / {probe['right']}: {got}")
    assert not misses, dict(misses)


def test_non_pairs_are_not_read_as_one_name(
    probes: list[dict[str, str]], results: list[dict[str, str]]
) -> None:
    wrong = []
    for probe, got in zip(probes, results, strict=True):
        given_alike = got["given"] in SAME_GIVEN | {"given name with a typing error"}
        surname_alike = got["surname"] in SAME_SURNAME | {"surname with a typing error"}
        if probe["same"] == "0" and given_alike and surname_alike:
            wrong.append(f"{probe['left']} / {probe['right']}: {got}")
    assert not wrong


def test_two_known_given_names_one_letter_apart_are_different(
    probes: list[dict[str, str]], results: list[dict[str, str]]
) -> None:
    by_pair = {(p["left"], p["right"]): r for p, r in zip(probes, results, strict=True)}
    assert by_pair[("Rajesh Kumar", "Rakesh Kumar")]["given"] == "different"
    assert by_pair[("Sunil Sharma", "Anil Sharma")]["given"] == "different"


def test_a_typing_error_in_an_unknown_name_is_still_a_typing_error(engine: Engine) -> None:
    # "Jomathan" is not in the lexicon of known names, so one letter off is a typo.
    got = levels(
        engine, "person", FIELDS, [({"name": "Jonathan Pereira"}, {"name": "Jomathan Pereira"})]
    )
    assert got[0]["given"] == "given name with a typing error"
    assert got[0]["surname"] == "same surname"
