"""Entity resolution over what the caller's agency may see: runs, review queue, judgements.

A run reads the visible records of one schema through the caller's View (own records and
what partners shared), trains or reuses a Splink model, scores pairs, clusters them under
the agency's judgements and stores the run, its explained pairs and its clusters: derived
rows only, never an edit to a record. Analysts confirm, reject or split in the review
queue; each judgement is an appended row (undone by another row) that later runs respect.
Running and judging need the import permission (they write to the agency's store);
reading the queue and clusters needs read. Everything is audited.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from narcolink.analysis.resolution import clusters as cl
from narcolink.analysis.resolution.pipeline import Resolver, ScoredPair, build_features
from narcolink.analysis.resolution.spec import (
    DEFAULT_SPECS,
    LARGE_ABOVE,
    PERSON,
    PERSON_LARGE,
    ResolutionSpec,
)
from narcolink.engines import open_engine
from narcolink.exc import BadRequest, Conflict, NotFound
from narcolink.model.records import is_entity_id
from narcolink.model.roles import Actor, Permission
from narcolink.services.node import Node, require
from narcolink.store import resolution as rs
from narcolink.store.base import utcnow
from narcolink.store.view import View

MIN_RECORDS = 3
MAX_QUEUE = 200
VERDICTS = ("confirm", "reject")


@dataclass(frozen=True)
class RunSummary:
    id: str
    schema: str
    records: int
    pairs: int
    clusters: int
    linked_records: int
    reused_model: bool


@dataclass(frozen=True)
class Side:
    id: str
    caption: str
    agency: str
    schema: str


@dataclass(frozen=True)
class ReviewItem:
    left: Side
    right: Side
    probability: float
    weight: float
    explanation: list[dict[str, Any]]


@dataclass(frozen=True)
class Judgement:
    id: int
    left_id: str
    right_id: str | None
    verdict: str
    undoes: int | None
    note: str | None
    created_by: str
    created_at: Any


@dataclass(frozen=True)
class Cluster:
    id: str
    run_id: str | None
    members: list[Side]
    pairs: list[dict[str, Any]] = field(default_factory=list)
    judgements: list[Judgement] = field(default_factory=list)


def _judgement(row: dict[str, Any]) -> Judgement:
    return Judgement(**{k: row[k] for k in Judgement.__dataclass_fields__})


def default_spec(schema: str) -> ResolutionSpec:
    try:
        return DEFAULT_SPECS[schema]
    except KeyError:
        known = ", ".join(sorted(DEFAULT_SPECS))
        raise BadRequest(f"no resolution spec for schema {schema!r}; known: {known}") from None


def _records(view: View, schema: str) -> Iterator[dict[str, Any]]:
    for row, props in view.iter_entities(schema=schema):
        yield {"id": row["id"], "source": row["agency"], **props}


def run(
    node: Node,
    actor: Actor,
    schema: str = "Person",
    spec: ResolutionSpec | None = None,
    reuse_model: bool = False,
    engine: str = "duckdb",
) -> RunSummary:
    """Resolve the visible records of ``schema``; store and return the run."""
    require(actor, Permission.IMPORT)
    spec = spec or default_spec(schema)
    with node.view(actor) as view:
        table = build_features(spec.kind, _records(view, schema))
        previous_run = rs.latest_run(view, schema)
        previous = rs.members(view, previous_run["id"]) if previous_run else {}
        constraints = cl.effective(rs.judgement_rows(view))
    ids = table.columns["unique_id"]
    if spec is PERSON and len(ids) > LARGE_ABOVE:
        spec = PERSON_LARGE
    if len(ids) < MIN_RECORDS:
        raise BadRequest(f"only {len(ids)} visible {schema} record(s): nothing to resolve")
    model = None
    if reuse_model and previous_run and previous_run.get("model"):
        model = previous_run["model"]
    sources = dict(zip(ids, table.columns["source_dataset"], strict=True))
    labels = [
        (sources[a], a, sources[b], b)
        for a, b in sorted(constraints.confirmed)
        if a in sources and b in sources
    ]
    started = utcnow()
    with open_engine(engine) as compute:
        resolver = Resolver(spec, compute)
        resolver.load([table], model=model)
        trained = model if model is not None else resolver.train(labels)
        pairs = resolver.predict(spec.review_low)
    assignment = cl.cluster(
        ids,
        [(p.left, p.right, p.probability) for p in pairs],
        spec.threshold,
        constraints,
        previous,
    )
    sizes: dict[str, int] = {}
    for cluster_id in assignment.values():
        sizes[cluster_id] = sizes.get(cluster_id, 0) + 1
    linked = [(e, c) for e, c in assignment.items() if sizes[c] > 1]
    run_id = uuid.uuid4().hex
    with node.transaction() as conn:
        rs.insert_run(
            conn,
            {
                "id": run_id,
                "agency": actor.agency,
                "schema": schema,
                "spec": resolver.spec.to_dict(),
                "model": trained,
                "created_by": actor.username,
                "started_at": started,
                "finished_at": utcnow(),
                "record_count": len(ids),
                "pair_count": len(pairs),
                "cluster_count": sum(1 for n in sizes.values() if n > 1),
            },
        )
        rs.insert_matches(conn, run_id, (_match_row(p) for p in pairs))
        rs.insert_members(conn, run_id, linked)
        node.audit(
            conn,
            actor,
            "resolve",
            "resolution_run",
            run_id,
            schema=schema,
            records=len(ids),
            pairs=len(pairs),
            linked=len(linked),
            reused_model=model is not None,
        )
    return RunSummary(
        run_id,
        schema,
        len(ids),
        len(pairs),
        sum(1 for n in sizes.values() if n > 1),
        len(linked),
        model is not None,
    )


def _match_row(pair: ScoredPair) -> dict[str, Any]:
    left, right = pair.key
    fields = [
        {
            "field": f.field,
            "level": f.level,
            "weight": f.weight,
            "left": _shown(f.left if left == pair.left else f.right),
            "right": _shown(f.right if left == pair.left else f.left),
        }
        for f in pair.fields
    ]
    return {
        "left_id": left,
        "right_id": right,
        "probability": pair.probability,
        "weight": pair.weight,
        "explanation": fields,
    }


def _shown(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def _sides(view: View, ids: list[str]) -> dict[str, Side]:
    out = {}
    for row, _props in _rows(view, ids):
        out[row["id"]] = Side(row["id"], row["caption"], row["agency"], row["schema"])
    return out


def _rows(view: View, ids: list[str]) -> Iterator[tuple[dict[str, Any], dict[str, list[str]]]]:
    for entity_id in ids:
        try:
            yield view.entity_row(entity_id), {}
        except NotFound:
            continue


def queue(node: Node, actor: Actor, schema: str = "Person", limit: int = 50) -> list[ReviewItem]:
    """Undecided pairs of the latest run between review_low and review_high, most
    uncertain first."""
    require(actor, Permission.READ)
    limit = max(1, min(limit, MAX_QUEUE))
    with node.view(actor) as view:
        latest = rs.latest_run(view, schema)
        if latest is None:
            return []
        spec = ResolutionSpec.from_dict(latest["spec"])
        decided = cl.effective(rs.judgement_rows(view))
        judged = decided.confirmed | decided.rejected
        rows = rs.matches(
            view, latest["id"], low=spec.review_low, high=spec.review_high, limit=limit * 4
        )
        rows = [r for r in rows if (r["left_id"], r["right_id"]) not in judged]
        rows.sort(key=lambda r: abs(r["probability"] - spec.threshold))
        rows = rows[:limit]
        sides = _sides(view, sorted({r["left_id"] for r in rows} | {r["right_id"] for r in rows}))
        items = [
            ReviewItem(
                sides[r["left_id"]],
                sides[r["right_id"]],
                r["probability"],
                r["weight"],
                r["explanation"],
            )
            for r in rows
            if r["left_id"] in sides and r["right_id"] in sides
        ]
        node.audit(
            view.conn,
            actor,
            "read",
            "resolution_queue",
            latest["id"],
            shown=[i for item in items for i in (item.left.id, item.right.id)],
        )
    return items


def _check_visible(view: View, *ids: str) -> None:
    for entity_id in ids:
        if not is_entity_id(entity_id):
            raise NotFound("no such record")
    if len(view.existing(list(ids))) != len(set(ids)):
        raise NotFound("no such record")


def judge(
    node: Node, actor: Actor, left_id: str, right_id: str, verdict: str, note: str = ""
) -> Judgement:
    """Confirm or reject that two visible records are the same entity."""
    require(actor, Permission.IMPORT)
    if verdict not in VERDICTS:
        raise BadRequest(f"verdict must be one of {', '.join(VERDICTS)}, not {verdict!r}")
    if left_id == right_id:
        raise BadRequest("a judgement needs two different records")
    left_id, right_id = cl.pair_key(left_id, right_id)
    with node.view(actor) as view:
        _check_visible(view, left_id, right_id)
        row = rs.add_judgement(
            view.conn, actor.agency, actor.username, left_id, right_id, verdict, note[:2000] or None
        )
        node.audit(
            view.conn,
            actor,
            "judge",
            "resolution_judgement",
            str(row["id"]),
            verdict=verdict,
            left=left_id,
            right=right_id,
        )
    return _judgement(row)


def split(node: Node, actor: Actor, entity_id: str, note: str = "") -> Judgement:
    """Take a record out of its cluster: later runs join it only through confirmed pairs."""
    require(actor, Permission.IMPORT)
    with node.view(actor) as view:
        _check_visible(view, entity_id)
        row = rs.add_judgement(
            view.conn, actor.agency, actor.username, entity_id, None, "split", note[:2000] or None
        )
        node.audit(
            view.conn,
            actor,
            "judge",
            "resolution_judgement",
            str(row["id"]),
            verdict="split",
            left=entity_id,
        )
    return _judgement(row)


def undo(node: Node, actor: Actor, judgement_id: int) -> Judgement:
    """Cancel one of the agency's judgements by appending an undo row."""
    require(actor, Permission.IMPORT)
    with node.view(actor) as view:
        target = rs.judgement(view, judgement_id)
        if target is None:
            raise NotFound("no such judgement")
        if target["verdict"] == "undo":
            raise Conflict("an undo cannot be undone; judge the pair again instead")
        if rs.is_undone(view, judgement_id):
            raise Conflict(f"judgement {judgement_id} is already undone")
        row = rs.add_judgement(
            view.conn,
            actor.agency,
            actor.username,
            target["left_id"],
            target["right_id"],
            "undo",
            undoes=judgement_id,
        )
        node.audit(
            view.conn,
            actor,
            "judge",
            "resolution_judgement",
            str(row["id"]),
            verdict="undo",
            undoes=judgement_id,
        )
    return _judgement(row)


