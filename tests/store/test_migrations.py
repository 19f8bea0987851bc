"""Alembic migrations on every backend: from empty to head, equal to the table metadata.

On PostgreSQL the ``settings`` fixture gives each test an empty schema of its own; one
test also migrates a whole new database, as a deployment does."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, create_engine, inspect, text

from narcolink.settings import Settings
from narcolink.store import tables
from narcolink.store.migrate import downgrade, upgrade

ALL_TABLES = set(tables.metadata.tables)


def fresh_engine(settings: Settings) -> Engine:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return create_engine(settings.store_url)


def differences(engine: Engine) -> list[object]:
    with engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "compare_server_default": True}
        )
        return list(compare_metadata(context, tables.metadata))


def table_names(engine: Engine) -> set[str]:
    return set(inspect(engine).get_table_names()) - {"alembic_version"}


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def test_database_starts_empty(settings: Settings) -> None:
    engine = fresh_engine(settings)
    try:
        assert table_names(engine) == set()
        # Sanity check of the comparison itself: an empty database differs from the metadata.
        assert differences(engine)
    finally:
        engine.dispose()


def test_upgrade_from_empty_matches_the_metadata(settings: Settings) -> None:
    engine = fresh_engine(settings)
    try:
        upgrade(engine)
        assert table_names(engine) == ALL_TABLES
        assert differences(engine) == []
        assert current_revision(engine) is not None
    finally:
        engine.dispose()


def test_upgrade_is_idempotent(settings: Settings) -> None:
    engine = fresh_engine(settings)
    try:
        upgrade(engine)
        head = current_revision(engine)
        upgrade(engine)
        upgrade(engine)
        assert current_revision(engine) == head
        assert differences(engine) == []
    finally:
        engine.dispose()


def test_downgrade_to_base_and_back(settings: Settings) -> None:
    engine = fresh_engine(settings)
    try:
        upgrade(engine)
        downgrade(engine, "base")
        assert table_names(engine) == set()
        assert current_revision(engine) is None
        upgrade(engine)
        assert table_names(engine) == ALL_TABLES
        assert differences(engine) == []
    finally:
        engine.dispose()


def test_node_open_migrates_and_reopen_keeps_data(settings: Settings) -> None:
    from narcolink.services.node import Node

    node = Node.open(settings)
    with node.transaction() as conn:
        node.store.add_agency(conn, "ncb", "Narcotics Control Bureau", "in")
    node.close()
    again = Node.open(settings)
    try:
        with again.transaction() as conn:
            assert [a["code"] for a in again.store.agencies(conn)] == ["ncb"]
        engine = again.store.engine
        assert differences(engine) == []
    finally:
        again.close()


@pytest.mark.skipif(
    not os.environ.get("NARCOLINK_TEST_DATABASE_URL"),
    reason="PostgreSQL not configured (the CI's PostgreSQL run covers it)",
)
def test_upgrade_in_a_whole_new_postgresql_database(tmp_path: Path) -> None:
    from conftest import drop_pg_database, make_pg_database

    pg_admin_url = os.environ["NARCOLINK_TEST_DATABASE_URL"]
    url = make_pg_database(pg_admin_url)
    try:
        engine = fresh_engine(Settings(data_dir=tmp_path / "node", database_url=url))
        try:
            upgrade(engine)
            assert inspect(engine).default_schema_name == "public"
            assert table_names(engine) == ALL_TABLES
            assert differences(engine) == []
        finally:
            engine.dispose()
    finally:
        drop_pg_database(pg_admin_url, url)


def test_search_keys_compare_in_code_point_order(settings: Settings) -> None:
    """Prefix search asks for keys in [token, token + U+10FFFF): true in code-point order.

    Under glibc's en_US.UTF-8 collation (the default of many PostgreSQL clusters) it is
    false: "raj" + U+10FFFF sorts before "rajesh", and typing "raj" would find nothing. The
    key column must therefore compare byte-wise whatever the database's collation.
    """
    engine = fresh_engine(settings)
    try:
        upgrade(engine)
        with engine.connect() as conn:
            raw = conn.exec_driver_sql
            if engine.dialect.name == "postgresql":
                collation = raw(
                    "SELECT collation_name FROM information_schema.columns "
                    "WHERE table_name = 'search_keys' AND column_name = 'key' "
                    "AND table_schema = current_schema()"
                ).scalar_one()
                assert collation == "C"
            raw("INSERT INTO search_keys (key, entity_seq) VALUES ('rajesh', 1), ('राजेश', 2)")
            for prefix, expected in (("raj", 1), ("रा", 2)):
                found = raw(
                    "SELECT entity_seq FROM search_keys WHERE key >= %s AND key < %s"
                    if engine.dialect.name == "postgresql"
                    else "SELECT entity_seq FROM search_keys WHERE key >= ? AND key < ?",
                    (prefix, prefix + "\U0010ffff"),
                ).scalars()
                assert list(found) == [expected]
    finally:
        engine.dispose()


def test_entity_numbers_carry_stored_rows_over_and_back(settings: Settings) -> None:
    """Migration 0004 numbers the entities of an existing store in the order they were
    first seen, moves their statements and search keys onto the numbers, and its
    downgrade restores the rows as they were."""
    engine = fresh_engine(settings)
    try:
        upgrade(engine, "0003")
        old = {
            "entities": [
                {"id": "ncb-bbb", "caption": "Later", "seen": "2026-02-01 00:00:00"},
                {"id": "ncb-aaa", "caption": "Earlier", "seen": "2026-01-01 00:00:00"},
            ],
            "statements": [
                ("ncb-bbb", "s1", "name", "Later"),
                ("ncb-aaa", "s2", "name", "Earlier"),
                ("ncb-aaa", "s3", "knows", "ncb-bbb"),
            ],
            "keys": [("later", "ncb-bbb"), ("earlier", "ncb-aaa")],
        }
        with engine.begin() as conn:
            conn.execute(
                text("INSERT INTO agencies VALUES ('ncb', 'NCB', 'in', '2026-01-01 00:00:00')")
            )
            for e in old["entities"]:
                conn.execute(
                    text(
                        "INSERT INTO entities VALUES (:id, 'ncb', 'Person', :caption, 'src', "
                        ":record, 'b1', 'AMBER', 'AMBER', 'H1', NULL, NULL, :seen, :last)"
                    ),
                    {**e, "record": e["id"], "last": e["seen"]},
                )
            for eid, sid, prop, value in old["statements"]:
                conn.execute(
                    text(
                        "INSERT INTO statements VALUES (:e, :s, :p, 'name', :v, NULL, 'b1', "
                        "'2026-01-01 00:00:00', '2026-01-01 00:00:00')"
                    ),
                    {"e": eid, "s": sid, "p": prop, "v": value},
                )
            for key, eid in old["keys"]:
                conn.execute(text("INSERT INTO search_keys VALUES (:k, :e)"), {"k": key, "e": eid})
        upgrade(engine)
        with engine.connect() as conn:
            numbers = dict(conn.execute(text("SELECT id, seq FROM entities")).all())
            assert numbers == {"ncb-aaa": 1, "ncb-bbb": 2}  # first seen, first numbered
            moved = set(conn.execute(text("SELECT entity_seq, id, value FROM statements")).all())
            assert moved == {(2, "s1", "Later"), (1, "s2", "Earlier"), (1, "s3", "ncb-bbb")}
            keys = set(conn.execute(text("SELECT key, entity_seq FROM search_keys")).all())
            assert keys == {("later", 2), ("earlier", 1)}
        assert differences(engine) == []
        downgrade(engine, "0003")
        with engine.connect() as conn:
            back = set(conn.execute(text("SELECT entity_id, id, prop, value FROM statements")))
            assert back == set(old["statements"])
            keys = set(conn.execute(text("SELECT key, entity_id FROM search_keys")).all())
            assert keys == set(old["keys"])
            assert conn.execute(text("SELECT count(*) FROM entities")).scalar_one() == 2
    finally:
        engine.dispose()


def test_a_new_sqlite_store_has_16k_pages_and_an_old_one_keeps_its_own(tmp_path: Path) -> None:
    import sqlite3

    from narcolink.store.base import Store

    old = tmp_path / "old.sqlite3"
    with sqlite3.connect(old) as raw:  # a store made before, with SQLite's default pages
        raw.execute("PRAGMA page_size=4096")
        raw.execute("PRAGMA journal_mode=WAL")
        raw.execute("CREATE TABLE kept (x)")
    for path, size in ((tmp_path / "new.sqlite3", 16384), (old, 4096)):
        store = Store(f"sqlite:///{path}", audit_key=b"k")
        try:
            store.migrate()
            with store.transaction() as conn:
                assert conn.exec_driver_sql("PRAGMA page_size").scalar_one() == size
                store.add_agency(conn, "ncb", "NCB", "in")
        finally:
            store.close()
