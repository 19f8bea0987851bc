"""Writer contract: bulk upserts that are idempotent, keep provenance and index search keys."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from narcolink.model.grading import Grading
from narcolink.model.markings import PAP, TLP, Handling, Markings
from narcolink.services.node import Node
from narcolink.store import tables as t
from narcolink.store import writer as writer_module

from .conftest import Rec, write

T0 = datetime(2025, 5, 18, 9, 0, tzinfo=UTC)

PEOPLE = [
    Rec("Person", "p1", {"name": "Rajesh Kumar", "phone": "98123 45678", "nationality": "in"}),
    Rec("Person", "p2", {"name": ["राजेश कुमार", "Raju"], "birthDate": "1990-05-01"}),
    Rec("Company", "c1", {"name": "Udupi Call Services", "country": "in"}),
]


def rows(node: Node, table: Any) -> list[dict[str, Any]]:
    with node.transaction() as conn:
        return [dict(r) for r in conn.execute(select(table)).mappings()]


def snapshot(node: Node) -> dict[str, list[dict[str, Any]]]:
    """Table contents without the last_seen columns, ordered for comparison."""
    out = {}
    for table in (t.entities, t.statements, t.search_keys):
        out[table.name] = sorted(
            ({k: v for k, v in r.items() if k != "last_seen"} for r in rows(node, table)),
            key=repr,
        )
    return out


def as_utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def test_write_stores_entities_statements_and_keys(node: Node) -> None:
    batch, ids = write(node, "ncb", PEOPLE, at=T0)
    entities = {r["id"]: r for r in rows(node, t.entities)}
    assert set(entities) == set(ids)
    p1 = entities[ids[0]]
    assert p1["agency"] == "ncb" and p1["schema"] == "Person"
    assert p1["caption"] == "Rajesh Kumar"
    assert p1["batch_id"] == batch.id and p1["source_record"] == "p1"
    assert as_utc(p1["first_seen"]) == T0
    ids_by_seq = {r["seq"]: r["id"] for r in entities.values()}
    statements = [s for s in rows(node, t.statements) if ids_by_seq[s["entity_seq"]] == ids[0]]
    by_prop = {s["prop"]: s for s in statements}
    assert by_prop["phone"]["value"] == "+919812345678"
    assert by_prop["phone"]["original"] == "98123 45678"
    assert by_prop["phone"]["prop_type"] == "phone"
    assert by_prop["name"]["original"] is None  # unchanged by cleaning
    keys = {(k["key"], ids_by_seq[k["entity_seq"]]) for k in rows(node, t.search_keys)}
    assert ("rajesh", ids[0]) in keys
    assert ("9812345678", ids[0]) in keys
    assert ("राजेश", ids[1]) in keys
    with node.transaction() as conn:
        stored = conn.execute(select(t.batches).where(t.batches.c.id == batch.id)).mappings().one()
    assert stored["record_count"] == 3
    assert stored["statement_count"] == len(rows(node, t.statements))


def test_writing_the_same_records_again_changes_only_last_seen(node: Node) -> None:
    write(node, "ncb", PEOPLE, at=T0)
    before = snapshot(node)
    later = T0 + timedelta(days=3)
    write(node, "ncb", PEOPLE, at=later)
    assert snapshot(node) == before
    for table in (t.entities, t.statements):
        for row in rows(node, table):
            assert as_utc(row["first_seen"]) == T0
            assert as_utc(row["last_seen"]) == later


def test_a_changed_value_adds_a_statement_and_keeps_the_old_one(node: Node) -> None:
    write(node, "ncb", [Rec("Person", "p1", {"name": "Rajesh Kumar"})], at=T0)
    write(node, "ncb", [Rec("Person", "p1", {"name": "Rajesh K. Kumar"})], at=T0 + timedelta(1))
    names = sorted(s["value"] for s in rows(node, t.statements) if s["prop"] == "name")
    assert names == ["Rajesh K. Kumar", "Rajesh Kumar"]
    assert len(rows(node, t.entities)) == 1


def test_same_source_id_in_two_agencies_gives_two_records(node: Node) -> None:
    _, ncb_ids = write(node, "ncb", [Rec("Person", "p1", {"name": "A"})])
    _, dea_ids = write(node, "dea", [Rec("Person", "p1", {"name": "A"})])
    assert ncb_ids != dea_ids
    assert {r["agency"] for r in rows(node, t.entities)} == {"ncb", "dea"}


def test_record_markings_override_the_batch_markings(node: Node) -> None:
    batch_marks = Markings(tlp=TLP.GREEN, pap=PAP.GREEN, handling=Handling.H0)
    red = Markings(
        tlp=TLP.RED,
        pap=PAP.RED,
        handling=Handling.H2,
        source_grading=Grading("admiralty", "source", "B"),
        info_grading=Grading("admiralty", "info", "2"),
    )
    _, ids = write(
        node,
        "ncb",
        [Rec("Person", "p1", {"name": "A"}), Rec("Person", "p2", {"name": "B"}, markings=red)],
        markings=batch_marks,
    )
    entities = {r["id"]: r for r in rows(node, t.entities)}
    assert (entities[ids[0]]["tlp"], entities[ids[0]]["handling"]) == ("GREEN", "H0")
    assert entities[ids[0]]["source_grading"] is None
    assert (entities[ids[1]]["tlp"], entities[ids[1]]["pap"]) == ("RED", "RED")
    assert entities[ids[1]]["source_grading"] == "admiralty:B"
    assert entities[ids[1]]["info_grading"] == "admiralty:2"
    batches = rows(node, t.batches)
    assert Markings.parse(batches[0]["markings"]) == batch_marks


def test_small_chunks_write_the_same_as_one_chunk(node: Node) -> None:
    many = [
        Rec("Person", f"p{i}", {"name": f"Person {i}", "idNumber": f"ID-{i}"}) for i in range(50)
    ]
    write(node, "ncb", many, chunk_size=7)
    assert len(rows(node, t.entities)) == 50
    assert len(rows(node, t.statements)) == 100


def test_flushes_of_many_rows_store_every_row_once_and_again_only_move_last_seen(
    node: Node,
) -> None:
    """SQLite inserts several rows per statement: whole groups and the rest, appended to
    a new source and upserted on a known one."""
    count = 3 * writer_module.ROWS_PER_INSERT + 5
    many = [
        Rec("Person", f"p{i}", {"name": f"Person {i}", "idNumber": f"ID-{i}"}) for i in range(count)
    ]
    write(node, "ncb", many, at=T0)
    before = snapshot(node)
    assert (len(before["entities"]), len(before["statements"])) == (count, 2 * count)
    assert len({r["seq"] for r in before["entities"]}) == count
    write(node, "ncb", many, at=T0 + timedelta(days=1))
    assert snapshot(node) == before


def test_a_record_repeated_within_one_batch_is_stored_once(node: Node) -> None:
    twice = [Rec("Person", "p1", {"name": "A"}), Rec("Person", "p1", {"name": "A"})]
    write(node, "ncb", twice)
    assert len(rows(node, t.entities)) == 1
    assert len(rows(node, t.statements)) == 1


def test_a_failed_write_leaves_nothing(node: Node) -> None:
    class Boom(Exception):
        pass

    with pytest.raises(Boom):
        from narcolink.store.writer import Writer

        from .conftest import make_record

        batch, _ = write(node, "ncb", [])  # a valid earlier batch stays
        with node.transaction() as conn, Writer(conn, _copy(batch)) as writer:
            writer.write(make_record("ncb", "s", Rec("Person", "p9", {"name": "X"})))
            writer.flush()
            raise Boom
    with node.transaction() as conn:
        assert conn.execute(select(func.count()).select_from(t.entities)).scalar_one() == 0
        assert conn.execute(select(func.count()).select_from(t.batches)).scalar_one() == 1


def _copy(batch: Any) -> Any:
    from dataclasses import replace

    return replace(batch, id=batch.id[::-1], sha256=batch.sha256[::-1])


def test_a_large_write_refreshes_planner_statistics(
    node: Node, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Above ANALYZE_AFTER statements PostgreSQL's planner statistics are refreshed in
    the same transaction; SQLite's are left alone (an ANALYZE there reads the whole file)."""

    def analysed() -> set[str]:
        with node.store.engine.connect() as conn:
            if node.store.dialect == "sqlite":
                stat = conn.exec_driver_sql(
                    "SELECT name FROM sqlite_master WHERE name = 'sqlite_stat1'"
                ).first()
                if stat is None:
                    return set()
                return set(conn.exec_driver_sql("SELECT tbl FROM sqlite_stat1").scalars())
            found = conn.exec_driver_sql(
                "SELECT c.relname FROM pg_class c JOIN pg_statistic s ON s.starelid = c.oid "
                "WHERE c.relnamespace = to_regnamespace(current_schema())::oid"
            ).scalars()
            return set(found)

    tables = {"entities", "statements", "search_keys"}
    write(node, "ncb", PEOPLE[:1])
    assert not analysed() & tables
    monkeypatch.setattr(writer_module, "ANALYZE_AFTER", 3)
    write(node, "ncb", PEOPLE[1:])
    if node.store.dialect == "postgresql":
        assert tables <= analysed()
    else:
        assert not analysed() & tables


