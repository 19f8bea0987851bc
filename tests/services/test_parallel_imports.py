"""Large CSV imports through worker processes: the same rows and the same report as one
process gives, and a bad row late in a large file still writes nothing."""

from __future__ import annotations

import csv
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from narcolink import exc
from narcolink.model.records import entity_id
from narcolink.model.roles import Actor, Role
from narcolink.services import records
from narcolink.services.imports import import_file, validate_file
from narcolink.services.node import Node
from narcolink.store import tables as t

NCB = Actor("ncb-analyst", "ncb", frozenset({Role.ANALYST}))
NIA = Actor("nia-analyst", "nia", frozenset({Role.ANALYST}))  # also India: same phone region

HEADER = ["id", "name", "alias", "phone", "birthDate", "nationality", "email", "notes", "tlp"]
# Values COPY text must escape, values Unicode normalisation changes, several values in
# one cell, markings per row.
TRICKY = [
    ["T-1", "Tab\tIn Name", "a\\b", "+91 98100 00011;98100 00012", "1990", "in", "", "", "RED"],
    ["T-2", "Line\nBreak", "\\N", "", "1990-05", "", "x@Example.ORG", 'say "hi"', ""],
    [
        "T-3",
        "राजेश कुमार",
        "Cafe\u0301",
        "(0) 98100-00013",
        "",
        "in;us",
        "",
        "back\\slash\r\nend",
        "",
    ],
    ["T-4", "  Padded  ", "", "", "", "", "", "", "amber+strict"],
]


def person(i: int) -> list[str]:
    first = ["Ravi", "Priya", "Amit", "Neha", "John", "Mary"][i % 6]
    last = ["Kumar", "Sharma", "Singh", "Smith", "Garcia"][i % 5]
    return [
        f"P{i:06d}",
        f"{first} {last}",
        f"{first[0]}. {last}" if i % 7 == 0 else "",
        f"+91 9{i:09d}" if i % 2 else f"0{8 + i % 2}{i:09d}",
        f"{1950 + i % 50}-{1 + i % 12:02d}-{1 + i % 28:02d}",
        "in" if i % 3 else "us",
        f"{first.lower()}{i}@example.org",
        "",
        "",
    ]


def values_in(row: list[str]) -> int:
    """How many property values a row holds (its statements): list-typed cells split on
    ';', blank cells and the id and marking columns hold none."""
    count = 0
    for name, cell in zip(HEADER, row, strict=True):
        if name in ("id", "tlp"):
            continue
        parts = cell.split(";") if name in ("phone", "nationality", "email") else [cell]
        count += sum(1 for part in parts if part.strip())
    return count


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


def counts(node: Node) -> dict[str, int]:
    with node.store.engine.connect() as conn:
        return {
            table.name: conn.execute(select(func.count()).select_from(table)).scalar_one()
            for table in (t.entities, t.statements, t.search_keys, t.batches)
        }


def stored(node: Node, agency: str) -> dict[str, Any]:
    """An agency's rows, keyed by source record, with what differs between agencies (ids,
    batch, times) left out."""
    with node.store.engine.connect() as conn:
        entities = {
            r["id"]: r
            for r in conn.execute(select(t.entities).where(t.entities.c.agency == agency))
            .mappings()
            .all()
        }
        out: dict[str, Any] = {}
        for eid, row in entities.items():
            out[row["source_record"]] = {
                "entity": {
                    k: v
                    for k, v in row.items()
                    if k not in ("seq", "id", "agency", "batch_id", "first_seen", "last_seen")
                },
                "statements": sorted(
                    (s["prop"], s["prop_type"], s["value"], s["original"])
                    for s in conn.execute(
                        select(t.statements).where(t.statements.c.entity_seq == row["seq"])
                    ).mappings()
                ),
                "keys": sorted(
                    conn.execute(
                        select(t.search_keys.c.key).where(t.search_keys.c.entity_seq == row["seq"])
                    ).scalars()
                ),
            }
        return out


@pytest.fixture
def nia(node: Node) -> Node:
    with node.transaction() as conn:
        node.store.add_agency(conn, "nia", "National Investigation Agency", "in")
    return node


def test_both_ways_write_the_same_rows(nia: Node, tmp_path: Path) -> None:
    rows = TRICKY + [person(i) for i in range(1200)]
    path = write_csv(tmp_path / "persons.csv", rows)
    one = import_file(nia, NCB, path, source="register", parallel=False)
    many = import_file(nia, NIA, path, source="register", parallel=True)
    values = sum(values_in(row) for row in rows)
    assert (one.records, one.statements) == (many.records, many.statements) == (1204, values)
    ours, theirs = stored(nia, "ncb"), stored(nia, "nia")
    assert ours == theirs
    assert ours["T-1"]["entity"]["caption"] == "Tab\tIn Name"
    assert ("alias", "name", "\\N", None) in ours["T-2"]["statements"]
    assert ("notes", "text", "back\\slash\r\nend", None) in ours["T-3"]["statements"]
    assert ("alias", "name", "Caf\u00e9", "Cafe\u0301") in ours["T-3"]["statements"]
    assert ours["T-4"]["entity"]["tlp"] == "AMBER+STRICT"


