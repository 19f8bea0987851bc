"""Derive the link graph from records, the FtM way.

* A record of an edge schema (Associate, Directorship, Ownership, Payment, ...) whose two
  ends are records in the graph becomes a *relation* between them, not a node.
* Every other record is a node; each entity-typed value it holds is a *reference* to
  the record named (a seizure's ``personsInvolved``, a person's ``addressEntity``).
* Records named together by one event (a seizure, consignment, call, payment) are linked
  by *co-occurrence*.
* Records holding the same identifier (phone, wallet, account, e-mail, document or
  tracking number, address, handle) are linked by a *shared identifier*, whichever agency
  recorded them.

The builder only sees the records it is given: the caller passes what one agency may
see, so a hidden record is neither a node nor a reason for a link. A time window drops
dated evidence outside it; undated facts (a person's address) always hold.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from itertools import combinations

import numpy as np
from followthemoney.schema import Schema

from narcolink.analysis.network import identifiers
from narcolink.analysis.network.evidence import (
    DEFAULT_WEIGHTS,
    EVENT,
    IDENTIFIER,
    REFERENCE,
    RELATION,
    Evidence,
    LinkWeights,
    combine,
)
from narcolink.analysis.network.graph import LinkGraph, NodeInfo
from narcolink.exc import BadRequest
from narcolink.model.vocabulary import get_model

EVENT_SCHEMATA = ("Event", "Call", "Message", "Consignment", "Payment", "ChemicalShipment", "Trip")
# Dates that say when a person or company came to exist or a file was touched, not when
# anything happened between two parties.
UNDATED_PROPS = frozenset(
    {
        "birthDate",
        "deathDate",
        "incorporationDate",
        "dissolutionDate",
        "createdAt",
        "modifiedAt",
        "retrievedAt",
        "publishedAt",
        "authoredAt",
        "processedAt",
    }
)
# Communications between two known parties are links between them, not nodes: a hundred
# calls between two people make one strong link, not a hundred records in the way.
COMMUNICATIONS = {"Call": ("caller", "receiver"), "Message": ("sender", "recipients")}
OWN_COUNTRY_PROPS = ("country", "jurisdiction", "mainCountry")
NATIONALITY_PROPS = ("nationality", "citizenship")
ROUTE_COUNTRY_PROPS = ("originCountry", "destinationCountry")
ADDRESS_PROPS = ("addressEntity",)


@dataclass(frozen=True)
class _Prop:
    type: str
    label: str
    group: str | None  # identifier group, or None
    dated: bool  # a date of something that happened


@cache
def _prop(schema: str, name: str) -> _Prop | None:
    """What the builder needs to know of a property (looked up once per schema)."""
    found = get_model().get(schema)
    prop = found.get(name) if found is not None else None
    if prop is None:
        return None
    dated = prop.type.name == "date" and name not in UNDATED_PROPS
    return _Prop(prop.type.name, prop.label, identifiers.group_of(prop), dated)


@cache
def _kind(schema: str) -> tuple[bool, bool, bool]:
    """(is an event, has route countries, is an address)."""
    found = get_model().get(schema)
    assert found is not None
    return (
        any(found.is_a(s) for s in EVENT_SCHEMATA),
        found.is_a("Consignment") or found.is_a("ChemicalShipment"),
        found.is_a("Address"),
    )


@cache
def _labels(schema: str) -> tuple[str, str]:
    """(schema label, edge label): FtM translates labels on every access."""
    found = get_model().get(schema)
    assert found is not None
    return found.label, found.edge_label or found.label


@dataclass
class _Record:
    id: str
    schema: Schema
    caption: str
    agency: str
    props: Mapping[str, list[str]]
    dates: tuple[str, ...]


def _span(values: Iterable[str]) -> tuple[str, ...]:
    found = sorted(v for v in values if v)
    return (found[0], found[-1]) if found else ()


def _full(date: str, end: bool) -> str:
    """An ISO prefix as the first (or last) day it covers, for comparing spans."""
    pad = ("-12", "-31") if end else ("-01", "-01")
    parts = date[:10].split("-")
    while len(parts) < 3:
        parts.append(pad[len(parts) - 1].lstrip("-"))
    return "-".join(parts)


def check_date(value: str | None, name: str) -> str | None:
    if not value:
        return None
    text = value.strip()
    parts = text.split("-")
    if not (1 <= len(parts) <= 3 and all(p.isdigit() for p in parts) and len(parts[0]) == 4):
        raise BadRequest(f"{name} must be a date as YYYY, YYYY-MM or YYYY-MM-DD, not {value!r}")
    return text


class GraphBuilder:
    """Collects records (``add``), then derives nodes and evidence (``build``)."""

    def __init__(
        self,
        weights: LinkWeights = DEFAULT_WEIGHTS,
        since: str | None = None,
        until: str | None = None,
    ) -> None:
        self.weights = weights
        self.windowed = bool(since or until)
        self.since = _full(check_date(since, "since") or "0001", end=False)
        self.until = _full(check_date(until, "until") or "9999", end=True)
        self.records: dict[str, _Record] = {}
        self.skipped: list[str] = []
        self.marks: dict[str, tuple[str, str, str]] = {}

    def add(
        self,
        entity_id: str,
        schema: str,
        caption: str,
        agency: str,
        props: Mapping[str, list[str]],
        marks: tuple[str, str, str] = ("", "", ""),
    ) -> None:
        """One record; ``marks`` are its (TLP, PAP, handling code)."""
        self.marks[entity_id] = marks
        found = get_model().get(schema)
        if found is None:
            self.skipped.append(entity_id)
            return
        dates = _span(
            v
            for name, values in props.items()
            if (prop := _prop(found.name, name)) is not None and prop.dated
            for v in values
        )
        self.records[entity_id] = _Record(entity_id, found, caption, agency, props, dates)

    # --- helpers --------------------------------------------------------------------------

    def _in_window(self, dates: tuple[str, ...]) -> bool:
        if not dates or not self.windowed:
            return True
        return _full(dates[-1], end=True) >= self.since and _full(dates[0], end=False) <= self.until

    def _ends(self, rec: _Record, props: tuple[str, str]) -> bool:
        ends = (rec.props.get(props[0]), rec.props.get(props[1]))
        return all(values and any(v in self.records for v in values) for values in ends)

    def _is_communication(self, rec: _Record) -> bool:
        props = COMMUNICATIONS.get(rec.schema.name)
        return props is not None and self._ends(rec, props)

    def _communication(self, rec: _Record, nodes: set[str]) -> Iterable[Evidence]:
        props = COMMUNICATIONS[rec.schema.name]
        label = _labels(rec.schema.name)[0].lower()
        for s in rec.props.get(props[0], []):
            for t in rec.props.get(props[1], []):
                if s in nodes and t in nodes and s != t:
                    names = (self.records[s].caption, self.records[t].caption)
                    yield Evidence(
                        EVENT, s, t, (rec.id,), props, label, self.weights.event, None,
                        rec.dates, (rec.caption,), names,
                    )  # fmt: skip

    def _is_relation(self, rec: _Record) -> bool:
        schema = rec.schema
        if not schema.edge or not schema.source_prop or not schema.target_prop:
            return False
        ends = (rec.props.get(schema.source_prop.name), rec.props.get(schema.target_prop.name))
        return all(values and any(v in self.records for v in values) for values in ends)

    def _countries(self, rec: _Record) -> tuple[str, ...]:
        """Where the entity is based: its own country (residence, jurisdiction), else its
        address record's, else its nationality; a consignment's route countries."""
        found = {v for p in OWN_COUNTRY_PROPS for v in rec.props.get(p, [])}
        if _kind(rec.schema.name)[1]:
            found |= {v for p in ROUTE_COUNTRY_PROPS for v in rec.props.get(p, [])}
        if not found:
            for ref in (v for p in ADDRESS_PROPS for v in rec.props.get(p, [])):
                address = self.records.get(ref)
                if address is not None:
                    found |= set(address.props.get("country", []))
        if not found:
            found = {v for p in NATIONALITY_PROPS for v in rec.props.get(p, [])}
        return tuple(sorted(found))

    # --- evidence -------------------------------------------------------------------------

    def _relations(self, rec: _Record, nodes: set[str]) -> Iterable[Evidence]:
        schema = rec.schema
        assert schema.source_prop is not None and schema.target_prop is not None
        label = _labels(schema.name)[1]
        weight = (
            self.weights.weak_relation if schema.name == "UnknownLink" else self.weights.relation
        )
        props = (schema.source_prop.name, schema.target_prop.name)
        for s in rec.props.get(props[0], []):
            for t in rec.props.get(props[1], []):
                if s in nodes and t in nodes and s != t:
                    names = (self.records[s].caption, self.records[t].caption)
                    yield Evidence(
                        RELATION, s, t, (rec.id,), props, label, weight, None, rec.dates,
                        (rec.caption,), names,
                    )  # fmt: skip

    def _references(self, rec: _Record, nodes: set[str]) -> Iterable[Evidence]:
        parties: list[tuple[str, str]] = []
        for name, values in rec.props.items():
            prop = _prop(rec.schema.name, name)
            if prop is None or prop.type != "entity":
                continue
            for target in values:
                if target not in nodes or target == rec.id:
                    continue
                other = self.records[target]
                is_address = _kind(other.schema.name)[2]
                weight = self.weights.address_reference if is_address else self.weights.reference
                yield Evidence(
                    REFERENCE, rec.id, target, (rec.id,), (name,), prop.label, weight, None,
                    rec.dates, (rec.caption,), (rec.caption, other.caption),
                )  # fmt: skip
                if not is_address:
                    parties.append((target, name))
        if _kind(rec.schema.name)[0]:
            yield from self._event(rec, parties)

    def _event(self, rec: _Record, parties: list[tuple[str, str]]) -> Iterable[Evidence]:
        unique: dict[str, str] = {}
        for target, prop in parties:
            unique.setdefault(target, prop)
        if len(unique) > self.weights.max_event_parties:
            return
        label = _labels(rec.schema.name)[0].lower()
        for (a, pa), (b, pb) in combinations(sorted(unique.items()), 2):
            names = (self.records[a].caption, self.records[b].caption)
            yield Evidence(
                EVENT, a, b, (rec.id,), (pa, pb), label, self.weights.event, None, rec.dates,
                (rec.caption,), names,
            )  # fmt: skip

    def _identifiers(self, nodes: set[str], notes: list[str]) -> Iterable[Evidence]:
        holders: dict[tuple[str, str], dict[str, tuple[str, str]]] = defaultdict(dict)
        for entity_id in nodes:
            rec = self.records[entity_id]
            for name, values in rec.props.items():
                prop = _prop(rec.schema.name, name)
                group = prop.group if prop is not None else None
                if group is None:
                    continue
                for value in values:
                    key = identifiers.normalise(group, value)
                    if len(key) >= 4:
                        holders[(group, key)].setdefault(entity_id, (name, value))
        for (group, _), held in sorted(holders.items()):
            if len(held) < 2:
                continue
            label = identifiers.GROUP_LABELS[group]
            if len(held) > self.weights.max_holders:
                value = next(iter(held.values()))[1]
                notes.append(f"{label} {value!r} is on {len(held)} records: too common to link")
                continue
            weight = self.weights.for_identifier(group, len(held))
            for a, b in combinations(sorted(held), 2):
                ra, rb = self.records[a], self.records[b]
                dates = _span((*ra.dates, *rb.dates))
                (pa, va), (pb, _) = held[a], held[b]
                names = (ra.caption, rb.caption)
                yield Evidence(
                    IDENTIFIER, a, b, (a, b), (pa, pb), label, weight, va, dates, names, names
                )

    # --- the graph ------------------------------------------------------------------------

    def build(self) -> LinkGraph:
        relations = [r for r in self.records.values() if self._is_relation(r)]
        talks = [r for r in self.records.values() if self._is_communication(r)]
        links = {r.id for r in relations} | {r.id for r in talks}
        node_ids = sorted(set(self.records) - links)
        nodes = set(node_ids)
        notes: list[str] = []
        found: list[Evidence] = []
        for rec in relations:
            found.extend(self._relations(rec, nodes))
        for rec in talks:
            found.extend(self._communication(rec, nodes))
        for entity_id in node_ids:
            found.extend(self._references(self.records[entity_id], nodes))
        found.extend(self._identifiers(nodes, notes))
        index = {eid: i for i, eid in enumerate(node_ids)}
        pairs: dict[tuple[int, int], list[Evidence]] = defaultdict(list)
        for ev in found:
            if self._in_window(ev.dates):
                a, b = index[ev.source], index[ev.target]
                pairs[(min(a, b), max(a, b))].append(ev)
        keys = sorted(pairs)
        src = np.array([k[0] for k in keys], dtype=np.int32)
        dst = np.array([k[1] for k in keys], dtype=np.int32)
        evidence = [sorted(pairs[k], key=lambda e: -e.weight) for k in keys]
        weight = np.array([combine([e.weight for e in evs]) for evs in evidence])
        infos = [
            NodeInfo(
                rec.id, rec.schema.name, rec.caption, rec.agency, self._countries(rec), rec.dates
            )
            for rec in (self.records[i] for i in node_ids)
        ]
        return LinkGraph(infos, src, dst, weight, evidence, notes=notes, marks=self.marks)
