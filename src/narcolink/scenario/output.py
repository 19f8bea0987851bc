"""Streaming writers: one CSV (or JSON lines) file per record type and view, and the
ground truth beside them. Rows go straight to disk; nothing is held back.

Every data row written through ``Output.record`` gets a ground-truth row naming the file,
the row's record key and the real entity it describes, so coverage holds by construction
(and is tested by reading the files back).
"""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import IO, Any

TRUTH_RECORDS = "truth/records.csv"
TRUTH_ENTITIES = "truth/entities.csv"
RECORD_COLUMNS = ["file", "record", "entity", "noise"]
ENTITY_COLUMNS = ["entity", "kind", "name", "country", "network", "role", "illicit"]
BUFFER = 1 << 20
PLAIN = re.compile(r'[^,"\r\n]*')  # a value the csv module would write unquoted


class Sink:
    """One CSV file being written."""

    __slots__ = ("count", "handle", "header", "path", "rel", "write")

    def __init__(self, root: Path, rel: str, header: list[str]) -> None:
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.rel = rel
        self.header = header
        self.handle: IO[str] = path.open("w", encoding="utf-8", newline="", buffering=BUFFER)
        writer = csv.writer(self.handle, lineterminator="\n")
        writer.writerow(header)
        self.write = writer.writerow
        self.count = 0

    def close(self) -> None:
        self.handle.close()


class JsonSink:
    """One JSON-lines file being written (bitcoin-etl style exports)."""

    __slots__ = ("count", "handle", "path")

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.handle: IO[str] = path.open("w", encoding="utf-8", newline="", buffering=BUFFER)
        self.count = 0

    def close(self) -> None:
        self.handle.close()


class Output:
    """The output directory: data files, the two ground-truth files, row counts."""

    def __init__(self, root: Path, part: str = "") -> None:
        self.root = root
        self.sinks: dict[str, Sink] = {}
        self.json_sinks: dict[str, JsonSink] = {}
        suffix = f".{part}" if part else ""
        self.truth = Sink(root, TRUTH_RECORDS + suffix, RECORD_COLUMNS)
        self.entities = Sink(root, TRUTH_ENTITIES + suffix, ENTITY_COLUMNS)
        # Truth rows hold only ids, file names and labels (no commas, quotes or line
        # breaks), so they are written directly, without the csv module's quoting pass.
        self._truth_write = self.truth.handle.write
        self._entity_row = self.entities.write
        self._entity_write = self.entities.handle.write

    def sink(self, rel: str, header: list[str]) -> Sink:
        found = self.sinks.get(rel)
        if found is None:
            found = self.sinks[rel] = Sink(self.root, rel, header)
        return found

    def record(self, sink: Sink, row: list[Any], entity: str, noise: str = "") -> None:
        """Write a data row (its first column is the record id) and its truth row."""
        sink.write(row)
        sink.count += 1
        self._truth_write(f"{sink.rel},{row[0]},{entity},{noise}\n")

    def keyed(self, sink: Sink, row: list[Any], record: str, entity: str) -> None:
        """Write a data row whose record key is not its first column (chain exports)."""
        sink.write(row)
        sink.count += 1
        self._truth_write(f"{sink.rel},{record},{entity},\n")

    def json_line(self, rel: str, line: str, record: str, entity: str) -> None:
        """Write one JSON-lines record given as its (already serialised) text."""
        sink = self.json_sinks.get(rel)
        if sink is None:
            sink = self.json_sinks[rel] = JsonSink(self.root / rel)
        sink.handle.write(line + "\n")
        sink.count += 1
        self._truth_write(f"{rel},{record},{entity},\n")

    def entity(
        self,
        entity: str,
        kind: str,
        name: str,
        country: str = "",
        network: str = "",
        role: str = "",
        illicit: bool = False,
    ) -> None:
        if PLAIN.fullmatch(name) and PLAIN.fullmatch(role):
            # nothing to quote: skip the csv module (most entities are people and events)
            self._entity_write(
                f"{entity},{kind},{name},{country},{network},{role},{'true' if illicit else ''}\n"
            )
        else:
            self._entity_row(
                (entity, kind, name, country, network, role, "true" if illicit else "")
            )

    def counts(self) -> dict[str, int]:
        found = {rel: sink.count for rel, sink in self.sinks.items()}
        found.update({rel: sink.count for rel, sink in self.json_sinks.items()})
        return dict(sorted(found.items()))

    @property
    def records(self) -> int:
        return sum(self.counts().values())

    def close(self) -> None:
        for sink in self.sinks.values():
            sink.close()
        for json_sink in self.json_sinks.values():
            json_sink.close()
        self.truth.close()
        self.entities.close()
