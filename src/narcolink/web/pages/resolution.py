"""The review queue page: uncertain pairs with their evidence; confirm, reject, undo, run."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from narcolink.exc import BadRequest, Conflict, NotFound
from narcolink.model.roles import Permission
from narcolink.services import resolution
from narcolink.web.deps import Importer, NodeDep, Reader
from narcolink.web.render import render

router = APIRouter()
SCHEMAS = ("Person", "Company")


def _page(
    request: Request, node: NodeDep, actor: Reader, schema: str, error: str | None = None,
    status_code: int = 200,
) -> Response:  # fmt: skip
    if schema not in SCHEMAS:
        raise BadRequest(f"schema must be one of {', '.join(SCHEMAS)}")
    return render(
        request,
        "resolution.html",
        {
            "schema": schema,
            "schemas": SCHEMAS,
            "items": resolution.queue(node, actor, schema, 50),
            "runs": resolution.recent_runs(node, actor, 5),
            "judgements": resolution.judgement_history(node, actor, 20),
            "can_judge": actor.can(Permission.IMPORT),
            "error": error,
        },
        status_code=status_code,
    )


@router.get("/resolution")
def review_page(
    request: Request,
    actor: Reader,
    node: NodeDep,
    schema: Annotated[str, Query(max_length=32)] = "Person",
) -> Response:
    return _page(request, node, actor, schema)


@router.post("/resolution/runs")
def run_form(
    request: Request,
    actor: Importer,
    node: NodeDep,
    schema_name: Annotated[str, Form(max_length=32, alias="schema")] = "Person",
) -> Response:
    schema = schema_name
    try:
        resolution.run(node, actor, schema, reuse_model=False)
    except BadRequest as exc:
        return _page(request, node, actor, schema if schema in SCHEMAS else "Person",
                     exc.detail, exc.status)  # fmt: skip
    return RedirectResponse(f"/resolution?schema={schema}", status_code=303)


@router.post("/resolution/judgements")
def judge_form(
    request: Request,
    actor: Importer,
    node: NodeDep,
    left_id: Annotated[str, Form(max_length=48)],
    right_id: Annotated[str, Form(max_length=48)],
    verdict: Annotated[str, Form(max_length=8)],
    note: Annotated[str, Form(max_length=2000)] = "",
    schema_name: Annotated[str, Form(max_length=32, alias="schema")] = "Person",
) -> Response:
    schema = schema_name if schema_name in SCHEMAS else "Person"
    try:
        resolution.judge(node, actor, left_id, right_id, verdict, note)
    except (BadRequest, NotFound) as exc:
        return _page(request, node, actor, schema, exc.detail, exc.status)
    return RedirectResponse(f"/resolution?schema={schema}", status_code=303)


@router.post("/resolution/judgements/{judgement_id}/undo")
def undo_form(request: Request, judgement_id: int, actor: Importer, node: NodeDep) -> Response:
    try:
        resolution.undo(node, actor, judgement_id)
    except (Conflict, NotFound) as exc:
        return _page(request, node, actor, "Person", exc.detail, exc.status)
    return RedirectResponse("/resolution", status_code=303)
