"""Importing files: one pass that validates and writes inside one transaction.

Records are written as they are read while the file is clean; the first problem stops
the writing (the reading goes on, to report every problem), and a file with any problem
rolls the transaction back, so it writes nothing; its attempt is then audited on its own.
A file already imported into the same source (same SHA-256, and same mapping) is a no-op;
a changed file re-imported keeps the ids of its unchanged records, so nothing is
duplicated. Large CSV files are cleaned by worker processes (``import_pool``); they give
the same records and the same report as one process would.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from sqlalchemy.exc import IntegrityError

from narcolink.exc import BadRequest, Conflict, InvalidInput, ValidationReport
from narcolink.ingest import (
    Ingest,
    IngestContext,
    MappingSpec,
    Validation,
    detect_format,
    load_mapping,
    validate,
)
from narcolink.ingest.pipeline import Waiting
from narcolink.ingest.references import Ledger
from narcolink.model.markings import Markings
from narcolink.model.records import Batch
from narcolink.model.roles import Actor, Permission
from narcolink.model.values import ValueRejected, clean_text
from narcolink.services.import_pool import cpus, read_in_parallel
from narcolink.services.node import Node, require
from narcolink.store.base import utcnow
from narcolink.store.view import View
from narcolink.store.writer import Writer, source_imported

MAX_SOURCE_CHARS = 128
# CSV files from this size on are cleaned by worker processes (about 20,000 rows of
# 100 bytes); below it, starting them costs more than it saves.
PARALLEL_MIN_BYTES = 2 << 20


@dataclass
class ImportResult:
    """What an import did. ``unchanged``: the same content was imported before (batch_id
    is that earlier batch) and nothing was written."""

    batch_id: str
    records: int
    statements: int
    unchanged: bool
    report: ValidationReport = field(repr=False)


def file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _source_name(source: str) -> str:
    try:
        text = clean_text(str(source), MAX_SOURCE_CHARS)
    except ValueRejected as exc:
        raise BadRequest(f"source name: {exc}") from None
    if not text:
        raise BadRequest("a source name is required (e.g. 'delhi-zonal-register')")
    return text


def _markings(markings: Markings | dict[str, Any] | None) -> Markings:
    if isinstance(markings, Markings):
        return markings
    try:
        return Markings.parse(markings)
    except ValueError as exc:
        raise BadRequest(f"markings: {exc}") from None


@dataclass
class _Plan:
    """An import worked out from the arguments, before any reading of the store."""

    ingest: Ingest
    name: str
    source: str
    digest: str
    file_sha: str
    markings: Markings
    report: ValidationReport

    def audit_detail(self) -> dict[str, Any]:
        return {
            "file": self.name,
            "source": self.source,
            "format": self.ingest.fmt,
            "sha256": self.digest,
        }


def _plan(
    actor: Actor,
    path: str | Path,
    *,
    source: str,
    fmt: str | None,
    markings: Markings | dict[str, Any] | None,
    mapping: str | Path | None,
    display_name: str | None,
    schema: str | None,
    max_field_chars: int,
) -> _Plan:
    path = Path(path)
    name = display_name or path.name
    source = _source_name(source)
    if not path.is_file():
        raise BadRequest(f"{name}: no such file")
    fmt = detect_format(name, fmt, mapped=mapping is not None)
    report = ValidationReport(name)
    digest = file_sha = file_digest(path)
    spec: MappingSpec | None = None
    if mapping is not None:
        spec = load_mapping(Path(mapping), report)
        if spec is not None:
            # The same file read through another mapping is other content.
            digest = hashlib.sha256(f"{digest}+mapping:{spec.digest}".encode()).hexdigest()
    marks = _markings(markings)
    ctx = IngestContext(
        agency=actor.agency,
        source=source,
        file=name,
        markings=marks,
        max_field_chars=max_field_chars,
    )
    ingest = Ingest(path, ctx, fmt, schema=schema, mapping=spec)
    return _Plan(ingest, name, source, digest, file_sha, marks, report)


def _parallel(plan: _Plan, parallel: bool | None) -> bool:
    """Whether to read through worker processes: CSV files only (mapped files and JSON
    stay in one process); ``parallel`` None decides by the file's size."""
    if plan.ingest.fmt != "csv" or parallel is False:
        return False
    if parallel is True:
        return True
    return plan.ingest.path.stat().st_size >= PARALLEL_MIN_BYTES and cpus() >= 2


