"""Bulk writer: records and their statements into the store inside the caller's transaction.

Upserts keep the store idempotent: writing the same record again only moves its
``last_seen``. Nothing is ever deleted here; corrections are new statements.

Each new entity gets a number (``seq``, see ``store.tables``) from ``Writer.reserve``;
its statements and search keys carry that number. An entity already stored keeps the
number it has: rows made for it under a new number are renumbered before they are
written (``_renumber``).

Rows go to the database through the DBAPI cursor (``executemany`` on SQLite, ``COPY``
on PostgreSQL, into a staging table when rows may already exist): SQLAlchemy's per-row
parameter processing would otherwise cost more than the database itself on million-row
imports. Rows may be made elsewhere (``store.rows``: worker processes of an import) and
handed over as tuples (``write_rows``) or, for PostgreSQL, as COPY text (``write_text``).
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import chain
from typing import Any

from sqlalchemy import Connection, func, select

from narcolink.model.records import Batch, Record
from narcolink.store import tables as t
from narcolink.store.rows import BY_FIRST, Row, RowMaker

__all__ = ["RowMaker", "Writer", "source_imported"]

# After writing this many statements, PostgreSQL's statistics are refreshed.
ANALYZE_AFTER = 100_000

ENTITY_COLUMNS = [c.name for c in t.entities.columns]
STATEMENT_COLUMNS = [c.name for c in t.statements.columns]
KEY_COLUMNS = [c.name for c in t.search_keys.columns]

# On conflict: a known record or statement was seen again; only last_seen moves.
_UPSERT = {
    "entities": "ON CONFLICT (id) DO UPDATE SET last_seen = excluded.last_seen",
    "statements": "ON CONFLICT (entity_seq, id) DO UPDATE SET last_seen = excluded.last_seen",
    "search_keys": "ON CONFLICT (key, entity_seq) DO NOTHING",
}

# Entity numbers a PostgreSQL writer takes at a time: one value of ``entity_blocks``.
BLOCK = 1 << 20
LOOKUP_CHUNK = 500
# Rows per INSERT statement on SQLite: 64 rows of the widest table (15 columns) stay
# under 999 parameters, the lowest limit an SQLite build may have.
ROWS_PER_INSERT = 64


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


def _renumbered(rows: list[Any], stored: dict[int, int], column: int) -> Iterator[Any]:
    for row in rows:
        seq = stored.get(row[column])
        yield row if seq is None else (*row[:column], seq, *row[column + 1 :])


def source_imported(conn: Connection, agency: str, source: str) -> bool:
    """Whether anything was imported into this agency's ``source`` before."""
    earlier = conn.execute(
        select(t.batches.c.id)
        .where(t.batches.c.agency == agency, t.batches.c.source == source)
        .limit(1)
    ).first()
    return earlier is not None


