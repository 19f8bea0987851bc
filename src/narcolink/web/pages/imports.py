"""The import page: upload a file, see its validation report or what it added."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import Response

from narcolink.exc import BadRequest, Conflict, InvalidInput
from narcolink.model.markings import PAP, TLP, Handling
from narcolink.services import imports, records
from narcolink.web.deps import Importer, NodeDep
from narcolink.web.render import render
from narcolink.web.uploads import stored_upload

router = APIRouter()
FORMATS = ["", "csv", "jsonl", "ftm"]
Field = Annotated[str, Form(max_length=64)]


def _page(
    request: Request, node: NodeDep, actor: Importer, status_code: int = 200, **context: Any
) -> Response:
    values: dict[str, Any] = {
        "batches": records.recent_batches(node, actor),
        "formats": FORMATS,
        "tlps": [t.value for t in TLP],
        "paps": [p.value for p in PAP],
        "handlings": [h.value for h in Handling],
        "form": {},
        "result": None,
        "report": None,
        "error": None,
    }
    values.update(context)
    return render(request, "imports.html", values, status_code=status_code)


@router.get("/imports")
def import_form(request: Request, actor: Importer, node: NodeDep) -> Response:
    return _page(request, node, actor)


@router.post("/imports")
def import_upload(
    request: Request,
    actor: Importer,
    node: NodeDep,
    file: Annotated[UploadFile, File()],
    source: Annotated[str, Form(max_length=128)] = "",
    format: Annotated[str, Form(max_length=16)] = "",
    tlp: Field = "",
    pap: Field = "",
    handling: Field = "",
    source_grading: Field = "",
    info_grading: Field = "",
) -> Response:
    form = {
        "source": source,
        "format": format,
        "tlp": tlp,
        "pap": pap,
        "handling": handling,
        "source_grading": source_grading,
        "info_grading": info_grading,
    }
    markings = {k: v for k, v in form.items() if k not in ("source", "format")}
    try:
        with stored_upload(file, node.settings.max_upload_mb) as (path, name):
            result = imports.import_file(
                node,
                actor,
                path,
                source=source,
                fmt=format or None,
                markings=markings,
                display_name=name,
            )
    except InvalidInput as exc:
        return _page(request, node, actor, 422, form=form, report=exc.report)
    except (BadRequest, Conflict) as exc:
        return _page(request, node, actor, exc.status, form=form, error=exc.detail)
    return _page(request, node, actor, form=form, result={"name": name, "result": result})
