"""One input file through the readers, in one pass: every problem reported, and while
there is none, every record handed on (its references resolved) to be written.

The caller writes inside one transaction and rolls it back when the report is not clean,
so a bad file writes nothing. Large CSV files take the same way through worker processes
(``ingest.chunks``), with the same report.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from narcolink.exc import BadRequest, ValidationReport
from narcolink.ingest.builder import IngestContext, RecordBuilder
from narcolink.ingest.csvfile import read_csv, schema_from_filename
from narcolink.ingest.jsonfile import read_ftm, read_jsonl
from narcolink.ingest.mapped import read_mapped
from narcolink.ingest.mapping import MappingSpec
from narcolink.ingest.references import Exists, Ledger
from narcolink.ingest.spool import Packed, Spool, pack
from narcolink.model.records import Record

FORMATS = ("csv", "jsonl", "ftm", "mapping")
EXTENSIONS = {
    ".csv": "csv",
    ".tsv": "csv",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "ftm",
    ".ftm": "ftm",
    ".ijson": "ftm",
}


def detect_format(filename: str, fmt: str | None = None, mapped: bool = False) -> str:
    """The format to read ``filename`` with: the one asked for, else from its extension."""
    if fmt:
        fmt = fmt.strip().lower()
        if fmt not in FORMATS:
            raise BadRequest(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
        if fmt == "mapping" and not mapped:
            raise BadRequest("the mapping format needs a mapping file")
        return "mapping" if mapped else fmt
    if mapped:
        return "mapping"
    suffix = Path(filename).suffix.lower()
    if suffix not in EXTENSIONS:
        raise BadRequest(
            f"cannot tell the format of {filename!r} from its extension; name it "
            f"{', '.join(EXTENSIONS)} or choose a format ({', '.join(FORMATS)})"
        )
    return EXTENSIONS[suffix]


@dataclass
class Ingest:
    """One file to read: where it is, how to read it, and for which agency and source."""

    path: Path
    ctx: IngestContext
    fmt: str
    schema: str | None = None
    mapping: MappingSpec | None = None

    @property
    def csv_delimiter(self) -> str:
        return "\t" if self.path.suffix.lower() == ".tsv" else ","

    @property
    def csv_schema(self) -> str | None:
        """The schema of a CSV file without a schema column: the one chosen, else the one
        the file is named after."""
        return self.schema or schema_from_filename(self.ctx.file)

    def records(self, report: ValidationReport) -> Iterator[tuple[int, Record]]:
        """(row, record) pairs; problems go to ``report``."""
        builder = RecordBuilder(self.ctx, report)
        if self.fmt == "mapping":
            if self.mapping is None:
                raise BadRequest("the mapping format needs a mapping file")
            return read_mapped(self.path, builder, self.mapping)
        if self.fmt == "csv":
            return read_csv(
                self.path, builder, schema=self.csv_schema, delimiter=self.csv_delimiter
            )
        if self.fmt == "jsonl":
            return read_jsonl(self.path, builder)
        if self.fmt == "ftm":
            return read_ftm(self.path, builder)
        raise BadRequest(f"unknown format {self.fmt!r}")


@dataclass
class Validation:
    """The outcome of reading a file: its report, and the ledger's counts."""

    report: ValidationReport
    ledger: Ledger

    @property
    def records(self) -> int:
        return self.ledger.records

    @property
    def statements(self) -> int:
        return self.ledger.statements


Sink = Callable[[Record], None]


class Waiting:
    """Records that wait for the whole file to be read before their references resolve
    (see ``references``); spooled to disk, so there may be any number of them."""

    def __init__(self) -> None:
        self.spool: Spool | None = None

    def add(self, packed: Packed) -> None:
        if self.spool is None:
            self.spool = Spool()
        self.spool.add_packed(packed)

    def release(self, ledger: Ledger, sink: Sink) -> None:
        """Hand each waiting record, resolved, to ``sink`` (once the file is read)."""
        if self.spool is not None:
            for record in self.spool:
                sink(ledger.resolve(record))

    def close(self) -> None:
        if self.spool is not None:
            self.spool.close()
            self.spool = None


def validate(
    ingest: Ingest,
    exists: Exists,
    report: ValidationReport | None = None,
    *,
    sink: Sink | None = None,
    fresh: bool = False,
) -> Validation:
    """Read the whole file once, collecting every problem (up to the report's limit);
    while none is found, hand each record, its references resolved, to ``sink``.

    ``fresh``: the source was never imported (see ``Ledger``).
    """
    report = report or ValidationReport(ingest.ctx.file)
    ledger = Ledger(ingest.ctx, report, exists, fresh=fresh)
    if not report.ok:  # e.g. the mapping file is broken: the data cannot be read with it
        return Validation(report, ledger)
    references = ledger.references
    waiting = Waiting()
    try:
        for row, record in ingest.records(report):
            ledger.see(record, row)
            if sink is None or not report.ok:
                continue
            if references.waits(record):
                waiting.add(pack(record))
            else:
                sink(references.resolve(record))
        if len(report.issues) < report.limit:
            ledger.finish()
        if sink is not None and report.ok:
            waiting.release(ledger, sink)
    finally:
        waiting.close()
    return Validation(report, ledger)
