"""A large CSV import spread over worker processes.

The parent reads the file and hands out chunks of raw rows (``ingest.chunks``); workers
clean and validate them and, while the file is still clean, turn the records into the
store's rows (``store.rows``: tuples for SQLite, COPY text for PostgreSQL), sorted; the
parent merges the results in file order into the report and the ledger and writes the
rows, inside the caller's transaction, while the workers prepare the next chunks. A
bounded number of rows is in flight, so memory stays flat however large the file.

Workers come from a ``forkserver``: a clean process started once, with the import modules
loaded, that forks each worker. Forking the caller itself would copy its open database
connections and its threads' locks (a web server has many).
"""

from __future__ import annotations

import gc
import marshal
import multiprocessing
import os
import queue
import traceback
from collections import deque
from dataclasses import dataclass
from typing import Any

from narcolink.exc import ValidationReport
from narcolink.ingest import Ingest
from narcolink.ingest.chunks import BuiltChunk, ChunkBuilder, ChunkReader, Problem, RowChunk, merge
from narcolink.ingest.csvfile import CsvLayout
from narcolink.ingest.pipeline import Waiting
from narcolink.ingest.references import Ledger, Seen, must_wait
from narcolink.ingest.spool import Packed, pack
from narcolink.model.records import Batch, Record
from narcolink.store.rows import RowMaker, Rows, sort_keys
from narcolink.store.writer import Writer

# Rows per chunk. A worker sorts its chunk's rows for the writer; on SQLite each flush
# merges the sorted runs of several chunks, while PostgreSQL takes each chunk's COPY text
# as it comes, so its chunks are larger (longer sorted runs touch fewer index pages).
CHUNK_ROWS = 5_000
CHUNK_ROWS_COPY = 20_000
# Rows read ahead of the writing: enough to keep the workers busy while the parent writes
# a flush, few enough to keep memory flat.
ROWS_IN_FLIGHT = 80_000
MAX_WORKERS = 8

# A chunk's rows for the writer: row tuples, or for PostgreSQL their COPY text with the
# number of records and statements in it.
Made = Rows | tuple[tuple[str, str, str], int, int]
# Per chunk: each row's problems, what the ledger needs of each row's record, and (while
# the file is clean) the rows made and the records that wait for the whole file.
Result = tuple[dict[int, list[Problem]], list[Seen | None], Made | None, list[Packed]]


def cpus() -> int:
    """The CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def worker_count() -> int:
    return max(2, min(cpus(), MAX_WORKERS))


def _context() -> Any:
    # forkserver where the platform has it (Linux, macOS); spawn elsewhere (Windows).
    method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
    context = multiprocessing.get_context(method)
    if method == "forkserver":
        context.set_forkserver_preload([__name__])  # no effect once the server runs
    return context


@dataclass(frozen=True)
class _Setup:
    """What a worker needs; sent once, when it starts."""

    ingest: Ingest
    layout: CsvLayout
    batch: Batch | None  # None: validation only
    dialect: str
    text: bool  # COPY text (PostgreSQL, a new source) rather than row tuples


class _Worker:
    def __init__(self, setup: _Setup, writing: Any) -> None:
        self.builder = ChunkBuilder(setup.ingest, setup.layout)
        self.rows = RowMaker(setup.batch, setup.dialect) if setup.batch else None
        # PostgreSQL takes COPY text made here, so the parent only passes it on.
        self.text = setup.text
        self.writing = writing

    def work(self, rows: list[tuple[int, list[str]]], seq: int) -> Result:
        """Build the chunk's records; their rows are numbered from ``seq`` on."""
        built = self.builder.build(rows)
        # Rows are only worth making while the file is clean: one problem, and nothing
        # of it will be written.
        if self.rows is None or built.problems or not self.writing.value:
            return built.problems, built.seen, None, []
        waiting: list[Packed] = []
        ready: list[Record] = []
        resolve = self.builder.references.resolve
        for record, facts in zip(built.records, filter(None, built.seen), strict=True):
            if must_wait(facts[4]):
                waiting.append(pack(record))
            else:
                ready.append(resolve(record))
        made = self._text(ready, seq) if self.text else self._tuples(ready, seq)
        return built.problems, built.seen, made, waiting

    def _tuples(self, records: list[Record], seq: int) -> Made:
        assert self.rows is not None
        make = self.rows.make
        entities: list[tuple[Any, ...]] = []
        statements: list[tuple[Any, ...]] = []
        keys: list[tuple[str, int]] = []
        for number, record in enumerate(records, seq):
            entity, stated, keyed = make(record, number)
            entities.append(entity)
            statements.extend(stated)
            keys.extend(keyed)
        sort_keys(keys)  # here, so the parent only merges runs
        return entities, statements, keys

    def _text(self, records: list[Record], seq: int) -> Made:
        assert self.rows is not None
        make = self.rows.make_text
        entities: list[str] = []
        statements: list[str] = []
        keys: list[str] = []
        for number, record in enumerate(records, seq):
            entity, stated, keyed = make(record, number)
            entities.append(entity)
            statements.extend(stated)
            keys.extend(keyed)
        # Entities and statements come in number order already; a key line starts with
        # its key, so sorted lines are key rows in key order.
        keys.sort()
        texts = ("".join(entities), "".join(statements), "".join(keys))
        return texts, len(entities), len(statements)


