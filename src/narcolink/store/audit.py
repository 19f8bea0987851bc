"""Append-only, hash-chained audit log.

Each row's hash is an HMAC (keyed with the node's audit key, kept outside the database)
over its content and the previous row's hash. Editing a row breaks its hash; deleting or
reordering rows breaks the chain or the sequence; deleting the newest rows is caught by
the head row, whose MAC covers the last sequence number and hash. Someone with write
access to the database but not the key cannot forge a consistent chain.

Wiping the log and its head together leaves an empty chain, which is reported while the
store holds users or imports (their creation is always audited). A wipe followed by new
appends, which restart the chain, is beyond what the database alone can show; catching it
needs a copy of the head kept outside the database.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, func, select
from sqlalchemy.dialects import postgresql, sqlite

from narcolink.store import tables as t
from narcolink.store.base import utcnow

GENESIS = "0" * 64
A = t.audit_log


def _canonical(row: dict[str, Any]) -> bytes:
    payload = {
        "seq": int(row["seq"]),
        "at": row["at"].isoformat() if hasattr(row["at"], "isoformat") else str(row["at"]),
        "actor": row["actor"],
        "agency": row["agency"],
        "action": row["action"],
        "object_type": row["object_type"],
        "object_id": row["object_id"],
        "detail": row["detail"],
        "prev_hash": row["prev_hash"],
    }
    return json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()


def _mac(key: bytes, data: bytes) -> str:
    return hmac.new(key, data, hashlib.sha256).hexdigest()


def _head_mac(key: bytes, seq: int, last_hash: str) -> str:
    return _mac(key, f"head\x1f{seq}\x1f{last_hash}".encode())


def _normalise_at(value: Any) -> Any:
    # SQLite returns naive datetimes; hash the UTC wall time consistently either way.
    if hasattr(value, "tzinfo") and value.tzinfo is not None:
        return value.replace(tzinfo=None)
    return value


def append(
    conn: Connection,
    key: bytes,
    *,
    actor: str,
    agency: str | None,
    action: str,
    object_type: str | None = None,
    object_id: str | None = None,
    detail: dict[str, Any] | None = None,
) -> int:
    """Append one row inside the caller's transaction; returns its sequence number."""
    head = _lock_head(conn, key)
    seq = int(head["seq"]) + 1
    prev = head["hash"]
    row: dict[str, Any] = {
        "seq": seq,
        "at": _normalise_at(utcnow()),
        "actor": actor,
        "agency": agency,
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "detail": json.dumps(detail or {}, sort_keys=True, ensure_ascii=False, default=str),
        "prev_hash": prev,
    }
    row["hash"] = _mac(key, _canonical(row))
    conn.execute(A.insert().values(**row))
    head_values = {"seq": seq, "hash": row["hash"], "mac": _head_mac(key, seq, row["hash"])}
    conn.execute(t.audit_head.update().where(t.audit_head.c.id == 1).values(**head_values))
    return seq


def _lock_head(conn: Connection, key: bytes) -> Any:
    """The head row, locked until the caller's transaction ends; created on first use.

    Two first appends racing on an empty log both find no head: the insert that loses
    waits for the winner's commit and does nothing, then both lock the one head row.
    """
    locked = select(t.audit_head).where(t.audit_head.c.id == 1).with_for_update()
    head = conn.execute(locked).mappings().first()
    if head is None:
        insert = postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert
        conn.execute(
            insert(t.audit_head)
            .values(id=1, seq=0, hash=GENESIS, mac=_head_mac(key, 0, GENESIS))
            .on_conflict_do_nothing()
        )
        head = conn.execute(locked).mappings().one()
    return head


@dataclass(frozen=True)
class AuditProblem:
    seq: int | None
    reason: str

    def __str__(self) -> str:
        where = f"row {self.seq}" if self.seq is not None else "log"
        return f"{where}: {self.reason}"


def verify(conn: Connection, key: bytes) -> tuple[int, list[AuditProblem]]:
    """Walk the chain; return (rows checked, problems). No problems means intact."""
    problems: list[AuditProblem] = []
    expected_seq = 1
    prev = GENESIS
    count = 0
    for row in conn.execute(select(A).order_by(A.c.seq)).mappings():
        count += 1
        data = dict(row)
        data["at"] = _normalise_at(data["at"])
        seq = int(data["seq"])
        if seq != expected_seq:
            problems.append(
                AuditProblem(seq, f"sequence jumps from {expected_seq - 1} to {seq}: rows deleted")
            )
        if data["prev_hash"] != prev:
            problems.append(
                AuditProblem(seq, "does not follow the previous row: reordered or a row removed")
            )
        if not hmac.compare_digest(_mac(key, _canonical(data)), data["hash"]):
            problems.append(AuditProblem(seq, "content does not match its hash: row edited"))
        prev = data["hash"]
        expected_seq = seq + 1
    head = conn.execute(select(t.audit_head).where(t.audit_head.c.id == 1)).mappings().first()
    last_seq = expected_seq - 1
    if head is None:
        if count:
            problems.append(AuditProblem(None, "head record missing"))
        elif _holds_audited_work(conn):
            problems.append(
                AuditProblem(
                    None,
                    "the log and its head are gone, but the store holds users or imports, "
                    "whose creation is always audited: the log was wiped",
                )
            )
    else:
        if not hmac.compare_digest(_head_mac(key, int(head["seq"]), head["hash"]), head["mac"]):
            problems.append(AuditProblem(None, "head record edited"))
        if int(head["seq"]) != last_seq or head["hash"] != prev:
            problems.append(
                AuditProblem(
                    None,
                    f"head says the log ends at row {head['seq']}, but it ends at row {last_seq}: "
                    "newest rows deleted or replaced",
                )
            )
    return count, problems


def _holds_audited_work(conn: Connection) -> bool:
    """Whether the store holds rows whose creation always appends to the log."""
    for table in (t.users, t.batches):
        if conn.execute(select(table).limit(1)).first() is not None:
            return True
    return False


def recent(
    conn: Connection, limit: int = 100, agency: str | None = None, object_id: str | None = None
) -> Iterator[dict[str, Any]]:
    stmt = select(A).order_by(A.c.seq.desc()).limit(limit)
    if agency:
        stmt = stmt.where(A.c.agency == agency)
    if object_id:
        stmt = stmt.where(A.c.object_id == object_id)
    for row in conn.execute(stmt).mappings():
        yield dict(row)


def count(conn: Connection) -> int:
    return int(conn.execute(select(func.count()).select_from(A)).scalar_one())