def test_writers_never_hand_out_the_same_entity_number(node: Node) -> None:
    """PostgreSQL: two imports at once each take their own block of numbers. SQLite: one
    writer at a time (the write lock), each counting on from the highest stored."""
    import hashlib
    import uuid

    from narcolink.model.records import Batch
    from narcolink.store.writer import Writer

    from .conftest import make_record

    def batch(source: str) -> Batch:
        return Batch(
            id=uuid.uuid4().hex,
            agency="ncb",
            source=source,
            filename="t.csv",
            sha256=hashlib.sha256(uuid.uuid4().bytes).hexdigest(),
            markings=Markings(),
            created_by="t",
            created_at=T0,
        )

    def write_two(writer: Writer, source: str) -> tuple[int, int]:
        first = writer.reserve(2)
        assert writer.reserve(1) == first + 2  # later calls give higher numbers
        writer.write(make_record("ncb", source, Rec("Person", "p1", {"name": source})))
        return first, first + 4  # the record took the next number

    engine = node.store.engine
    if engine.dialect.name == "postgresql":
        with (  # both open at the same time
            engine.begin() as one,
            engine.begin() as two,
            Writer(one, batch("a")) as a,
            Writer(two, batch("b")) as b,
        ):
            ranges = [write_two(a, "a"), write_two(b, "b")]
    else:
        ranges = []
        for source in ("a", "b"):
            with engine.begin() as conn, Writer(conn, batch(source)) as writer:
                ranges.append(write_two(writer, source))
    (a_low, a_high), (b_low, b_high) = ranges
    assert a_high <= b_low or b_high <= a_low
    numbers = [r["seq"] for r in rows(node, t.entities)]
    assert len(numbers) == 2 and len(set(numbers)) == 2
    for (low, high), seq in zip(sorted(ranges), sorted(numbers), strict=True):
        assert low <= seq < high
