"""Handling markings carried by every record and every import batch.

TLP 2.0 and PAP (FIRST), a handling code modelled on Europol's H0-H3, and source and
information gradings stored as (scheme, code) so that an agency keeps its own scheme;
``grading`` maps between schemes.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from datetime import date
from enum import StrEnum
from typing import Any

from narcolink.model.grading import Grading, parse_grading


class TLP(StrEnum):
    """Traffic Light Protocol 2.0, least to most restrictive."""

    CLEAR = "CLEAR"
    GREEN = "GREEN"
    AMBER = "AMBER"
    AMBER_STRICT = "AMBER+STRICT"
    RED = "RED"

    @property
    def rank(self) -> int:
        return list(TLP).index(self)


class PAP(StrEnum):
    """Permissible Actions Protocol: what a recipient may do with the information."""

    CLEAR = "CLEAR"
    GREEN = "GREEN"
    AMBER = "AMBER"
    RED = "RED"

    @property
    def rank(self) -> int:
        return list(PAP).index(self)


class Handling(StrEnum):
    """Handling codes modelled on Europol's H0-H3."""

    H0 = "H0"
    H1 = "H1"
    H2 = "H2"
    H3 = "H3"

    @property
    def rank(self) -> int:
        return list(Handling).index(self)


HANDLING_MEANING = {
    Handling.H0: "May be used in judicial proceedings.",
    Handling.H1: (
        "Not to be used as evidence in judicial proceedings without the originator's consent."
    ),
    Handling.H2: "Not to be disseminated further without the originator's consent.",
    Handling.H3: "Other restrictions apply; see purpose and legal basis.",
}


def _enum(cls: type[StrEnum], value: Any, field: str) -> Any:
    text = str(value).strip().upper().replace("TLP:", "").replace("PAP:", "")
    try:
        return cls(text)
    except ValueError:
        choices = ", ".join(m.value for m in cls)
        raise ValueError(f"{field} must be one of {choices}, not {value!r}") from None


@dataclass(frozen=True)
class Markings:
    """The handling rules attached to a record or a batch of statements."""

    tlp: TLP = TLP.AMBER
    pap: PAP = PAP.AMBER
    handling: Handling = Handling.H1
    source_grading: Grading | None = None
    info_grading: Grading | None = None
    purpose: str | None = None
    legal_basis: str | None = None
    expires: date | None = None

    @classmethod
    def parse(cls, data: dict[str, Any] | None) -> Markings:
        """Build from loose input (form fields, JSON, CSV header metadata); raises ValueError."""
        data = {k: v for k, v in (data or {}).items() if v not in (None, "")}
        base = cls()
        return cls(
            tlp=_enum(TLP, data["tlp"], "tlp") if "tlp" in data else base.tlp,
            pap=_enum(PAP, data["pap"], "pap") if "pap" in data else base.pap,
            handling=_enum(Handling, data["handling"], "handling")
            if "handling" in data
            else base.handling,
            source_grading=parse_grading(data["source_grading"], "source")
            if "source_grading" in data
            else None,
            info_grading=parse_grading(data["info_grading"], "info")
            if "info_grading" in data
            else None,
            purpose=data.get("purpose"),
            legal_basis=data.get("legal_basis"),
            expires=date.fromisoformat(str(data["expires"])) if "expires" in data else None,
        )

    def most_restrictive(self, other: Markings) -> Markings:
        """Combine two markings, keeping the stricter rule of each kind."""
        return replace(
            self,
            tlp=max(self.tlp, other.tlp, key=lambda t: t.rank),
            pap=max(self.pap, other.pap, key=lambda p: p.rank),
            handling=max(self.handling, other.handling, key=lambda h: h.rank),
        )

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["tlp"] = self.tlp.value
        out["pap"] = self.pap.value
        out["handling"] = self.handling.value
        out["source_grading"] = str(self.source_grading) if self.source_grading else None
        out["info_grading"] = str(self.info_grading) if self.info_grading else None
        out["expires"] = self.expires.isoformat() if self.expires else None
        return out

    def label(self) -> str:
        """Short banner text, e.g. ``TLP:AMBER PAP:AMBER H1 B2``."""
        parts = [f"TLP:{self.tlp.value}", f"PAP:{self.pap.value}", self.handling.value]
        if self.source_grading:
            parts.append(str(self.source_grading))
        if self.info_grading:
            parts.append(str(self.info_grading))
        return " ".join(parts)
