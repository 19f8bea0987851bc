"""Why two entities are linked: one ``Evidence`` per stated fact, with the records behind it.

A link between two entities is the sum of its evidence: a relation record (an FtM edge
schema such as Associate or Payment), a record naming another (an entity-typed property),
the same identifier on two records, or two entities named by one event (a seizure, a
consignment, a call). Each kind has a named base weight (``LinkWeights``, versioned), and
the weights of a pair's evidence combine as independent reasons: 1 - prod(1 - w).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any

RELATION = "relation"
REFERENCE = "reference"
IDENTIFIER = "identifier"
EVENT = "event"
KINDS = (RELATION, REFERENCE, IDENTIFIER, EVENT)


@dataclass(frozen=True)
class LinkWeights:
    """Base weight of each kind of evidence. A change of any value is a new version."""

    version: str = "links-v1"
    relation: float = 0.9
    weak_relation: float = 0.6  # UnknownLink: someone said "linked", not how
    reference: float = 0.85
    address_reference: float = 0.6  # an address record: many people can live there
    event: float = 0.7  # named together in one seizure, consignment, call
    identifier: dict[str, float] = field(
        default_factory=lambda: {
            "crypto": 1.0,
            "account": 1.0,
            "document": 1.0,
            "tracking": 1.0,
            "phone": 0.9,
            "email": 0.9,
            "url": 0.8,
            "handle": 0.6,
            "address": 0.5,
            "case": 0.5,
            "other": 0.7,
        }
    )
    # A value held by many records says less about each pair: weight / (1 + ln(n - 1)).
    # Values held by more records than this are not linked at all (switchboards, couriers).
    max_holders: int = 25
    max_event_parties: int = 25

    def for_identifier(self, group: str, holders: int) -> float:
        base = self.identifier.get(group, self.identifier["other"])
        return base / (1.0 + math.log(max(holders - 1, 1)))


DEFAULT_WEIGHTS = LinkWeights()


def combine(weights: list[float]) -> float:
    """Independent reasons: the pair is linked unless every piece of evidence is wrong."""
    miss = 1.0
    for w in weights:
        miss *= 1.0 - min(max(w, 0.0), 0.999)
    return 1.0 - miss


@dataclass(frozen=True)
class Evidence:
    """One stated fact linking ``source`` and ``target``.

    ``records`` are the ids of the records that state it (one for a relation, reference or
    event; the two holders for a shared identifier) and ``props`` the property of each
    that carries it. ``value`` is the shared identifier, if any; ``dates`` the first and
    last date the records give for it (ISO prefixes), empty when undated.
    """

    kind: str
    source: str
    target: str
    records: tuple[str, ...]
    props: tuple[str, ...]
    label: str
    weight: float
    value: str | None = None
    dates: tuple[str, ...] = ()
    captions: tuple[str, ...] = ()  # of ``records``, in the same order
    names: tuple[str, str] = ("", "")  # captions of source and target

    def describe(self, captions: dict[str, str] | None = None) -> str:
        """A sentence an analyst can read out: what links the two, and on which record."""
        lookup = dict(zip(self.records, self.captions, strict=False))
        lookup.setdefault(self.source, self.names[0] or self.source)
        lookup.setdefault(self.target, self.names[1] or self.target)
        lookup.update(captions or {})
        name = lambda rid: lookup.get(rid) or rid  # noqa: E731
        first = self.records[0]
        src, tgt = name(self.source), name(self.target)
        if self.kind == IDENTIFIER:
            holders = " and ".join(
                f"{name(r)} ({p})" for r, p in zip(self.records, self.props, strict=False)
            )
            return f"same {self.label} {self.value!r} on {holders}"
        if self.kind == EVENT:
            props = ", ".join(self.props)
            return f"{src} and {tgt} both named in {self.label} {name(first)!r} ({props})"
        if self.kind == RELATION:
            return f"{src} {self.label} {tgt} (record {name(first)!r}: {' → '.join(self.props)})"
        return f"{name(first)} names {tgt} as {self.label.lower()} ({self.props[0]})"

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)
