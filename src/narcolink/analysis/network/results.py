"""Result shapes shared by the analyses: every score carries its reasons, every link its
evidence, so a page, a command or a court bundle can say why."""

from __future__ import annotations

from dataclasses import dataclass, field

from narcolink.analysis.network.evidence import Evidence
from narcolink.analysis.network.graph import LinkGraph, NodeInfo


@dataclass(frozen=True)
class Reason:
    """One named feature of a score: its value, its weight and what it added."""

    name: str
    value: float
    weight: float
    detail: str

    @property
    def contribution(self) -> float:
        return self.value * self.weight


def total(reasons: list[Reason]) -> float:
    return round(sum(r.contribution for r in reasons), 6)


@dataclass(frozen=True)
class Link:
    """A linked pair with all the evidence for it."""

    source: str
    target: str
    weight: float
    evidence: tuple[Evidence, ...]
    cross_border: bool = False
    cross_agency: bool = False


def link_for(graph: LinkGraph, a: int, b: int, e: int) -> Link:
    na, nb = graph.node(a), graph.node(b)
    border = bool(na.countries and nb.countries and not set(na.countries) & set(nb.countries))
    return Link(
        na.id,
        nb.id,
        round(float(graph.weight[e]), 6),
        tuple(graph.edge_evidence(e)),
        cross_border=border,
        cross_agency=bool(na.agency and nb.agency and na.agency != nb.agency),
    )


@dataclass(frozen=True)
class RankedNode:
    node: NodeInfo
    hops: int
    score: float
    reasons: tuple[Reason, ...]
    path: tuple[Link, ...]  # from the lead to this node, hop by hop


@dataclass
class Expansion:
    lead: NodeInfo
    hops: int
    ranked: list[RankedNode]
    links: list[Link]  # every link among the lead and the ranked nodes shown
    reached: int
    hubs: list[NodeInfo] = field(default_factory=list)
    truncated: bool = False
    version: str = ""
    notes: list[str] = field(default_factory=list)
    markings: dict[str, str] = field(default_factory=dict)  # strictest of the records shown


@dataclass
class PathResult:
    source: NodeInfo
    target: NodeInfo
    hops: int
    paths: list[tuple[float, tuple[NodeInfo, ...], tuple[Link, ...]]]  # strength, nodes, links
    explored: int = 0
    markings: dict[str, str] = field(default_factory=dict)
