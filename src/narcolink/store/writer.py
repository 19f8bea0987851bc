"""Bulk writer: records and their statements into the store inside the caller's transaction.

Upserts keep the store idempotent: writing the same record again only moves its
``last_seen``. Nothing is ever deleted here; corrections are new statements.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Table
from sqlalchemy.dialects import postgresql, sqlite

from narcolink.model.keys import record_keys
from narcolink.model.markings import Markings
from narcolink.model.records import Batch, Record, statement_id
from narcolink.store import tables as t


def _insert(conn: Connection, table: Table) -> Any:
    if conn.dialect.name == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)


class Writer:
    """Buffers rows and flushes them in chunks; use as a context manager."""

    def __init__(self, conn: Connection, batch: Batch, chunk_size: int = 20_000) -> None:
        self.conn = conn
        self.batch = batch
        self.chunk_size = chunk_size
        self.entity_rows: list[dict[str, Any]] = []
        self.statement_rows: list[dict[str, Any]] = []
        self.key_rows: list[dict[str, Any]] = []
        self.records = 0
        self.statements = 0

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

    def write(self, record: Record) -> None:
        b = self.batch
        now: datetime = b.created_at
        marks: Markings = record.markings or b.markings
        self.entity_rows.append(
            {
                "id": record.id,
                "agency": b.agency,
                "schema": record.schema.name,
                "caption": record.caption,
                "source": b.source,
                "source_record": record.source_record,
                "batch_id": b.id,
                "tlp": marks.tlp.value,
                "pap": marks.pap.value,
                "handling": marks.handling.value,
                "source_grading": str(marks.source_grading) if marks.source_grading else None,
                "info_grading": str(marks.info_grading) if marks.info_grading else None,
                "first_seen": now,
                "last_seen": now,
            }
        )
        prop_types: dict[str, str] = {}
        for prop, values in record.properties.items():
            prop_type = record.schema.properties[prop].type.name
            prop_types[prop] = prop_type
            for value in values:
                self.statement_rows.append(
                    {
                        "id": statement_id(record.id, prop, value),
                        "entity_id": record.id,
                        "schema": record.schema.name,
                        "prop": prop,
                        "prop_type": prop_type,
                        "value": value,
                        "original": record.originals.get((prop, value)),
                        "agency": b.agency,
                        "batch_id": b.id,
                        "first_seen": now,
                        "last_seen": now,
                    }
                )
        for key in record_keys(record.properties, prop_types):
            self.key_rows.append({"key": key, "entity_id": record.id})
        self.records += 1
        if len(self.statement_rows) >= self.chunk_size:
            self.flush()

    def flush(self) -> None:
        if self.entity_rows:
            stmt = _insert(self.conn, t.entities)
            stmt = stmt.on_conflict_do_update(
                index_elements=["id"], set_={"last_seen": stmt.excluded.last_seen}
            )
            self.conn.execute(stmt, self.entity_rows)
        if self.statement_rows:
            stmt = _insert(self.conn, t.statements)
            stmt = stmt.on_conflict_do_update(
                index_elements=["id"], set_={"last_seen": stmt.excluded.last_seen}
            )
            self.conn.execute(stmt, self.statement_rows)
            self.statements += len(self.statement_rows)
        if self.key_rows:
            stmt = _insert(self.conn, t.search_keys).on_conflict_do_nothing()
            self.conn.execute(stmt, self.key_rows)
        self.entity_rows, self.statement_rows, self.key_rows = [], [], []
