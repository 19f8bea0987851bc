"""Row tuples for the store's bulk writes, made from records anywhere (worker processes
included), and their COPY text for PostgreSQL.

``RowMaker`` turns a record and its entity number (``seq``, handed out by the writer)
into the rows of the entities, statements and search_keys tables, in the tables' column
order; ``sort_keys`` puts search keys in the order a flush writes them; ``copy_text``
renders rows in PostgreSQL's COPY text format, so that the process writing them only
passes text on.
"""

from __future__ import annotations

import re
from datetime import datetime
from itertools import chain
from operator import itemgetter
from typing import Any

from narcolink.model.keys import NAME_TYPES, record_keys
from narcolink.model.markings import Markings
from narcolink.model.records import Batch, Record, statement_id

Row = tuple[Any, ...]
Rows = tuple[list[Row], list[Row], list[tuple[str, int]]]  # entities, statements, keys

# The column order of the rows RowMaker makes (a test checks it against the tables).
ENTITY_ORDER = (
    "seq",
    "id",
    "agency",
    "schema",
    "caption",
    "source",
    "source_record",
    "batch_id",
    "tlp",
    "pap",
    "handling",
    "source_grading",
    "info_grading",
    "first_seen",
    "last_seen",
)
STATEMENT_ORDER = (
    "entity_seq",
    "id",
    "prop",
    "prop_type",
    "value",
    "original",
    "batch_id",
    "first_seen",
    "last_seen",
)
KEY_ORDER = ("key", "entity_seq")

NAME_KEYS_REMEMBERED = 200_000

# Rows come in number order (a writer hands numbers out in increasing order, chunk by
# chunk in file order), so entities and statements append as they are. Search keys are
# sorted by key before each flush of a unique writer: neighbouring inserts then touch
# neighbouring pages, which on a large table saves more than the sorting costs;
# ``sort_keys`` lets a worker process sort its share first, so the flush only merges
# sorted runs.
BY_FIRST = itemgetter(0)


def sort_keys(key_rows: list[tuple[str, int]]) -> None:
    """Sort search-key rows in place in the order a flush writes them."""
    key_rows.sort(key=BY_FIRST)


def _sqlite_time(value: datetime) -> str:
    # The storage format SQLAlchemy's SQLite DateTime uses, so reads parse it back.
    return value.replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")


