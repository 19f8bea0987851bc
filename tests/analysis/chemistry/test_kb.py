"""The packaged knowledge base: every row checked against RDKit and the CAS rules, and
every entry found again by its name, its CAS number and its structure."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest
from rdkit import Chem
from rdkit.Chem import rdMolDescriptors

from narcolink.analysis.chemistry.cas import cas_check_digit, is_valid_cas
from narcolink.analysis.chemistry.entries import Entry
from narcolink.analysis.chemistry.kb import load_kb
from narcolink.analysis.chemistry.results import ReasonKind
from narcolink.analysis.chemistry.screen import Screener
from narcolink.analysis.chemistry.screening import screen_entries

KB = load_kb()
SUBSTANCES = sorted(KB.substances.values(), key=lambda s: s.id)


def test_cas_check_digit_rules() -> None:
    assert cas_check_digit("773218") == 5  # water, 7732-18-5
    assert is_valid_cas("7732-18-5")
    assert is_valid_cas("437-38-7")  # fentanyl
    assert not is_valid_cas("437-38-8")
    assert not is_valid_cas("1609-66-5")  # the misprinted norfentanyl CAS some lists carry
    assert not is_valid_cas("43738-7")


def test_every_cas_number_has_a_valid_check_digit() -> None:
    bad = [(s.id, s.cas) for s in SUBSTANCES if s.cas and not is_valid_cas(s.cas)]
    assert not bad


def test_every_structure_parses_and_matches_its_formula_and_inchikey() -> None:
    problems = []
    for s in SUBSTANCES:
        mol = Chem.MolFromSmiles(s.smiles)
        if mol is None:
            problems.append(f"{s.id}: SMILES does not parse")
            continue
        if rdMolDescriptors.CalcMolFormula(mol) != s.formula:
            problems.append(
                f"{s.id}: formula {s.formula} but SMILES gives "
                f"{rdMolDescriptors.CalcMolFormula(mol)}"
            )
        if Chem.MolToInchiKey(mol) != s.inchikey:
            problems.append(f"{s.id}: InChIKey differs from the SMILES")
    assert not problems, "\n".join(problems)


def test_ids_names_cas_and_structures_are_unique() -> None:
    names = Counter(s.name.lower() for s in SUBSTANCES)
    assert not [n for n, c in names.items() if c > 1]
    cas = Counter(s.cas for s in SUBSTANCES if s.cas)
    assert not [n for n, c in cas.items() if c > 1]
    keys = Counter(s.inchikey for s in SUBSTANCES)
    assert not [k for k, c in keys.items() if c > 1]


def test_every_row_names_its_source_and_listings_are_dated() -> None:
    for s in SUBSTANCES:
        assert s.source.strip(), s.id
        for x in s.listings:
            assert x.substance == s.id
            assert x.source.strip(), (s.id, x.label)
            assert x.effective >= date(1960, 1, 1), (s.id, x.label)
            assert x.removed is None or x.removed > x.effective, (s.id, x.label)
            assert x.jurisdiction in {"UN", "US", "IN", "CN"}


def test_the_issue_s_later_listings_are_dated_as_published() -> None:
    def first(sid: str, jurisdiction: str) -> date:
        return min(
            x.effective for x in KB.substances[sid].listings if x.jurisdiction == jurisdiction
        )

    assert first("4-anilinopiperidine", "UN") == date(2022, 11, 23)
    assert first("1-boc-4-ap", "UN") == date(2022, 11, 23)
    assert first("norfentanyl", "UN") == date(2022, 11, 23)
    assert first("4-piperidone", "UN") == date(2024, 12, 3)
    assert first("1-boc-4-piperidone", "UN") == date(2024, 12, 3)
    assert first("4-piperidone", "IN") == date(2025, 1, 31)  # G.S.R. 71(E)
    assert first("alpha-phenylacetoacetonitrile", "UN") == date(2014, 10, 6)


@pytest.mark.parametrize("substance", SUBSTANCES, ids=lambda s: s.id)
def test_every_entry_is_found_by_its_name(substance) -> None:  # type: ignore[no-untyped-def]
    assert substance in KB.by_name(substance.name)
    assert substance in KB.by_name(substance.name.upper().replace("-", " "))


def test_every_entry_resolves_to_itself_by_cas_and_by_structure() -> None:
    screener = Screener(as_of=date.today())
    wrong = []
    for s in SUBSTANCES:
        result = screener.screen_smiles(s.smiles)
        own = {
            r.substance_id
            for r in result.reasons
            if r.kind in (ReasonKind.EXACT, ReasonKind.EXCEPTED, ReasonKind.WATCH)
        }
        if s.id not in own:
            wrong.append(f"{s.id}: structure gives {sorted(own)}")
    with_cas = [s for s in SUBSTANCES if s.cas]
    results = screen_entries([Entry(i, s.cas) for i, s in enumerate(with_cas)], processes=1)
    for s, result in zip(with_cas, results, strict=True):
        found = {r.substance_id for r in result.reasons if r.kind is ReasonKind.CAS}
        exact = {
            r.substance_id
            for r in result.reasons
            if r.kind in (ReasonKind.EXACT, ReasonKind.EXCEPTED, ReasonKind.WATCH)
        }
        if found != {s.id} or s.id not in exact:
            wrong.append(f"{s.id}: CAS {s.cas} gives {sorted(found)} / {sorted(exact)}")
    assert not wrong, "\n".join(wrong)
