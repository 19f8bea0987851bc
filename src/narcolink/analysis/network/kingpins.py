"""Kingpin candidates: who in a network is likely to run it, with the reasons.

A ranking, not a finding: each candidate's score is a sum of named, weighted features
(``KingpinSpec``, versioned), each with the value it took and the records behind it.
The features follow how trafficking organisations are built: the organiser is central
to the network, directs others (as director, owner, employer), money flows to him, he
keeps away from the goods (named in no seizure or consignment), and often sits abroad.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from narcolink.analysis.network.evidence import REFERENCE, RELATION, Evidence
from narcolink.analysis.network.expand import is_actor
from narcolink.analysis.network.graph import LinkGraph, NodeInfo
from narcolink.analysis.network.results import Reason, total
from narcolink.analysis.network.structure import betweenness

# (relation props) -> the end that commands the other
COMMAND_ROLES = {
    ("director", "organization"): 0,
    ("owner", "asset"): 0,
    ("employer", "employee"): 0,
    ("agent", "client"): 1,
}
PAYMENT_PROPS = ("payer", "beneficiary")
HOLDER_PROPS = frozenset({"holder", "owner"})
GOODS_SCHEMATA = ("Seizure", "SeizedItem", "Consignment")


@dataclass(frozen=True)
class KingpinSpec:
    version: str = "kingpin-v3"
    centrality: float = 0.15
    command: float = 0.15
    money_in: float = 0.25
    insulation: float = 0.15
    broker: float = 0.05
    abroad: float = 0.25
    full_command: int = 5  # directing this many others scores 1 (log scale below it)
    core_size: int = 5  # the network's most central persons and organisations


DEFAULT_KINGPIN = KingpinSpec()


@dataclass(frozen=True)
class Candidate:
    node: NodeInfo
    score: float
    reasons: tuple[Reason, ...]
    evidence: tuple[Evidence, ...]  # the records behind the command and money features


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def _scaled(value: float, full: float) -> float:
    return min(1.0, math.log1p(value) / math.log1p(full)) if full > 0 else 0.0


class _Facts:
    """Per node of the scope: whom it commands, what it is paid, whether it touches goods."""

    def __init__(self, graph: LinkGraph, inside: set[int]) -> None:
        self.commands: dict[int, set[int]] = {}
        self.paid: dict[int, list[Evidence]] = {}
        self.command_evidence: dict[int, list[Evidence]] = {}
        self.goods: set[int] = set()
        self.flows: list[tuple[int, int]] = []  # payer -> beneficiary, holders for wallets
        holdings: dict[int, int] = {}  # wallet or account -> its holder
        index = graph.index
        for v in inside:
            nbrs, eids = graph.neighbours(v)
            for u, e in zip(nbrs.tolist(), eids.tolist(), strict=True):
                if u not in inside or u < v:
                    continue
                for ev in graph.edge_evidence(e):
                    s, t = index[ev.source], index[ev.target]
                    if ev.kind == RELATION and ev.props in COMMAND_ROLES:
                        boss, other = (s, t) if COMMAND_ROLES[ev.props] == 0 else (t, s)
                        self.commands.setdefault(boss, set()).add(other)
                        self.command_evidence.setdefault(boss, []).append(ev)
                    elif ev.kind == RELATION and ev.props == PAYMENT_PROPS:
                        self.paid.setdefault(t, []).append(ev)
                        self.flows.append((s, t))
                    elif ev.kind == REFERENCE and ev.props[0] in HOLDER_PROPS:
                        holdings[s] = t
                    if ev.kind == REFERENCE and graph.node(s).schema in GOODS_SCHEMATA:
                        self.goods.add(t)
        for held, holder in holdings.items():
            self.paid.setdefault(holder, []).extend(self.paid.get(held, []))
        self.flows = [(holdings.get(a, a), holdings.get(b, b)) for a, b in self.flows]

    def money_rank(self) -> dict[int, float]:
        """Where money ends up: PageRank along payments (payer to beneficiary), so being
        paid by people who are paid themselves (layered commissions, hawala settlements)
        counts more than being paid once by a customer. Scaled so the top is 1; 0 for
        anyone who receives nothing."""
        flows = [(a, b) for a, b in self.flows if a != b]
        if not flows:
            return {}
        import igraph

        ids = sorted({x for pair in flows for x in pair})
        local = {v: i for i, v in enumerate(ids)}
        g = igraph.Graph(n=len(ids), edges=[(local[a], local[b]) for a, b in flows], directed=True)
        ranks = g.pagerank(directed=True)
        received = {b for _, b in flows}
        scores = {v: ranks[local[v]] for v in ids if v in received}
        top = max(scores.values())
        return {v: x / top for v, x in scores.items()}


def _core_tie(graph: LinkGraph, v: int, core: list[int]) -> tuple[float, str | None]:
    """The strongest direct link from ``v`` to a member of the network's core."""
    best, name = 0.0, None
    for u in core:
        e = graph.edge_between(v, u) if u != v else None
        if e is not None and graph.weight[e] > best:
            best, name = float(graph.weight[e]), graph.node(u).caption
    return best, name