def _read(
    node: Node,
    view: View,
    plan: _Plan,
    writer: Writer | None,
    parallel: bool | None,
) -> Validation:
    """Read the whole file, reporting every problem; while there is none, write each
    record with ``writer`` (None: validate only)."""
    agency = node.store.agency(view.conn, view.agency)
    ingest = plan.ingest
    ingest.ctx = replace(ingest.ctx, region=agency.get("country") or None)
    if writer is not None:
        fresh = writer.fresh_source
    else:
        fresh = not source_imported(view.conn, view.agency, plan.source)
    report = plan.report
    if not report.ok or not _parallel(plan, parallel):
        sink = writer.write if writer is not None else None
        return validate(ingest, view.existing, report=report, sink=sink, fresh=fresh)
    ledger = Ledger(ingest.ctx, report, view.existing, fresh=fresh)
    waiting = Waiting()
    try:
        read_in_parallel(ingest, report, ledger, writer, waiting)
        if len(report.issues) < report.limit:
            ledger.finish()
        if writer is not None and report.ok:
            waiting.release(ledger, writer.write)
    finally:
        waiting.close()
    return Validation(report, ledger)


def validate_file(
    node: Node,
    actor: Actor,
    path: str | Path,
    *,
    source: str,
    fmt: str | None = None,
    markings: Markings | dict[str, Any] | None = None,
    mapping: str | Path | None = None,
    display_name: str | None = None,
    schema: str | None = None,
    parallel: bool | None = None,
) -> ValidationReport:
    """Check a file as an import would, writing nothing but the audit row.

    ``parallel``: read through worker processes (True), in this one (False), or by the
    file's size (None); the report is the same.
    """
    require(actor, Permission.IMPORT)
    plan = _plan(
        actor,
        path,
        source=source,
        fmt=fmt,
        markings=markings,
        mapping=mapping,
        display_name=display_name,
        schema=schema,
        max_field_chars=node.settings.max_field_chars,
    )
    with node.view(actor) as view:
        validation = _read(node, view, plan, None, parallel)
        node.audit(
            view.conn,
            actor,
            "validate",
            "file",
            plan.name,
            **plan.audit_detail(),
            ok=validation.report.ok,
            issues=len(validation.report.issues),
            records=validation.records,
        )
    return validation.report


class _Refused(Exception):
    """The file has problems: leave the import's transaction, rolling it back."""


def import_file(
    node: Node,
    actor: Actor,
    path: str | Path,
    *,
    source: str,
    fmt: str | None = None,
    markings: Markings | dict[str, Any] | None = None,
    mapping: str | Path | None = None,
    display_name: str | None = None,
    schema: str | None = None,
    parallel: bool | None = None,
) -> ImportResult:
    """Import one file into the actor's agency under ``source``; all or nothing.

    Raises InvalidInput (with the full report) when any problem is found. ``parallel``
    as for ``validate_file``.
    """
    require(actor, Permission.IMPORT)
    plan = _plan(
        actor,
        path,
        source=source,
        fmt=fmt,
        markings=markings,
        mapping=mapping,
        display_name=display_name,
        schema=schema,
        max_field_chars=node.settings.max_field_chars,
    )
    try:
        with node.view(actor) as view:
            earlier = view.batch_for(plan.source, plan.digest)
            if earlier is not None:
                node.audit(
                    view.conn,
                    actor,
                    "import",
                    "batch",
                    earlier["id"],
                    **plan.audit_detail(),
                    unchanged=True,
                    records=0,
                    statements=0,
                )
                return ImportResult(earlier["id"], 0, 0, True, plan.report)
            batch = _batch(actor, plan)
            with Writer(view.conn, batch, unique=True) as writer:
                validation = _read(node, view, plan, writer, parallel)
                if not validation.report.ok:
                    raise _Refused
            if file_digest(plan.ingest.path) != plan.file_sha:
                raise Conflict(f"{plan.name} changed while it was being imported; import it again")
            node.audit(
                view.conn,
                actor,
                "import",
                "batch",
                batch.id,
                **plan.audit_detail(),
                ok=True,
                records=writer.records,
                statements=writer.statements,
            )
    except _Refused:
        with node.transaction() as conn:
            node.audit(
                conn,
                actor,
                "import",
                "file",
                plan.name,
                **plan.audit_detail(),
                ok=False,
                issues=len(plan.report.issues),
            )
        raise InvalidInput(plan.report) from None
    except Exception as exc:
        # Rows go in through the DBAPI cursor too (bulk writes), so its own error class
        # counts as well as SQLAlchemy's.
        dbapi = node.store.engine.dialect.dbapi
        if isinstance(exc, IntegrityError) or (
            dbapi is not None and isinstance(exc, dbapi.IntegrityError)
        ):
            raise Conflict(
                f"{plan.name} was imported into {plan.source!r} by someone else at the same time"
            ) from None
        raise
    return ImportResult(batch.id, writer.records, writer.statements, False, plan.report)


def _batch(actor: Actor, plan: _Plan) -> Batch:
    return Batch(
        id=uuid.uuid4().hex,
        agency=actor.agency,
        source=plan.source,
        filename=plan.name,
        sha256=plan.digest,
        markings=plan.markings,
        created_by=actor.username,
        created_at=utcnow(),
    )
