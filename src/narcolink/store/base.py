"""The Store: one SQLAlchemy engine, its migrations, and factories for writers and views."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, select

from narcolink.exc import Conflict, NotFound
from narcolink.store import tables as t


def utcnow() -> datetime:
    return datetime.now(UTC)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # pysqlite would open a transaction lazily, before the first write; _sqlite_begin opens
    # it instead, explicitly, when SQLAlchemy begins one.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    # Pages of 16 KiB for a new store (an existing one keeps its own): a bulk import then
    # writes a quarter of the pages, WAL frames and checkpoint copies (12% less CPU for
    # a million records, benchmarks/sqlite_write_floor.py). Only takes effect before WAL.
    cursor.execute("PRAGMA page_size=16384")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA cache_size=-2000000")
    cursor.close()


def _sqlite_begin(conn: Connection) -> None:
    """Take SQLite's write lock when a transaction starts, not at its first write.

    Nearly every unit of work appends to the audit chain: a deferred transaction would read
    the chain's head, then find another writer got there first (a duplicate sequence
    number, or SQLITE_BUSY that no busy timeout retries). Writers queue here instead.
    """
    conn.exec_driver_sql("BEGIN IMMEDIATE")


class Store:
    """Holds the engine; everything else is a Writer, a View or an audit call on it."""

    def __init__(self, url: str, audit_key: bytes) -> None:
        self.url = url
        self.audit_key = audit_key
        if url.startswith("sqlite:///"):
            Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        connect_args: dict[str, Any] = {}
        if url.startswith("sqlite"):
            # Uvicorn may run a request's sync work on another thread than the one that
            # opened the pooled connection; a connection is still used by one thread at a time.
            connect_args["check_same_thread"] = False
        self.engine: Engine = create_engine(
            url, future=True, pool_pre_ping=True, connect_args=connect_args
        )
        if self.dialect == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
            event.listen(self.engine, "begin", _sqlite_begin)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def migrate(self) -> None:
        """Bring the schema to the newest Alembic revision (idempotent)."""
        from narcolink.store.migrate import upgrade

        upgrade(self.engine)

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """One unit of work: committed on success, rolled back on any error."""
        with self.engine.begin() as conn:
            yield conn

    # --- agencies -------------------------------------------------------------------------

    def add_agency(self, conn: Connection, code: str, name: str, country: str) -> None:
        code = code.strip().lower()
        if not code.isalnum() or not 2 <= len(code) <= 16:
            raise Conflict(f"agency code {code!r} must be 2-16 letters or digits")
        exists = conn.execute(select(t.agencies.c.code).where(t.agencies.c.code == code)).first()
        if exists:
            raise Conflict(f"agency {code!r} already exists")
        conn.execute(
            t.agencies.insert().values(
                code=code, name=name, country=country.lower(), created_at=utcnow()
            )
        )

    def agencies(self, conn: Connection) -> list[dict[str, Any]]:
        rows = conn.execute(select(t.agencies).order_by(t.agencies.c.code)).mappings()
        return [dict(r) for r in rows]

    def agency(self, conn: Connection, code: str) -> dict[str, Any]:
        row = conn.execute(select(t.agencies).where(t.agencies.c.code == code)).mappings().first()
        if row is None:
            raise NotFound(f"no agency {code!r}")
        return dict(row)
