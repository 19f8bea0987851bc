"""From one lead to the network behind it: every entity within k hops, ranked, each with
the evidence path that reaches it and the named features of its score.

The score (``RankSpec``, versioned) adds four features:

* ``affinity`` — personalised PageRank from the lead over the reached subgraph (a random
  walk that keeps returning to the lead, along links in proportion to their strength):
  entities tied to the lead by many strong, independent paths come first;
* ``proximity`` — fewer hops from the lead;
* ``path_strength`` — how strong the weakest-combined chain of evidence to it is (the
  product of the link strengths along its evidence path);
* ``actor`` — persons, companies and organisations: an analyst expanding a lead looks
  for who is behind it; consignments, payments and documents are the evidence that ties
  them together (each is on the evidence paths, and on the chart), and without this
  feature a busy shipping lane fills the list with parcels.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from narcolink.analysis.network.graph import LinkGraph, check_hops
from narcolink.analysis.network.results import Expansion, Link, RankedNode, Reason, link_for, total
from narcolink.analysis.network.walk import walk
from narcolink.model.vocabulary import get_model


@dataclass(frozen=True)
class RankSpec:
    version: str = "rank-v2"
    affinity: float = 0.6
    proximity: float = 0.25
    path_strength: float = 0.15
    actor: float = 0.2
    damping: float = 0.85


DEFAULT_RANK = RankSpec()


@lru_cache(maxsize=256)
def is_actor(schema: str) -> bool:
    """Persons, companies, organisations: FtM's LegalEntity and what extends it."""
    found = get_model().get(schema)
    return bool(found is not None and found.is_a("LegalEntity"))


def _affinity(graph: LinkGraph, members: np.ndarray, damping: float) -> np.ndarray:
    """Personalised PageRank from members[0] over the members' subgraph, scaled so the
    strongest entity other than the lead is 1."""
    if len(members) < 2:
        return np.ones(len(members))
    sub, _ = graph.subgraph(members)
    ranks = np.asarray(
        sub.personalized_pagerank(reset_vertices=[0], weights="weight", damping=damping)
    )
    top = ranks[1:].max()
    return ranks / top if top > 0 else ranks


def expand(
    graph: LinkGraph,
    lead_id: str,
    hops: int = 3,
    *,
    limit: int = 50,
    schemata: Collection[str] | None = None,
    hub_degree: int = 500,
    max_nodes: int = 50_000,
    spec: RankSpec = DEFAULT_RANK,
) -> Expansion:
    """The ``limit`` best-ranked entities within ``hops`` of the lead (of ``schemata`` only,
    if given, matched with FtM inheritance by the caller's choice of names)."""
    check_hops(hops)
    lead = graph.position(lead_id)
    reach = walk(graph, lead, hops, hub_degree=hub_degree, max_nodes=max_nodes)
    members = reach.order
    affinity = _affinity(graph, members, spec.damping)
    strength: dict[int, float] = {lead: 1.0}
    for node in members[1:].tolist():  # BFS order: a parent's strength is known first
        strength[node] = strength[reach.parent[node]] * float(graph.weight[reach.parent_edge[node]])
    candidates = []
    for local, node in enumerate(members.tolist()):
        if node == lead:
            continue
        info = graph.node(node)
        if schemata and info.schema not in schemata:
            continue
        d = reach.dist[node]
        actor = is_actor(info.schema)
        reasons = [
            Reason(
                "affinity",
                round(float(affinity[local]), 6),
                spec.affinity,
                "random-walk affinity to the lead, relative to the closest entity",
            ),
            Reason(
                "proximity",
                round(1.0 - (d - 1) / hops, 6),
                spec.proximity,
                f"{d} hop{'s' if d > 1 else ''} from the lead",
            ),
            Reason(
                "path_strength",
                round(strength[node], 6),
                spec.path_strength,
                "product of link strengths along the evidence path",
            ),
            Reason(
                "actor",
                1.0 if actor else 0.0,
                spec.actor,
                "a person or organisation" if actor else "not an actor",
            ),
        ]
        candidates.append((total(reasons), node, reasons))
    candidates.sort(key=lambda c: (-c[0], graph.ids[c[1]]))
    ranked = [
        RankedNode(
            graph.node(node),
            reach.dist[node],
            score,
            tuple(reasons),
            tuple(link_for(graph, a, b, e) for a, b, e in reach.path_to(node)),
        )
        for score, node, reasons in candidates[:limit]
    ]
    shown = [lead] + [graph.index[r.node.id] for r in ranked]
    return Expansion(
        lead=graph.node(lead),
        hops=hops,
        ranked=ranked,
        links=links_among(graph, shown),
        reached=len(members) - 1,
        hubs=[graph.node(h) for h in reach.hubs],
        truncated=reach.truncated,
        version=spec.version,
        notes=list(graph.notes),
    )


def links_among(graph: LinkGraph, nodes: list[int]) -> list[Link]:
    """Every link whose two ends are both in ``nodes`` (for drawing a chart)."""
    inside = set(nodes)
    out = []
    for a in nodes:
        nbrs, edges = graph.neighbours(a)
        for b, e in zip(nbrs.tolist(), edges.tolist(), strict=True):
            if b in inside and a < b:
                out.append(link_for(graph, a, b, e))
    return out
