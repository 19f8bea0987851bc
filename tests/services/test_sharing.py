"""Sharing: only the originator shares and revokes; a share opens the record to the
recipient's View until it is revoked or expires; every change is audited."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest
from sqlalchemy import update

from narcolink import exc
from narcolink.model.markings import TLP, Markings
from narcolink.model.records import Batch, Record, entity_id
from narcolink.model.roles import Actor, Role
from narcolink.model.vocabulary import get_schema
from narcolink.services import records, sharing
from narcolink.services.node import Node
from narcolink.store import audit as audit_log
from narcolink.store import tables as t
from narcolink.store.base import utcnow
from narcolink.store.writer import Writer


def actor(agency: str, role: Role) -> Actor:
    return Actor(f"{agency}-{role.value}", agency, frozenset({role}))


NCB_SUP = actor("ncb", Role.SUPERVISOR)
NCB_LIAISON = actor("ncb", Role.LIAISON)
NCB_ANALYST = actor("ncb", Role.ANALYST)
DEA_ANALYST = actor("dea", Role.ANALYST)
DEA_LIAISON = actor("dea", Role.LIAISON)


def write_person(node: Node, agency: str, key: str, name: str, tlp: TLP = TLP.AMBER) -> str:
    batch = Batch(
        id=uuid.uuid4().hex,
        agency=agency,
        source="case-files",
        filename="seed.csv",
        sha256=uuid.uuid4().hex,
        markings=Markings(tlp=tlp),
        created_by="seed",
        created_at=utcnow(),
    )
    record = Record(entity_id(agency, "case-files", key), get_schema("Person"), key)
    record.add("name", name)
    with node.transaction() as conn, Writer(conn, batch) as writer:
        writer.write(record)
    return record.id


def visible_to(node: Node, who: Actor, eid: str) -> bool:
    try:
        records.entity_page(node, who, eid)
    except exc.NotFound:
        return False
    return True


def actions(node: Node) -> list[str]:
    with node.transaction() as conn:
        return [r["action"] for r in audit_log.recent(conn, limit=100)]


@pytest.fixture
def ravi(node: Node) -> str:
    return write_person(node, "ncb", "p1", "Ravi Kumar")


def test_share_opens_and_revoke_closes_the_record(node: Node, ravi: str) -> None:
    assert not visible_to(node, DEA_ANALYST, ravi)
    assert records.search(node, DEA_ANALYST, "ravi") == []
    info = sharing.share(node, NCB_LIAISON, ravi, "DEA", "MED MAX joint operation")
    assert (info.recipient, info.shared_by, info.active) == ("dea", "ncb-liaison", True)
    assert visible_to(node, DEA_ANALYST, ravi)
    assert [h.id for h in records.search(node, DEA_ANALYST, "ravi")] == [ravi]
    assert "share" in actions(node)

    revoked = sharing.revoke_share(node, NCB_SUP, info.id)
    assert revoked.revoked_at is not None and not revoked.active
    assert not visible_to(node, DEA_ANALYST, ravi)
    assert records.search(node, DEA_ANALYST, "ravi") == []
    assert "share.revoke" in actions(node)
    with pytest.raises(exc.Conflict):
        sharing.revoke_share(node, NCB_SUP, info.id)


def test_only_roles_with_share_permission_share(node: Node, ravi: str) -> None:
    with pytest.raises(exc.Forbidden):
        sharing.share(node, NCB_ANALYST, ravi, "dea", "because")
    assert not visible_to(node, DEA_ANALYST, ravi)


def test_recipient_cannot_pass_on_or_revoke(node: Node, ravi: str) -> None:
    info = sharing.share(node, NCB_SUP, ravi, "dea", "joint operation")
    with node.transaction() as conn:
        node.store.add_agency(conn, "afp", "Australian Federal Police", "au")
    with pytest.raises(exc.Forbidden):
        sharing.share(node, DEA_LIAISON, ravi, "afp", "passing it on")
    with pytest.raises(exc.NotFound):
        sharing.revoke_share(node, DEA_LIAISON, info.id)
    assert sharing.list_shares(node, DEA_LIAISON, ravi) == []
    assert [s.id for s in sharing.list_shares(node, NCB_SUP, ravi)] == [info.id]


def test_sharing_a_record_one_cannot_see_is_not_found(node: Node) -> None:
    dea_only = write_person(node, "dea", "d1", "John Doe")
    with pytest.raises(exc.NotFound) as hidden:
        sharing.share(node, NCB_SUP, dea_only, "ncb", "curious")
    with pytest.raises(exc.NotFound) as missing:
        sharing.share(node, NCB_SUP, "dea-" + "f" * 24, "ncb", "curious")
    assert hidden.value.detail == missing.value.detail
    with pytest.raises(exc.NotFound):
        sharing.revoke_share(node, NCB_SUP, 12345)


def test_red_records_need_a_purpose(node: Node) -> None:
    red = write_person(node, "ncb", "r1", "Kingpin", tlp=TLP.RED)
    with pytest.raises(exc.BadRequest, match="TLP:RED"):
        sharing.share(node, NCB_SUP, red, "dea", "   ")
    assert not visible_to(node, DEA_ANALYST, red)
    sharing.share(node, NCB_SUP, red, "dea", "controlled delivery, case 42")
    assert visible_to(node, DEA_ANALYST, red)


def test_bad_share_requests(node: Node, ravi: str) -> None:
    with pytest.raises(exc.BadRequest, match="own agency"):
        sharing.share(node, NCB_SUP, ravi, "ncb", "x")
    with pytest.raises(exc.NotFound, match="agency"):
        sharing.share(node, NCB_SUP, ravi, "kgb", "x")
    with pytest.raises(exc.BadRequest, match="future"):
        sharing.share(node, NCB_SUP, ravi, "dea", "x", expires=date.today() - timedelta(days=1))
    with pytest.raises(exc.BadRequest, match="purpose"):
        sharing.share(node, NCB_SUP, ravi, "dea", "x" * 2001)
    sharing.share(node, NCB_SUP, ravi, "dea", "x", expires=date.today() + timedelta(days=2))
    with pytest.raises(exc.Conflict):
        sharing.share(node, NCB_SUP, ravi, "dea", "again")


def test_expired_share_hides_the_record_again(node: Node, ravi: str) -> None:
    sharing.share(node, NCB_SUP, ravi, "dea", "x", expires=date.today() + timedelta(days=2))
    assert visible_to(node, DEA_ANALYST, ravi)
    with node.transaction() as conn:
        conn.execute(update(t.shares).values(expires_at=utcnow() - timedelta(seconds=1)))
    assert not visible_to(node, DEA_ANALYST, ravi)
    # An expired share no longer blocks a new one.
    sharing.share(node, NCB_SUP, ravi, "dea", "renewed")
    assert visible_to(node, DEA_ANALYST, ravi)
