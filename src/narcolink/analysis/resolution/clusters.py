"""Clusters from scored pairs, bound by analysts' judgements, with ids that persist.

Analysts' judgements are append-only rows; ``effective`` replays them (the latest word on
a pair wins, an undo cancels the row it names) into constraints: confirmed pairs are
always joined, rejected pairs never end up in one cluster, a split record joins nothing
but what an analyst confirmed. Clustering is greedy, strongest pair first (single-link
with cannot-link constraints), so every join is explained by one scored pair or one
confirmation.

A cluster keeps the id most of its members had after the previous run, so incremental
runs (new records, new judgements) do not rename the canonical entities analysts cite.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

VERDICTS = ("confirm", "reject", "split")


def pair_key(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a <= b else (b, a)


@dataclass
class Constraints:
    confirmed: set[tuple[str, str]] = field(default_factory=set)
    rejected: set[tuple[str, str]] = field(default_factory=set)
    split: set[str] = field(default_factory=set)


def effective(rows: Iterable[Mapping[str, Any]]) -> Constraints:
    """Replay judgement rows (id, left_id, right_id, verdict, undoes) in id order."""
    ordered = sorted(rows, key=lambda r: r["id"])
    undone = {r["undoes"] for r in ordered if r["verdict"] == "undo" and r["undoes"]}
    latest_pair: dict[tuple[str, str], str] = {}
    latest_split: dict[str, bool] = {}
    for row in ordered:
        if row["id"] in undone or row["verdict"] == "undo":
            continue
        if row["verdict"] == "split":
            latest_split[row["left_id"]] = True
        elif row["right_id"]:
            latest_pair[pair_key(row["left_id"], row["right_id"])] = row["verdict"]
    out = Constraints()
    for key, verdict in latest_pair.items():
        (out.confirmed if verdict == "confirm" else out.rejected).add(key)
    out.split = {entity for entity, is_split in latest_split.items() if is_split}
    return out


class _Forest:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}
        self.members: dict[str, list[str]] = {}
        self.forbid: dict[str, set[str]] = {}

    def add(self, item: str) -> None:
        if item not in self.parent:
            self.parent[item] = item
            self.members[item] = [item]

    def find(self, item: str) -> str:
        root = item
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[item] != root:
            self.parent[item], item = root, self.parent[item]
        return root

    def allowed(self, a: str, b: str) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        for root, other in ((ra, rb), (rb, ra)):
            if any(self.find(x) == other for x in self.forbid.get(root, ())):
                return False
        return True

    def union(self, a: str, b: str) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return False
        if len(self.members[ra]) < len(self.members[rb]):
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.members[ra].extend(self.members.pop(rb))
        if rb in self.forbid:
            self.forbid.setdefault(ra, set()).update(self.forbid.pop(rb))
        return True


def singleton_id(entity_id: str) -> str:
    """The id a record's cluster has while it stands alone (derived, never stored)."""
    return "nlc-" + hashlib.sha1(entity_id.encode(), usedforsecurity=False).hexdigest()[:24]


def cluster(
    ids: Iterable[str],
    pairs: Iterable[tuple[str, str, float]],
    threshold: float,
    constraints: Constraints | None = None,
    previous: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """Cluster id of every record in ``ids`` (pairs: left, right, match probability)."""
    constraints = constraints or Constraints()
    previous = previous or {}
    forest = _Forest()
    for entity in ids:
        forest.add(entity)
    known = forest.parent
    for a, b in constraints.rejected:
        if a in known and b in known:
            forest.forbid.setdefault(a, set()).add(b)
            forest.forbid.setdefault(b, set()).add(a)
    for a, b in sorted(constraints.confirmed):
        if a in known and b in known and forest.allowed(a, b):
            forest.union(a, b)
    strong = sorted(
        (p for p in pairs if p[2] >= threshold and p[0] in known and p[1] in known),
        key=lambda p: (-p[2], p[0], p[1]),
    )
    for a, b, _ in strong:
        if a in constraints.split or b in constraints.split:
            continue
        if forest.allowed(a, b):
            forest.union(a, b)
    return _stable_ids(forest, previous)


def _stable_ids(forest: _Forest, previous: Mapping[str, str]) -> dict[str, str]:
    out: dict[str, str] = {}
    taken: set[str] = set()
    components = sorted(forest.members.values(), key=lambda m: (-len(m), min(m)))
    for members in components:
        votes = Counter(previous.get(m) or singleton_id(m) for m in members)
        chosen = None
        for candidate, _ in sorted(votes.items(), key=lambda kv: (-kv[1], kv[0])):
            if candidate not in taken:
                chosen = candidate
                break
        if chosen is None:  # every old id went to a larger piece of a split cluster
            chosen = singleton_id(min(members))
            suffix = 0
            while chosen in taken:
                suffix += 1
                chosen = singleton_id(f"{min(members)}#{suffix}")
        taken.add(chosen)
        for member in members:
            out[member] = chosen
    return out
