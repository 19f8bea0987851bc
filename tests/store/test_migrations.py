"""Alembic migrations on every backend: from empty to head, equal to the table metadata."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, create_engine, inspect

from narcolink.settings import Settings
from narcolink.store import tables
from narcolink.store.migrate import downgrade, upgrade

ALL_TABLES = set(tables.metadata.tables)


@pytest.fixture(
    params=["sqlite", "postgres"] if os.environ.get("NARCOLINK_TEST_DATABASE_URL") else ["sqlite"]
)
def settings(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Settings]:
    """A whole empty database (not a schema): migrations run as they do in a deployment."""
    if request.param == "sqlite":
        yield Settings(data_dir=tmp_path / "node")
        return
    from conftest import drop_pg_database, make_pg_database

    admin_url = request.getfixturevalue("pg_admin_url")
    url = make_pg_database(admin_url)
    yield Settings(data_dir=tmp_path / "node", database_url=url)
    drop_pg_database(admin_url, url)


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
