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

from sqlalchemy import Connection, select

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


def _unique_in_key_order(rows: list[tuple[Any, ...]], width: int) -> list[tuple[Any, ...]]:
    """Rows sorted by their key (the first ``width`` columns), the first of each key kept.

    Key order makes neighbouring inserts touch neighbouring pages. A key seen twice in one
    chunk (the same record written twice) keeps its first row, as SQLite's row-by-row
    upsert would; PostgreSQL refuses an upsert that touches one row twice.
    """
    rows.sort(key=lambda row: row[:width])  # stable: equal keys keep their written order
    out = [rows[0]]
    for row in rows[1:]:
        if row[:width] != out[-1][:width]:
            out.append(row)
    return out


class RowMaker:
    """Turns records into row tuples for one batch. Picklable, so worker processes can
    prepare rows while the parent process writes them (see services.imports)."""

    def __init__(self, batch: Batch, dialect: str) -> None:
        self.batch = batch
        stamp = batch.created_at
        self.stamp: Any = _sqlite_time(stamp) if dialect == "sqlite" else stamp
        self._prop_types: dict[tuple[str, str], str] = {}

    def _prop_type(self, schema: Any, prop: str) -> str:
        key = (schema.name, prop)
        kind = self._prop_types.get(key)
        if kind is None:
            kind = self._prop_types[key] = schema.properties[prop].type.name
        return kind

    def make(
        self, record: Record
    ) -> tuple[tuple[Any, ...], list[tuple[Any, ...]], list[tuple[str, str]]]:
        """(entity row, statement rows, search-key rows) of one record."""
        b = self.batch
        stamp = self.stamp
        marks: Markings = record.markings or b.markings
        schema = record.schema
        entity_row = (
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
        statement_rows: list[tuple[Any, ...]] = []
        prop_types: dict[str, str] = {}
        originals = record.originals
        for prop, values in record.properties.items():
            prop_type = prop_types[prop] = self._prop_type(schema, prop)
            for value in values:
                statement_rows.append(
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
        key_rows = [(key, record.id) for key in record_keys(record.properties, prop_types)]
        return entity_row, statement_rows, key_rows


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
        self.fresh_source = False
        self.rows = RowMaker(batch, self.dialect)

    def __enter__(self) -> Writer:
        # A source never imported before cannot collide with stored ids (ids embed the
        # source), so its rows are appended without the upsert's conflict checks.
        earlier = self.conn.execute(
            select(t.batches.c.id)
            .where(t.batches.c.agency == self.batch.agency, t.batches.c.source == self.batch.source)
            .limit(1)
        ).first()
        self.fresh_source = earlier is None
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

    def write(self, record: Record) -> None:
        entity_row, statement_rows, key_rows = self.rows.make(record)
        self.entity_rows.append(entity_row)
        self.statement_rows.extend(statement_rows)
        self.key_rows.extend(key_rows)
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
        for table, columns, rows, width in (
            ("entities", ENTITY_COLUMNS, self.entity_rows, 1),
            ("statements", STATEMENT_COLUMNS, self.statement_rows, 2),
            ("search_keys", KEY_COLUMNS, self.key_rows, 2),
        ):
            if rows:
                rows = _unique_in_key_order(rows, width)
                if table == "statements":
                    self.statements += len(rows)
                self._bulk(table, columns, rows)
        self.entity_rows, self.statement_rows, self.key_rows = [], [], []

    def _bulk(self, table: str, columns: list[str], rows: list[tuple[Any, ...]]) -> None:
        # Table and column names are module constants, never input: S608 below is safe.
        raw = self.conn.connection.dbapi_connection
        assert raw is not None
        cols = ", ".join(f'"{c}"' for c in columns)
        cursor = raw.cursor()
        try:
            if self.dialect == "postgresql" and self.fresh_source:
                with cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            elif self.dialect == "postgresql":
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
                    f"INSERT INTO {table} ({cols}) SELECT {cols} FROM {stage} {_UPSERT[table]}"  # noqa: S608 (names are constants)
                )
            else:
                marks = ", ".join("?" for _ in columns)
                upsert = "" if self.fresh_source else _UPSERT[table]
                sql = f"INSERT INTO {table} ({cols}) VALUES ({marks}) {upsert}"  # noqa: S608
                cursor.executemany(sql, rows)
        finally:
            cursor.close()