def kingpins(
    graph: LinkGraph,
    scope: np.ndarray,
    *,
    home: tuple[str, ...] = (),
    limit: int = 10,
    spec: KingpinSpec = DEFAULT_KINGPIN,
) -> list[Candidate]:
    """Persons and organisations of the scope, best candidates first. ``home`` is the
    country (or countries) of the lead: a candidate based elsewhere scores ``abroad`` by
    how strongly it is tied directly to the network's core (its most central members):
    directing from abroad, not merely being a foreign customer."""
    members = np.asarray(scope, dtype=np.int64)
    if len(members) == 0:
        return []
    inside = set(members.tolist())
    sub, _ = graph.subgraph(members)
    rank = np.asarray(sub.pagerank(weights="weight"))
    rank = rank / rank.max() if rank.max() > 0 else rank
    between = betweenness(graph, members)
    top_between = max(between.values(), default=0.0)
    facts = _Facts(graph, inside)
    money = facts.money_rank()
    actors = [(local, v) for local, v in enumerate(members.tolist())
              if is_actor(graph.node(v).schema)]  # fmt: skip
    core = [v for _, v in sorted(actors, key=lambda lv: -rank[lv[0]])[: spec.core_size]]
    out = []
    for local, v in actors:
        info = graph.node(v)
        commands = len(facts.commands.get(v, ()))
        paid = facts.paid.get(v, [])
        abroad = bool(home and info.countries and not set(info.countries) & set(home))
        tie, contact = _core_tie(graph, v, core) if abroad else (0.0, None)
        reasons = [
            Reason("centrality", round(float(rank[local]), 6), spec.centrality,
                   "PageRank within the network, relative to its most central entity"),
            Reason("command", round(_scaled(commands, spec.full_command), 6), spec.command,
                   f"directs {_count(commands, 'other')} (director, owner, employer)"),
            Reason("money_in", round(money.get(v, 0.0), 6), spec.money_in,
                   f"receives {_count(len(paid), 'payment')} (directly or to wallets it holds); "
                   "ranked by where money ends up along chains of payments"),
            Reason("insulation", 0.0 if v in facts.goods else 1.0, spec.insulation,
                   "named in a seizure or consignment" if v in facts.goods
                   else "named in no seizure or consignment: kept away from the goods"),
            Reason("broker", round(between.get(v, 0.0) / top_between, 6) if top_between else 0.0,
                   spec.broker, "betweenness within the network, relative to the top broker"),
            Reason("abroad", round(tie, 6), spec.abroad,
                   f"based in {', '.join(info.countries).upper() or 'an unknown country'}"
                   + (f", outside {', '.join(home).upper()}" if abroad else "")
                   + (f", in direct contact with {contact} (link strength {tie:.2f}), one of "
                      f"the network's {spec.core_size} most central members" if contact
                      else "")),
        ]  # fmt: skip
        evidence = tuple(facts.command_evidence.get(v, []) + paid)
        out.append(Candidate(info, total(reasons), tuple(reasons), evidence))
    out.sort(key=lambda c: (-c.score, c.node.id))
    return out[:limit]
