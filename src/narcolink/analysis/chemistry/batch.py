"""Screening many structures on every core: a fork pool that shares the built index.

The index is built in the parent before the pool starts, so each worker inherits it
instead of rebuilding it; work goes out in chunks to keep the hand-off cheap.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterable, Iterator
from datetime import date
from itertools import islice

from narcolink.analysis.chemistry.index import get_index
from narcolink.analysis.chemistry.results import ScreenResult, Verdict
from narcolink.analysis.chemistry.screen import Screener

CHUNK = 1000
_screener: Screener | None = None


def _init(as_of: date, analogues: bool) -> None:
    global _screener
    _screener = Screener(as_of=as_of, analogues=analogues)


def _screen(chunk: list[tuple[int, str]]) -> list[ScreenResult]:
    assert _screener is not None
    return [_screener.screen_smiles(smiles, row=row) for row, smiles in chunk]


def _work(chunk: list[tuple[int, str]]) -> list[ScreenResult | None]:
    """In a worker: a plain "not controlled" comes back as None, so the hand-off of
    a million mostly clear results costs next to nothing; the parent rebuilds them."""
    return [None if _is_plain(r) else r for r in _screen(chunk)]


def _is_plain(result: ScreenResult) -> bool:
    return result.verdict is Verdict.CLEAR and not result.reasons and result.error is None


def _rebuild(
    chunk: list[tuple[int, str]], results: list[ScreenResult | None], when: date
) -> Iterator[ScreenResult]:
    for (row, smiles), result in zip(chunk, results, strict=True):
        yield (
            result
            if result is not None
            else ScreenResult(
                query=smiles, row=row, smiles=smiles, verdict=Verdict.CLEAR, as_of=when.isoformat()
            )
        )


def _chunks(items: Iterable[tuple[int, str]], size: int) -> Iterator[list[tuple[int, str]]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def default_processes() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def screen_many(
    smiles: Iterable[str],
    as_of: date | None = None,
    processes: int | None = None,
    chunk: int = CHUNK,
    analogues: bool = True,
) -> Iterator[ScreenResult]:
    """Results in input order, ``row`` numbered from 1. One process screens in-line."""
    when = as_of or date.today()
    rows = ((i, s) for i, s in enumerate(smiles, start=1))
    workers = processes or default_processes()
    get_index()  # build once, before forking
    if workers <= 1:
        _init(when, analogues)
        for part in _chunks(rows, chunk):
            yield from _screen(part)
        return
    context = multiprocessing.get_context("fork")
    parts: list[list[tuple[int, str]]] = []

    def remember(items: Iterator[list[tuple[int, str]]]) -> Iterator[list[tuple[int, str]]]:
        for part in items:
            parts.append(part)
            yield part

    with context.Pool(workers, initializer=_init, initargs=(when, analogues)) as pool:
        for index, results in enumerate(pool.imap(_work, remember(_chunks(rows, chunk)))):
            yield from _rebuild(parts[index], results, when)
            parts[index] = []
