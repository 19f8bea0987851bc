"""One input file through the readers: a validation pass, then the records to write.

The validation pass reads the whole file, reporting every problem, learning every record
id and spooling the cleaned records to a temporary file; only when it is clean does the
writing pass run, from the spool, resolving references on the way.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from narcolink.exc import BadRequest, InvalidInput, ValidationReport
from narcolink.ingest.builder import IngestContext, RecordBuilder
from narcolink.ingest.csvfile import read_csv, schema_from_filename
from narcolink.ingest.jsonfile import read_ftm, read_jsonl
from narcolink.ingest.mapped import read_mapped
from narcolink.ingest.mapping import MappingSpec
from narcolink.ingest.references import Exists, Ledger
from narcolink.ingest.spool import Spool
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

    def records(self, report: ValidationReport) -> Iterator[tuple[int, Record]]:
        """(row, record) pairs; problems go to ``report``."""
        builder = RecordBuilder(self.ctx, report)
        if self.fmt == "mapping":
            if self.mapping is None:
                raise BadRequest("the mapping format needs a mapping file")
            return read_mapped(self.path, builder, self.mapping)
        if self.fmt == "csv":
            delimiter = "\t" if self.path.suffix.lower() == ".tsv" else ","
            schema = self.schema or schema_from_filename(self.ctx.file)
            return read_csv(self.path, builder, schema=schema, delimiter=delimiter)
        if self.fmt == "jsonl":
            return read_jsonl(self.path, builder)
        if self.fmt == "ftm":
            return read_ftm(self.path, builder)
        raise BadRequest(f"unknown format {self.fmt!r}")


@dataclass
class Validation:
    """The outcome of the validation pass; ``close()`` it when done (drops the spool)."""

    report: ValidationReport
    ledger: Ledger
    spool: Spool | None = field(default=None, repr=False)

    @property
    def records(self) -> int:
        return self.ledger.records

    @property
    def statements(self) -> int:
        return self.ledger.statements

    def close(self) -> None:
        if self.spool is not None:
            self.spool.close()
            self.spool = None


def validate(
    ingest: Ingest,
    exists: Exists,
    report: ValidationReport | None = None,
) -> Validation:
    """Read the whole file once, collecting every problem (up to the report's limit) and
    spooling the cleaned records for the writing pass."""
    report = report or ValidationReport(ingest.ctx.file)
    ledger = Ledger(ingest.ctx, report, exists)
    if not report.ok:  # e.g. the mapping file is broken: the data cannot be read with it
        return Validation(report, ledger)
    spool = Spool()
    try:
        for row, record in ingest.records(report):
            ledger.see(record, row)
            if report.ok:
                spool.add(record)
        if len(report.issues) < report.limit:
            ledger.finish()
    except BaseException:
        spool.close()
        raise
    validation = Validation(report, ledger, spool)
    if not report.ok:
        validation.close()
    return validation


def records_to_write(validation: Validation) -> Iterator[Record]:
    """The validated records with their references resolved, for the writer."""
    if not validation.report.ok or validation.spool is None:
        raise InvalidInput(validation.report)
    resolve = validation.ledger.resolve
    for record in validation.spool:
        yield resolve(record)
