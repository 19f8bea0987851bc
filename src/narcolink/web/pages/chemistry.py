"""Chemical screening pages: paste or upload, read the results with depictions, export
CSV; and a page per knowledge-base substance."""

from __future__ import annotations

import base64
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import Response

from narcolink.exc import BadRequest, InvalidInput
from narcolink.services import chemistry
from narcolink.web.deps import NodeDep, Reader
from narcolink.web.render import render
from narcolink.web.uploads import stored_upload

router = APIRouter()
MAX_DEPICTIONS = 300  # flagged results drawn on one page; the CSV carries them all
MAX_CLEAR_ROWS = 500  # plain "not controlled" rows listed; flagged and unread ones always
MAX_INLINE_CSV = 20_000  # larger reports: export through the API or the CLI


def _as_of(text: str) -> date | None:
    if not text.strip():
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise BadRequest(f"'{text[:20]}' is not a date like 2024-12-03") from None


def data_uri(svg: str) -> str:
    """An SVG as an image data URI: drawn as an image, so it can run nothing."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def _rows(report: chemistry.ScreeningReport) -> list[dict[str, Any]]:
    rows = []
    drawn = clear = 0
    for r in report.results:
        if not (r.verdict.flagged or r.error or r.reasons):
            clear += 1
            if clear > MAX_CLEAR_ROWS:
                continue
        picture = ""
        flagged = [x for x in r.reasons if x.controlled or x.risk]
        if flagged and r.smiles and drawn < MAX_DEPICTIONS:
            picture = data_uri(chemistry.depiction(r.smiles, flagged[0].highlight))
            drawn += 1
        rows.append({"result": r, "picture": picture, "flagged": flagged})
    return rows


def _page(
    request: Request, node: NodeDep, actor: Reader, status_code: int = 200, **context: Any
) -> Response:
    values: dict[str, Any] = {
        "q": "",
        "hits": [],
        "form": {"text": "", "as_of": ""},
        "report": None,
        "rows": [],
        "error": None,
        "validation": None,
        "csv_href": "",
        "today": date.today().isoformat(),
    }
    values.update(context)
    return render(request, "chemistry.html", values, status_code=status_code)


@router.get("/chemistry")
def chemistry_page(
    request: Request,
    actor: Reader,
    node: NodeDep,
    q: Annotated[str, Query(max_length=200)] = "",
) -> Response:
    hits = chemistry.lookup(node, actor, q) if q.strip() else []
    return _page(request, node, actor, q=q, hits=hits)


@router.post("/chemistry/screen")
def screen(
    request: Request,
    actor: Reader,
    node: NodeDep,
    text: Annotated[str, Form(max_length=chemistry.MAX_TEXT_CHARS)] = "",
    as_of: Annotated[str, Form(max_length=20)] = "",
    file: Annotated[UploadFile | None, File()] = None,
) -> Response:
    form = {"text": text, "as_of": as_of}
    try:
        when = _as_of(as_of)
        if file is not None and file.filename:
            with stored_upload(file, node.settings.max_upload_mb) as (path, name):
                report = chemistry.screen_file(node, actor, path, as_of=when, display_name=name)
        elif text.strip():
            report = chemistry.screen_text(node, actor, text, as_of=when)
        else:
            raise BadRequest("paste names, CAS numbers or structures, or choose a file")
    except InvalidInput as exc:
        return _page(request, node, actor, 422, form=form, validation=exc.report)
    except BadRequest as exc:
        return _page(request, node, actor, 400, form=form, error=exc.detail)
    csv_href = ""
    if len(report.results) <= MAX_INLINE_CSV:
        csv_text = chemistry.report_csv(report)
        csv_href = (
            "data:text/csv;charset=utf-8;base64," + base64.b64encode(csv_text.encode()).decode()
        )
    return _page(
        request, node, actor, form=form, report=report, rows=_rows(report), csv_href=csv_href
    )


@router.get("/chemistry/substances/{substance_id}")
def substance_page(request: Request, substance_id: str, actor: Reader, node: NodeDep) -> Response:
    detail = chemistry.substance(node, actor, substance_id)
    picture = (
        data_uri(chemistry.depiction(detail.substance.smiles)) if detail.substance.smiles else ""
    )
    return render(request, "substance.html", {"detail": detail, "picture": picture})
