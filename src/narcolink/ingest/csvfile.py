"""CSV records: a header of FtM property names, an ``id`` column, optional ``schema`` and
marking columns. Rows stream through ``csv.reader`` one at a time.

Row numbers in issues count data rows from 1 (the header is row 0), so with no quoted
line breaks data row N is line N + 1 of the file.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from followthemoney.schema import Schema

from narcolink.exc import ValidationReport
from narcolink.ingest.builder import MARKING_FIELDS, PropPlan, RecordBuilder
from narcolink.ingest.textio import LineState, text_lines
from narcolink.model.records import Record
from narcolink.model.vocabulary import get_model

# ``agency`` is written by narcolink's CSV export for the reader's information; on import a
# record always belongs to the importing agency, so the column is read past.
INFORMATIONAL = ("agency",)
RESERVED = ("id", "schema", *MARKING_FIELDS, *INFORMATIONAL)


def allow_long_fields(limit: int) -> None:
    """Let the csv module hold fields up to ``limit`` so that our own, clearer length check
    (naming the column) runs first. The limit is process-wide; it is only ever raised."""
    if csv.field_size_limit() < limit:
        csv.field_size_limit(limit)


def _normal(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def schema_from_filename(filename: str) -> str | None:
    """The schema a file is named after: ``persons.csv`` -> Person, ``seized_items.csv`` ->
    SeizedItem, ``seizures_2025_delhi.csv`` -> Seizure (the longest leading run of words
    that is a schema's name, label or plural, in the singular or plural); else None."""
    words = [w for w in re.split(r"[^a-z0-9]+", Path(filename).name.split(".", 1)[0].lower()) if w]
    names: dict[str, str] = {}
    for schema in get_model().schemata.values():
        if not schema.abstract:
            for text in (schema.name, schema.label, schema.plural):
                names.setdefault(_normal(text), schema.name)
    for end in range(len(words), 0, -1):
        stem = "".join(words[:end])
        found = names.get(stem) or names.get(stem.removesuffix("s"))
        if found:
            return found
    return None


def csv_error_reason(exc: csv.Error, line: int) -> str:
    text = str(exc)
    if "unexpected end of data" in text:
        return (
            f"the file ends inside a quoted field opened in this row (line {line}): "
            "a closing quote is missing, or the file was cut off"
        )
    if "expected after" in text:
        return (
            f"malformed quoting on line {line}: a closing quote must be followed by the "
            "delimiter or the end of the line (write a quote inside a field as two quotes)"
        )
    if "field larger than field limit" in text:
        return f"a field on line {line} is too long to read ({text})"
    return f"malformed CSV on line {line}: {text}"


@dataclass
class Header:
    """The columns of one CSV file, classified once."""

    names: list[str]
    id_col: int | None
    schema_col: int | None
    markings: list[tuple[int, str]]
    props: list[tuple[int, str]]


def parse_header(cells: list[str], report: ValidationReport) -> Header:
    names = [c.strip() for c in cells]
    header = Header(names, None, None, [], [])
    seen_reserved: set[str] = set()
    for index, name in enumerate(names):
        lower = name.lower()
        if not name:
            report.add(0, f"column {index + 1}", "the header has a column without a name")
        elif lower in RESERVED:
            if lower in seen_reserved:
                report.add(0, name, f"the header has two {lower!r} columns")
                continue
            seen_reserved.add(lower)
            if lower in INFORMATIONAL:
                continue
            if lower == "id":
                header.id_col = index
            elif lower == "schema":
                header.schema_col = index
            else:
                header.markings.append((index, lower))
        else:
            header.props.append((index, name))
    if header.id_col is None:
        report.add(0, "id", "the header has no 'id' column: every record needs a source id")
    return header


def _plan(builder: RecordBuilder, schema: Schema, name: str, row: int | None) -> PropPlan | None:
    found = builder.lookup_plan(schema, name)
    if isinstance(found, str):
        builder.report.add(row, name, found)
        return None
    return found


class CsvRows:
    """The physical side of a CSV file: its header, then data rows of the header's width.

    Structural problems (quoting, width, encoding, NUL bytes) are reported here, so the
    record readers on top only see well-formed rows.
    """

    def __init__(self, path: Path, builder: RecordBuilder, delimiter: str = ",") -> None:
        self.report = builder.report
        allow_long_fields(builder.ctx.line_cap)
        self.state = LineState()
        self.reader = csv.reader(
            text_lines(path, builder.ctx.line_cap, self.state), delimiter=delimiter, strict=True
        )
        self.row = 0

    def _drain(self, row: int | None) -> None:
        for line, reason in self.state.drain():
            if line is None:
                self.report.add(None, None, reason)
            else:
                self.report.add(row, None, f"{reason} (line {line})")

    def header(self) -> list[str] | None:
        """The header cells, or None (reported) for an empty or unreadable file."""
        try:
            first = next(self.reader, None)
        except csv.Error as exc:
            self._drain(0)
            self.report.add(0, None, csv_error_reason(exc, self.reader.line_num))
            return None
        self._drain(0)
        if first is None and not self.state.stopped:
            self.report.add(None, None, "the file is empty: expected a header row")
        return first

    def rows(self, width: int) -> Iterator[tuple[int, list[str]]]:
        """(data row, cells) for each non-blank row with ``width`` cells; stops at the
        report's issue limit."""
        report, reader = self.report, self.reader
        while len(report.issues) < report.limit:
            try:
                cells = next(reader)
            except StopIteration:
                if self.state.problems:  # e.g. the next line was not UTF-8
                    self._drain(self.row + 1)
                break
            except csv.Error as exc:
                self.row += 1
                self._drain(self.row)
                report.add(self.row, None, csv_error_reason(exc, reader.line_num))
                continue
            self.row += 1
            if self.state.problems:
                self._drain(self.row)
            if not cells:
                continue
            if len(cells) != width:
                report.add(
                    self.row,
                    None,
                    f"row has {len(cells)} fields; the header has {width} (line {reader.line_num})",
                )
                continue
            yield self.row, cells
        self._drain(self.row)
        report.rows_read = self.row


@dataclass(frozen=True)
class CsvLayout:
    """What a file's header settles for every data row: the columns to read and how.

    Plain data, so that worker processes can build records from rows read elsewhere.
    With a fixed schema, ``props`` holds only the columns that name one of its properties
    (the others were reported once, on the header).
    """

    width: int
    id_col: int
    schema: str | None
    schema_col: int | None
    props: tuple[tuple[int, str], ...]
    markings: tuple[tuple[int, str], ...]


def read_layout(source: CsvRows, builder: RecordBuilder, schema: str | None) -> CsvLayout | None:
    """Read and check the header; None (reported) when no data row can be read with it."""
    report = builder.report
    first = source.header()
    if first is None:
        return None
    header = parse_header(first, report)
    props = tuple(header.props)
    if header.schema_col is None:
        if schema is None:
            report.add(
                0,
                "schema",
                "no schema: add a 'schema' column, name the file after a schema "
                "(e.g. persons.csv), or choose the schema when importing",
            )
            return None
        fixed = builder.schema(schema, 0)
        if fixed is None:
            return None
        props = tuple(
            (index, name) for index, name in header.props if _plan(builder, fixed, name, 0)
        )
        schema = fixed.name
    if header.id_col is None:
        return None
    return CsvLayout(
        width=len(header.names),
        id_col=header.id_col,
        schema=schema if header.schema_col is None else None,
        schema_col=header.schema_col,
        props=props,
        markings=tuple(header.markings),
    )


class CsvRecords:
    """Builds the record of one data row (reporting its problems) under a layout."""

    def __init__(self, layout: CsvLayout, builder: RecordBuilder) -> None:
        self.layout = layout
        self.builder = builder
        self.fixed: Schema | None = None
        self.fixed_plans: list[tuple[int, str, PropPlan]] = []
        if layout.schema is not None:
            found = builder.lookup_schema(layout.schema)
            assert not isinstance(found, str), found
            self.fixed = found
            for index, name in layout.props:
                plan = builder.lookup_plan(found, name)
                assert not isinstance(plan, str), plan
                self.fixed_plans.append((index, name, plan))

    def build(self, row: int, cells: list[str]) -> Record | None:
        """The record of one row of the layout's width, or None when it has no usable id
        or schema; every problem goes to the builder's report."""
        builder, layout = self.builder, self.layout
        if self.fixed is not None:
            record_schema, plans = self.fixed, self.fixed_plans
        else:
            assert layout.schema_col is not None
            found = builder.schema(cells[layout.schema_col], row)
            if found is None:
                return None
            record_schema, plans = found, []
            for index, name in layout.props:
                if cells[index] and not cells[index].isspace():
                    plan = _plan(builder, found, name, row)
                    if plan is not None:
                        plans.append((index, name, plan))
        record = builder.start(record_schema, cells[layout.id_col], row)
        target = record or Record(id="", schema=record_schema, source_record="")
        builder.add_cells(target, plans, cells, row)
        if layout.markings:
            builder.mark(target, {name: cells[i] for i, name in layout.markings}, row)
        builder.finish(target, row)
        return record


def read_csv(
    path: Path, builder: RecordBuilder, *, schema: str | None = None, delimiter: str = ","
) -> Iterator[tuple[int, Record]]:
    """Yield (data row, record) for every row with a usable id and schema; report the rest."""
    source = CsvRows(path, builder, delimiter)
    layout = read_layout(source, builder, schema)
    if layout is None:
        return
    records = CsvRecords(layout, builder)
    for row, cells in source.rows(layout.width):
        record = records.build(row, cells)
        if record is not None:
            yield row, record
