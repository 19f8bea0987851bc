"""Breadth-first search over whole frontiers (numpy over the CSR arrays, no per-node loop).

Each node reached records its hop distance and its *best parent*: among the neighbours
one hop closer to the start, the one joined by the strongest link. Following best parents
back gives the evidence path shown for the node. Hubs (more links than ``hub_degree``)
are reached but not walked through: a courier, an exchange or a switchboard would
otherwise pull half the world into three hops.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from narcolink.analysis.network.graph import LinkGraph, _ranges


@dataclass
class Reach:
    """Nodes reached from ``start``: order reached, distance, best parent and its edge."""

    start: int
    order: np.ndarray
    dist: dict[int, int]
    parent: dict[int, int]
    parent_edge: dict[int, int]
    hubs: list[int] = field(default_factory=list)
    truncated: bool = False

    def path_to(self, node: int) -> list[tuple[int, int, int]]:
        """(from, to, edge) hops from the start to ``node`` along best parents."""
        hops = []
        while node != self.start:
            up = self.parent[node]
            hops.append((up, node, self.parent_edge[node]))
            node = up
        return hops[::-1]


def walk(
    graph: LinkGraph,
    start: int,
    hops: int,
    hub_degree: int = 500,
    max_nodes: int = 50_000,
    stop_at: int | None = None,
) -> Reach:
    """Every node within ``hops`` of ``start``; stops early at ``stop_at`` or ``max_nodes``."""
    seen = np.zeros(graph.node_count, dtype=bool)
    seen[start] = True
    frontier = np.array([start], dtype=np.int64)
    order = [frontier]
    dist = {start: 0}
    parent: dict[int, int] = {}
    parent_edge: dict[int, int] = {}
    hubs: list[int] = []
    truncated = False
    total = 1
    for depth in range(1, hops + 1):
        walkable = frontier[(graph.degree[frontier] <= hub_degree) | (frontier == start)]
        hubs.extend(int(h) for h in np.setdiff1d(frontier, walkable))
        pos = _ranges(graph.indptr[walkable], graph.degree[walkable])
        if len(pos) == 0:
            break
        via = np.repeat(walkable, graph.degree[walkable])
        reached = graph.nbr[pos]
        edges = graph.eid[pos]
        fresh = ~seen[reached]
        reached, edges, via = reached[fresh], edges[fresh], via[fresh]
        if len(reached) == 0:
            break
        # Strongest link first within each reached node, then keep the first per node.
        ranking = np.lexsort((-graph.weight[edges], reached))
        reached, edges, via = reached[ranking], edges[ranking], via[ranking]
        first = np.ones(len(reached), dtype=bool)
        first[1:] = reached[1:] != reached[:-1]
        reached, edges, via = reached[first], edges[first], via[first]
        if total + len(reached) > max_nodes:
            keep = max_nodes - total
            strongest = np.argsort(-graph.weight[edges], kind="stable")[:keep]
            reached, edges, via = reached[strongest], edges[strongest], via[strongest]
            truncated = True
        seen[reached] = True
        total += len(reached)
        order.append(reached)
        for node, up, edge in zip(reached.tolist(), via.tolist(), edges.tolist(), strict=True):
            dist[node] = depth
            parent[node] = up
            parent_edge[node] = edge
        frontier = reached
        if truncated or (stop_at is not None and stop_at in dist):
            break
    return Reach(start, np.concatenate(order), dist, parent, parent_edge, hubs, truncated)
