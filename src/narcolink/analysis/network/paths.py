"""How two entities are connected: the shortest chains of evidence between them.

All chains with the fewest hops are found (up to a cap), then ordered by strength, the
product of their link strengths, so the first one shown is the best-evidenced.
"""

from __future__ import annotations

from narcolink.analysis.network.graph import LinkGraph, NodeInfo, check_hops
from narcolink.analysis.network.results import Link, PathResult, link_for
from narcolink.analysis.network.walk import walk

MAX_ENUMERATED = 500


def shortest_paths(
    graph: LinkGraph,
    source_id: str,
    target_id: str,
    *,
    max_hops: int = 6,
    limit: int = 5,
    hub_degree: int = 500,
) -> PathResult:
    """Up to ``limit`` shortest evidence chains from source to target (none if they are
    more than ``max_hops`` apart, or only connected through hubs)."""
    check_hops(max_hops, most=8)
    a, b = graph.position(source_id), graph.position(target_id)
    if a == b:
        node = graph.node(a)
        return PathResult(node, node, 0, [(1.0, (node,), ())])
    reach = walk(graph, a, max_hops, hub_degree=hub_degree, stop_at=b)
    if b not in reach.dist:
        return PathResult(graph.node(a), graph.node(b), -1, [], explored=len(reach.order))
    hops = reach.dist[b]
    found: list[list[tuple[int, int, int]]] = []

    def back(node: int, tail: list[tuple[int, int, int]]) -> None:
        if len(found) >= MAX_ENUMERATED:
            return
        if node == a:
            found.append(tail[::-1])
            return
        level = reach.dist[node]
        nbrs, edges = graph.neighbours(node)
        for up, e in zip(nbrs.tolist(), edges.tolist(), strict=True):
            if reach.dist.get(up) == level - 1 and (up == a or graph.degree[up] <= hub_degree):
                back(up, [*tail, (up, node, e)])

    back(b, [])
    scored = []
    for chain in found:
        strength = 1.0
        for _, _, e in chain:
            strength *= float(graph.weight[e])
        nodes: tuple[NodeInfo, ...] = (graph.node(a), *(graph.node(t) for _, t, _ in chain))
        links: tuple[Link, ...] = tuple(link_for(graph, s, t, e) for s, t, e in chain)
        scored.append((round(strength, 6), nodes, links))
    scored.sort(key=lambda p: (-p[0], [n.id for n in p[1]]))
    return PathResult(graph.node(a), graph.node(b), hops, scored[:limit], len(reach.order))
