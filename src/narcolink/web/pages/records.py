"""Search and entity pages, and the share form on an entity page."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from narcolink.exc import BadRequest, Conflict, Forbidden
from narcolink.model.roles import Permission
from narcolink.services import records, sharing
from narcolink.web.deps import NodeDep, Reader, Sharer
from narcolink.web.render import render

router = APIRouter()


@router.get("/search")
def search_page(
    request: Request,
    actor: Reader,
    node: NodeDep,
    q: Annotated[str, Query(max_length=500)] = "",
    schema: Annotated[str, Query(max_length=64)] = "",
) -> Response:
    hits = records.search(node, actor, q, schema=schema or None) if q.strip() else []
    return render(
        request,
        "search.html",
        {
            "q": q,
            "schema": schema,
            "hits": hits,
            "can_export": actor.can(Permission.EXPORT),
        },
    )


def _entity_page(
    request: Request,
    node: NodeDep,
    entity_id: str,
    actor: Reader,
    share_error: str | None = None,
    status_code: int = 200,
) -> Response:
    page = records.entity_page(node, actor, entity_id)
    return render(
        request,
        "entity.html",
        {"page": page, "banner": page.markings, "share_error": share_error},
        status_code=status_code,
    )


@router.get("/entities/{entity_id}")
def entity_page(request: Request, entity_id: str, actor: Reader, node: NodeDep) -> Response:
    return _entity_page(request, node, entity_id, actor)


@router.post("/entities/{entity_id}/shares")
def share_form(
    request: Request,
    entity_id: str,
    actor: Sharer,
    node: NodeDep,
    recipient: Annotated[str, Form(max_length=16)],
    purpose: Annotated[str, Form(max_length=2000)] = "",
    expires: Annotated[date | None, Form()] = None,
) -> Response:
    try:
        sharing.share(node, actor, entity_id, recipient, purpose, expires)
    except (BadRequest, Conflict, Forbidden) as exc:
        return _entity_page(request, node, entity_id, actor, exc.detail, exc.status)
    return RedirectResponse(f"/entities/{entity_id}#shares", status_code=303)


@router.post("/shares/{share_id}/revoke")
def revoke_form(share_id: int, actor: Sharer, node: NodeDep) -> Response:
    info = sharing.revoke_share(node, actor, share_id)
    return RedirectResponse(f"/entities/{info.entity_id}#shares", status_code=303)
