"""Shared wording and the fragment record used by both screening paths."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from narcolink.analysis.chemistry.kb import Listing
from narcolink.analysis.chemistry.reactions import STEP_NAMES

JURISDICTION_ORDER = {"UN": 0, "US": 1, "IN": 2, "CN": 3}


def listing_phrase(listings: list[Listing]) -> str:
    """'1988 Convention Table I since 2022-11-23; US CSA List I since 2020-05-15'."""
    ordered = sorted(listings, key=lambda x: (JURISDICTION_ORDER.get(x.jurisdiction, 9), x.label))
    return "; ".join(f"{x.label} since {x.effective.isoformat()}" for x in ordered)


def step_phrase(steps: tuple[str, ...] | list[str]) -> str:
    names = [STEP_NAMES.get(s, s) for s in steps]
    count = "one step" if len(names) == 1 else f"{len(names)} steps"
    return f"{count} ({', then '.join(names)})"


@dataclass
class Fragment:
    mol: Any  # rdkit Chem.Mol
    atoms: Sequence[int]  # indices in the screened molecule
    formula: str = ""
    key: str | None = None
    excepted: set[str] = field(default_factory=set)
    counter_ion: bool = False

    def to_parent(self, local: tuple[int, ...]) -> tuple[int, ...]:
        return tuple(self.atoms[i] for i in local if i < len(self.atoms))
