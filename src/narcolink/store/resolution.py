"""Resolution rows: runs, explained matches, cluster members, append-only judgements.

Reads take a View, so they are scoped to its agency, and every record id they return is
one the View may still see (a share revoked since the run hides the pairs it was in).
Writes only ever insert: nothing here updates or deletes a row.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, func, or_, select

from narcolink.store import tables as t
from narcolink.store.base import utcnow
from narcolink.store.view import View

R = t.resolution_runs
M = t.resolution_matches
C = t.resolution_members
J = t.resolution_judgements
CHUNK = 5000


def insert_run(conn: Connection, row: dict[str, Any]) -> None:
    conn.execute(R.insert().values(**row))


def insert_matches(conn: Connection, run_id: str, rows: Iterable[dict[str, Any]]) -> int:
    return _bulk(conn, M, ({"run_id": run_id, **r} for r in rows))


def insert_members(conn: Connection, run_id: str, members: Iterable[tuple[str, str]]) -> int:
    rows = ({"run_id": run_id, "entity_id": e, "cluster_id": c} for e, c in members)
    return _bulk(conn, C, rows)


def _bulk(conn: Connection, table: Any, rows: Iterable[dict[str, Any]]) -> int:
    batch: list[dict[str, Any]] = []
    count = 0
    for row in rows:
        batch.append(row)
        if len(batch) >= CHUNK:
            conn.execute(table.insert(), batch)
            count += len(batch)
            batch = []
    if batch:
        conn.execute(table.insert(), batch)
        count += len(batch)
    return count


def latest_run(view: View, schema: str) -> dict[str, Any] | None:
    stmt = (
        select(R)
        .where(R.c.agency == view.agency, R.c.schema == schema, R.c.finished_at.is_not(None))
        .order_by(R.c.started_at.desc())
        .limit(1)
    )
    row = view.conn.execute(stmt).mappings().first()
    return dict(row) if row else None


def runs(view: View, limit: int = 20) -> list[dict[str, Any]]:
    stmt = (
        select(
            R.c.id,
            R.c.schema,
            R.c.created_by,
            R.c.started_at,
            R.c.finished_at,
            R.c.record_count,
            R.c.pair_count,
            R.c.cluster_count,
        )
        .where(R.c.agency == view.agency)
        .order_by(R.c.started_at.desc())
        .limit(limit)
    )
    return [dict(r) for r in view.conn.execute(stmt).mappings()]


def members(view: View, run_id: str) -> dict[str, str]:
    """entity id -> cluster id after ``run_id`` (records in clusters of two or more)."""
    rows = view.conn.execute(select(C.c.entity_id, C.c.cluster_id).where(C.c.run_id == run_id))
    return {e: c for e, c in rows}


def cluster_members(view: View, run_id: str, cluster_id: str) -> list[str]:
    stmt = select(C.c.entity_id).where(C.c.run_id == run_id, C.c.cluster_id == cluster_id)
    return sorted(view.existing([e for (e,) in view.conn.execute(stmt)]))


def matches(
    view: View,
    run_id: str,
    *,
    low: float = 0.0,
    high: float = 1.01,
    ids: Sequence[str] | None = None,
    limit: int = 1000,
) -> list[dict[str, Any]]:
    """Scored pairs of a run (both records still visible), strongest first."""
    stmt = select(M).where(M.c.run_id == run_id, M.c.probability >= low, M.c.probability < high)
    if ids is not None:
        stmt = stmt.where(or_(M.c.left_id.in_(list(ids)), M.c.right_id.in_(list(ids))))
    stmt = stmt.order_by(M.c.probability.desc(), M.c.left_id, M.c.right_id).limit(limit * 2)
    rows = [dict(r) for r in view.conn.execute(stmt).mappings()]
    visible = view.existing(sorted({r["left_id"] for r in rows} | {r["right_id"] for r in rows}))
    return [r for r in rows if r["left_id"] in visible and r["right_id"] in visible][:limit]


def judgement_rows(view: View, ids: Sequence[str] | None = None) -> list[dict[str, Any]]:
    """This agency's judgements (all, or those naming any of ``ids``), oldest first."""
    stmt = select(J).where(J.c.agency == view.agency).order_by(J.c.id)
    if ids is not None:
        stmt = stmt.where(or_(J.c.left_id.in_(list(ids)), J.c.right_id.in_(list(ids))))
    return [dict(r) for r in view.conn.execute(stmt).mappings()]


def judgement(view: View, judgement_id: int) -> dict[str, Any] | None:
    stmt = select(J).where(J.c.id == judgement_id, J.c.agency == view.agency)
    row = view.conn.execute(stmt).mappings().first()
    return dict(row) if row else None


def is_undone(view: View, judgement_id: int) -> bool:
    stmt = select(func.count()).where(
        and_(J.c.agency == view.agency, J.c.undoes == judgement_id, J.c.verdict == "undo")
    )
    return bool(view.conn.execute(stmt).scalar_one())


def add_judgement(
    conn: Connection,
    agency: str,
    actor: str,
    left_id: str,
    right_id: str | None,
    verdict: str,
    note: str | None = None,
    undoes: int | None = None,
    at: datetime | None = None,
) -> dict[str, Any]:
    row = {
        "agency": agency,
        "left_id": left_id,
        "right_id": right_id,
        "verdict": verdict,
        "undoes": undoes,
        "note": note,
        "created_by": actor,
        "created_at": at or utcnow(),
    }
    result = conn.execute(J.insert().values(**row))
    key = result.inserted_primary_key
    assert key is not None
    return {"id": int(key[0]), **row}
