"""The link graph: entities as nodes, one undirected edge per linked pair, in flat arrays.

Node attributes are parallel lists; edges are numpy arrays (``src``, ``dst``, ``weight``)
with a compressed adjacency (CSR) for breadth-first expansion in whole frontiers, and an
igraph ``Graph`` built on first use for the C-core algorithms (Leiden, betweenness,
PageRank). ``evidence[e]`` lists the facts behind edge ``e``; graphs built for benchmarks
may leave it out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from narcolink.analysis.network.evidence import Evidence
from narcolink.exc import BadRequest, NotFound

if TYPE_CHECKING:
    import igraph

# Hop costs for weighted searches: every hop costs 1, plus at most 0.023 for a weak link,
# so a path with fewer hops always wins and, among equals, the strongest one does.
MIN_WEIGHT = 0.1
WEAKNESS_COST = 0.01


@dataclass(frozen=True)
class NodeInfo:
    """What the chart and the reasons need to know about one entity."""

    id: str
    schema: str
    caption: str
    agency: str
    countries: tuple[str, ...] = ()
    dates: tuple[str, ...] = ()  # first and last event date the record gives, if any


class LinkGraph:
    """An immutable link graph. Build it with ``GraphBuilder`` or ``from_arrays``."""

    def __init__(
        self,
        nodes: Sequence[NodeInfo] | None,
        src: np.ndarray,
        dst: np.ndarray,
        weight: np.ndarray,
        evidence: list[list[Evidence]] | None = None,
        *,
        ids: list[str] | None = None,
        notes: list[str] | None = None,
        marks: dict[str, tuple[str, str, str]] | None = None,
    ) -> None:
        self.nodes = list(nodes) if nodes is not None else None
        self.ids: list[str] = ids if ids is not None else [n.id for n in self.nodes or []]
        self.index = {eid: i for i, eid in enumerate(self.ids)}
        self.src = np.asarray(src, dtype=np.int32)
        self.dst = np.asarray(dst, dtype=np.int32)
        self.weight = np.asarray(weight, dtype=np.float64)
        self.evidence = evidence
        self.notes = notes or []
        self.marks = marks or {}  # record id -> (TLP, PAP, handling), for banners
        n = len(self.ids)
        m = len(self.src)
        ends = np.concatenate([self.src, self.dst])
        others = np.concatenate([self.dst, self.src])
        edge_ids = np.concatenate([np.arange(m, dtype=np.int32)] * 2)
        order = np.argsort(ends, kind="stable")
        self.nbr = others[order]
        self.eid = edge_ids[order]
        self.degree = np.bincount(ends, minlength=n).astype(np.int64)
        self.indptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(self.degree, out=self.indptr[1:])
        self._igraph: igraph.Graph | None = None

    @classmethod
    def from_arrays(cls, n: int, src: np.ndarray, dst: np.ndarray, weight: np.ndarray) -> LinkGraph:
        """A bare graph of ``n`` numbered nodes (for benchmarks): no attributes, no evidence."""
        return cls(None, src, dst, weight, None, ids=[str(i) for i in range(n)])

    # --- size and lookup ------------------------------------------------------------------

    @property
    def node_count(self) -> int:
        return len(self.ids)

    @property
    def edge_count(self) -> int:
        return len(self.src)

    def node(self, i: int) -> NodeInfo:
        if self.nodes is None:
            return NodeInfo(self.ids[i], "Thing", self.ids[i], "")
        return self.nodes[i]

    def position(self, entity_id: str) -> int:
        """The node number of an entity; NotFound when it is not in the graph (hidden or
        unknown look the same)."""
        found = self.index.get(entity_id)
        if found is None:
            raise NotFound("no such record")
        return found

    def edge_evidence(self, e: int) -> list[Evidence]:
        return self.evidence[e] if self.evidence is not None else []

    def edge_between(self, a: int, b: int) -> int | None:
        lo, hi = self.indptr[a], self.indptr[a + 1]
        hits = np.nonzero(self.nbr[lo:hi] == b)[0]
        return int(self.eid[lo + hits[0]]) if len(hits) else None

    def neighbours(self, i: int) -> tuple[np.ndarray, np.ndarray]:
        """Adjacent node numbers and the edge number of each link."""
        lo, hi = self.indptr[i], self.indptr[i + 1]
        return self.nbr[lo:hi], self.eid[lo:hi]

    def cost(self) -> np.ndarray:
        """Per-edge search cost: 1 per hop, a little more for weak links."""
        return 1.0 + WEAKNESS_COST * -np.log(np.clip(self.weight, MIN_WEIGHT, 1.0))

    # --- igraph ---------------------------------------------------------------------------

    def as_igraph(self) -> igraph.Graph:
        """The same graph in igraph (built once), with ``weight`` and ``cost`` edge attributes."""
        if self._igraph is None:
            import igraph

            # Python tuples load several times faster than a numpy array here.
            pairs = list(zip(self.src.tolist(), self.dst.tolist(), strict=True))
            g = igraph.Graph(n=self.node_count, edges=pairs)
            g.es["weight"] = self.weight
            g.es["cost"] = self.cost()
            self._igraph = g
        return self._igraph

    def subgraph(self, members: np.ndarray) -> tuple[igraph.Graph, np.ndarray]:
        """The induced subgraph on ``members`` (node numbers, in that order) and the global
        edge number of each of its edges."""
        import igraph

        members = np.asarray(members, dtype=np.int64)
        # Local numbers by binary search over the sorted members: no array of the whole
        # graph's size, so the cost follows the subgraph, not the graph.
        order = np.argsort(members, kind="stable")
        sorted_members = members[order]
        starts = self.indptr[members]
        counts = self.degree[members]
        pos = _ranges(starts, counts)
        owner = np.repeat(np.arange(len(members)), counts)
        found = self.nbr[pos]
        at = np.minimum(np.searchsorted(sorted_members, found), len(members) - 1)
        inside = sorted_members[at] == found if len(members) else at.astype(bool)
        other = np.where(inside, order[at], -1)
        keep = other > owner  # each edge once, both ends inside
        edges = np.column_stack([owner[keep], other[keep]])
        global_edges = self.eid[pos][keep]
        g = igraph.Graph(n=len(members), edges=edges.tolist())
        weight = self.weight[global_edges]
        g.es["weight"] = weight
        g.es["cost"] = 1.0 + WEAKNESS_COST * -np.log(np.clip(weight, MIN_WEIGHT, 1.0))
        return g, global_edges


def _ranges(starts: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Concatenated ``arange(s, s + c)`` for each pair, without a Python loop."""
    total = int(counts.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64)
    offsets = np.repeat(starts - np.concatenate([[0], np.cumsum(counts)[:-1]]), counts)
    return offsets + np.arange(total, dtype=np.int64)


def check_hops(hops: int, most: int = 6) -> int:
    if not 1 <= hops <= most:
        raise BadRequest(f"hops must be between 1 and {most}, not {hops}")
    return hops
