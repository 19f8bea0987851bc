"""Entity resolution API: run, review queue, judgements (append-only, undoable), clusters."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from narcolink.services import resolution
from narcolink.web.deps import Importer, NodeDep, Reader

router = APIRouter(prefix="/resolution", tags=["resolution"])

Schema = Literal["Person", "Company", "Organization", "LegalEntity"]


class RunRequest(BaseModel):
    schema_name: Schema = Field("Person", alias="schema")
    reuse_model: bool = False


class RunPublic(BaseModel):
    id: str
    schema_name: str = Field(serialization_alias="schema")
    records: int
    pairs: int
    clusters: int
    linked_records: int
    reused_model: bool


class SidePublic(BaseModel):
    id: str
    caption: str
    agency: str
    schema_name: str = Field(serialization_alias="schema")


class FieldWeightPublic(BaseModel):
    field: str
    level: str
    weight: float
    left: Any = None
    right: Any = None


class ReviewItemPublic(BaseModel):
    left: SidePublic
    right: SidePublic
    probability: float
    weight: float
    explanation: list[FieldWeightPublic]


class JudgementRequest(BaseModel):
    left_id: str = Field(max_length=48)
    right_id: str = Field(max_length=48)
    verdict: Literal["confirm", "reject"]
    note: str = Field("", max_length=2000)


class JudgementPublic(BaseModel):
    id: int
    left_id: str
    right_id: str | None
    verdict: str
    undoes: int | None
    note: str | None
    created_by: str
    created_at: datetime


class PairPublic(BaseModel):
    left_id: str
    right_id: str
    probability: float
    weight: float
    explanation: list[FieldWeightPublic]


class ClusterPublic(BaseModel):
    id: str
    run_id: str | None
    members: list[SidePublic]
    pairs: list[PairPublic]
    judgements: list[JudgementPublic]


def _side(side: resolution.Side) -> SidePublic:
    return SidePublic(id=side.id, caption=side.caption, agency=side.agency, schema_name=side.schema)


def _judgement(j: resolution.Judgement) -> JudgementPublic:
    return JudgementPublic.model_validate(j, from_attributes=True)


@router.post("/runs", status_code=201, response_model_by_alias=True)
def start_run(body: RunRequest, actor: Importer, node: NodeDep) -> RunPublic:
    """Resolve every visible record of a schema now (own records and what was shared)."""
    s = resolution.run(node, actor, body.schema_name, reuse_model=body.reuse_model)
    return RunPublic(
        id=s.id,
        schema_name=s.schema,
        records=s.records,
        pairs=s.pairs,
        clusters=s.clusters,
        linked_records=s.linked_records,
        reused_model=s.reused_model,
    )


@router.get("/queue")
def review_queue(
    actor: Reader,
    node: NodeDep,
    schema: Schema = "Person",
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> list[ReviewItemPublic]:
    """Undecided pairs of the latest run, most uncertain first, with per-field weights."""
    items = resolution.queue(node, actor, schema, limit)
    return [
        ReviewItemPublic(
            left=_side(i.left),
            right=_side(i.right),
            probability=i.probability,
            weight=i.weight,
            explanation=[FieldWeightPublic(**f) for f in i.explanation],
        )
        for i in items
    ]


@router.post("/judgements", status_code=201)
def add_judgement(body: JudgementRequest, actor: Importer, node: NodeDep) -> JudgementPublic:
    """Confirm or reject a pair; later runs respect it."""
    made = resolution.judge(node, actor, body.left_id, body.right_id, body.verdict, body.note)
    return _judgement(made)


@router.post("/judgements/{judgement_id}/undo", status_code=201)
def undo_judgement(judgement_id: int, actor: Importer, node: NodeDep) -> JudgementPublic:
    """Cancel a judgement by appending an undo row."""
    return _judgement(resolution.undo(node, actor, judgement_id))


@router.get("/clusters/{entity_id}")
def get_cluster(
    entity_id: str, actor: Reader, node: NodeDep, schema: Schema = "Person"
) -> ClusterPublic:
    """The canonical entity a record belongs to, the pairs that link it, the judgements."""
    found = resolution.cluster_of(node, actor, entity_id, schema)
    return ClusterPublic(
        id=found.id,
        run_id=found.run_id,
        members=[_side(m) for m in found.members],
        pairs=[PairPublic.model_validate(p) for p in found.pairs],
        judgements=[_judgement(j) for j in found.judgements],
    )
