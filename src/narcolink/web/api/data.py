"""Import a file (multipart upload) and export what the caller may see (streamed)."""

from __future__ import annotations

import io
import tempfile
from collections.abc import Iterator
from typing import IO, Annotated, Literal

from fastapi import APIRouter, File, Form, Query, UploadFile
from fastapi.responses import JSONResponse, StreamingResponse

from narcolink.services import exports, imports
from narcolink.web.deps import Exporter, Importer, NodeDep
from narcolink.web.schemas import ImportPublic
from narcolink.web.uploads import stored_upload

router = APIRouter(tags=["data"])
MEDIA = {"ftm": "application/x-ndjson", "csv": "text/csv; charset=utf-8"}
SUFFIX = {"ftm": "ftm.jsonl", "csv": "csv"}
CHUNK = 1 << 16
Field = Annotated[str | None, Form(max_length=64)]


@router.post("/imports", status_code=201, response_model=ImportPublic)
def import_upload(
    actor: Importer,
    node: NodeDep,
    file: Annotated[UploadFile, File(description="CSV, JSON lines or FtM JSON")],
    source: Annotated[str, Form(max_length=128, description="the source system or register")],
    format: Annotated[str | None, Form(max_length=16)] = None,
    tlp: Field = None,
    pap: Field = None,
    handling: Field = None,
    source_grading: Field = None,
    info_grading: Field = None,
) -> JSONResponse:
    """Import one file into the caller's agency: all or nothing. A file with problems
    returns 422 with every issue (file, row, field, reason); the same file again is a
    no-op (200, ``unchanged``)."""
    markings = {
        "tlp": tlp,
        "pap": pap,
        "handling": handling,
        "source_grading": source_grading,
        "info_grading": info_grading,
    }
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
    body = ImportPublic(
        batch_id=result.batch_id,
        filename=name,
        source=source,
        records=result.records,
        statements=result.statements,
        unchanged=result.unchanged,
    )
    return JSONResponse(body.model_dump(mode="json"), status_code=200 if result.unchanged else 201)


def _stream(spool: IO[bytes]) -> Iterator[bytes]:
    with spool:
        while block := spool.read(CHUNK):
            yield block


@router.get(
    "/export",
    response_class=StreamingResponse,
    responses={200: {"content": {MEDIA["ftm"]: {}, MEDIA["csv"]: {}}}},
)
def export(
    actor: Exporter,
    node: NodeDep,
    format: Annotated[Literal["ftm", "csv"], Query()] = "ftm",
    schema: Annotated[str | None, Query(max_length=64)] = None,
) -> StreamingResponse:
    """Every record the caller may see, with its markings, as FtM JSON lines or CSV.

    The export runs to completion (and is audited) before the first byte is sent, so an
    error is reported as an error rather than as a truncated file."""
    spool = tempfile.TemporaryFile()  # noqa: SIM115 - the stream closes it
    try:
        text = io.TextIOWrapper(spool, encoding="utf-8", newline="")
        count = exports.export_entities(node, actor, text, fmt=format, schema=schema)
        text.flush()
        text.detach()
        spool.seek(0)
    except BaseException:
        spool.close()
        raise
    filename = f"narcolink-{actor.agency}-export.{SUFFIX[format]}"
    return StreamingResponse(
        _stream(spool),
        media_type=MEDIA[format],
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "X-Record-Count": str(count),
        },
    )
