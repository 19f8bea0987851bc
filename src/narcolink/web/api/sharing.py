"""Share a record with a partner agency, and revoke a share (originator only)."""

from __future__ import annotations

from fastapi import APIRouter, Response

from narcolink.services import sharing
from narcolink.web.deps import NodeDep, Sharer
from narcolink.web.schemas import ShareCreate, SharePublic

router = APIRouter(tags=["sharing"])


@router.post("/entities/{entity_id}/shares", status_code=201)
def create_share(entity_id: str, body: ShareCreate, actor: Sharer, node: NodeDep) -> SharePublic:
    info = sharing.share(node, actor, entity_id, body.recipient, body.purpose, body.expires)
    return SharePublic.model_validate(info)


@router.delete("/shares/{share_id}", status_code=204)
def delete_share(share_id: int, actor: Sharer, node: NodeDep) -> Response:
    sharing.revoke_share(node, actor, share_id)
    return Response(status_code=204)
