"""Shared fixtures: a fresh node per test on SQLite, and on PostgreSQL when configured.

Set NARCOLINK_TEST_DATABASE_URL (e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test) to
run every store-backed test on PostgreSQL as well. Under CI=true a missing PostgreSQL is a
failure, never a silent skip.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings
from sqlalchemy import create_engine, text

from narcolink.model.roles import Actor, Role
from narcolink.services.node import Node
from narcolink.settings import Settings
from needs import unavailable

# No wall-clock limits in unit tests: hypothesis' default 200 ms deadline fails on a busy
# 2-core machine without telling us anything about correctness.
hypothesis_settings.register_profile("narcolink", deadline=None)
hypothesis_settings.load_profile("narcolink")

PG_URL = os.environ.get("NARCOLINK_TEST_DATABASE_URL")


def _backends() -> list[str]:
    backends = ["sqlite"]
    if PG_URL:
        backends.append("postgres")
    return backends


@pytest.fixture(scope="session")
def pg_admin_url() -> str:
    if not PG_URL:
        unavailable("PostgreSQL not configured (set NARCOLINK_TEST_DATABASE_URL)")
    return PG_URL


def make_pg_database(admin_url: str) -> str:
    """Create a throw-away database next to the configured one; return its URL."""
    name = f"nl_test_{uuid.uuid4().hex[:12]}"
    engine = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    base, _, _ = admin_url.rpartition("/")
    return f"{base}/{name}"


def drop_pg_database(admin_url: str, url: str) -> None:
    name = url.rpartition("/")[2]
    engine = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()


def make_pg_schema(admin_url: str) -> str:
    """Create a throw-away schema in the configured database; return a URL that uses it.

    A schema costs milliseconds where CREATE DATABASE costs half a second, which adds up
    over hundreds of PostgreSQL tests. The URL sets search_path, so migrations, the store
    and its temporary tables all work inside the schema, and application_name, so that
    ``drop_pg_schema`` can end the sessions a test left open.
    """
    name = f"nl_test_{uuid.uuid4().hex[:12]}"
    engine = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{name}"'))
    engine.dispose()
    joiner = "&" if "?" in admin_url else "?"
    return f"{admin_url}{joiner}options=-csearch_path%3D{name}&application_name={name}"


def drop_pg_schema(admin_url: str, url: str) -> None:
    name = url.rpartition("application_name=")[2]
    engine = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE application_name = :name AND pid <> pg_backend_pid()"
            ),
            {"name": name},
        )
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{name}" CASCADE'))
    engine.dispose()


@pytest.fixture(params=_backends())
def settings(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Settings]:
    """Settings for a fresh, empty node (data dir under tmp_path; on PostgreSQL, a fresh
    schema of its own in the configured database)."""
    url = None
    if request.param == "postgres":
        assert PG_URL
        url = make_pg_schema(PG_URL)
    yield Settings(data_dir=tmp_path / "node", database_url=url, secret_key="test-secret-key")
    if url:
        assert PG_URL
        drop_pg_schema(PG_URL, url)


@pytest.fixture
def node(settings: Settings) -> Iterator[Node]:
    """An opened, migrated node with two agencies: ncb (India) and dea (US)."""
    node = Node.open(settings)
    with node.transaction() as conn:
        node.store.add_agency(conn, "ncb", "Narcotics Control Bureau", "in")
        node.store.add_agency(conn, "dea", "Drug Enforcement Administration", "us")
    yield node
    node.close()


def actor(agency: str, *roles: Role, username: str | None = None) -> Actor:
    return Actor(username or f"{agency}-{roles[0].value}", agency, frozenset(roles))


@pytest.fixture
def ncb_analyst() -> Actor:
    return actor("ncb", Role.ANALYST)


@pytest.fixture
def dea_analyst() -> Actor:
    return actor("dea", Role.ANALYST)
