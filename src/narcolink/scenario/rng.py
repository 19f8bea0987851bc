"""Deterministic randomness: the same seed gives the same world, byte for byte.

Two kinds of draws:

* ``Stream``: a sequential generator for one output stream (one file, one flow), seeded
  from (seed, stream name). Only ``random()`` of Python's Mersenne Twister is used, whose
  sequence for an integer seed is stable across Python versions; every other draw is built
  on it here, so no library method whose algorithm may change is involved.
* ``Bits``: a pure function of (seed, namespace, index) — the attributes of person 12345
  are the same whichever file asks for them, with no state, so nothing has to be held in
  memory to keep two agencies' views of one person consistent.
"""

from __future__ import annotations

import hashlib
import random
from bisect import bisect_right
from collections.abc import Sequence
from datetime import date, timedelta
from itertools import accumulate
from typing import Generic, TypeVar

import numpy as np

T = TypeVar("T")
MASK = (1 << 64) - 1
GOLDEN = 0x9E3779B97F4A7C15


def mix64(z: int) -> int:
    """SplitMix64's finaliser: a fast, well-spread 64-bit hash of an integer."""
    z = (z + GOLDEN) & MASK
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return z ^ (z >> 31)


def key(*parts: object) -> int:
    """A stable 64-bit key for a tuple of names and numbers (not Python's salted hash)."""
    text = "\x1f".join(str(p) for p in parts).encode()
    return int.from_bytes(hashlib.blake2b(text, digest_size=8).digest(), "little")


class Weighted(Generic[T]):
    """Items with weights, drawn by one uniform number."""

    __slots__ = ("cumulative", "items", "total")

    def __init__(self, pairs: Sequence[tuple[T, float]]) -> None:
        pairs = [(item, float(w)) for item, w in pairs if w > 0]
        if not pairs:
            raise ValueError("a weighted choice needs at least one positive weight")
        self.items = [item for item, _ in pairs]
        self.cumulative = list(accumulate(w for _, w in pairs))
        self.total = self.cumulative[-1]

    def at(self, u: float) -> T:
        """The item for a uniform number u in [0, 1)."""
        index = bisect_right(self.cumulative, u * self.total)
        return self.items[min(index, len(self.items) - 1)]

    def share(self, item: T) -> float:
        """The probability of ``item``."""
        total = 0.0
        previous = 0.0
        for candidate, cumulative in zip(self.items, self.cumulative, strict=True):
            if candidate == item:
                total += cumulative - previous
            previous = cumulative
        return total / self.total


class Stream:
    """Sequential draws for one stream of the world."""

    __slots__ = ("random",)

    def __init__(self, seed: int, *name: object) -> None:
        self.random = random.Random(key(seed, *name)).random

    def chance(self, p: float) -> bool:
        return self.random() < p

    def below(self, n: int) -> int:
        return int(self.random() * n)

    def between(self, low: int, high: int) -> int:
        """An integer in [low, high]."""
        return low + int(self.random() * (high - low + 1))

    def uniform(self, low: float, high: float) -> float:
        return low + self.random() * (high - low)

    def pick(self, items: Sequence[T]) -> T:
        return items[int(self.random() * len(items))]

    def weighted(self, table: Weighted[T]) -> T:
        return table.at(self.random())

    def day(self, start: date, days: int) -> date:
        return start + timedelta(days=int(self.random() * days))

    def digits(self, count: int) -> str:
        return str(int(self.random() * 10**count)).zfill(count)

    def sample(self, items: Sequence[T], count: int) -> list[T]:
        """``count`` distinct items (partial Fisher-Yates on a copy)."""
        pool = list(items)
        count = min(count, len(pool))
        for i in range(count):
            j = i + int(self.random() * (len(pool) - i))
            pool[i], pool[j] = pool[j], pool[i]
        return pool[:count]


def quick(a: int, b: int) -> int:
    """A cheap 64-bit hash of two integers (a multiply-xorshift; not SplitMix's quality,
    but well spread in the low bits that the draws below use, and three times faster)."""
    x = ((a ^ (b * 0xD6E8FEB86659FD93)) * 0x9E3779B97F4A7C15) & MASK
    return x ^ (x >> 29)


class Bits:
    """192 bits (or 64, with ``words=1``) drawn from (base, index), spent a choice at a
    time (mixed radix). Chances use 10 bits (a resolution of 1/1024)."""

    __slots__ = ("v",)

    def __init__(self, base: int, index: int, words: int = 3) -> None:
        h = quick(base, index)
        if words == 1:  # 64 bits: enough for a handful of small choices
            self.v = h
            return
        self.v = h | (quick(h, 0x5851F42D) << 64) | (quick(h, 0x14057B7E) << 128)

    def below(self, n: int) -> int:
        self.v, r = divmod(self.v, n)
        return r

    def chance(self, p: float) -> bool:
        self.v, r = divmod(self.v, 1024)
        return r < p * 1024

    def unit(self) -> float:
        self.v, r = divmod(self.v, 1024)
        return r / 1024

    def pick(self, items: Sequence[T]) -> T:
        return items[self.below(len(items))]

    def weighted(self, table: Weighted[T]) -> T:
        return table.at(self.unit())


def hashed_index(base: int, index: int, n: int) -> int:
    """A pure pseudo-random index in [0, n) for (base, index)."""
    return quick(base, index) % n


def hashed_unit(base: int, index: int) -> float:
    """A pure pseudo-random number in [0, 1) for (base, index)."""
    return (quick(base, index) >> 11) / 9007199254740992.0


_U64 = np.uint64


def hash_block(base: int, idx: np.ndarray) -> np.ndarray:
    """SplitMix64 of (base, index) for a whole array of indices at once (uint64)."""
    with np.errstate(over="ignore"):
        x = (idx * _U64(GOLDEN)) ^ _U64(base & MASK)
        x = x + _U64(GOLDEN)
        x = (x ^ (x >> _U64(30))) * _U64(0xBF58476D1CE4E5B9)
        x = (x ^ (x >> _U64(27))) * _U64(0x94D049BB133111EB)
        return x ^ (x >> _U64(31))


def unit_block(base: int, idx: np.ndarray) -> np.ndarray:
    """Uniform numbers in [0, 1) for (base, index), as float64."""
    return (hash_block(base, idx) >> _U64(11)).astype(np.float64) / 9007199254740992.0
