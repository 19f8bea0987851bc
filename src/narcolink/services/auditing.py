"""Reading and verifying the hash-chained audit log.

Verifying is itself audited, but only after the check, so the verdict covers exactly the
rows that existed when it ran and the new row is checked by the next verification.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from narcolink.model.roles import Actor, Permission
from narcolink.services.node import Node, require
from narcolink.store import audit as audit_log
from narcolink.store.audit import AuditProblem


@dataclass(frozen=True)
class AuditVerdict:
    """The result of walking the chain: how many rows, and what is wrong with them."""

    rows: int
    problems: list[AuditProblem] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class AuditEntry:
    """One audit row as shown to an auditor (the hashes stay in the store)."""

    seq: int
    at: datetime
    actor: str
    agency: str | None
    action: str
    object_type: str | None
    object_id: str | None
    detail: str

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> AuditEntry:
        return cls(
            seq=int(row["seq"]),
            at=row["at"],
            actor=row["actor"],
            agency=row["agency"],
            action=row["action"],
            object_type=row["object_type"],
            object_id=row["object_id"],
            detail=row["detail"],
        )


def verify(node: Node, actor: Actor) -> AuditVerdict:
    """Walk the whole chain; the verification is audited after the walk, in one transaction."""
    require(actor, Permission.VERIFY_AUDIT)
    with node.transaction() as conn:
        rows, problems = audit_log.verify(conn, node.store.audit_key)
        node.audit(
            conn,
            actor,
            "audit.verify",
            "audit_log",
            None,
            rows=rows,
            problems=len(problems),
        )
    return AuditVerdict(rows=rows, problems=problems)


def recent(node: Node, actor: Actor, limit: int = 50) -> list[AuditEntry]:
    """The newest rows recorded for the actor's agency, newest first.

    An auditor of one agency does not read what another agency's users did on a shared node.
    """
    require(actor, Permission.READ_AUDIT)
    limit = max(1, min(int(limit), 1000))
    with node.transaction() as conn:
        rows = [AuditEntry.from_row(r) for r in audit_log.recent(conn, limit, agency=actor.agency)]
        node.audit(conn, actor, "audit.read", "audit_log", None, limit=limit, rows=len(rows))
    return rows
