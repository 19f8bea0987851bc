"""Screening verdicts: exact, salt, stereoisomer, ester, the listings' own derivative
words, counter-ions, exceptions, as_of, and medicines that must stay clear."""

from __future__ import annotations

from datetime import date

import pytest

from narcolink.analysis.chemistry.kb import load_kb
from narcolink.analysis.chemistry.results import ReasonKind, Verdict
from narcolink.analysis.chemistry.screen import Screener

TODAY = Screener(as_of=date(2026, 7, 1))


def kinds(smiles: str, screener: Screener = TODAY) -> set[ReasonKind]:
    return {r.kind for r in screener.screen_smiles(smiles).reasons if r.controlled or r.risk}


def test_exact_match_names_every_list_and_its_date() -> None:
    result = TODAY.screen_smiles("CC(=O)Cc1ccccc1")  # P-2-P
    assert result.verdict is Verdict.CONTROLLED
    first = result.reasons[0]
    assert first.kind is ReasonKind.EXACT and first.substance_id == "1-phenyl-2-propanone"
    labels = {x["label"] for x in first.listings}
    assert "1988 Convention Table I" in labels
    assert "since 1990-11-11" in first.text
    assert first.confidence >= 0.95


def test_a_salt_is_controlled_as_its_parent_and_its_counter_ion_is_not() -> None:
    meth = load_kb().substances["methamphetamine"].smiles
    result = TODAY.screen_smiles(meth + ".Cl")  # methamphetamine hydrochloride
    assert result.verdict is Verdict.CONTROLLED
    assert {r.substance_id for r in result.reasons if r.controlled} == {"methamphetamine"}
    assert result.reasons[0].kind is ReasonKind.SALT
    # choline chloride: the chloride is not "hydrochloric acid, 1988 Table II"
    assert TODAY.screen_smiles("C[N+](C)(C)CCO.[Cl-]").verdict is Verdict.CLEAR
    assert TODAY.screen_smiles("Cl").verdict is Verdict.CONTROLLED  # hydrochloric acid itself


def test_stereoisomers_count_where_the_listing_covers_them() -> None:
    result = TODAY.screen_smiles("CNC(C)Cc1ccccc1")  # KB draws d-methamphetamine
    assert ReasonKind.STEREOISOMER in {r.kind for r in result.reasons if r.controlled}
    result = TODAY.screen_smiles("CN[C@H](C)Cc1ccccc1")  # and l-methamphetamine
    assert ReasonKind.STEREOISOMER in {r.kind for r in result.reasons if r.controlled}


def test_esters_of_a_1961_schedule_i_substance_are_controlled() -> None:
    kb = load_kb()
    morphine = kb.substances["morphine"].smiles
    propionate = morphine.replace("ccc(O)c4", "ccc(OC(=O)CC)c4")
    assert propionate != morphine
    result = TODAY.screen_smiles(propionate)
    assert result.verdict is Verdict.CONTROLLED
    ester = next(r for r in result.reasons if r.kind is ReasonKind.ESTER_ETHER)
    assert ester.substance_id == "morphine" and "ester" in ester.text


def test_a_listing_s_own_derivative_words_are_applied() -> None:
    # 4-piperidone: US List I "including acetals, amides, carbamates" (12 May 2023)
    ketal = "C1CC2(CCN1)OCCO2"
    assert ReasonKind.DEFINED_DERIVATIVE in kinds(ketal)
    before = Screener(as_of=date(2023, 1, 1)).screen_smiles(ketal)
    assert before.verdict is Verdict.RISK  # then only two steps from NPP's precursors
    # 4-AP: amides and carbamates since 2020, halides only since 30 Nov 2023
    assert ReasonKind.DEFINED_DERIVATIVE in kinds("CC(=O)N1CCC(Nc2ccccc2)CC1")
    chloro = "Clc1ccc(NC2CCNCC2)cc1"
    assert ReasonKind.DEFINED_DERIVATIVE in kinds(chloro)
    early = Screener(as_of=date(2023, 6, 1)).screen_smiles(chloro)
    assert ReasonKind.DEFINED_DERIVATIVE not in {r.kind for r in early.reasons}


def test_a_named_exception_is_reported_not_flagged() -> None:
    kb = load_kb()
    result = TODAY.screen_smiles(kb.substances["dextrorphan"].smiles)
    assert result.verdict is Verdict.WATCH
    assert result.reasons[0].kind is ReasonKind.EXCEPTED
    assert not any(r.controlled for r in result.reasons)


def test_removed_listings_stop_counting() -> None:
    kb = load_kb()
    fenfluramine = kb.substances["fenfluramine"].smiles
    us = lambda when: {  # noqa: E731
        x["jurisdiction"]
        for r in Screener(as_of=when).screen_smiles(fenfluramine).reasons
        for x in r.listings
    }
    assert "US" in us(date(2020, 1, 1))
    assert "US" not in us(date(2023, 6, 1))  # decontrolled 23 Dec 2022
    assert "UN" in us(date(2023, 6, 1))


@pytest.mark.parametrize(
    "name,smiles",
    [
        ("paracetamol", "CC(=O)Nc1ccc(O)cc1"),
        ("metformin", "CN(C)C(=N)NC(=N)N"),
        ("haloperidol", "O=C(CCCN1CCC(O)(c2ccc(Cl)cc2)CC1)c1ccc(F)cc1"),
        ("loperamide", "CN(C)C(=O)C(CCN1CCC(O)(c2ccc(Cl)cc2)CC1)(c1ccccc1)c1ccccc1"),
        ("donepezil", "COc1cc2c(cc1OC)C(=O)C(CC1CCN(Cc3ccccc3)CC1)C2"),
        ("ibuprofen", "CC(C)Cc1ccc(C(C)C(=O)O)cc1"),
        ("caffeine", "Cn1c(=O)c2c(ncn2C)n(C)c1=O"),
        ("ethanol", "CCO"),
        ("cyclohexanone", "O=C1CCCCC1"),
        ("benzaldehyde", "O=Cc1ccccc1"),
        ("methyl benzoate", "COC(=O)c1ccccc1"),
        ("aspirin", "CC(=O)Oc1ccccc1C(=O)O"),
    ],
)
def test_common_medicines_and_industrial_chemicals_are_not_flagged(name: str, smiles: str) -> None:
    result = TODAY.screen_smiles(smiles)
    assert not result.verdict.flagged, (name, result.summary)


def test_unreadable_input_says_so() -> None:
    result = TODAY.screen_smiles("C1CC(")
    assert result.verdict is Verdict.UNREAD and result.error
