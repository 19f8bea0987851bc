"""A large CSV import spread over worker processes.

The parent reads the file and hands out chunks of raw rows (``ingest.chunks``); workers
clean and validate them and, while the file is still clean, turn the records into the
store's row tuples (``store.writer.RowMaker``); the parent merges the results in file
order into the report and the ledger and writes the rows, inside the caller's
transaction, while the workers prepare the next chunks. A bounded number of chunks is in
flight, so memory stays flat however large the file.

Workers come from a ``forkserver``: a clean process started once, with the import modules
loaded, that forks each worker. Forking the caller itself would copy its open database
connections and its threads' locks (a web server has many).
"""

from __future__ import annotations

import gc
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
from narcolink.ingest.references import Ledger, Seen
from narcolink.ingest.spool import Packed, pack
from narcolink.model.records import Batch
from narcolink.store.rows import RowMaker, Rows, copy_text, sort_rows
from narcolink.store.writer import Writer

CHUNK_ROWS = 5000
CHUNKS_IN_FLIGHT = 12  # enough to keep the workers busy while the parent writes a flush
MAX_WORKERS = 8

# A chunk's rows for the writer: row tuples, or for PostgreSQL their COPY text with the
# number of records and statements in it.
Made = Rows | tuple[tuple[str, str, str], int, int]
# Per chunk: each row's problems, what the ledger needs of each row's record, and (while
# the file is clean) the rows made and the records that wait for the whole file.
Result = tuple[dict[int, list[Problem]], list[Seen | None], tuple[Made, list[Packed]] | None]


def worker_count() -> int:
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cpus = os.cpu_count() or 1
    return max(2, min(cpus, MAX_WORKERS))


@dataclass(frozen=True)
class _Setup:
    """What a worker needs; sent once, when it starts."""

    ingest: Ingest
    layout: CsvLayout
    batch: Batch | None  # None: validation only
    dialect: str


class _Worker:
    def __init__(self, setup: _Setup, writing: Any) -> None:
        self.builder = ChunkBuilder(setup.ingest, setup.layout)
        self.rows = RowMaker(setup.batch, setup.dialect) if setup.batch else None
        # PostgreSQL takes COPY text made here, so the parent only passes it on.
        self.text = setup.dialect == "postgresql"
        self.writing = writing

    def work(self, rows: list[tuple[int, list[str]]]) -> Result:
        built = self.builder.build(rows)
        # Rows are only worth making while the file is clean: one problem, and nothing
        # of it will be written.
        if self.rows is None or built.problems or not self.writing.value:
            return built.problems, built.seen, None
        references = self.builder.references
        make = self.rows.make
        entities: list[tuple[Any, ...]] = []
        statements: list[tuple[Any, ...]] = []
        keys: list[tuple[str, str]] = []
        waiting: list[Packed] = []
        for record in built.records:
            if references.waits(record):
                waiting.append(pack(record))
                continue
            entity, stated, keyed = make(references.resolve(record))
            entities.append(entity)
            statements.extend(stated)
            keys.extend(keyed)
        sort_rows(entities, statements, keys)  # here, so the parent only merges runs
        if self.text:
            made: Made = (copy_text(entities, statements, keys), len(entities), len(statements))
        else:
            made = (entities, statements, keys)
        return built.problems, built.seen, (made, waiting)


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
        index, rows = task
        try:
            results.put((index, worker.work(rows), None))
        except BaseException:  # the parent raises it, with the worker's traceback
            results.put((index, None, traceback.format_exc()))
            return


class _Pool:
    """Worker processes fed from one task queue; their results come back tagged with the
    chunk's number, so the parent can take them in file order."""

    def __init__(self, count: int, setup: _Setup, writing: Any) -> None:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload([__name__])  # no effect once the server runs
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

    def put(self, index: int, rows: list[tuple[int, list[str]]]) -> None:
        self.tasks.put((index, rows))

    def take(self, index: int) -> Result:
        """The result of chunk ``index``, waiting for it."""
        while index not in self.done:
            try:
                got, result, error = self.results.get(timeout=1.0)
            except queue.Empty:
                if not all(proc.is_alive() for proc in self.procs):
                    raise RuntimeError("an import worker process ended unexpectedly") from None
                continue
            if error is not None:
                raise RuntimeError(f"an import worker failed:\n{error}")
            self.done[got] = result
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
    reader = ChunkReader(ingest, report, size=CHUNK_ROWS)
    if reader.layout is None:
        return
    batch = writer.batch if writer is not None else None
    dialect = writer.dialect if writer is not None else ""
    setup = _Setup(ingest, reader.layout, batch, dialect)
    writing = multiprocessing.get_context("forkserver").Value("b", 1 if writer else 0, lock=False)
    pool = _Pool(workers or worker_count(), setup, writing)
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
            while len(fed) < CHUNKS_IN_FLIGHT:
                chunk = next(chunks, None)
                if chunk is None:
                    break
                pool.put(sent, chunk.rows)
                fed.append(chunk)
                sent += 1
            if not fed:
                break
            problems, seen, made = pool.take(taken)
            taken += 1
            chunk = fed.popleft()
            going = merge(chunk, BuiltChunk(problems, seen), report, ledger)
            if writer is not None and report.ok:
                if made is None:
                    raise RuntimeError("a worker made no rows for a clean chunk")
                _write(writer, made[0])
                for packed in made[1]:
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
