"""A temporary file of validated records that cannot be written yet.

A record whose reference has the form of a full entity id can only be resolved once the
whole file is read (a record of the file with that source id comes first; see
``references``). Such records wait here, as ``marshal`` tuples, so memory stays bounded
however many there are (an exported file imported again has nothing but such
references). The spool is deleted when closed.
"""

from __future__ import annotations

import gc
import marshal
import tempfile
from collections.abc import Iterator
from typing import IO, Any

from narcolink.model.markings import Markings
from narcolink.model.records import Record
from narcolink.model.vocabulary import get_schema

# A record as plain data: (id, schema name, source record, properties,
# [(property, value, original)] or None, markings or None).
Packed = tuple[str, str, str, dict[str, list[str]], list[tuple[str, str, str]] | None, Any]


def pack(record: Record) -> Packed:
    originals = [(p, v, o) for (p, v), o in record.originals.items()] or None
    return (
        record.id,
        record.schema.name,
        record.source_record,
        record.properties,
        originals,
        record.markings,
    )


class Spool:
    """Append records, then read them back once, in order (in chunks of ``chunk``)."""

    def __init__(self, chunk: int = 2000) -> None:
        self._file: IO[bytes] = tempfile.TemporaryFile(prefix="narcolink-import-")  # noqa: SIM115
        self._markings: dict[Markings, int] = {}
        self._rows: list[tuple[Any, ...]] = []
        self._chunks = 0
        self.chunk = chunk
        self.count = 0

    def add(self, record: Record) -> None:
        self.add_packed(pack(record))

    def add_packed(self, packed: Packed) -> None:
        """Add a record packed by ``pack`` (in a worker process, say)."""
        eid, schema_name, source_record, props, originals, markings = packed
        marks = -1
        if markings is not None:
            marks = self._markings.setdefault(markings, len(self._markings))
        row: tuple[Any, ...] = (eid, schema_name, source_record, props, originals, marks)
        self._rows.append(row)
        self.count += 1
        if len(self._rows) >= self.chunk:
            self._dump()

    def _dump(self) -> None:
        if self._rows:
            blob = marshal.dumps(self._rows)
            self._file.write(len(blob).to_bytes(8, "little"))
            self._file.write(blob)
            self._chunks += 1
            self._rows = []

    def _load(self) -> list[tuple[Any, ...]]:
        # Length-prefixed blobs: marshal.load() on a file object reads piece by piece and
        # is tens of times slower. The collector is paused while one chunk's small
        # containers are built (it would rescan every live object many times over).
        size = int.from_bytes(self._file.read(8), "little")
        blob = self._file.read(size)
        enabled = gc.isenabled()
        gc.disable()
        try:
            # Our own temporary file, written just before by this process.
            rows: list[tuple[Any, ...]] = marshal.loads(blob)  # noqa: S302
            return rows
        finally:
            if enabled:
                gc.enable()

    def __iter__(self) -> Iterator[Record]:
        self._dump()
        markings = {index: marks for marks, index in self._markings.items()}
        schemata: dict[str, Any] = {}
        self._file.seek(0)
        for _ in range(self._chunks):
            rows = self._load()
            for eid, schema_name, source_record, props, originals, marks in rows:
                schema = schemata.get(schema_name)
                if schema is None:
                    schema = schemata[schema_name] = get_schema(schema_name)
                yield Record(
                    id=eid,
                    schema=schema,
                    source_record=source_record,
                    properties=props,
                    originals={(p, v): o for p, v, o in originals} if originals else {},
                    markings=markings.get(marks),
                )

    def close(self) -> None:
        self._file.close()
