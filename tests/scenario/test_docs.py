"""docs/scenario.md states the rates the generator uses: its noise table is rendered from the
default profile and must match it."""

from __future__ import annotations

from pathlib import Path

from narcolink.scenario import load_profile
from narcolink.scenario.describe import BEGIN, END, noise_table

DOC = Path(__file__).resolve().parents[2] / "docs" / "scenario.md"


def test_noise_table_in_the_docs_matches_the_profile() -> None:
    text = DOC.read_text(encoding="utf-8")
    documented = text[text.index(BEGIN) : text.index(END) + len(END)]
    assert documented == noise_table(load_profile("medmax")), (
        "docs/scenario.md's noise table is stale: paste narcolink.scenario.describe.noise_table"
    )
