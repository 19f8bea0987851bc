"""Import throughput: one CSV file through ``services.imports.import_file`` into a fresh
store, as a user's import runs (permission check, one transaction, audit row).

Prints the wall time, records per second and the CPU time spent: by this process, by its
import workers (sampled from /proc), and on PostgreSQL by the server's backends for the
database; and the load average, since other jobs on the machine stretch wall times.

    python benchmarks/import_csv.py --csv bench-data/persons-1m.csv \\
        --data-dir bench-data/sqlite --replace
    python benchmarks/import_csv.py --csv bench-data/persons-1m.csv \\
        --data-dir bench-data/pg --replace \\
        --database-url postgresql+psycopg://postgres@127.0.0.1:5432/nlbench2

``--replace`` empties the store first (the SQLite file in the data directory, or
narcolink's tables in the PostgreSQL database). search_latency.py then searches it.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import threading
import time
from pathlib import Path

from sqlalchemy import create_engine, inspect, text

from narcolink.exc import Conflict
from narcolink.model.roles import Actor, Role
from narcolink.services import imports
from narcolink.services.node import Node
from narcolink.settings import Settings

TICK = os.sysconf("SC_CLK_TCK")


def _cpu_of(pid: int) -> float | None:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / TICK


class Descendants(threading.Thread):
    """Samples the CPU time of this process's descendants (the import's worker processes
    are children of a forkserver, itself a child of this process)."""

    def __init__(self, every: float = 0.25) -> None:
        super().__init__(daemon=True)
        self.every = every
        self.seen: dict[int, float] = {}
        self.done = threading.Event()

    def sample(self) -> None:
        parents: dict[int, int] = {}
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    stat = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
                except OSError:
                    continue
                parents[int(entry)] = int(stat[1])
        me = os.getpid()
        for pid in parents:
            up = parents.get(pid)
            while up is not None and up != me and up > 1:
                up = parents.get(up)
            if up == me:
                cpu = _cpu_of(pid)
                if cpu is not None:
                    self.seen[pid] = max(self.seen.get(pid, 0.0), cpu)

    def run(self) -> None:
        while not self.done.wait(self.every):
            self.sample()

    def total(self) -> float:
        self.sample()
        self.done.set()
        return sum(self.seen.values())


def backend_cpu(node: Node) -> float:
    """CPU seconds used so far by the PostgreSQL backends connected to this database."""
    if node.store.dialect != "postgresql":
        return 0.0
    with node.store.engine.connect() as conn:
        pids = conn.execute(
            text("SELECT pid FROM pg_stat_activity WHERE datname = current_database()")
        ).scalars()
        return sum(cpu for cpu in map(_cpu_of, pids) if cpu is not None)


def empty_store(settings: Settings) -> None:
    """Remove what an earlier run left: the SQLite file, or every table's rows (the
    database is the benchmark's own)."""
    if settings.database_url is None:
        for path in settings.data_dir.glob("narcolink.sqlite3*"):
            path.unlink()
        return
    engine = create_engine(settings.database_url)
    tables = [t for t in inspect(engine).get_table_names() if t != "alembic_version"]
    with engine.begin() as conn:
        if tables:
            conn.execute(text(f"TRUNCATE {', '.join(tables)} CASCADE"))
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--csv", type=Path, required=True)
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--replace", action="store_true", help="empty the store first")
    parser.add_argument("--agency", default="ncb")
    parser.add_argument("--country", default="in", help="the agency's country (phone region)")
    parser.add_argument("--source", default="bench")
    parser.add_argument("--schema", default="Person")
    parser.add_argument(
        "--one-process", action="store_true", help="no worker processes (for comparison)"
    )
    args = parser.parse_args()
    settings = Settings(data_dir=args.data_dir, database_url=args.database_url)
    if args.replace:
        empty_store(settings)
    node = Node.open(settings)
    with node.transaction() as conn, contextlib.suppress(Conflict):  # from an earlier run
        node.store.add_agency(conn, args.agency, args.agency.upper(), args.country)
    actor = Actor("bench", args.agency, frozenset({Role.ANALYST}))
    load_before = os.getloadavg()
    workers = Descendants()
    workers.start()
    server_before = backend_cpu(node)
    wall, cpu = time.perf_counter(), time.process_time()
    result = imports.import_file(
        node,
        actor,
        args.csv,
        source=args.source,
        schema=args.schema,
        parallel=False if args.one_process else None,
    )
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    worker_cpu = workers.total()
    server_cpu = backend_cpu(node) - server_before
    load_after = os.getloadavg()
    figures = {
        "store": node.store.dialect,
        "file": str(args.csv),
        "records": result.records,
        "statements": result.statements,
        "unchanged": result.unchanged,
        "wall_s": round(wall, 1),
        "records_per_s": round(result.records / wall) if wall else None,
        "cpu_s": {
            "this_process": round(cpu, 1),
            "workers": round(worker_cpu, 1),
            "postgres_backends": round(server_cpu, 1),
        },
        "peak_rss_mb_this_process": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
        "cores": os.cpu_count(),
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in load_after],
    }
    print(
        f"{node.store.dialect}: {result.records:,} records, {result.statements:,} statements "
        f"in {wall:.1f} s ({figures['records_per_s']:,} records/s); CPU s: this process "
        f"{cpu:.1f}, workers {worker_cpu:.1f}, PostgreSQL backends {server_cpu:.1f}; "
        f"load average {load_before[0]:.2f} before, {load_after[0]:.2f} after"
    )
    print(json.dumps(figures))
    node.close()


if __name__ == "__main__":
    main()