def _serve(setup: _Setup, writing: Any, tasks: Any, results: Any) -> None:
    """A worker process: chunks in, results out, until told to stop (None)."""
    # Each chunk's objects are freed by reference counting; the cyclic collector would
    # only rescan them (a worker process lives for one import).
    gc.disable()
    worker = _Worker(setup, writing)
    while True:
        task = tasks.get()
        if task is None:
            return
        index, rows, seq = task
        try:
            problems, seen, made, waiting = worker.work(rows, seq)
            # marshal: plain data (tuples, lists, strings) only, and several times faster
            # than pickle; the records that wait carry markings objects, so they are pickled.
            results.put((index, marshal.dumps((problems, seen, made)), waiting, None))
        except BaseException:  # the parent raises it, with the worker's traceback
            results.put((index, None, None, traceback.format_exc()))
            return


class _Pool:
    """Worker processes fed from one task queue; their results come back tagged with the
    chunk's number, so the parent can take them in file order."""

    def __init__(self, count: int, setup: _Setup, writing: Any) -> None:
        context = _context()
        # A queue's feeder thread writes the tasks, so putting one never blocks the parent
        # (a worker blocked on sending its result would never read it).
        self.tasks = context.Queue()
        self.results = context.Queue()
        self.procs = [
            context.Process(
                target=_serve, args=(setup, writing, self.tasks, self.results), daemon=True
            )
            for _ in range(count)
        ]
        for proc in self.procs:
            proc.start()
        self.done: dict[int, Result] = {}

    def put(self, index: int, rows: list[tuple[int, list[str]]], seq: int) -> None:
        self.tasks.put((index, rows, seq))

    def take(self, index: int) -> Result:
        """The result of chunk ``index``, waiting for it."""
        while index not in self.done:
            try:
                got, blob, waiting, error = self.results.get(timeout=1.0)
            except queue.Empty:
                if not all(proc.is_alive() for proc in self.procs):
                    raise RuntimeError("an import worker process ended unexpectedly") from None
                continue
            if error is not None:
                raise RuntimeError(f"an import worker failed:\n{error}")
            # Written just before by our own worker process, with this interpreter.
            problems, seen, made = marshal.loads(blob)  # noqa: S302
            self.done[got] = (problems, seen, made, waiting)
        return self.done.pop(index)

    def close(self, finished: bool) -> None:
        """Stop the workers: politely when all went well, at once otherwise."""
        if finished:
            for _ in self.procs:
                self.tasks.put(None)
        else:
            for proc in self.procs:
                proc.terminate()
        for proc in self.procs:
            proc.join(timeout=5)
            if proc.is_alive():
                proc.kill()
                proc.join()
        self.tasks.cancel_join_thread()  # tasks left unread when the reading stopped early
        self.tasks.close()
        self.results.close()


def read_in_parallel(
    ingest: Ingest,
    report: ValidationReport,
    ledger: Ledger,
    writer: Writer | None,
    waiting: Waiting,
    workers: int | None = None,
) -> None:
    """Read a CSV file through worker processes into ``report`` and ``ledger``; while
    the report is clean, write its rows with ``writer`` (None: validate only), and keep
    the records that wait for the whole file in ``waiting``.

    The caller finishes the ledger, writes the waiting records, and rolls back the
    writer's transaction when the report is not clean.
    """
    batch = writer.batch if writer is not None else None
    dialect = writer.dialect if writer is not None else ""
    size = CHUNK_ROWS_COPY if dialect == "postgresql" else CHUNK_ROWS
    reader = ChunkReader(ingest, report, size=size)
    if reader.layout is None:
        return
    count = workers or worker_count()
    in_flight = max(2 * count, ROWS_IN_FLIGHT // size)
    text = dialect == "postgresql" and writer is not None and writer.append_only
    setup = _Setup(ingest, reader.layout, batch, dialect, text)
    writing = _context().Value("b", 1 if writer else 0, lock=False)
    pool = _Pool(count, setup, writing)
    finished = False
    # The cyclic collector would rescan the buffered rows (millions of tuples) again and
    # again as results arrive; nothing here makes cycles. It is back on at the end.
    collecting = gc.isenabled()
    gc.disable()
    try:
        chunks = reader.chunks()
        fed: deque[RowChunk] = deque()
        sent = taken = 0
        while True:
            while len(fed) < in_flight:
                chunk = next(chunks, None)
                if chunk is None:
                    break
                # Numbers for as many records as the chunk has rows, in file order.
                seq = writer.reserve(len(chunk.rows)) if writer is not None else 0
                pool.put(sent, chunk.rows, seq)
                fed.append(chunk)
                sent += 1
            if not fed:
                break
            problems, seen, made, waits = pool.take(taken)
            taken += 1
            chunk = fed.popleft()
            going = merge(chunk, BuiltChunk(problems, seen), report, ledger)
            if writer is not None and report.ok:
                if made is None:
                    raise RuntimeError("a worker made no rows for a clean chunk")
                _write(writer, made)
                for packed in waits:
                    waiting.add(packed)
            elif writing.value:
                writing.value = 0
            if not going:
                break
        finished = not fed
    finally:
        if collecting:
            gc.enable()
        pool.close(finished)


def _write(writer: Writer, made: Made) -> None:
    if isinstance(made[0], tuple):  # COPY text
        texts, records, statements = made
        writer.write_text(texts, records, statements)
    else:
        writer.write_rows(*made)
