"""Search and read records (always the caller's scoped view; every read is audited)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from narcolink.services import records, sharing
from narcolink.web.deps import NodeDep, Reader
from narcolink.web.schemas import (
    EntityPublic,
    EntitySummaryPublic,
    RelatedPublic,
    SharePublic,
    TimelineEventPublic,
    entity_public,
)

router = APIRouter(tags=["records"])


@router.get("/search")
def search(
    actor: Reader,
    node: NodeDep,
    q: Annotated[str, Query(max_length=500, description="names (any script), phones, ids")],
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    schema: Annotated[str | None, Query(max_length=64)] = None,
) -> list[EntitySummaryPublic]:
    hits = records.search(node, actor, q, limit=limit, schema=schema)
    return [EntitySummaryPublic.model_validate(h) for h in hits]


@router.get("/entities/{entity_id}")
def get_entity(entity_id: str, actor: Reader, node: NodeDep) -> EntityPublic:
    return entity_public(records.entity_page(node, actor, entity_id))


@router.get("/entities/{entity_id}/related")
def get_related(entity_id: str, actor: Reader, node: NodeDep) -> list[RelatedPublic]:
    return [RelatedPublic.model_validate(r) for r in records.related(node, actor, entity_id)]


@router.get("/entities/{entity_id}/timeline")
def get_timeline(entity_id: str, actor: Reader, node: NodeDep) -> list[TimelineEventPublic]:
    events = records.timeline(node, actor, entity_id)
    return [TimelineEventPublic.model_validate(e) for e in events]


@router.get("/entities/{entity_id}/shares")
def get_shares(entity_id: str, actor: Reader, node: NodeDep) -> list[SharePublic]:
    """Shares of a record; only its own agency sees them (others get an empty list)."""
    shares = sharing.list_shares(node, actor, entity_id)
    return [SharePublic.model_validate(s) for s in shares]
