"""Bulk writer: records and their statements into the store inside the caller's transaction.

Upserts keep the store idempotent: writing the same record again only moves its
``last_seen``. Nothing is ever deleted here; corrections are new statements.

Rows go to the database through the DBAPI cursor (``executemany`` on SQLite, ``COPY``
into a staging table on PostgreSQL): SQLAlchemy's per-row parameter processing would
otherwise cost more than the database itself on million-row imports.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection

from narcolink.model.keys import record_keys
from narcolink.model.markings import Markings
from narcolink.model.records import Batch, Record, statement_id
from narcolink.store import tables as t

ENTITY_COLUMNS = [c.name for c in t.entities.columns]
STATEMENT_COLUMNS = [c.name for c in t.statements.columns]
KEY_COLUMNS = ["key", "entity_id"]

# On conflict: a known record or statement was seen again; only last_seen moves.
_UPSERT = {
    "entities": "ON CONFLICT (id) DO UPDATE SET last_seen = excluded.last_seen",
    "statements": "ON CONFLICT (entity_id, id) DO UPDATE SET last_seen = excluded.last_seen",
    "search_keys": "ON CONFLICT (key, entity_id) DO NOTHING",
}


def _sqlite_time(value: datetime) -> str:
    # The storage format SQLAlchemy's SQLite DateTime uses, so reads parse it back.
    return value.replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")


class Writer:
    """Buffers rows and flushes them in chunks; use as a context manager."""

    def __init__(self, conn: Connection, batch: Batch, chunk_size: int = 200_000) -> None:
        self.conn = conn
        self.batch = batch
        self.chunk_size = chunk_size
        self.dialect = conn.dialect.name
        self.entity_rows: list[tuple[Any, ...]] = []
        self.statement_rows: list[tuple[Any, ...]] = []
        self.key_rows: list[tuple[str, str]] = []
        self.records = 0
        self.statements = 0
        stamp = batch.created_at
        self._stamp: Any = _sqlite_time(stamp) if self.dialect == "sqlite" else stamp
        self._prop_types: dict[tuple[str, str], str] = {}

    def __enter__(self) -> Writer:
        self._write_batch()
        return self

    def __exit__(self, exc_type: object, *_: object) -> None:
        if exc_type is None:
            self.flush()
            self.conn.execute(
                t.batches.update()
                .where(t.batches.c.id == self.batch.id)
                .values(record_count=self.records, statement_count=self.statements)
            )

    def _write_batch(self) -> None:
        b = self.batch
        self.conn.execute(
            t.batches.insert().values(
                id=b.id,
                agency=b.agency,
                source=b.source,
                filename=b.filename,
                sha256=b.sha256,
                format=b.filename.rsplit(".", 1)[-1][:16] if "." in b.filename else "",
                markings=b.markings.to_dict(),
                created_by=b.created_by,
                created_at=b.created_at,
            )
        )

    def _prop_type(self, schema: Any, prop: str) -> str:
        key = (schema.name, prop)
        kind = self._prop_types.get(key)
        if kind is None:
            kind = self._prop_types[key] = schema.properties[prop].type.name
        return kind

    def write(self, record: Record) -> None:
        b = self.batch
        stamp = self._stamp
        marks: Markings = record.markings or b.markings
        schema = record.schema
        self.entity_rows.append(
            (
                record.id,
                b.agency,
                schema.name,
                record.caption,
                b.source,
                record.source_record,
                b.id,
                marks.tlp.value,
                marks.pap.value,
                marks.handling.value,
                str(marks.source_grading) if marks.source_grading else None,
                str(marks.info_grading) if marks.info_grading else None,
                stamp,
                stamp,
            )
        )
        prop_types: dict[str, str] = {}
        originals = record.originals
        for prop, values in record.properties.items():
            prop_type = prop_types[prop] = self._prop_type(schema, prop)
            for value in values:
                self.statement_rows.append(
                    (
                        record.id,
                        statement_id(record.id, prop, value),
                        prop,
                        prop_type,
                        value,
                        originals.get((prop, value)) if originals else None,
                        b.id,
                        stamp,
                        stamp,
                    )
                )
        for key in record_keys(record.properties, prop_types):
            self.key_rows.append((key, record.id))
        self.records += 1
        if len(self.statement_rows) >= self.chunk_size:
            self.flush()

    def write_rows(
        self,
        entity_rows: list[tuple[Any, ...]],
        statement_rows: list[tuple[Any, ...]],
        key_rows: list[tuple[str, str]],
    ) -> None:
        """Take rows prepared elsewhere (e.g. by worker processes, see ``row_tuples``)."""
        self.entity_rows.extend(entity_rows)
        self.statement_rows.extend(statement_rows)
        self.key_rows.extend(key_rows)
        self.records += len(entity_rows)
        if len(self.statement_rows) >= self.chunk_size:
            self.flush()

    def flush(self) -> None:
        self.statements += len(self.statement_rows)
        for table, columns, rows in (
            ("entities", ENTITY_COLUMNS, self.entity_rows),
            ("statements", STATEMENT_COLUMNS, self.statement_rows),
            ("search_keys", KEY_COLUMNS, self.key_rows),
        ):
            if rows:
                rows.sort()  # key order: neighbouring inserts touch neighbouring pages
                self._bulk(table, columns, rows)
        self.entity_rows, self.statement_rows, self.key_rows = [], [], []

    def _bulk(self, table: str, columns: list[str], rows: list[tuple[Any, ...]]) -> None:
        raw = self.conn.connection.dbapi_connection
        assert raw is not None
        cols = ", ".join(f'"{c}"' for c in columns)
        cursor = raw.cursor()
        try:
            if self.dialect == "postgresql":
                stage = f"_stage_{table}"
                cursor.execute(
                    f"CREATE TEMP TABLE IF NOT EXISTS {stage} "
                    f"(LIKE {table} INCLUDING DEFAULTS) ON COMMIT DROP"
                )
                cursor.execute(f"TRUNCATE {stage}")
                with cursor.copy(f"COPY {stage} ({cols}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
                cursor.execute(
                    f"INSERT INTO {table} ({cols}) SELECT {cols} FROM {stage} "
                    f"{_UPSERT[table]}"
                )
            else:
                marks = ", ".join("?" for _ in columns)
                cursor.executemany(
                    f"INSERT INTO {table} ({cols}) VALUES ({marks}) {_UPSERT[table]}", rows
                )
        finally:
            cursor.close()
