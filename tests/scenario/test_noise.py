"""The noise model: measured in a generated world, the rate of each variation matches the
profile (within binomial tolerance), and each variation the ground truth names is really in
the record (detected from the row itself, against the canonical person)."""

from __future__ import annotations

import csv
import math
import re
from collections import Counter
from pathlib import Path

import pytest

from narcolink.scenario import Summary, load_profile
from narcolink.scenario.contact import phone_forms
from narcolink.scenario.lexicon import indian_names
from narcolink.scenario.names import ALL_HONORIFICS
from narcolink.scenario.profile import ViewNoise

PROFILE = load_profile("medmax")


def close(observed: int, n: int, p: float) -> bool:
    """Whether observed/n is within 4.5 standard errors (plus 0.5 points) of p."""
    if n == 0:
        return p == 0
    return abs(observed / n - p) <= 4.5 * math.sqrt(max(p * (1 - p), 1e-9) / n) + 0.005


def person_records(root: Path, view: str) -> list[tuple[dict[str, str], dict[str, str], set[str]]]:
    """(row, canonical entity, labels) of every generated (non-cast) person record."""
    with (root / "truth/entities.csv").open(encoding="utf-8", newline="") as fh:
        entities = {r["entity"]: r for r in csv.DictReader(fh)}
    with (root / "truth/records.csv").open(encoding="utf-8", newline="") as fh:
        truth = {r["record"]: r for r in csv.DictReader(fh) if r["file"] == f"{view}/persons.csv"}
    out = []
    with (root / f"{view}/persons.csv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            labels = set(truth[row["id"]]["noise"].split(";"))
            if "form=exact" not in labels:
                out.append((row, entities[truth[row["id"]]["entity"]], labels))
    return out


INDIAN_SPELLINGS = frozenset(s.lower() for p in indian_names().parts for s in p.spellings)


def indian(canonical: str) -> bool:
    return canonical.split()[0].lower() in INDIAN_SPELLINGS


VARIANT_OF = indian_names().variant_of


def label(labels: set[str], prefix: str) -> str:
    return next((x.split("=", 1)[1] for x in labels if x.startswith(prefix + "=")), "")


def detect_form(name: str, canonical: str) -> str:
    words = name.replace(",", " ").split()
    first = words[0].lower()
    if not re.search(r"[A-Za-z]", name):
        return "native_script"
    if re.search(r"\b(s/o|d/o|son of|daughter of)\b", name, re.IGNORECASE):
        return "patronymic"
    if first in {h.lower() for h in ALL_HONORIFICS}:
        return "honorific"
    if re.fullmatch(r"[A-Z]\.?", words[0], re.IGNORECASE) and len(words[0]) <= 2:
        return "initials"
    if re.fullmatch(r"([A-Z]\.){2,}", words[0], re.IGNORECASE):
        return "initials"
    surname = canonical.split()[-1].lower()
    family = {s.lower() for s in VARIANT_OF.get(surname, (surname,))}
    if first in family or (first != canonical.split()[0].lower() and "," in name):
        return "surname_first"
    return "plain"


@pytest.mark.parametrize("view", ["ncb", "dea"])
def test_name_forms_match_the_profile_and_the_rows(noisy_world: Summary, view: str) -> None:
    noise: ViewNoise = PROFILE.noise[view]
    records = person_records(noisy_world.root, view)
    assert len(records) > 1000
    forms = noise.name.forms
    agree = 0
    for group in (True, False):
        subset = [(r, e, lab) for r, e, lab in records if indian(e["name"]) == group]
        counts = Counter(label(lab, "form") for _, _, lab in subset)
        for form in forms.items:
            expected = forms.share(form)
            if not group:  # a name with no native script is written plain instead
                expected = {
                    "native_script": 0.0,
                    "plain": expected + forms.share("native_script"),
                }.get(form, expected)
            assert close(counts[form], len(subset), expected), (view, group, form, counts)
    for row, entity, labels in records:
        if detect_form(row["name"], entity["name"]) == label(labels, "form"):
            agree += 1
    assert agree / len(records) >= 0.995  # a typo can hide a surname put first


@pytest.mark.parametrize("view", ["ncb", "dea"])
def test_missing_fields_and_partial_dates(noisy_world: Summary, view: str) -> None:
    noise = PROFILE.noise[view]
    records = person_records(noisy_world.root, view)
    n = len(records)
    for field in ("birthDate", "phone", "address", "gender"):
        empty = sum(1 for row, _, _ in records if not row[field])
        labelled = sum(1 for _, _, lab in records if f"missing={field}" in lab)
        assert empty == labelled, field  # the label is exactly the empty cell
        assert close(empty, n, noise.missing.get(field, 0.0)), (view, field, empty, n)
    dated = [(row, lab) for row, _, lab in records if row["birthDate"]]
    years = sum(1 for row, _ in dated if re.fullmatch(r"\d{4}", row["birthDate"]))
    assert years == sum(1 for _, lab in dated if "birth=year_only" in lab)
    assert close(years, len(dated), noise.year_only)


def detect_phone(text: str) -> str:
    patterns = [
        ("e164", r"\+\d{8,15}"), ("spaced", r"\+\d{1,3}( \d+)+"), ("dashed", r"\+\d{1,3}(-\d+)+"),
        ("trunk", r"0\d{5} \d{5}"), ("national", r"\d{10}|\d{3}-\d{3}-\d{4}"),
        ("paren", r"\(\d{3}\) \d{3}-\d{4}"), ("dotted", r"\d{3}\.\d{3}\.\d{4}"),
        ("intl011", r"011 \d+( \d+)*"), ("intl00", r"00\d+( \d+)*"),
    ]  # fmt: skip
    return next(name for name, pattern in patterns if re.fullmatch(pattern, text))


@pytest.mark.parametrize("view", ["ncb", "dea"])
def test_phone_formats(noisy_world: Summary, view: str) -> None:
    noise = PROFILE.noise[view]
    records = [
        (r, lab) for r, _, lab in person_records(noisy_world.root, view)
        if r["phone"] and r["country"] in ("in", "us")
    ]  # fmt: skip
    observed: Counter[str] = Counter()
    expected: Counter[str] = Counter()
    for row, labels in records:
        form = label(labels, "phone")
        assert detect_phone(row["phone"]) == form, (row["phone"], form)
        observed[form] += 1
        # what the profile asks for, where the number allows it (else its spaced form)
        number = "+91" if row["country"] == "in" else "+1"
        available = phone_forms(number + "9" * 10, row["country"])
        for choice in noise.phone.items:
            share = noise.phone.share(choice)
            expected[choice if choice in available else "spaced"] += share
    for form, mass in expected.items():
        assert close(observed[form], len(records), mass / len(records)), (view, form)


@pytest.mark.parametrize("view", ["ncb", "dea"])
def test_spelling_variants_typos_and_scripts(noisy_world: Summary, view: str) -> None:
    noise = PROFILE.noise[view]
    records = person_records(noisy_world.root, view)
    variant_of = indian_names().variant_of
    latin = [(r, e, lab) for r, e, lab in records if label(lab, "form") != "native_script"]
    changeable = [
        (r, e, lab) for r, e, lab in latin
        if any(len(variant_of.get(w.lower(), ())) > 1 for w in e["name"].split())
        or not indian(e["name"])
    ]  # fmt: skip
    typos = sum(1 for _, _, lab in latin if "typo" in lab)
    assert close(typos, len(latin), noise.name.typo)
    for row, entity, labels in latin:
        if "typo" not in labels and "variant" not in labels and label(labels, "form") == "plain":
            assert row["name"].lower() == entity["name"].lower(), (row["name"], entity["name"])
    indian_variants = [(r, e, lab) for r, e, lab in changeable if indian(e["name"])]
    if indian_variants:
        hits = sum(1 for _, _, lab in indian_variants if "variant" in lab)
        assert close(hits, len(indian_variants), noise.name.variant)
    native = [r for r, _, lab in records if label(lab, "form") == "native_script"]
    blocks = {"deva": "\u0900-\u097f", "guru": "\u0a00-\u0a7f", "urdu": "\u0600-\u06ff"}
    for row, _, labels in records:
        script = label(labels, "script")
        if script:
            letters = re.sub(r"[\s.]", "", row["name"])
            assert re.fullmatch(f"[{blocks[script]}\u200c\u200d]+", letters), (script, row["name"])
    if view == "dea":
        assert not native
