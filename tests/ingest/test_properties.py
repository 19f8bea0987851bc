"""Property-based tests: no input crashes a reader, and written values read back intact."""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest.support import Reader, make_reader

SETTINGS = settings(
    deadline=None,  # no wall-clock limits in unit tests
    max_examples=150,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)

# Text a person could type into a field: no control characters or lone surrogates.
field_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cc", "Cs")), min_size=1, max_size=60
).filter(lambda s: bool(s.strip()))


@pytest.fixture(scope="module")
def reader(tmp_path_factory: pytest.TempPathFactory) -> Reader:
    return make_reader(Path(tmp_path_factory.mktemp("fuzz")))


@SETTINGS
@given(data=st.binary(max_size=3000), name=st.sampled_from(["p.csv", "p.jsonl", "p.json"]))
def test_random_bytes_give_a_report_never_a_crash(reader: Reader, data: bytes, name: str) -> None:
    got = reader(data, name, schema="Person")
    assert got.report.ok == (not got.issues)
    for issue in got.issues:
        assert issue.file == name and issue.reason


@SETTINGS
@given(text=st.text(max_size=2000), name=st.sampled_from(["p.csv", "p.jsonl", "p.json"]))
def test_random_text_gives_a_report_never_a_crash(reader: Reader, text: str, name: str) -> None:
    got = reader(text.encode("utf-8", "surrogatepass"), name, schema="Person")
    assert all(i.reason for i in got.issues)


@SETTINGS
@given(
    cells=st.lists(st.lists(st.text(max_size=30), min_size=0, max_size=6), max_size=20),
    header=st.lists(
        st.sampled_from(
            ["id", "name", "phone", "country", "birthDate", "notes", "tlp", "shoe", "schema"]
        ),
        min_size=1,
        max_size=6,
    ),
)
def test_random_csv_tables_give_a_report_never_a_crash(
    reader: Reader, cells: list[list[str]], header: list[str]
) -> None:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(cells)
    got = reader(out.getvalue().encode("utf-8", "surrogatepass"), "persons.csv")
    assert all(i.file == "persons.csv" and i.reason for i in got.issues)


def _expected(value: str) -> str:
    return unicodedata.normalize("NFC", value).strip()


@SETTINGS
@given(
    rows=st.lists(
        st.tuples(field_text, field_text, field_text),
        min_size=1,
        max_size=10,
        unique_by=lambda r: _expected(r[0]),
    )
)
def test_csv_round_trip(reader: Reader, rows: list[tuple[str, str, str]]) -> None:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["id", "name", "notes"])
    writer.writerows(rows)
    got = reader(out.getvalue(), "persons.csv")
    assert got.issues == [], got.reasons()
    assert [(r.source_record, r.properties) for r in got.records] == [
        (_expected(i), {"name": [_expected(n)], "notes": [_expected(t)]}) for i, n, t in rows
    ]


@SETTINGS
@given(
    rows=st.lists(
        st.tuples(field_text, st.lists(field_text, min_size=1, max_size=3)),
        min_size=1,
        max_size=10,
        unique_by=lambda r: _expected(r[0]),
    )
)
def test_jsonl_round_trip(reader: Reader, rows: list[tuple[str, list[str]]]) -> None:
    text = "".join(
        json.dumps({"id": i, "schema": "Person", "properties": {"name": names}}) + "\n"
        for i, names in rows
    )
    got = reader(text, "persons.jsonl")
    assert got.issues == [], got.reasons()
    for record, (source_id, names) in zip(got.records, rows, strict=True):
        assert record.source_record == _expected(source_id)
        assert record.properties["name"] == list(dict.fromkeys(_expected(n) for n in names))