class Writer:
    """Buffers rows and flushes them in chunks; use as a context manager.

    ``unique``: the caller writes each record once (an import: its ledger refuses a
    repeated id), so rows need no de-duplication before they are flushed.
    """

    def __init__(
        self, conn: Connection, batch: Batch, chunk_size: int = 200_000, unique: bool = False
    ) -> None:
        self.conn = conn
        self.batch = batch
        self.chunk_size = chunk_size
        self.unique = unique
        self.dialect = conn.dialect.name
        self.entity_rows: list[Row] = []
        self.statement_rows: list[Row] = []
        self.key_rows: list[tuple[str, int]] = []
        self.texts: list[tuple[str, str, str]] = []  # COPY text, PostgreSQL only
        self.text_statements = 0
        self.records = 0
        self.statements = 0
        self.fresh_source = False
        self.append_only = False
        self.rows = RowMaker(batch, self.dialect)
        self._next_seq = self._end_seq = 0
        self._seqs: dict[str, int] = {}  # record id -> number, when records may repeat

    def __enter__(self) -> Writer:
        # A source never imported before cannot collide with stored ids (ids embed the
        # source), so when each record comes once its rows are appended without the
        # upsert's conflict checks.
        self.fresh_source = not source_imported(self.conn, self.batch.agency, self.batch.source)
        self.append_only = self.fresh_source and self.unique
        self._write_batch()
        return self

    def reserve(self, count: int) -> int:
        """The first of ``count`` new entity numbers; later calls give higher numbers."""
        if self._next_seq + count > self._end_seq:
            if self.dialect == "postgresql":
                if count > BLOCK:
                    raise ValueError(f"at most {BLOCK} entity numbers at a time")
                block = int(self.conn.execute(select(t.entity_blocks.next_value())).scalar_one())
                self._next_seq, self._end_seq = block * BLOCK, (block + 1) * BLOCK
            else:
                # SQLite: this transaction holds the write lock (base.py), so no other
                # writer hands out numbers until it ends.
                highest = self.conn.execute(select(func.max(t.entities.c.seq))).scalar()
                self._next_seq = max(self._next_seq, (highest or 0) + 1)
                self._end_seq = 1 << 62
        first = self._next_seq
        self._next_seq += count
        return first

    def __exit__(self, exc_type: object, *_: object) -> None:
        if exc_type is None:
            self.flush()
            self.conn.execute(
                t.batches.update()
                .where(t.batches.c.id == self.batch.id)
                .values(record_count=self.records, statement_count=self.statements)
            )
            if self.dialect == "postgresql" and self.statements >= ANALYZE_AFTER:
                # Fresh planner statistics: without them (autovacuum off, or not yet run)
                # PostgreSQL misjudges how many rows a key range holds and scans
                # whole tables for a search. A few seconds after a million rows.
                self.conn.exec_driver_sql("ANALYZE entities, statements, search_keys")

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
        if self.unique:
            seq = self.reserve(1)
        else:  # the same record written twice keeps its number
            found = self._seqs.get(record.id)
            seq = self._seqs[record.id] = self.reserve(1) if found is None else found
        entity_row, statement_rows, key_rows = self.rows.make(record, seq)
        self.entity_rows.append(entity_row)
        self.statement_rows.extend(statement_rows)
        self.key_rows.extend(key_rows)
        self.records += 1
        if len(self.statement_rows) >= self.chunk_size:
            self.flush()

    def write_rows(
        self,
        entity_rows: list[Row],
        statement_rows: list[Row],
        key_rows: list[tuple[str, int]],
    ) -> None:
        """Take rows made elsewhere by a ``RowMaker`` for this batch and dialect, numbered
        with this writer's ``reserve`` (``unique`` writers only)."""
        if not self.unique:
            raise ValueError("rows made elsewhere are for unique writes")
        self.entity_rows.extend(entity_rows)
        self.statement_rows.extend(statement_rows)
        self.key_rows.extend(key_rows)
        self.records += len(entity_rows)
        if len(self.statement_rows) >= self.chunk_size:
            self.flush()

    def write_text(self, texts: tuple[str, str, str], records: int, statements: int) -> None:
        """Take the COPY text of rows made elsewhere (``rows.copy_text``), with how many
        records and statements it holds (PostgreSQL only; ``unique`` writers to a fresh
        source only: text cannot be renumbered)."""
        if self.dialect != "postgresql" or not self.append_only:
            raise ValueError("COPY text is for unique writes of a new source to PostgreSQL")
        self.texts.append(texts)
        self.records += records
        self.text_statements += statements
        if self.text_statements >= self.chunk_size:
            self.flush()

    def flush(self) -> None:
        if not self.fresh_source and self.entity_rows:
            self._renumber()
        for index, (table, columns, rows, width) in enumerate(
            (
                ("entities", ENTITY_COLUMNS, self.entity_rows, 1),
                ("statements", STATEMENT_COLUMNS, self.statement_rows, 2),
                ("search_keys", KEY_COLUMNS, self.key_rows, 2),
            )
        ):
            if rows:
                if self.unique:
                    if table == "search_keys":  # the others come in number order
                        rows.sort(key=BY_FIRST)
                else:
                    rows = _unique_in_key_order(rows, width)
                if table == "statements":
                    self.statements += len(rows)
                self._bulk(table, columns, rows)
            if self.texts:
                self._copy(table, columns, "".join(text[index] for text in self.texts))
        self.statements += self.text_statements
        self.entity_rows, self.statement_rows, self.key_rows = [], [], []
        self.texts, self.text_statements = [], 0

    def _renumber(self) -> None:
        """Give rows made for an entity already stored under another number that number."""
        stored: dict[int, int] = {}
        by_id = {row[1]: row[0] for row in self.entity_rows}
        ids = list(by_id)
        for start in range(0, len(ids), LOOKUP_CHUNK):
            part = ids[start : start + LOOKUP_CHUNK]
            query = select(t.entities.c.id, t.entities.c.seq).where(t.entities.c.id.in_(part))
            for entity_id, seq in self.conn.execute(query):
                if by_id[entity_id] != seq:
                    stored[by_id[entity_id]] = seq
        if not stored:
            return
        self.entity_rows = list(_renumbered(self.entity_rows, stored, 0))
        self.statement_rows = list(_renumbered(self.statement_rows, stored, 0))
        self.key_rows = list(_renumbered(self.key_rows, stored, 1))
        for entity_id, seq in self._seqs.items():
            self._seqs[entity_id] = stored.get(seq, seq)

    def _bulk(self, table: str, columns: list[str], rows: list[Row]) -> None:
        if self.dialect == "postgresql":
            self._copy(table, columns, rows)
            return
        # Table and column names are module constants, never input: S608 below is safe.
        raw = self.conn.connection.dbapi_connection
        assert raw is not None
        cols = ", ".join(f'"{c}"' for c in columns)
        one = f"({', '.join('?' for _ in columns)})"
        upsert = "" if self.append_only else _UPSERT[table]
        # ROWS_PER_INSERT rows to a statement: the sqlite3 module's cost per executed
        # statement, not SQLite's, is much of a bulk insert.
        whole = len(rows) - len(rows) % ROWS_PER_INSERT
        cursor = raw.cursor()
        try:
            if whole:
                values = ", ".join([one] * ROWS_PER_INSERT)
                sql = f"INSERT INTO {table} ({cols}) VALUES {values} {upsert}"  # noqa: S608
                flat = chain.from_iterable
                cursor.executemany(
                    sql,
                    [
                        tuple(flat(rows[at : at + ROWS_PER_INSERT]))
                        for at in range(0, whole, ROWS_PER_INSERT)
                    ],
                )
            if whole < len(rows):
                sql = f"INSERT INTO {table} ({cols}) VALUES {one} {upsert}"  # noqa: S608
                cursor.executemany(sql, rows[whole:])
        finally:
            cursor.close()

    def _copy(self, table: str, columns: list[str], data: list[Row] | str) -> None:
        """COPY rows (tuples) or COPY text into ``table``; through a staging table and an
        upsert unless the source is fresh."""
        raw = self.conn.connection.dbapi_connection
        assert raw is not None
        cols = ", ".join(f'"{c}"' for c in columns)
        target = table if self.append_only else f"_stage_{table}"
        cursor = raw.cursor()
        try:
            if not self.append_only:
                cursor.execute(
                    f"CREATE TEMP TABLE IF NOT EXISTS {target} "
                    f"(LIKE {table} INCLUDING DEFAULTS) ON COMMIT DROP"
                )
                cursor.execute(f"TRUNCATE {target}")
            with cursor.copy(f"COPY {target} ({cols}) FROM STDIN") as copy:
                if isinstance(data, str):
                    copy.write(data)
                else:
                    for row in data:
                        copy.write_row(row)
            if not self.append_only:
                cursor.execute(
                    f"INSERT INTO {table} ({cols}) SELECT {cols} FROM {target} {_UPSERT[table]}"  # noqa: S608 (names are constants)
                )
        finally:
            cursor.close()
