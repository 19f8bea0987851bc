"""A large CSV file read in chunks, its rows turned into records by worker processes.

Cleaning values (phone numbers above all) is the costly part of an import. Here the
parent process reads the file's structure (encoding, quoting, row widths) and hands out
chunks of raw rows; a worker (``ChunkBuilder``) builds each row's record and reports its
problems; the parent merges the results back in file order (``merge``). Problems appear
in the report in the order, and up to the limit, that one process reading the file
(``pipeline.validate``) gives them: a structural problem keeps its place between the
rows, and the reading stops where that process would have stopped.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import NamedTuple

from narcolink.exc import ValidationReport
from narcolink.ingest.builder import RecordBuilder
from narcolink.ingest.csvfile import CsvLayout, CsvRecords, CsvRows, read_layout
from narcolink.ingest.pipeline import Ingest
from narcolink.ingest.references import Ledger, References, Seen, seen
from narcolink.model.records import Record

# (row, field, reason) of one problem
Problem = tuple[int | None, str | None, str]


class Placed(NamedTuple):
    """A problem the reader found, with its place: before the chunk's row ``before``
    (or after its last row), while reading data row ``reading``."""

    before: int
    reading: int
    problem: Problem


@dataclass
class RowChunk:
    """Raw rows of one chunk and the reader's problems among them."""

    rows: list[tuple[int, list[str]]]
    problems: list[Placed]
    rows_read: int


class _Recorder(ValidationReport):
    """Stands in for the report while rows are read: keeps every problem with its place."""

    def __init__(self, file: str, source: CsvRows, limit: int) -> None:
        super().__init__(file, limit=limit)
        self.source = source
        self.rows: list[tuple[int, list[str]]] = []
        self.placed: list[Placed] = []

    def add(self, row: int | None, field_name: str | None, reason: str) -> None:
        self.placed.append(Placed(len(self.rows), self.source.row, (row, field_name, reason)))
        # Counted as the report counts them: a chunk of rows that are all refused stops
        # the reading at the limit, since the report will be full by then anyway.
        super().add(row, field_name, reason)


class ChunkReader:
    """The parent's side: the header (checked into the real report), then chunks."""

    def __init__(self, ingest: Ingest, report: ValidationReport, size: int = 2000) -> None:
        self.size = size
        builder = RecordBuilder(ingest.ctx, report)
        self.source = CsvRows(ingest.path, builder, ingest.csv_delimiter)
        self.layout: CsvLayout | None = read_layout(self.source, builder, ingest.csv_schema)
        self.recorder = _Recorder(report.file, self.source, report.limit)

    def chunks(self) -> Iterator[RowChunk]:
        """Chunks of up to ``size`` rows; the last one also carries the problems found
        after the last row and the count of rows read."""
        if self.layout is None:
            return
        recorder = self.recorder
        self.source.report = recorder
        for row, cells in self.source.rows(self.layout.width):
            recorder.rows.append((row, cells))
            if len(recorder.rows) >= self.size or len(recorder.placed) >= self.size:
                yield self._cut(self.source.row)
        yield self._cut(recorder.rows_read)

    def _cut(self, rows_read: int) -> RowChunk:
        recorder = self.recorder
        chunk = RowChunk(recorder.rows, recorder.placed, rows_read)
        recorder.rows, recorder.placed = [], []
        recorder.issues.clear()
        return chunk


@dataclass
class BuiltChunk:
    """A worker's result for one chunk: each row's problems (by index in the chunk), what
    the ledger needs of each row's record (None: the row has none), and the records."""

    problems: dict[int, list[Problem]] = field(default_factory=dict)
    seen: list[Seen | None] = field(default_factory=list)
    records: list[Record] = field(default_factory=list)


class ChunkBuilder:
    """A worker's side: builds the records of raw rows as ``read_csv`` would."""

    def __init__(self, ingest: Ingest, layout: CsvLayout) -> None:
        self.report = ValidationReport(ingest.ctx.file)
        self.records = CsvRecords(layout, RecordBuilder(ingest.ctx, self.report))
        self.references = References(ingest.ctx)

    def build(self, rows: list[tuple[int, list[str]]]) -> BuiltChunk:
        out = BuiltChunk()
        issues = self.report.issues
        for index, (row, cells) in enumerate(rows):
            record = self.records.build(row, cells)
            if issues:
                out.problems[index] = [(i.row, i.field, i.reason) for i in issues]
                issues.clear()
            if record is None:
                out.seen.append(None)
            else:
                out.seen.append(seen(record, self.references))
                out.records.append(record)
        return out


def merge(chunk: RowChunk, built: BuiltChunk, report: ValidationReport, ledger: Ledger) -> bool:
    """Add one chunk's problems and records to the report and ledger, in file order.

    Returns False when the report has reached its limit: the reading stops there, and
    ``report.rows_read`` says where, as it would reading in one process.
    """
    placed, at, end = chunk.problems, 0, len(chunk.problems)
    for index, (row, _) in enumerate(chunk.rows):
        while at < end and placed[at].before <= index:
            if _add(report, placed[at].problem) and placed[at].reading != row:
                report.rows_read = placed[at].reading
                return False
            at += 1
        for problem in built.problems.get(index, ()):
            _add(report, problem)
        facts = built.seen[index]
        if facts is not None:
            ledger.note(facts, row)
        if len(report.issues) >= report.limit:
            report.rows_read = row
            return False
    for item in placed[at:]:
        if _add(report, item.problem):
            report.rows_read = item.reading
            return False
    report.rows_read = chunk.rows_read
    return True


def _add(report: ValidationReport, problem: Problem) -> bool:
    """Add a problem; True when the report is now full."""
    report.add(*problem)
    return len(report.issues) >= report.limit
