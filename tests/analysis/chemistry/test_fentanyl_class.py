"""Held-out evaluation of the class definitions: fentanyl analogues not in the knowledge
base (positives, with the modifications that place them in the class) and near misses
that keep the core but fall outside the words of the definition."""

from __future__ import annotations

from datetime import date

import pytest
from rdkit import Chem

from narcolink.analysis.chemistry.fentanyl import read_classes
from narcolink.analysis.chemistry.results import ReasonKind, Verdict
from narcolink.analysis.chemistry.screen import Screener

# (name, SMILES, US modifications expected)
US_MEMBERS = [
    ("para-methylfentanyl", "CCC(=O)N(c1ccc(C)cc1)C1CCN(CCc2ccccc2)CC1", {"D"}),
    ("2-pyridyl fentanyl", "CCC(=O)N(c1ccccn1)C1CCN(CCc2ccccc2)CC1", {"D"}),
    ("thiofentanyl", "CCC(=O)N(c1ccccc1)C1CCN(CCc2cccs2)CC1", {"A"}),
    ("2-furylethyl fentanyl", "CCC(=O)N(c1ccccc1)C1CCN(CCc2ccco2)CC1", {"A"}),
    ("cyclohexylethyl fentanyl", "CCC(=O)N(c1ccccc1)C1CCN(CCC2CCCCC2)CC1", {"A"}),
    ("beta-hydroxythiofentanyl", "CCC(=O)N(c1ccccc1)C1CCN(CC(O)c2cccs2)CC1", {"A", "B"}),
    ("4-ethylphenethyl fentanyl", "CCC(=O)N(c1ccccc1)C1CCN(CCc2ccc(CC)cc2)CC1", {"B"}),
    ("4-nitrophenethyl fentanyl", "CCC(=O)N(c1ccccc1)C1CCN(CCc2ccc([N+](=O)[O-])cc2)CC1", {"B"}),
    ("3-allylfentanyl", "C=CCC1CN(CCc2ccccc2)CCC1N(C(=O)CC)c1ccccc1", {"C"}),
    ("3-methylthiofentanyl", "CCC(=O)N(c1ccccc1)C1CCN(CCc2cccs2)CC1C", {"A", "C"}),
    ("4-methoxymethyl fentanyl", "CCC(=O)N(c1ccccc1)C1(COC)CCN(CCc2ccccc2)CC1", {"C"}),
    ("cyclopentylfentanyl", "O=C(C1CCCC1)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1", {"E"}),
    ("isobutyrylfentanyl", "CC(C)C(=O)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1", {"E"}),
    ("benzoylfentanyl", "O=C(c1ccccc1)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1", {"E"}),
    ("fentanyl methyl carbamate", "COC(=O)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1", {"E"}),
    ("4'-methyl acetyl fentanyl", "CC(=O)N(c1ccc(C)cc1)C1CCN(CCc2ccccc2)CC1", {"D", "E"}),
]
# (name, SMILES, why it is outside the US class)
US_NEAR_MISSES = [
    ("fentanyl itself (no modification)", "CCC(=O)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1"),
    ("benzyl instead of phenethyl", "CCC(=O)N(c1ccccc1)C1CCN(Cc2ccccc2)CC1"),
    ("phenylpropyl instead of phenethyl", "CCC(=O)N(c1ccccc1)C1CCN(CCCc2ccccc2)CC1"),
    ("naphthylethyl (a bicycle)", "CCC(=O)N(c1ccccc1)C1CCN(CCc2ccc3ccccc3c2)CC1"),
    ("N-naphthyl amide (a bicycle)", "CCC(=O)N(c1ccc2ccccc2c1)C1CCN(CCc2ccccc2)CC1"),
    ("N-cyclohexyl amide (not aromatic)", "CCC(=O)N(C2CCCCC2)C1CCN(CCc2ccccc2)CC1"),
    ("pyrrolidine core", "CCC(=O)N(c1ccccc1)C1CCN(CCc2ccccc2)C1"),
    ("4-phenyl on the piperidine", "CCC(=O)N(c1ccccc1)C1(c2ccccc2)CCN(CCc2ccccc2)CC1"),
    ("carboxylic acid on the phenethyl", "CCC(=O)N(c1ccccc1)C1CCN(CCc2ccc(C(=O)O)cc2)CC1"),
    ("norfentanyl (no N-substituent)", "CCC(=O)N(c1ccccc1)C1CCNCC1"),
    ("ANPP (no acyl)", "c1ccc(CCN2CCC(Nc3ccccc3)CC2)cc1"),
    ("thioamide", "CCC(=S)N(c1ccccc1)C1CCN(CCc2ccccc2)CC1"),
    ("remifentanil-like ester chain", "CCC(=O)N(c1ccccc1)C1(C(=O)OC)CCN(CCC(=O)OC)CC1"),
    ("bridged piperidine", "CCC(=O)N(c1ccccc1)C1CC2CCC(C1)N2CCc1ccccc1"),
]


