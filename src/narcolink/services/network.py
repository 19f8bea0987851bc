"""Network analysis over what the caller's agency may see, audited.

The link graph is built from the caller's scoped View only (own records and records
partners shared), so a record the agency may not see is neither a node nor a reason for
a link. Built graphs are cached per agency and time window; a cached graph is used only
while the number of visible records and the newest own import are unchanged, and every
result is checked against the View before it is returned: if any record in it (node or
evidence) is no longer visible (a share revoked or expired), the graph is rebuilt and the
analysis run again. Each analysis appends one audit row naming the records it showed.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import numpy as np

from narcolink.analysis import network as nw
from narcolink.analysis.network.build import check_date
from narcolink.exc import BadRequest
from narcolink.model.markings import PAP, TLP, Handling
from narcolink.model.roles import Actor
from narcolink.model.vocabulary import get_model
from narcolink.services.node import Node
from narcolink.store.view import View

CACHE_SIZE = 8
MAX_LIMIT = 500
T = TypeVar("T")


@dataclass(frozen=True)
class Window:
    """A time filter: evidence dated outside [since, until] is left out."""

    since: str | None = None
    until: str | None = None

    @classmethod
    def of(cls, since: str | None, until: str | None) -> Window:
        window = cls(check_date(since, "since"), check_date(until, "until"))
        if window.since and window.until and window.since > window.until:
            raise BadRequest("since must not be after until")
        return window


@dataclass
class _Cached:
    stamp: tuple[Any, ...]
    graph: nw.LinkGraph


_cache: OrderedDict[tuple[Any, ...], _Cached] = OrderedDict()
_lock = threading.Lock()


def _stamp(view: View) -> tuple[Any, ...]:
    newest = view.batches(limit=1)
    return (view.count(), newest[0]["id"] if newest else None)


def _build(view: View, window: Window) -> nw.LinkGraph:
    builder = nw.GraphBuilder(since=window.since, until=window.until)
    for row, props in view.iter_entities():
        marks = (row["tlp"], row["pap"], row["handling"])
        builder.add(row["id"], row["schema"], row["caption"], row["agency"], props, marks)
    return builder.build()


def strictest(graph: nw.LinkGraph, ids: Iterable[str]) -> dict[str, str]:
    """The most restrictive TLP, PAP and handling code among the records ``ids``: what a
    page or file showing all of them must be marked with."""
    marks = [graph.marks[i] for i in ids if i in graph.marks]
    if not marks:
        return {}

    def top(enum: Any, values: Iterable[str]) -> str:
        known = [enum(v) for v in values if v in enum._value2member_map_]
        return str(max(known, key=lambda m: m.rank).value) if known else ""

    return {
        "tlp": top(TLP, (m[0] for m in marks)),
        "pap": top(PAP, (m[1] for m in marks)),
        "handling": top(Handling, (m[2] for m in marks)),
    }


def _graph(node: Node, view: View, window: Window, fresh: bool = False) -> nw.LinkGraph:
    key = (id(node.store), view.agency, window)
    stamp = _stamp(view)
    with _lock:
        hit = _cache.get(key)
        if hit is not None and hit.stamp == stamp and not fresh:
            _cache.move_to_end(key)
            return hit.graph
    graph = _build(view, window)
    with _lock:
        _cache[key] = _Cached(stamp, graph)
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return graph


def clear_cache() -> None:
    with _lock:
        _cache.clear()


def _records_in(links: Iterable[nw.Link]) -> set[str]:
    out: set[str] = set()
    for link in links:
        out.update((link.source, link.target))
        for ev in link.evidence:
            out.update(ev.records)
    return out


def _analyse(
    node: Node,
    view: View,
    window: Window,
    run: Callable[[nw.LinkGraph], T],
    records: Callable[[T], set[str]],
) -> T:
    """Run on the cached graph; if the result names a record the View no longer shows,
    rebuild from the View and run again (so nothing hidden is ever returned)."""
    graph = _graph(node, view, window)
    result = run(graph)
    ids = sorted(records(result))
    if len(view.existing(ids)) != len(ids):
        graph = _graph(node, view, window, fresh=True)
        result = run(graph)
        ids = sorted(records(result))
    if hasattr(result, "markings"):
        result.markings = strictest(graph, ids)
    return result


def _schemata(names: Iterable[str] | None) -> set[str] | None:
    """The named schemata and every schema that extends one of them (Person, LegalEntity)."""
    wanted = [n for n in (names or []) if n]
    if not wanted:
        return None
    model = get_model()
    for name in wanted:
        if model.get(name) is None:
            raise BadRequest(f"unknown schema {name!r}")
    return {s.name for s in model.schemata.values() if any(s.is_a(n) for n in wanted)}


def _limit(value: int) -> int:
    return max(1, min(int(value), MAX_LIMIT))


def _expansion_records(ex: nw.Expansion) -> set[str]:
    ids = {ex.lead.id} | {r.node.id for r in ex.ranked} | {h.id for h in ex.hubs}
    for r in ex.ranked:
        ids |= _records_in(r.path)
    return ids | _records_in(ex.links)


# --- expansion ----------------------------------------------------------------------------


def expand(
    node: Node,
    actor: Actor,
    entity_id: str,
    hops: int = 3,
    *,
    limit: int = 50,
    schemata: Iterable[str] | None = None,
    since: str | None = None,
    until: str | None = None,
) -> nw.Expansion:
    """The ranked neighbourhood of a lead, with the evidence path to each entity."""
    window = Window.of(since, until)
    wanted = _schemata(schemata)
    with node.view(actor) as view:
        view.entity_row(entity_id)  # NotFound if hidden, before any work
        result = _analyse(
            node,
            view,
            window,
            lambda g: nw.expand(g, entity_id, hops, limit=_limit(limit), schemata=wanted),
            _expansion_records,
        )
        node.audit(
            view.conn,
            actor,
            "network",
            "entity",
            entity_id,
            analysis="expand",
            hops=hops,
            since=window.since,
            until=window.until,
            ids=[r.node.id for r in result.ranked],
        )
        return result


# --- paths --------------------------------------------------------------------------------


def paths(
    node: Node,
    actor: Actor,
    source: str,
    target: str,
    *,
    max_hops: int = 6,
    limit: int = 5,
    since: str | None = None,
    until: str | None = None,
) -> nw.PathResult:
    """The shortest evidence chains between two entities the caller may see."""
    window = Window.of(since, until)
    with node.view(actor) as view:
        view.entity_row(source)
        view.entity_row(target)
        result = _analyse(
            node,
            view,
            window,
            lambda g: nw.shortest_paths(g, source, target, max_hops=max_hops, limit=limit),
            lambda r: {source, target} | {i for p in r.paths for i in _records_in(p[2])},
        )
        node.audit(
            view.conn,
            actor,
            "network",
            "entity",
            source,
            analysis="path",
            target=target,
            hops=result.hops,
            paths=[[n.id for n in p[1]] for p in result.paths],
        )
        return result


# --- structure ----------------------------------------------------------------------------


@dataclass
class LeadNetwork:
    """Everything the lead page and the case summary show about one lead."""

    expansion: nw.Expansion
    kingpins: list[nw.Candidate]
    brokers: list[nw.Broker]
    bridges: list[nw.Link]
    communities: nw.Communities
    window: Window = field(default_factory=Window)
    markings: dict[str, str] = field(default_factory=dict)  # strictest of all records shown


def _lead_network(
    graph: nw.LinkGraph,
    entity_id: str,
    hops: int,
    limit: int,
    scope_size: int,
    window: Window,
    wanted: set[str] | None = None,
) -> LeadNetwork:
    wide = nw.expand(graph, entity_id, hops, limit=scope_size)
    scope = np.array([graph.index[entity_id]] + [graph.index[r.node.id] for r in wide.ranked])
    found = nw.communities(graph, scope, min_size=2)
    membership = {graph.index[k]: v for k, v in found.membership.items()}
    ranked = wide.ranked[:limit]
    if wanted is not None:
        ranked = nw.expand(graph, entity_id, hops, limit=limit, schemata=wanted).ranked
    listed = [graph.index[entity_id]] + [graph.index[r.node.id] for r in ranked]
    shown = nw.Expansion(
        wide.lead,
        wide.hops,
        ranked,
        nw.links_among(graph, listed),
        wide.reached,
        wide.hubs,
        wide.truncated,
        wide.version,
        wide.notes,
    )
    return LeadNetwork(
        expansion=shown,
        kingpins=nw.kingpins(graph, scope, home=wide.lead.countries),
        brokers=nw.brokers(graph, scope, membership, limit=10),
        bridges=nw.bridges(graph, scope, limit=25),
        communities=found,
        window=window,
    )


def lead_records(result: LeadNetwork) -> set[str]:
    ids = _expansion_records(result.expansion)
    ids |= {c.node.id for c in result.kingpins} | {b.node.id for b in result.brokers}
    for c in result.kingpins:
        for ev in c.evidence:
            ids.update(ev.records)
    ids |= _records_in(result.bridges)
    for community in result.communities.communities:
        for m in community.members:
            ids.add(m.node.id)
            ids |= _records_in(m.reasons)
    return ids


def lead_network(
    node: Node,
    actor: Actor,
    entity_id: str,
    hops: int = 4,
    *,
    limit: int = 50,
    scope_size: int = 200,
    schemata: Iterable[str] | None = None,
    since: str | None = None,
    until: str | None = None,
) -> LeadNetwork:
    """Expansion, kingpin candidates, brokers, bridges and communities around a lead.

    The network analysed is the lead and its ``scope_size`` best-ranked entities; the
    ranked list shows ``limit`` of them (of ``schemata`` only, if given)."""
    window = Window.of(since, until)
    wanted = _schemata(schemata)
    with node.view(actor) as view:
        view.entity_row(entity_id)
        result = _analyse(
            node,
            view,
            window,
            lambda g: _lead_network(
                g, entity_id, hops, _limit(limit), _limit(scope_size), window, wanted
            ),
            lead_records,
        )
        node.audit(
            view.conn,
            actor,
            "network",
            "entity",
            entity_id,
            analysis="lead",
            hops=hops,
            since=window.since,
            until=window.until,
            ids=[r.node.id for r in result.expansion.ranked],
            kingpins=[c.node.id for c in result.kingpins],
        )
        return result


def communities(
    node: Node,
    actor: Actor,
    *,
    min_size: int = 3,
    limit: int = 20,
    since: str | None = None,
    until: str | None = None,
) -> nw.Communities:
    """Leiden communities of everything the caller may see, largest first."""
    window = Window.of(since, until)
    with node.view(actor) as view:

        def run(graph: nw.LinkGraph) -> nw.Communities:
            found = nw.communities(graph, None, min_size=max(2, min_size))
            found.communities = found.communities[: _limit(limit)]
            return found

        def records(found: nw.Communities) -> set[str]:
            ids: set[str] = set()
            for c in found.communities:
                for m in c.members:
                    ids.add(m.node.id)
                    ids |= _records_in(m.reasons)
            return ids

        result = _analyse(node, view, window, run, records)
        node.audit(
            view.conn,
            actor,
            "network",
            None,
            None,
            analysis="communities",
            since=window.since,
            until=window.until,
            ids=sorted(records(result)),
        )
        return result