class RowMaker:
    """Turns records into row tuples for one batch. Picklable, so worker processes can
    prepare rows while the parent process writes them (see services.imports)."""

    def __init__(self, batch: Batch, dialect: str) -> None:
        self.batch = batch
        stamp = batch.created_at
        self.stamp: Any = _sqlite_time(stamp) if dialect == "sqlite" else stamp
        self._prop_types: dict[tuple[str, str], str] = {}
        self._name_keys: dict[str, frozenset[str]] = {}
        self._marks: dict[Markings, tuple[str, str, str, str | None, str | None]] = {}
        self._stamp_text = stamp.isoformat()

    def _prop_type(self, schema: Any, prop: str) -> str:
        key = (schema.name, prop)
        kind = self._prop_types.get(key)
        if kind is None:
            kind = self._prop_types[key] = schema.properties[prop].type.name
        return kind

    def make(
        self, record: Record, seq: int
    ) -> tuple[tuple[Any, ...], list[tuple[Any, ...]], list[tuple[str, int]]]:
        """(entity row, statement rows, search-key rows) of one record, numbered ``seq``."""
        b = self.batch
        stamp = self.stamp
        tlp, pap, handling, source_grading, info_grading = self._marking_fields(record)
        schema = record.schema
        entity_row = (
            seq,
            record.id,
            b.agency,
            schema.name,
            record.caption,
            b.source,
            record.source_record,
            b.id,
            tlp,
            pap,
            handling,
            source_grading,
            info_grading,
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
                        seq,
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
        key_rows = [(key, seq) for key in self._keys(record.properties, prop_types)]
        return entity_row, statement_rows, key_rows

    def make_text(self, record: Record, seq: int) -> tuple[str, list[str], list[str]]:
        """The rows of ``make`` as COPY text lines (what ``copy_text`` makes of them),
        made directly: (entity line, statement lines, search-key lines)."""
        b = self.batch
        stamp = self._stamp_text
        tlp, pap, handling, source_grading, info_grading = self._marking_fields(record)
        schema = record.schema
        eid = record.id
        props = record.properties
        # One search of the record's text instead of one per value: nearly every record
        # has nothing COPY would read as structure.
        every = [record.caption, record.source_record, *chain.from_iterable(props.values())]
        text = _text if _SPECIAL.search("".join(every)) else str
        entity_line = (
            f"{seq}\t{eid}\t{b.agency}\t{schema.name}\t{text(record.caption)}\t{_text(b.source)}\t"
            f"{text(record.source_record)}\t{b.id}\t{tlp}\t{pap}\t{handling}\t"
            f"{_nullable(source_grading)}\t{_nullable(info_grading)}\t{stamp}\t{stamp}\n"
        )
        tail = f"\t{b.id}\t{stamp}\t{stamp}\n"
        statement_lines: list[str] = []
        prop_types: dict[str, str] = {}
        originals = record.originals
        for prop, values in props.items():
            prop_type = prop_types[prop] = self._prop_type(schema, prop)
            for value in values:
                original = originals.get((prop, value)) if originals else None
                statement_lines.append(
                    f"{seq}\t{statement_id(eid, prop, value)}\t{prop}\t{prop_type}\t"
                    f"{text(value)}\t{_nullable(original)}{tail}"
                )
        keys = self._keys(props, prop_types)
        return entity_line, statement_lines, [f"{_text(key)}\t{seq}\n" for key in keys]

    def _marking_fields(self, record: Record) -> tuple[str, str, str, str | None, str | None]:
        marks: Markings = record.markings or self.batch.markings
        found = self._marks.get(marks)
        if found is None:
            found = self._marks[marks] = (
                marks.tlp.value,
                marks.pap.value,
                marks.handling.value,
                str(marks.source_grading) if marks.source_grading else None,
                str(marks.info_grading) if marks.info_grading else None,
            )
        return found

    def _keys(self, props: dict[str, list[str]], prop_types: dict[str, str]) -> set[str]:
        """``record_keys``, with the keys of each name remembered: names recur across
        records (first and last names above all), and folding them is the dearest part.
        A record's keys are the union of its values' keys, so this changes nothing."""
        names = [p for p, kind in prop_types.items() if kind in NAME_TYPES]
        if not names:
            return record_keys(props, prop_types)
        keys = record_keys({p: v for p, v in props.items() if p not in names}, prop_types)
        remembered = self._name_keys
        for prop in names:
            for value in props[prop]:
                found = remembered.get(value)
                if found is None:
                    if len(remembered) >= NAME_KEYS_REMEMBERED:
                        remembered.clear()
                    found = frozenset(record_keys({prop: [value]}, {prop: prop_types[prop]}))
                    remembered[value] = found
                keys |= found
        return keys


# COPY text format: tab-separated, \N for NULL, and backslash escapes for backslash, tab,
# newline and carriage return (the only characters cleaned values may hold that COPY
# would read as structure).
_SPECIAL = re.compile(r"[\\\t\n\r]")
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _text(value: str) -> str:
    return value.translate(_ESCAPES) if _SPECIAL.search(value) else value


def _nullable(value: str | None) -> str:
    return "\\N" if value is None else _text(value)


def copy_text(
    entity_rows: list[Row], statement_rows: list[Row], key_rows: list[tuple[str, int]]
) -> tuple[str, str, str]:
    """The COPY text (``FORMAT text``) of rows made for PostgreSQL, one string per table."""
    stamps: dict[datetime, str] = {}

    def stamp(value: datetime) -> str:
        text = stamps.get(value)
        if text is None:
            text = stamps[value] = value.isoformat()
        return text

    entities = "".join(
        [
            f"{r[0]}\t{r[1]}\t{r[2]}\t{r[3]}\t{_text(r[4])}\t{_text(r[5])}\t{_text(r[6])}\t"
            f"{r[7]}\t{r[8]}\t{r[9]}\t{r[10]}\t{_nullable(r[11])}\t{_nullable(r[12])}\t"
            f"{stamp(r[13])}\t{stamp(r[14])}\n"
            for r in entity_rows
        ]
    )
    statements = "".join(
        [
            f"{r[0]}\t{r[1]}\t{r[2]}\t{r[3]}\t{_text(r[4])}\t{_nullable(r[5])}\t{r[6]}\t"
            f"{stamp(r[7])}\t{stamp(r[8])}\n"
            for r in statement_rows
        ]
    )
    keys = "".join([f"{_text(k)}\t{e}\n" for k, e in key_rows])
    return entities, statements, keys
