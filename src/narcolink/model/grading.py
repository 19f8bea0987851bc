"""Source and information gradings, stored as (scheme, code), with mappings.

Agencies grade with different schemes: NATO/Admiralty (A-F, 1-6), Europol's 4x4 (A-C/X,
1-4), the UK's older 5x5x5 (A-E, 1-5) and its 3x5x2 (A-C, 1-5). A grading is stored in the
scheme it was given in, never converted on the way in; ``convert`` maps it to another scheme
through a shared scale, and says when the mapping is an approximation.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Axis = Literal["source", "info"]

# Shared scales. Source: 1 reliable ... 5 unreliable, 0 cannot be judged / untested.
# Information: 1 confirmed ... 5 doubtful/false, 0 cannot be judged.
# From DOUBTFUL on, a grade warns against the source or the information.
DOUBTFUL = 4
SCHEMES: dict[str, dict[Axis, dict[str, tuple[int, str]]]] = {
    "admiralty": {
        "source": {
            "A": (1, "Completely reliable"),
            "B": (2, "Usually reliable"),
            "C": (3, "Fairly reliable"),
            "D": (4, "Not usually reliable"),
            "E": (5, "Unreliable"),
            "F": (0, "Reliability cannot be judged"),
        },
        "info": {
            "1": (1, "Confirmed by other sources"),
            "2": (2, "Probably true"),
            "3": (3, "Possibly true"),
            "4": (4, "Doubtful"),
            "5": (5, "Improbable"),
            "6": (0, "Truth cannot be judged"),
        },
    },
    "4x4": {
        "source": {
            "A": (1, "No doubt about authenticity, trustworthiness and competence"),
            "B": (2, "Source has proved reliable in most instances"),
            "C": (4, "Source has proved unreliable in most instances"),
            "X": (0, "Reliability cannot be assessed"),
        },
        "info": {
            "1": (1, "Known to be true without reservation"),
            "2": (2, "Known personally to the source but not to the official passing it on"),
            "3": (3, "Not known personally to the source but corroborated"),
            "4": (0, "Cannot be judged"),
        },
    },
    "5x5x5": {
        "source": {
            "A": (1, "Always reliable"),
            "B": (2, "Mostly reliable"),
            "C": (3, "Sometimes reliable"),
            "D": (5, "Unreliable"),
            "E": (0, "Untested source"),
        },
        "info": {
            "1": (1, "Known to be true without reservation"),
            "2": (2, "Known personally to the source but not to the officer"),
            "3": (3, "Not personally known to the source but corroborated"),
            "4": (0, "Cannot be judged"),
            "5": (5, "Suspected to be false"),
        },
    },
    "3x5x2": {
        "source": {
            "A": (1, "Reliable"),
            "B": (0, "Untested"),
            "C": (5, "Not reliable"),
        },
        "info": {
            "1": (1, "Known directly to the source"),
            "2": (2, "Known indirectly to the source but corroborated"),
            "3": (3, "Known indirectly to the source"),
            "4": (0, "Not known"),
            "5": (5, "Suspected to be false"),
        },
    },
}


@dataclass(frozen=True)
class Grading:
    """A grading as given: scheme, axis (source or info) and code."""

    scheme: str
    axis: Axis
    code: str

    def __post_init__(self) -> None:
        if self.scheme not in SCHEMES:
            raise ValueError(
                f"unknown grading scheme {self.scheme!r}; use one of {', '.join(SCHEMES)}"
            )
        codes = SCHEMES[self.scheme][self.axis]
        if self.code not in codes:
            raise ValueError(
                f"{self.code!r} is not a {self.axis} grade in {self.scheme}; "
                f"use one of {', '.join(codes)}"
            )

    @property
    def level(self) -> int:
        return SCHEMES[self.scheme][self.axis][self.code][0]

    @property
    def meaning(self) -> str:
        return SCHEMES[self.scheme][self.axis][self.code][1]

    def __str__(self) -> str:
        return f"{self.scheme}:{self.code}"

    def convert(self, scheme: str) -> tuple[Grading, bool]:
        """The closest grade in ``scheme`` and whether the mapping is exact in level."""
        if scheme not in SCHEMES:
            raise ValueError(f"unknown grading scheme {scheme!r}")
        target = SCHEMES[scheme][self.axis]
        exact = [c for c, (lvl, _) in target.items() if lvl == self.level]
        if exact:
            return Grading(scheme, self.axis, exact[0]), True
        if self.level == 0:
            # Only schemes without a "cannot judge" grade land here; none today.
            raise ValueError(f"{scheme} has no 'cannot be judged' {self.axis} grade")
        # Nearest known level, rounding towards the more cautious (higher) level.
        best = min(
            (c for c, (lvl, _) in target.items() if lvl > 0),
            key=lambda c: (abs(target[c][0] - self.level), -target[c][0]),
        )
        if self.level >= DOUBTFUL > target[best][0]:
            # The target scale has no doubtful end (4x4 information stops at "corroborated"):
            # saying "cannot be judged" is honest, calling doubtful information true is not.
            unjudged = [c for c, (lvl, _) in target.items() if lvl == 0]
            if unjudged:
                best = unjudged[0]
        return Grading(scheme, self.axis, best), False


def parse_grading(text: object, axis: Axis) -> Grading:
    """Parse ``scheme:code`` (e.g. ``admiralty:B``, ``4x4:2``); raises ValueError."""
    raw = str(text).strip()
    if ":" not in raw:
        raise ValueError(f"grading {raw!r} must be written scheme:code, e.g. admiralty:B")
    scheme, code = raw.split(":", 1)
    return Grading(scheme.strip().lower(), axis, code.strip().upper())
