"""A temporary file of validated records between the validation and the writing pass.

Cleaning values (phone numbers above all) is the costly part of an import; spooling the
cleaned records as ``marshal`` tuples lets the writing pass skip it, while memory stays
bounded however large the file. The spool is deleted when closed.
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
        marks = -1
        if record.markings is not None:
            marks = self._markings.setdefault(record.markings, len(self._markings))
        originals = [(p, v, o) for (p, v), o in record.originals.items()] or None
        row: tuple[Any, ...] = (
            record.id,
            record.schema.name,
            record.source_record,
            record.properties,
            originals,
            marks,
        )
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
