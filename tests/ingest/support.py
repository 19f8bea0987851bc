"""Helpers for ingest tests: read content through the pipeline without a store."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from narcolink.exc import Issue, ValidationReport
from narcolink.ingest import (
    Ingest,
    IngestContext,
    detect_format,
    load_mapping,
    validate,
)
from narcolink.model.markings import Markings
from narcolink.model.records import Record, entity_id


@dataclass
class Read:
    report: ValidationReport
    records: list[Record] = field(default_factory=list)

    @property
    def issues(self) -> list[Issue]:
        return self.report.issues

    def by_source(self, source_id: str) -> Record:
        return next(r for r in self.records if r.source_record == source_id)

    def reasons(self) -> str:
        return "\n".join(str(i) for i in self.issues)


Reader = Callable[..., Read]


def local_id(source_id: str, source: str = "test") -> str:
    return entity_id("ncb", source, source_id)


def make_reader(tmp_path: Path) -> Reader:
    """``read(content, name, ...)``: write and read a file; its records when it is clean."""

    def _read(
        content: str | bytes,
        name: str = "persons.csv",
        *,
        fmt: str | None = None,
        schema: str | None = None,
        mapping: str | None = None,
        known: dict[str, str] | None = None,
        region: str | None = "in",
        markings: Markings | None = None,
        max_field_chars: int = 100_000,
    ) -> Read:
        path = tmp_path / name
        path.write_bytes(content.encode() if isinstance(content, str) else content)
        report = ValidationReport(name)
        spec = None
        if mapping is not None:
            mapping_path = tmp_path / "mapping.yml"
            mapping_path.write_text(mapping, encoding="utf-8")
            spec = load_mapping(mapping_path, report)
        ctx = IngestContext(
            agency="ncb",
            source="test",
            file=name,
            markings=markings or Markings(),
            region=region,
            max_field_chars=max_field_chars,
        )
        ingest = Ingest(
            path,
            ctx,
            detect_format(name, fmt, mapped=spec is not None),
            schema=schema,
            mapping=spec,
        )
        store = known or {}
        records: list[Record] = []
        validation = validate(
            ingest,
            lambda ids: {i: store[i] for i in ids if i in store},
            report=report,
            sink=records.append,
        )
        if not validation.report.ok:
            return Read(validation.report)
        return Read(validation.report, records)

    return _read
