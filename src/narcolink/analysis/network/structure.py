"""The shape of a network: communities (Leiden), brokers (betweenness), cross-border and
cross-agency bridges. Each works on a *scope*: the whole graph, or a set of nodes such as
an expansion from a lead."""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

from narcolink.analysis.network.graph import LinkGraph, NodeInfo
from narcolink.analysis.network.results import Link, Reason, link_for, total

LEIDEN_SEED = 20260120  # fixed: the same graph gives the same communities, run after run
LEIDEN_ITERATIONS = 2  # igraph's default; running to convergence costs 15x for ~1% modularity
EXACT_BETWEENNESS = 20_000  # larger scopes use paths of at most BETWEENNESS_CUTOFF hops
BETWEENNESS_CUTOFF = 4.5


@dataclass(frozen=True)
class Member:
    node: NodeInfo
    strength: float  # sum of link strengths inside the community
    reasons: tuple[Link, ...]  # its strongest links inside the community


@dataclass(frozen=True)
class Community:
    number: int
    size: int
    members: tuple[Member, ...]  # strongest first, up to the requested number
    agencies: tuple[str, ...]
    countries: tuple[str, ...]
    internal_links: int


@dataclass
class Communities:
    method: str
    modularity: float
    communities: list[Community]
    membership: dict[str, int] = field(default_factory=dict)
    markings: dict[str, str] = field(default_factory=dict)


def _scope(graph: LinkGraph, scope: np.ndarray | None) -> tuple[object, np.ndarray, np.ndarray]:
    """igraph graph of the scope, global node number per local node, global edge per edge."""
    if scope is None:
        return graph.as_igraph(), np.arange(graph.node_count), np.arange(graph.edge_count)
    members = np.asarray(scope, dtype=np.int64)
    sub, edges = graph.subgraph(members)
    return sub, members, edges


def leiden(graph: LinkGraph, scope: np.ndarray | None = None, resolution: float = 1.0) -> list[int]:
    """Community number of each node of the scope (Leiden, modularity, link strengths)."""
    g, _, _ = _scope(graph, scope)
    import igraph

    igraph.set_random_number_generator(random.Random(LEIDEN_SEED))
    try:
        parts = g.community_leiden(  # type: ignore[attr-defined]
            objective_function="modularity",
            weights="weight",
            resolution=resolution,
            n_iterations=LEIDEN_ITERATIONS,
        )
    finally:
        igraph.set_random_number_generator(random)
    return list(parts.membership)


def communities(
    graph: LinkGraph,
    scope: np.ndarray | None = None,
    *,
    resolution: float = 1.0,
    min_size: int = 3,
    members_shown: int = 25,
) -> Communities:
    """Communities of at least ``min_size`` entities, largest first, each member with the
    links that hold it in."""
    g, nodes, edges = _scope(graph, scope)
    membership = leiden(graph, scope, resolution)
    import igraph

    assert isinstance(g, igraph.Graph)
    modularity = g.modularity(membership, weights="weight") if g.ecount() else 0.0
    groups: dict[int, list[int]] = {}
    for local, number in enumerate(membership):
        groups.setdefault(number, []).append(local)
    ordered = sorted((m for m in groups.values() if len(m) >= min_size), key=lambda m: -len(m))
    out = []
    by_id: dict[str, int] = {}
    for number, locals_ in enumerate(ordered, start=1):
        inside = {int(nodes[v]) for v in locals_}
        by_id.update((graph.ids[v], number) for v in inside)
        strength: dict[int, float] = dict.fromkeys(inside, 0.0)
        best: dict[int, list[tuple[float, int, int, int]]] = {v: [] for v in inside}
        internal = 0
        for v in inside:
            nbrs, eids = graph.neighbours(v)
            for u, e in zip(nbrs.tolist(), eids.tolist(), strict=True):
                if u in inside:
                    w = float(graph.weight[e])
                    strength[v] += w
                    best[v].append((w, v, u, e))
                    internal += 1
        top = sorted(inside, key=lambda v: (-strength[v], graph.ids[v]))[:members_shown]
        members = tuple(
            Member(
                graph.node(v),
                round(strength[v], 6),
                tuple(link_for(graph, a, b, e) for _, a, b, e in sorted(best[v], reverse=True)[:3]),
            )
            for v in top
        )
        infos = [graph.node(v) for v in inside]
        out.append(
            Community(
                number,
                len(inside),
                members,
                tuple(sorted({i.agency for i in infos if i.agency})),
                tuple(sorted({c for i in infos for c in i.countries})),
                internal // 2,
            )
        )
    del edges
    return Communities("leiden-modularity", round(float(modularity), 6), out, by_id)


@dataclass(frozen=True)
class Broker:
    node: NodeInfo
    score: float
    reasons: tuple[Reason, ...]


def betweenness(graph: LinkGraph, scope: np.ndarray | None = None) -> dict[int, float]:
    """Normalised betweenness (shortest paths by link cost) per global node number."""
    g, nodes, _ = _scope(graph, scope)
    n = g.vcount()  # type: ignore[attr-defined]
    if n < 3:
        return {int(v): 0.0 for v in nodes}
    cutoff = None if n <= EXACT_BETWEENNESS else BETWEENNESS_CUTOFF
    raw = g.betweenness(weights="cost", cutoff=cutoff)  # type: ignore[attr-defined]
    pairs = (n - 1) * (n - 2) / 2
    return {int(nodes[i]): float(b) / pairs for i, b in enumerate(raw)}


def brokers(
    graph: LinkGraph,
    scope: np.ndarray | None = None,
    membership: dict[int, int] | None = None,
    limit: int = 20,
) -> list[Broker]:
    """Entities that sit on the most shortest paths between others, with the communities
    and countries they join."""
    scores = betweenness(graph, scope)
    top = sorted(scores, key=lambda v: (-scores[v], graph.ids[v]))[:limit]
    out = []
    for v in top:
        if scores[v] <= 0:
            break
        nbrs, _ = graph.neighbours(v)
        joined = {membership[u] for u in nbrs.tolist() if membership and u in membership}
        countries = {c for u in nbrs.tolist() for c in graph.node(u).countries}
        reasons = [
            Reason(
                "betweenness",
                round(scores[v], 6),
                1.0,
                "share of shortest paths between other entities that pass through it",
            )
        ]
        detail = f"links {len(nbrs)} entities"
        if joined:
            detail += f" in {len(joined)} communities"
        if countries:
            detail += f" across {', '.join(sorted(countries))}"
        reasons.append(Reason("reach", float(len(nbrs)), 0.0, detail))
        out.append(Broker(graph.node(v), total(reasons), tuple(reasons)))
    return out


def bridges(graph: LinkGraph, scope: np.ndarray | None = None, limit: int = 100) -> list[Link]:
    """Links between entities of different countries (neither side shares a country with
    the other), or recorded by different agencies; strongest first."""
    candidates: Iterable[int] = range(graph.edge_count)
    if scope is not None:
        inside = set(np.asarray(scope).tolist())
        candidates = (
            e
            for e in range(graph.edge_count)
            if int(graph.src[e]) in inside and int(graph.dst[e]) in inside
        )
    found = []
    for e in candidates:
        link = link_for(graph, int(graph.src[e]), int(graph.dst[e]), e)
        if link.cross_border or link.cross_agency:
            found.append(link)
    found.sort(key=lambda lk: (not lk.cross_border, -lk.weight, lk.source, lk.target))
    return found[:limit]
