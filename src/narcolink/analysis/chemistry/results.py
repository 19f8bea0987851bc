"""What a screening says about one input: a verdict, its reasons and a confidence.

Pure data (no RDKit): the service, web pages, CLI and exports read these.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Verdict(StrEnum):
    CONTROLLED = "controlled"
    RISK = "designer-precursor risk"
    WATCH = "not controlled (watched)"
    CLEAR = "not controlled"
    UNREAD = "could not read"

    @property
    def flagged(self) -> bool:
        return self in (Verdict.CONTROLLED, Verdict.RISK)


class ReasonKind(StrEnum):
    EXACT = "exact"
    SALT = "salt"
    STEREOISOMER = "stereoisomer"
    POSITIONAL_ISOMER = "positional isomer"
    ESTER_ETHER = "ester or ether"
    CLASS = "class definition"
    DEFINED_DERIVATIVE = "derivative named in the listing"
    DESIGNER_PRECURSOR = "designer precursor"
    ANALOGUE = "structural analogue"
    NAME = "name"
    CAS = "CAS number"
    WATCH = "watched substance"
    EXCEPTED = "specifically excepted"
    CLASS_NEAR_MISS = "outside class definition"


def confidence_label(value: float) -> str:
    if value >= 0.85:
        return "high"
    if value >= 0.6:
        return "medium"
    return "low"


@dataclass
class Reason:
    """One finding, written so an officer can repeat it in a report."""

    kind: ReasonKind
    text: str
    confidence: float
    substance_id: str | None = None
    substance_name: str | None = None
    listings: list[dict[str, Any]] = field(default_factory=list)
    steps: list[str] = field(default_factory=list)
    highlight: tuple[int, ...] = ()
    controlled: bool = False
    risk: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind.value,
            "text": self.text,
            "confidence": round(self.confidence, 2),
            "confidence_label": confidence_label(self.confidence),
            "substance_id": self.substance_id,
            "substance_name": self.substance_name,
            "listings": self.listings,
            "steps": self.steps,
            "controlled": self.controlled,
            "risk": self.risk,
        }


@dataclass
class ScreenResult:
    """The screening of one input (a line, a CSV row or an SDF record)."""

    query: str
    row: int | None = None
    label: str = ""
    smiles: str = ""
    verdict: Verdict = Verdict.CLEAR
    reasons: list[Reason] = field(default_factory=list)
    error: str | None = None
    as_of: str = ""

    @property
    def confidence(self) -> float:
        relevant = [r.confidence for r in self.reasons if r.controlled or r.risk]
        return max(relevant) if relevant else (0.0 if self.error else 0.9)

    def decide(self) -> None:
        """Set the verdict from the reasons: controlled beats risk beats watch."""
        if self.error:
            self.verdict = Verdict.UNREAD
        elif any(r.controlled for r in self.reasons):
            self.verdict = Verdict.CONTROLLED
        elif any(r.risk for r in self.reasons):
            self.verdict = Verdict.RISK
        elif any(r.kind in (ReasonKind.WATCH, ReasonKind.EXCEPTED) for r in self.reasons):
            self.verdict = Verdict.WATCH
        else:
            self.verdict = Verdict.CLEAR
        self.reasons.sort(key=lambda r: (not r.controlled, not r.risk, -r.confidence))

    @property
    def summary(self) -> str:
        if self.error:
            return self.error
        first = next((r for r in self.reasons if r.controlled or r.risk), None)
        if first is None:
            return "not on any list narcolink knows, and not one or two steps from one"
        return first.text

    def to_dict(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "row": self.row,
            "label": self.label,
            "smiles": self.smiles,
            "verdict": self.verdict.value,
            "flagged": self.verdict.flagged,
            "confidence": round(self.confidence, 2),
            "confidence_label": confidence_label(self.confidence),
            "summary": self.summary,
            "reasons": [r.to_dict() for r in self.reasons],
            "error": self.error,
            "as_of": self.as_of,
        }