def cluster_of(node: Node, actor: Actor, entity_id: str, schema: str = "Person") -> Cluster:
    """The canonical entity a visible record belongs to: members, linking pairs, judgements."""
    require(actor, Permission.READ)
    with node.view(actor) as view:
        _check_visible(view, entity_id)
        latest = rs.latest_run(view, schema)
        cluster_id = cl.singleton_id(entity_id)
        member_ids = [entity_id]
        if latest is not None:
            cluster_id = rs.members(view, latest["id"]).get(entity_id, cluster_id)
            found = rs.cluster_members(view, latest["id"], cluster_id)
            member_ids = found or member_ids
        pairs = rs.matches(view, latest["id"], ids=member_ids, limit=500) if latest else []
        inside = set(member_ids)
        pairs = [p for p in pairs if p["left_id"] in inside and p["right_id"] in inside]
        rows = [_judgement(r) for r in rs.judgement_rows(view, member_ids)]
        sides = _sides(view, member_ids)
        node.audit(view.conn, actor, "read", "resolution_cluster", cluster_id, shown=member_ids)
    return Cluster(
        cluster_id,
        latest["id"] if latest else None,
        [sides[i] for i in member_ids if i in sides],
        pairs,
        rows,
    )


def recent_runs(node: Node, actor: Actor, limit: int = 20) -> list[dict[str, Any]]:
    require(actor, Permission.READ)
    with node.view(actor) as view:
        return rs.runs(view, limit)


def judgement_history(node: Node, actor: Actor, limit: int = 50) -> list[Judgement]:
    """The agency's newest judgements first (for the review page's undo list)."""
    require(actor, Permission.READ)
    with node.view(actor) as view:
        rows = rs.judgement_rows(view)
        undone = {r["undoes"] for r in rows if r["verdict"] == "undo"}
        out = [
            _judgement(r)
            for r in reversed(rows)
            if r["id"] not in undone and r["verdict"] != "undo"
        ]
    return out[:limit]
