"""Network analysis from a lead: the link graph derived from records (relations,
references, shared identifiers, co-occurrence in events), k-hop expansion with ranked
neighbours and evidence paths, shortest paths, Leiden communities, brokers, kingpin
candidates and cross-border bridges. Pure analysis: the caller passes the records an
agency may see (``services.network`` does, through a scoped View)."""

from narcolink.analysis.network.build import GraphBuilder
from narcolink.analysis.network.evidence import DEFAULT_WEIGHTS, Evidence, LinkWeights
from narcolink.analysis.network.expand import DEFAULT_RANK, RankSpec, expand, links_among
from narcolink.analysis.network.graph import LinkGraph, NodeInfo
from narcolink.analysis.network.kingpins import DEFAULT_KINGPIN, Candidate, KingpinSpec, kingpins
from narcolink.analysis.network.paths import shortest_paths
from narcolink.analysis.network.results import Expansion, Link, PathResult, RankedNode, Reason
from narcolink.analysis.network.structure import (
    Broker,
    Communities,
    Community,
    bridges,
    brokers,
    communities,
)

__all__ = [
    "DEFAULT_KINGPIN",
    "DEFAULT_RANK",
    "DEFAULT_WEIGHTS",
    "Broker",
    "Candidate",
    "Communities",
    "Community",
    "Evidence",
    "Expansion",
    "GraphBuilder",
    "KingpinSpec",
    "Link",
    "LinkGraph",
    "LinkWeights",
    "NodeInfo",
    "PathResult",
    "RankSpec",
    "RankedNode",
    "Reason",
    "bridges",
    "brokers",
    "communities",
    "expand",
    "kingpins",
    "links_among",
    "shortest_paths",
]
