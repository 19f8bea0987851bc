"""Link analysis over the caller's records: expansion from a lead, paths, communities.

Every response carries the evidence behind each link and the reasons behind each score,
and ``markings``: the strictest TLP, PAP and handling code of the records it shows."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import Field

from narcolink.services import network
from narcolink.web.deps import NodeDep, Reader
from narcolink.web.schemas import Public

router = APIRouter(prefix="/network", tags=["network"])

Hops = Annotated[int, Query(ge=1, le=6, description="how far to walk from the lead")]
Limit = Annotated[int, Query(ge=1, le=500)]
Date = Annotated[str | None, Query(max_length=10, description="YYYY, YYYY-MM or YYYY-MM-DD")]
Schemata = Annotated[list[str], Query(max_length=20, description="only these types (and subtypes)")]


class NodePublic(Public):
    id: str
    schema_: str = Field(alias="schema")
    caption: str
    agency: str
    countries: list[str]
    dates: list[str]


class EvidencePublic(Public):
    kind: str
    source: str
    target: str
    records: list[str]
    props: list[str]
    label: str
    weight: float
    value: str | None
    dates: list[str]
    text: str = ""


class LinkPublic(Public):
    source: str
    target: str
    weight: float
    evidence: list[EvidencePublic]
    cross_border: bool
    cross_agency: bool


class ReasonPublic(Public):
    name: str
    value: float
    weight: float
    contribution: float
    detail: str


class RankedPublic(Public):
    node: NodePublic
    hops: int
    score: float
    reasons: list[ReasonPublic]
    path: list[LinkPublic]


class ExpansionPublic(Public):
    lead: NodePublic
    hops: int
    ranked: list[RankedPublic]
    links: list[LinkPublic]
    reached: int
    hubs: list[NodePublic]
    truncated: bool
    version: str
    notes: list[str]
    markings: dict[str, str]


class PathPublic(Public):
    strength: float
    nodes: list[NodePublic]
    links: list[LinkPublic]


class PathsPublic(Public):
    source: NodePublic
    target: NodePublic
    hops: int
    paths: list[PathPublic]
    markings: dict[str, str]


class MemberPublic(Public):
    node: NodePublic
    strength: float
    reasons: list[LinkPublic]


class CommunityPublic(Public):
    number: int
    size: int
    members: list[MemberPublic]
    agencies: list[str]
    countries: list[str]
    internal_links: int


class CommunitiesPublic(Public):
    method: str
    modularity: float
    communities: list[CommunityPublic]
    markings: dict[str, str]


class CandidatePublic(Public):
    node: NodePublic
    score: float
    reasons: list[ReasonPublic]
    evidence: list[EvidencePublic]


class BrokerPublic(Public):
    node: NodePublic
    score: float
    reasons: list[ReasonPublic]


class LeadPublic(Public):
    expansion: ExpansionPublic
    kingpins: list[CandidatePublic]
    brokers: list[BrokerPublic]
    bridges: list[LinkPublic]
    communities: CommunitiesPublic
    markings: dict[str, str]


def evidence_public(ev: Any) -> EvidencePublic:
    """With ``text`` filled: the sentence an analyst reads."""
    out = EvidencePublic.model_validate(ev)
    out.text = ev.describe()
    return out


def link_public(link: Any) -> LinkPublic:
    out = LinkPublic.model_validate(link)
    out.evidence = [evidence_public(ev) for ev in link.evidence]
    return out


def expansion_public(ex: Any) -> ExpansionPublic:
    out = ExpansionPublic.model_validate(ex)
    out.links = [link_public(lk) for lk in ex.links]
    for ranked, source in zip(out.ranked, ex.ranked, strict=True):
        ranked.path = [link_public(lk) for lk in source.path]
    return out


def communities_public(found: Any) -> CommunitiesPublic:
    out = CommunitiesPublic.model_validate(found)
    for community, source in zip(out.communities, found.communities, strict=True):
        for member, m in zip(community.members, source.members, strict=True):
            member.reasons = [link_public(lk) for lk in m.reasons]
    return out


@router.get("/expand/{entity_id}")
def expand(
    entity_id: str,
    actor: Reader,
    node: NodeDep,
    hops: Hops = 3,
    limit: Limit = 50,
    schema: Schemata = [],  # noqa: B006 - FastAPI copies query defaults
    since: Date = None,
    until: Date = None,
) -> ExpansionPublic:
    """Entities within ``hops`` of the lead, best-ranked first, each with its score's
    reasons and the evidence path from the lead."""
    result = network.expand(
        node, actor, entity_id, hops, limit=limit, schemata=schema, since=since, until=until
    )
    return expansion_public(result)


@router.get("/lead/{entity_id}")
def lead(
    entity_id: str,
    actor: Reader,
    node: NodeDep,
    hops: Hops = 4,
    limit: Limit = 50,
    schema: Schemata = [],  # noqa: B006 - FastAPI copies query defaults
    since: Date = None,
    until: Date = None,
) -> LeadPublic:
    """Expansion plus kingpin candidates, brokers, cross-border and cross-agency bridges and
    communities of the lead's network (the ranked list of ``schema`` only, if given)."""
    result = network.lead_network(
        node, actor, entity_id, hops, limit=limit, schemata=schema, since=since, until=until
    )
    return LeadPublic(
        expansion=expansion_public(result.expansion),
        kingpins=[
            CandidatePublic(
                node=NodePublic.model_validate(c.node),
                score=c.score,
                reasons=[ReasonPublic.model_validate(r) for r in c.reasons],
                evidence=[evidence_public(ev) for ev in c.evidence],
            )
            for c in result.kingpins
        ],
        brokers=[BrokerPublic.model_validate(b) for b in result.brokers],
        bridges=[link_public(lk) for lk in result.bridges],
        communities=communities_public(result.communities),
        markings=result.markings,
    )


@router.get("/path")
def path(
    actor: Reader,
    node: NodeDep,
    source: Annotated[str, Query(max_length=64)],
    target: Annotated[str, Query(max_length=64)],
    max_hops: Annotated[int, Query(ge=1, le=8)] = 6,
    limit: Annotated[int, Query(ge=1, le=50)] = 5,
    since: Date = None,
    until: Date = None,
) -> PathsPublic:
    """The shortest chains of evidence between two entities, strongest first."""
    result = network.paths(
        node, actor, source, target, max_hops=max_hops, limit=limit, since=since, until=until
    )
    return PathsPublic(
        source=NodePublic.model_validate(result.source),
        target=NodePublic.model_validate(result.target),
        hops=result.hops,
        paths=[
            PathPublic(
                strength=strength,
                nodes=[NodePublic.model_validate(n) for n in nodes],
                links=[link_public(lk) for lk in links],
            )
            for strength, nodes, links in result.paths
        ],
        markings=result.markings,
    )


@router.get("/communities")
def communities(
    actor: Reader,
    node: NodeDep,
    min_size: Annotated[int, Query(ge=2, le=1000)] = 3,
    limit: Limit = 20,
    since: Date = None,
    until: Date = None,
) -> CommunitiesPublic:
    """Leiden communities of everything the caller may see, largest first."""
    found = network.communities(
        node, actor, min_size=min_size, limit=limit, since=since, until=until
    )
    return communities_public(found)
