"""Chemical screening over HTTP: JSON in (names, CAS numbers, SMILES, InChI, molfiles)
or a file upload, a screening report out (JSON, or CSV with ``format=csv``)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Form, Query, UploadFile
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field

from narcolink.services import chemistry
from narcolink.web.deps import NodeDep, Reader
from narcolink.web.uploads import stored_upload

router = APIRouter(prefix="/chemistry", tags=["chemistry"])


class ScreenRequest(BaseModel):
    items: list[Annotated[str, Field(max_length=100_000)]] = Field(
        ...,
        min_length=1,
        max_length=10_000,
        description="names, CAS numbers, SMILES, InChI strings or molfile blocks",
    )
    as_of: date | None = Field(None, description="screen against the lists as they stood then")


class SubstancePublic(BaseModel):
    id: str
    name: str
    cas: str
    category: str
    lists: list[str]


def _respond(report: chemistry.ScreeningReport, fmt: str) -> Response:
    if fmt == "csv":
        return Response(
            chemistry.report_csv(report),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="screening.csv"'},
        )
    return JSONResponse(report.to_dict())


@router.post("/screen", responses={200: {"content": {"text/csv": {}}}})
def screen(
    body: ScreenRequest,
    actor: Reader,
    node: NodeDep,
    format: Annotated[Literal["json", "csv"], Query()] = "json",
) -> Response:
    """Screen a list of items; each result says controlled where and since when, or the
    synthetic steps to something controlled, with a confidence."""
    report = chemistry.screen_items(node, actor, body.items, as_of=body.as_of)
    return _respond(report, format)


@router.post("/screen/file", responses={200: {"content": {"text/csv": {}}}})
def screen_file(
    actor: Reader,
    node: NodeDep,
    file: Annotated[UploadFile, File(description="CSV, SDF, molfile or text (one item a line)")],
    as_of: Annotated[date | None, Form()] = None,
    format: Annotated[Literal["json", "csv"], Query()] = "json",
) -> Response:
    with stored_upload(file, node.settings.max_upload_mb) as (path, name):
        report = chemistry.screen_file(node, actor, path, as_of=as_of, display_name=name)
    return _respond(report, format)


@router.get("/substances")
def find_substances(
    actor: Reader,
    node: NodeDep,
    q: Annotated[str, Query(min_length=1, max_length=200)],
) -> list[SubstancePublic]:
    return [SubstancePublic(**vars(h)) for h in chemistry.lookup(node, actor, q)]


@router.get("/substances/{substance_id}")
def get_substance(substance_id: str, actor: Reader, node: NodeDep) -> dict[str, Any]:
    detail = chemistry.substance(node, actor, substance_id)
    s = detail.substance
    return {
        "id": s.id,
        "name": s.name,
        "synonyms": list(s.synonyms),
        "brand_names": list(s.brand_names),
        "street_names": list(s.street_names),
        "cas": s.cas,
        "smiles": s.smiles,
        "inchikey": s.inchikey,
        "formula": s.formula,
        "hs_code": s.hs_code,
        "category": s.category,
        "source": s.source,
        "doubt": s.doubt,
        "listings": [x.to_dict() for x in detail.listings],
        "kb_version": detail.kb_version,
    }
