"""Held-out evaluation: each chemical the 1988 Tables gained since 2019 was a designer
precursor before it was listed. Screened as of a date before its own listing it must be
flagged as a risk (naming the steps and the controlled target); after, as controlled."""

from __future__ import annotations

from datetime import date

import pytest

from narcolink.analysis.chemistry.results import ReasonKind, Verdict
from narcolink.analysis.chemistry.screen import Screener

# (name, SMILES, a date before any listing of it, a date after its UN listing)
LISTED_LATER = [
    ("APAA", "CC(=O)C(C(N)=O)c1ccccc1", date(2018, 6, 1), date(2020, 1, 1)),
    ("MAPA", "COC(=O)C(C(C)=O)c1ccccc1", date(2019, 6, 1), date(2021, 1, 1)),
    ("BMK glycidic acid", "CC1(C(=O)O)OC1c1ccccc1", date(2023, 6, 1), date(2025, 1, 1)),
    ("BMK ethyl glycidate", "CCOC(=O)C1(C)OC1c1ccccc1", date(2023, 6, 1), date(2025, 1, 1)),
    ("PMK glycidic acid", "CC1(C(=O)O)OC1c1ccc2c(c1)OCO2", date(2018, 6, 1), date(2020, 1, 1)),
    ("PMK methyl glycidate", "COC(=O)C1(C)OC1c1ccc2c(c1)OCO2", date(2018, 6, 1), date(2020, 1, 1)),
    ("4-AP", "c1ccc(NC2CCNCC2)cc1", date(2019, 6, 1), date(2023, 1, 1)),
    ("1-boc-4-AP", "CC(C)(C)OC(=O)N1CCC(Nc2ccccc2)CC1", date(2019, 6, 1), date(2023, 1, 1)),
    ("norfentanyl", "CCC(=O)N(c1ccccc1)C1CCNCC1", date(2019, 6, 1), date(2023, 1, 1)),
    ("4-piperidone", "O=C1CCNCC1", date(2022, 6, 1), date(2025, 1, 1)),
    ("1-boc-4-piperidone", "CC(C)(C)OC(=O)N1CCC(=O)CC1", date(2022, 6, 1), date(2025, 1, 1)),
]


@pytest.mark.parametrize("name,smiles,before,after", LISTED_LATER, ids=[c[0] for c in LISTED_LATER])
def test_flagged_as_a_risk_before_listing_and_controlled_after(
    name: str, smiles: str, before: date, after: date
) -> None:
    early = Screener(as_of=before).screen_smiles(smiles)
    assert early.verdict is Verdict.RISK, (name, early.summary)
    risk = early.reasons[0]
    assert risk.kind in (ReasonKind.DESIGNER_PRECURSOR, ReasonKind.CLASS)
    assert 1 <= len(risk.steps) <= 2 and risk.listings, risk.text
    assert "step" in risk.text and "since" in risk.text
    late = Screener(as_of=after).screen_smiles(smiles)
    assert late.verdict is Verdict.CONTROLLED, (name, late.summary)


def test_unlisted_designer_precursors_of_today() -> None:
    """Structures on no list at all, one step from something that is."""
    today = Screener(as_of=date(2026, 7, 1))
    cases = {
        "N-benzyl-4-piperidone": "O=C1CCN(Cc2ccccc2)CC1",
        "P2P ethylene ketal": "CC1(Cc2ccccc2)OCCO1",
        "BMK glycidic acid sodium salt": "CC1(C(=O)[O-])OC1c1ccccc1.[Na+]",
        "t-Boc-methamphetamine": "CN(C(C)Cc1ccccc1)C(=O)OC(C)(C)C",
        "2-bromo-4'-methylpropiophenone": "CC(Br)C(=O)c1ccc(C)cc1",
        "P2P oxime": "CC(Cc1ccccc1)=NO",
    }
    for name, smiles in cases.items():
        result = today.screen_smiles(smiles)
        assert result.verdict.flagged, (name, result.summary)


def test_as_of_before_any_target_was_listed_does_not_flag() -> None:
    """In 1980 neither NPP nor ANPP was listed anywhere: 4-piperidone was one step from
    nothing controlled, and the result says when it was listed later."""
    result = Screener(as_of=date(1980, 1, 1)).screen_smiles("O=C1CCNCC1")
    assert not result.verdict.flagged, result.summary
    assert "first listed 2023-05-12" in result.reasons[0].text