def bad_file(tmp_path: Path, rows: int) -> tuple[Path, list[tuple[int, str | None]]]:
    """A large file with a few bad rows far into it, and where each problem is."""
    people = [person(i) for i in range(rows)]
    people[rows - 9_000][3] = "12"  # a phone number too short to be one
    people[rows - 5_000][0] = people[2][0]  # the id of an early row again
    people[rows - 2] = people[rows - 2][:4]  # too few cells
    path = write_csv(tmp_path / "persons.csv", people)
    # Data rows count from 1 (the header is row 0).
    return path, [(rows - 8_999, "phone"), (rows - 4_999, "id"), (rows - 1, None)]


def test_a_bad_row_late_in_a_large_file_writes_nothing(node: Node, tmp_path: Path) -> None:
    path, where = bad_file(tmp_path, 30_000)
    before = counts(node)
    with pytest.raises(exc.InvalidInput) as caught:
        import_file(node, NCB, path, source="register", parallel=True)
    report = caught.value.report
    assert [(i.row, i.field) for i in report.issues] == where
    assert report.rows_read == 30_000
    assert counts(node) == before
    with node.store.engine.connect() as conn:
        last = conn.execute(select(t.audit_log).order_by(t.audit_log.c.seq.desc())).first()
    assert last is not None and last.action == "import"
    assert json.loads(last.detail)["ok"] is False
    # One process reading the same file reports the same, word for word.
    alone = validate_file(node, NCB, path, source="register", parallel=False)
    assert (alone.issues, alone.rows_read) == (report.issues, report.rows_read)


def test_a_large_clean_file_is_written_whole(node: Node, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "persons.csv", [person(i) for i in range(30_000)])
    result = import_file(node, NCB, path, source="register", parallel=True)
    assert (result.records, result.unchanged) == (30_000, False)
    after = counts(node)
    assert after["entities"] == 30_000 and after["statements"] == result.statements
    last = entity_id("ncb", "register", "P029999")
    email = person(29_999)[6]
    assert [h.id for h in records.search(node, NCB, email)] == [last]
    with node.view(NCB) as view:
        assert view.get(last).properties["email"] == [email]
    again = import_file(node, NCB, path, source="register", parallel=True)
    assert again.unchanged and counts(node) == after


def test_over_the_issue_limit_both_ways_stop_at_the_same_row(node: Node, tmp_path: Path) -> None:
    people = [person(i) for i in range(24_000)]
    for i in range(0, 24_000, 20):
        people[i][4] = "1990-02-30"  # 1,200 rows with a date that does not exist
    path = write_csv(tmp_path / "persons.csv", people)
    many = validate_file(node, NCB, path, source="register", parallel=True)
    one = validate_file(node, NCB, path, source="register", parallel=False)
    assert len(many.issues) == 1000
    assert (many.issues, many.rows_read) == (one.issues, one.rows_read)
    assert many.rows_read == 19_981  # where the thousandth problem is


def test_references_shaped_like_entity_ids_resolve_once_the_file_is_read(
    nia: Node, tmp_path: Path
) -> None:
    """A reference shaped like an entity id names a record of the file with that source
    id if there is one (an exported file imported again), else that entity: the record
    waits for the whole file, in either way of reading."""
    shaped = "ncb-" + "a" * 24  # a source id that looks like an entity id
    for actor, parallel in ((NCB, False), (NIA, True)):
        old = write_rows(tmp_path / f"old-{actor.agency}.csv", [["P-OLD", "Person", "Old", ""]])
        import_file(nia, actor, old, source="old")
        stored_id = entity_id(actor.agency, "old", "P-OLD")
        rows = [["S-1", "Seizure", "Seizure", f"{shaped};{stored_id};P-2"]]
        rows += [[f"F-{i}", "Person", f"Filler {i}", ""] for i in range(6_000)]
        rows += [[shaped, "Person", "Shaped", ""], ["P-2", "Person", "Two", ""]]
        path = write_rows(tmp_path / f"mixed-{actor.agency}.csv", rows)
        import_file(nia, actor, path, source="case", parallel=parallel)
        with nia.view(actor) as view:
            seizure = view.get(entity_id(actor.agency, "case", "S-1")).properties
        assert sorted(seizure["personsInvolved"]) == sorted(
            [
                entity_id(actor.agency, "case", shaped),
                stored_id,
                entity_id(actor.agency, "case", "P-2"),
            ]
        )


def write_rows(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["id", "schema", "name", "personsInvolved"])
        writer.writerows(rows)
    return path


@pytest.mark.parametrize("parallel", [False, True])
def test_a_row_already_in_a_fresh_source_is_a_conflict(
    node: Node, tmp_path: Path, parallel: bool
) -> None:
    """A source never imported is written without conflict checks; should a row of it
    exist all the same (written at the same time by another import), the database's
    refusal is reported as a conflict and nothing of the file is written."""
    path = write_csv(tmp_path / "persons.csv", [person(i) for i in range(50)])
    taken = entity_id("ncb", "register", person(7)[0])
    with node.transaction() as conn:
        conn.execute(
            t.entities.insert().values(
                seq=10**9,
                id=taken,
                agency="ncb",
                schema="Person",
                caption="Elsewhere",
                source="register",
                source_record=person(7)[0],
                batch_id="0" * 32,
                tlp="AMBER",
                pap="AMBER",
                handling="H1",
                first_seen=datetime.now(UTC),
                last_seen=datetime.now(UTC),
            )
        )
    before = counts(node)
    with pytest.raises(exc.Conflict, match="at the same time"):
        import_file(node, NCB, path, source="register", parallel=parallel)
    assert counts(node) == before
