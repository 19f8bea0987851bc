"""Audit service: verifying the chain (audited after the check) and reading recent rows."""

from __future__ import annotations

import pytest
from sqlalchemy import update

from narcolink import exc
from narcolink.model.roles import Actor, Role
from narcolink.services import auditing
from narcolink.services.node import Node
from narcolink.store import tables as t


def actor(agency: str, role: Role, username: str) -> Actor:
    return Actor(username, agency, frozenset({role}))


AUDITOR = actor("ncb", Role.AUDITOR, username="ncb-auditor")
DEA_AUDITOR = actor("dea", Role.AUDITOR, username="dea-auditor")
SUPERVISOR = actor("ncb", Role.SUPERVISOR, username="ncb-supervisor")
ANALYST = actor("ncb", Role.ANALYST, username="ncb-analyst")


def _work(node: Node, n: int = 3) -> None:
    with node.transaction() as conn:
        for i in range(n):
            node.audit(conn, ANALYST, "record.read", "entity", f"e{i}")


def test_intact_chain_verifies_and_the_check_is_audited_afterwards(node: Node) -> None:
    _work(node)
    first = auditing.verify(node, AUDITOR)
    assert first.intact
    assert first.problems == []
    second = auditing.verify(node, AUDITOR)
    assert second.intact
    assert second.rows == first.rows + 1  # the first verification's own row, now verified
    newest = auditing.recent(node, AUDITOR, 2)
    assert newest[1].action == "audit.verify"
    assert '"problems": 0' in newest[1].detail


def test_an_edited_row_is_reported(node: Node) -> None:
    _work(node)
    with node.transaction() as conn:
        conn.execute(update(t.audit_log).where(t.audit_log.c.seq == 2).values(actor="someone"))
    verdict = auditing.verify(node, AUDITOR)
    assert not verdict.intact
    assert [p.seq for p in verdict.problems] == [2]
    assert "edited" in str(verdict.problems[0])


@pytest.mark.parametrize("who", [ANALYST, SUPERVISOR])
def test_verify_needs_the_verify_permission(node: Node, who) -> None:
    with pytest.raises(exc.Forbidden, match="verify_audit"):
        auditing.verify(node, who)


def test_recent_needs_read_audit_and_shows_only_the_own_agency(node: Node) -> None:
    _work(node, 2)
    dea = actor("dea", Role.ANALYST, username="dea-analyst")
    with node.transaction() as conn:
        node.audit(conn, dea, "record.read", "entity", "secret-dea-object")
    with pytest.raises(exc.Forbidden):
        auditing.recent(node, ANALYST, 10)
    ncb_rows = auditing.recent(node, SUPERVISOR, 10)
    assert {r.agency for r in ncb_rows} == {"ncb"}
    assert all(r.object_id != "secret-dea-object" for r in ncb_rows)
    dea_rows = auditing.recent(node, DEA_AUDITOR, 10)
    assert [r.object_id for r in dea_rows if r.action == "record.read"] == ["secret-dea-object"]


def test_recent_is_newest_first_and_limited(node: Node) -> None:
    _work(node, 5)
    rows = auditing.recent(node, AUDITOR, 3)
    assert len(rows) == 3
    assert [r.seq for r in rows] == sorted((r.seq for r in rows), reverse=True)
