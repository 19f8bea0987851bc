"""The lead page (link chart, ranked network, kingpins, brokers, bridges, communities,
timeline), path explanations, and the case summary PDF."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from narcolink.model.roles import Permission
from narcolink.services import network, network_report
from narcolink.services.records import MarkingsInfo
from narcolink.web.deps import Exporter, NodeDep, Reader
from narcolink.web.render import render

router = APIRouter()

Hops = Annotated[int, Query(ge=1, le=6)]
Date = Annotated[str, Query(max_length=10)]
ACTORS = ["LegalEntity"]  # persons, companies, organisations


def _banner(markings: dict[str, str]) -> MarkingsInfo | None:
    return MarkingsInfo.from_values(markings) if markings else None


def _captions(result: network.LeadNetwork) -> dict[str, str]:
    ex = result.expansion
    out = {ex.lead.id: ex.lead.caption}
    out.update((r.node.id, r.node.caption) for r in ex.ranked)
    return out


def _timeline(result: network.LeadNetwork) -> list[dict[str, Any]]:
    """Dated events and dated evidence in the network shown, oldest first."""
    ex = result.expansion
    captions = _captions(result)
    seen: set[tuple[str, str]] = set()
    out: list[dict[str, Any]] = []
    for r in [None, *ex.ranked]:
        info = ex.lead if r is None else r.node
        if info.dates:
            key = (info.dates[0], info.id)
            if key not in seen:
                seen.add(key)
                out.append({"date": info.dates[0], "id": info.id, "text": info.caption,
                            "schema": info.schema})  # fmt: skip
    for link in ex.links:
        for ev in link.evidence:
            if ev.dates and ev.kind == "relation":
                key = (ev.dates[0], ev.records[0])
                if key not in seen:
                    seen.add(key)
                    out.append({"date": ev.dates[0], "id": None, "schema": "",
                                "text": ev.describe(captions)})  # fmt: skip
    out.sort(key=lambda e: (e["date"], e["text"]))
    return out


@router.get("/network/path")
def path_page(
    request: Request,
    actor: Reader,
    node: NodeDep,
    source: Annotated[str, Query(max_length=64)],
    target: Annotated[str, Query(max_length=64)],
    max_hops: Annotated[int, Query(ge=1, le=8)] = 6,
    since: Date = "",
    until: Date = "",
) -> Response:
    result = network.paths(
        node, actor, source, target, max_hops=max_hops, since=since or None, until=until or None
    )
    captions = {n.id: n.caption for p in result.paths for n in p[1]}
    return render(
        request,
        "network_path.html",
        {
            "result": result,
            "captions": captions,
            "max_hops": max_hops,
            "banner": _banner(result.markings),
        },
    )


@router.get("/network/{entity_id}")
def lead_page(
    request: Request,
    entity_id: str,
    actor: Reader,
    node: NodeDep,
    hops: Hops = 4,
    since: Date = "",
    until: Date = "",
    rank: Annotated[str, Query(pattern="^(all|actors)$")] = "all",
) -> Response:
    result = network.lead_network(
        node,
        actor,
        entity_id,
        hops,
        schemata=ACTORS if rank == "actors" else None,
        since=since or None,
        until=until or None,
    )
    return render(
        request,
        "network_lead.html",
        {
            "result": result,
            "ex": result.expansion,
            "captions": _captions(result),
            "timeline": _timeline(result),
            "hops": hops,
            "rank": rank,
            "since": since,
            "until": until,
            "can_export": actor.can(Permission.EXPORT),
            "banner": _banner(result.markings),
        },
    )


@router.get("/network/{entity_id}/summary.pdf")
def summary_pdf(
    entity_id: str,
    actor: Exporter,
    node: NodeDep,
    hops: Hops = 4,
    since: Date = "",
    until: Date = "",
) -> Response:
    data = network_report.case_summary(
        node, actor, entity_id, hops, since=since or None, until=until or None
    )
    return Response(
        data,
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="case-summary-{entity_id}.pdf"'},
    )
