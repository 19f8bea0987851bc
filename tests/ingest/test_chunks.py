"""Chunked reading (the parent's reader, the workers' builder, the ordered merge) gives the
report and records that reading the file in one pass gives, whatever the chunk size.

These tests run the chunk pieces in-process; tests/services/test_parallel_imports.py runs
them through real worker processes.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from narcolink.exc import ValidationReport
from narcolink.ingest import Ingest, IngestContext, validate
from narcolink.ingest.chunks import ChunkBuilder, ChunkReader, merge
from narcolink.ingest.pipeline import Waiting
from narcolink.ingest.references import Ledger
from narcolink.ingest.spool import pack
from narcolink.model.records import Record, entity_id

STORE = {entity_id("ncb", "test", "OLD-1"): "Person", entity_id("ncb", "test", "OLD-2"): "Company"}


def exists(ids: list[str]) -> dict[str, str]:
    return {i: STORE[i] for i in ids if i in STORE}


def _ingest(path: Path, schema: str | None = "Person") -> Ingest:
    ctx = IngestContext(agency="ncb", source="test", file=path.name, region="in")
    return Ingest(path, ctx, "csv", schema=schema)


def one_pass(
    path: Path, limit: int, schema: str | None
) -> tuple[ValidationReport, list[Record], int]:
    records: list[Record] = []
    report = ValidationReport(path.name, limit=limit)
    validation = validate(_ingest(path, schema), exists, report, sink=records.append)
    return report, records, validation.records


def in_chunks(
    path: Path, limit: int, schema: str | None, size: int
) -> tuple[ValidationReport, list[Record], int]:
    """What services.import_pool does, with the workers' part called in-process."""
    ingest = _ingest(path, schema)
    report = ValidationReport(path.name, limit=limit)
    ledger = Ledger(ingest.ctx, report, exists)
    reader = ChunkReader(ingest, report, size=size)
    records: list[Record] = []
    waiting = Waiting()
    if reader.layout is not None:
        builder = ChunkBuilder(ingest, reader.layout)
        for chunk in reader.chunks():
            built = builder.build(chunk.rows)
            going = merge(chunk, built, report, ledger)
            for record in built.records if report.ok else ():
                if builder.references.waits(record):
                    waiting.add(pack(record))
                else:
                    records.append(builder.references.resolve(record))
            if not going:
                break
    if len(report.issues) < report.limit:
        ledger.finish()
    if report.ok:
        waiting.release(ledger, records.append)
    waiting.close()
    return report, records, ledger.records


def same(path: Path, limit: int = 1000, schema: str | None = "Person", sizes=(1, 2, 3, 7)) -> None:
    expected, records, count = one_pass(path, limit, schema)
    for size in sizes:
        got, got_records, got_count = in_chunks(path, limit, schema, size)
        assert got.issues == expected.issues, size
        assert (got.rows_read, got_count) == (expected.rows_read, count), size
        if expected.ok:  # otherwise nothing is written (the import rolls back)
            assert [(r.id, r.properties, r.originals, r.markings) for r in got_records] == [
                (r.id, r.properties, r.originals, r.markings) for r in records
            ], size


ROWS = {
    "good": "{i},Ann Lee {i},98100 {i:05d},1990-01-02,ann{i}@example.org",
    "bad phone": "{i},Bee,12,1990-01-02,",
    "bad date": "{i},Cy,,1990-02-30,",
    "bad email": "{i},Di,,,not an email",
    "no name": "{i},,98100 {i:05d},,",
    "no id": ",Ed,,,",
    "duplicate id": "1,Fay,,,",
    "too few cells": "{i},Gus",
    "too many cells": "{i},Hal,,,,extra",
    "blank line": "",
    "quoted line break": '{i},"Ivy\nJones",,,',
    "bad quoting": '{i},"Jo"e,,,',
    "NUL byte": "{i},K\x00y,,,",
    "NUL byte in a quoted line": '{i},"Kay\nJ\x00y\nLee",,,',
    "control character": "{i},L\x07n,,,",
    "Devanagari": "{i},राजेश कुमार,,,",
}
HEADER = "id,name,phone,birthDate,email"


def write(tmp_path: Path, kinds: list[str], tail: str = "") -> Path:
    lines = [HEADER] + [ROWS[k].format(i=i + 10) for i, k in enumerate(kinds)]
    path = tmp_path / "persons.csv"
    path.write_bytes(("\n".join(lines) + "\n").encode() + tail.encode("latin-1"))
    return path


@settings(
    deadline=None, max_examples=120, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    kinds=st.lists(st.sampled_from(sorted(ROWS)), max_size=25),
    limit=st.sampled_from([1, 2, 3, 5, 1000]),
)
def test_any_mix_of_rows_gives_the_same_report_and_records(
    tmp_path: Path, kinds: list[str], limit: int
) -> None:
    same(write(tmp_path, kinds), limit=limit)


def test_problems_after_the_last_row_keep_their_place(tmp_path: Path) -> None:
    # A Latin-1 byte on the line after the last row: reported after every row's problems.
    path = write(tmp_path, ["good", "bad phone", "good"], tail="13,Zo\xe9,,,\n")
    report, _, _ = one_pass(path, 1000, "Person")
    assert [i.row for i in report.issues] == [2, 4]
    same(path)


def test_a_file_cut_off_inside_a_quoted_field(tmp_path: Path) -> None:
    path = tmp_path / "persons.csv"
    path.write_text(f'{HEADER}\n1,Ann,,,\n2,"Bee,,,\n3,Cy,,,\n')
    report, _, _ = one_pass(path, 1000, "Person")
    assert report.issues and report.issues[-1].row == 2
    same(path)


def test_references_forward_and_back_across_chunks(tmp_path: Path) -> None:
    path = tmp_path / "mixed.csv"
    path.write_text(
        "id,schema,name,personsInvolved\n"
        "S-1,Seizure,First,P-9;OLD-1\n"  # P-9 comes later, in another chunk
        "P-1,Person,Ann,\n"
        "S-2,Seizure,Second,P-1;P-404\n"  # P-404 exists nowhere
        "P-9,Person,Nine,\n"
        "OLD-2,Person,Was a company,\n"  # imported before as a Company
        "S-3,Seizure,Third," + entity_id("ncb", "test", "P-1") + "\n",
    )
    report, _, _ = one_pass(path, 1000, None)
    assert [(i.row, i.field) for i in report.issues] == [(5, "schema"), (3, "personsInvolved")]
    same(path, schema=None, sizes=(1, 2, 4))


def test_a_clean_file_with_markings_and_a_schema_column(tmp_path: Path) -> None:
    path = tmp_path / "mixed.csv"
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["id", "schema", "name", "phone", "tlp", "alias"])
    for i in range(40):
        schema = "Person" if i % 3 else "Company"
        writer.writerow([f"R-{i}", schema, f"Name {i}", "", "RED" if i % 5 == 0 else "", f"A{i}"])
    path.write_text(out.getvalue())
    report, records, _ = one_pass(path, 1000, None)
    assert report.ok and len(records) == 40
    same(path, schema=None, sizes=(1, 6, 40, 100))


def test_header_problems_are_reported_once(tmp_path: Path) -> None:
    path = tmp_path / "persons.csv"
    path.write_text("id,name,shoeSize\nP-1,Ann,42\nP-2,Bee,43\n")
    report, _, _ = one_pass(path, 1000, "Person")
    assert [(i.row, i.field) for i in report.issues] == [(0, "shoeSize")]
    same(path)