@pytest.mark.parametrize("name,smiles,mods", US_MEMBERS, ids=[m[0] for m in US_MEMBERS])
def test_us_class_members_and_the_modifications_that_place_them(
    name: str, smiles: str, mods: set[str]
) -> None:
    reading = read_classes(Chem.MolFromSmiles(smiles))
    assert reading is not None and reading.us_member, (name, reading)
    assert set(reading.us_modifications) == mods
    assert reading.cn_member  # China's 2019 class is wider on the N-substituent


@pytest.mark.parametrize("name,smiles", US_NEAR_MISSES, ids=[m[0] for m in US_NEAR_MISSES])
def test_us_class_near_misses_stay_outside(name: str, smiles: str) -> None:
    reading = read_classes(Chem.MolFromSmiles(smiles))
    assert reading is None or not reading.us_member, (name, reading)


def test_china_reads_any_n_substituent_as_condition_4() -> None:
    for smiles in ("CCC(=O)N(c1ccccc1)C1CCN(Cc2ccccc2)CC1", "CCC(=O)N(c1ccccc1)C1CCN(C)CC1"):
        reading = read_classes(Chem.MolFromSmiles(smiles))
        assert reading is not None and reading.cn_member and "4" in reading.cn_conditions
        assert not reading.us_member


def test_screening_reports_the_class_with_its_date() -> None:
    smiles = US_MEMBERS[0][1]
    now = Screener(as_of=date(2026, 7, 1)).screen_smiles(smiles)
    assert now.verdict is Verdict.CONTROLLED
    us = next(r for r in now.reasons if r.kind is ReasonKind.CLASS and "(US)" in r.text)
    assert "(D)" in us.text and us.highlight
    # before the class-wide order of 6 Feb 2018 the class did not exist
    early = Screener(as_of=date(2017, 6, 1)).screen_smiles(smiles)
    assert not any(r.controlled for r in early.reasons if r.kind is ReasonKind.CLASS)


def test_a_near_miss_says_why_it_is_outside() -> None:
    result = Screener(as_of=date(2026, 7, 1)).screen_smiles(US_NEAR_MISSES[2][1])
    miss = [r for r in result.reasons if r.kind is ReasonKind.CLASS_NEAR_MISS]
    assert any("phenethyl" in r.text for r in miss)


def test_one_step_from_a_class_member_is_a_risk() -> None:
    # para-fluoro norfentanyl: N-phenethylation gives para-fluorofentanyl's class sibling
    result = Screener(as_of=date(2026, 7, 1)).screen_smiles("CCC(=O)N(c1ccc(C)cc1)C1CCNCC1")
    assert result.verdict is Verdict.RISK
    assert any("fentanyl-related" in r.text and r.steps for r in result.reasons if r.risk)
