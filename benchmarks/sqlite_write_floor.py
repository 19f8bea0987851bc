"""The floor under a SQLite import: the writer's database work alone, without reading,
cleaning or worker processes.

Reads every row of an imported store (entities, statements, search keys), then hands them
to a ``Writer`` on a fresh store in the way an import's parent process does (chunks of
``--chunk`` records, as workers deliver them, in number order, one transaction) and
times the writes and the commit apart, in wall and CPU seconds.

    python benchmarks/sqlite_write_floor.py --store bench-data/sqlite/narcolink.sqlite3
"""

from __future__ import annotations

import argparse
import sqlite3
import tempfile
import time
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from narcolink.model.markings import Markings
from narcolink.model.records import Batch
from narcolink.store.base import Store
from narcolink.store.writer import Writer


def read_rows(path: Path) -> list[tuple[Any, list[Any], list[Any]]]:
    """(entity row, its statement rows, its key rows) for every entity, in number order."""
    source = sqlite3.connect(path)
    statements: dict[int, list[Any]] = defaultdict(list)
    for row in source.execute("SELECT * FROM statements"):
        statements[row[0]].append(row)
    keys: dict[int, list[Any]] = defaultdict(list)
    for row in source.execute("SELECT * FROM search_keys"):
        keys[row[1]].append(row)
    out = [
        (row, statements.pop(row[0], []), keys.pop(row[0], []))
        for row in source.execute("SELECT * FROM entities ORDER BY seq")
    ]
    source.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, required=True, help="an imported narcolink.sqlite3")
    parser.add_argument("--chunk", type=int, default=5_000, help="records per hand-over")
    parser.add_argument("--out", type=Path, default=None, help="the scratch folder (default: temp)")
    args = parser.parse_args()
    rows = read_rows(args.store)
    counts = (len(rows), sum(len(r[1]) for r in rows), sum(len(r[2]) for r in rows))
    print(f"rows: {counts[0]:,} entities, {counts[1]:,} statements, {counts[2]:,} search keys")

    folder = args.out or Path(tempfile.mkdtemp(prefix="nl-floor-"))
    store = Store(f"sqlite:///{folder / 'floor.sqlite3'}", audit_key=b"floor")
    store.migrate()
    first = rows[0][0]  # seq, id, agency, schema, caption, source, source_record, batch_id
    with store.transaction() as conn:
        store.add_agency(conn, first[2], "Bench", "in")
    batch = Batch(
        id=first[7],
        agency=first[2],
        source=first[5] + "-floor",
        filename="floor.csv",
        sha256="0" * 64,
        markings=Markings(),
        created_by="bench",
        created_at=datetime.now(UTC),
    )
    # What the workers hand over: each chunk's rows, keys sorted (numbers as stored).
    chunks = [
        (
            [e for e, _, _ in part],
            [s for _, stated, _ in part for s in stated],
            sorted(k for _, _, keyed in part for k in keyed),
        )
        for part in (rows[at : at + args.chunk] for at in range(0, len(rows), args.chunk))
    ]
    del rows
    wall, cpu = time.perf_counter(), time.process_time()
    conn = store.engine.connect()
    transaction = conn.begin()
    with Writer(conn, batch, unique=True) as writer:
        for entities, statements, keys in chunks:
            writer.write_rows(entities, statements, keys)
    writes = time.perf_counter() - wall, time.process_time() - cpu
    wall, cpu = time.perf_counter(), time.process_time()
    transaction.commit()
    commit = time.perf_counter() - wall, time.process_time() - cpu
    conn.close()
    store.close()
    size = sum(f.stat().st_size for f in folder.glob("floor.sqlite3*")) / 1e6
    print(
        f"writes {writes[0]:.1f} s ({writes[1]:.1f} CPU-s), commit {commit[0]:.1f} s "
        f"({commit[1]:.1f} CPU-s), together {writes[0] + commit[0]:.1f} s; "
        f"chunks of {args.chunk:,} records; files {size:,.0f} MB"
    )
    for leftover in folder.glob("floor.sqlite3*"):
        leftover.unlink()


if __name__ == "__main__":
    main()
