"""Row making outside the Writer (as import workers do): the tables' column order, search
keys equal to ``record_keys``, COPY text that PostgreSQL reads back intact, and a unique
writer taking prepared rows and COPY text."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from narcolink.model.keys import record_keys
from narcolink.model.markings import TLP, Markings
from narcolink.model.records import Batch
from narcolink.services.node import Node
from narcolink.store import tables as t
from narcolink.store.rows import (
    ENTITY_ORDER,
    KEY_ORDER,
    STATEMENT_ORDER,
    RowMaker,
    copy_text,
    sort_keys,
)
from narcolink.store.writer import Writer

from .conftest import Rec, make_record

T0 = datetime(2025, 5, 18, 9, 0, tzinfo=UTC)

PEOPLE = [
    Rec("Person", "p1", {"name": "Rajesh Kumar", "phone": "98123 45678", "alias": "R. Kumar"}),
    Rec("Person", "p2", {"name": ["राजेश कुमार", "Rajesh Kumar"], "email": "r@example.org"}),
    Rec("Person", "p3", {"name": "Tab\there", "notes": "back\\slash\nand \\N", "idNumber": "A 1"}),
    Rec("Company", "c1", {"name": "D'Souza Traders", "country": "in"}, Markings(tlp=TLP.RED)),
]


def batch(agency: str = "ncb") -> Batch:
    return Batch(
        id=uuid.uuid4().hex,
        agency=agency,
        source="rows",
        filename="rows.csv",
        sha256=uuid.uuid4().hex * 2,
        markings=Markings(),
        created_by="test",
        created_at=T0,
    )


def test_rows_follow_the_tables_column_order() -> None:
    assert list(ENTITY_ORDER) == [c.name for c in t.entities.columns]
    assert list(STATEMENT_ORDER) == [c.name for c in t.statements.columns]
    assert list(KEY_ORDER) == [c.name for c in t.search_keys.columns]


def test_search_keys_are_record_keys_with_names_remembered() -> None:
    maker = RowMaker(batch(), "sqlite")
    for _ in range(2):  # the second time, every name's keys come from memory
        for rec in PEOPLE:
            record = make_record("ncb", "rows", rec)
            types = {p: record.schema.properties[p].type.name for p in record.properties}
            _, _, keys = maker.make(record, 7)
            assert {seq for _, seq in keys} <= {7}
            assert sorted(k for k, _ in keys) == sorted(record_keys(record.properties, types))


def test_copy_text_escapes_what_copy_would_read_as_structure() -> None:
    maker = RowMaker(batch(), "postgresql")
    record = make_record("ncb", "rows", PEOPLE[2])
    entity, stated, keyed = maker.make(record, 1)
    entities, statements, keys = copy_text([entity], stated, keyed)
    assert entities.count("\n") == 1 and entities.count("\t") == len(ENTITY_ORDER) - 1
    assert "Tab\\there" in entities and "\\N" in entities  # caption escaped; NULL gradings
    lines = statements.splitlines()
    assert all(line.count("\t") == len(STATEMENT_ORDER) - 1 for line in lines)
    assert any("\tback\\\\slash\\nand \\\\N\t\\N\t" in line for line in lines)
    assert keys.count("\n") == len(set(keys.splitlines()))


def test_copy_text_lines_made_directly_are_those_of_the_rows() -> None:
    maker = RowMaker(batch(), "postgresql")
    for seq, rec in enumerate(PEOPLE, 1_000_000):
        record = make_record("ncb", "rows", rec)
        entity, stated, keyed = maker.make(record, seq)
        line, lines, key_lines = maker.make_text(record, seq)
        assert (line, sorted(lines), sorted(key_lines)) == (
            copy_text([entity], [], [])[0],
            sorted(copy_text([], stated, [])[1].splitlines(keepends=True)),
            sorted(copy_text([], [], keyed)[2].splitlines(keepends=True)),
        )


def test_a_unique_writer_takes_prepared_rows_and_text(node: Node) -> None:
    """Rows made apart, sorted, handed over as tuples (any store) or COPY text
    (PostgreSQL), land as ``write`` would put them."""
    records = [make_record("ncb", "rows", rec) for rec in PEOPLE]
    expected = batch()
    with node.transaction() as conn, Writer(conn, expected) as writer:
        for record in records:
            writer.write(record)
    want = snapshot(node, expected.id)

    prepared = batch("dea")
    prepared = Batch(**{**prepared.__dict__, "agency": "ncb", "source": "rows-2"})
    records = [make_record("ncb", "rows-2", rec) for rec in PEOPLE]
    with node.transaction() as conn, Writer(conn, prepared, unique=True) as writer:
        maker = RowMaker(prepared, writer.dialect)
        entities, statements, keys = [], [], []
        first = writer.reserve(len(records))
        for seq, record in enumerate(records, first):
            e, s, k = maker.make(record, seq)
            entities.append(e)
            statements.extend(s)
            keys.extend(k)
        sort_keys(keys)
        if writer.dialect == "postgresql":
            writer.write_text(copy_text(entities, statements, keys), len(entities), len(statements))
        else:
            with pytest.raises(ValueError, match="PostgreSQL"):
                writer.write_text(("", "", ""), 0, 0)
            writer.write_rows(entities, statements, keys)
    assert (writer.records, writer.statements) == (len(want["entities"]), len(want["statements"]))
    assert snapshot(node, prepared.id) == want


def snapshot(node: Node, batch_id: str) -> dict[str, list[tuple]]:
    """A batch's rows by source record, without what differs between batches."""
    with node.store.engine.connect() as conn:
        entities = conn.execute(select(t.entities).where(t.entities.c.batch_id == batch_id))
        by_seq = {e.seq: e.source_record for e in entities}
        ents = conn.execute(select(t.entities).where(t.entities.c.batch_id == batch_id))
        stmts = conn.execute(select(t.statements).where(t.statements.c.batch_id == batch_id))
        keys = conn.execute(select(t.search_keys).where(t.search_keys.c.entity_seq.in_(by_seq)))
        return {
            "entities": sorted(
                (e.source_record, e.schema, e.caption, e.tlp, e.pap, e.source_grading) for e in ents
            ),
            "statements": sorted(
                (by_seq[s.entity_seq], s.prop, s.prop_type, s.value, s.original) for s in stmts
            ),
            "keys": sorted((k.key, by_seq[k.entity_seq]) for k in keys),
        }
