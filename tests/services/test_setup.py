"""Setting a node up: store, agency, first administrator; acting as a user at the shell."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from narcolink import exc
from narcolink.model.roles import Role
from narcolink.services import accounts
from narcolink.services.node import Node
from narcolink.services.setup import AdminSpec, AgencySpec, init_node, operator_actor
from narcolink.settings import Settings
from narcolink.store import audit as audit_log
from narcolink.store import tables as t

NCB = AgencySpec("ncb", "Narcotics Control Bureau", "in")
PASSWORD = "a long enough admin password"


def test_init_creates_store_agency_and_admin_who_can_log_in(settings: Settings) -> None:
    result = init_node(settings, NCB, AdminSpec("asha", PASSWORD, "Asha Rao"))
    assert result.agency == "ncb"
    assert result.admin == "asha"
    node = Node.open(settings)
    try:
        actor = accounts.authenticate(node, "asha", PASSWORD)
        assert actor.agency == "ncb"
        assert actor.roles == {Role.ADMIN}
        with node.transaction() as conn:
            actions = [r["action"] for r in audit_log.recent(conn, 100)]
            assert node.store.agency(conn, "ncb")["country"] == "in"
        assert "agency.create" in actions
        assert "user.create" in actions
    finally:
        node.close()


def test_init_twice_is_refused_and_changes_nothing(settings: Settings) -> None:
    init_node(settings, NCB, AdminSpec("asha", PASSWORD))
    with pytest.raises(exc.Conflict, match="already initialised"):
        init_node(settings, NCB, AdminSpec("other", PASSWORD))
    node = Node.open(settings)
    try:
        with node.transaction() as conn:
            names = conn.execute(select(t.users.c.username)).scalars().all()
        assert names == ["asha"]
    finally:
        node.close()


def test_init_with_a_weak_password_writes_nothing_and_can_be_rerun(settings: Settings) -> None:
    with pytest.raises(exc.BadRequest, match="at least 12"):
        init_node(settings, NCB, AdminSpec("asha", "short"))
    node = Node.open(settings)
    try:
        with node.transaction() as conn:
            assert node.store.agencies(conn) == []
    finally:
        node.close()
    assert init_node(settings, NCB, AdminSpec("asha", PASSWORD)).admin == "asha"


def test_init_reuses_an_agency_left_without_users(settings: Settings) -> None:
    node = Node.open(settings)
    try:
        accounts.create_agency(node, "ncb", "Narcotics Control Bureau", "in")
    finally:
        node.close()
    assert init_node(settings, NCB, AdminSpec("asha", PASSWORD)).agency == "ncb"


def test_operator_acts_as_an_active_user_with_their_roles(node: Node) -> None:
    accounts.create_user(node, None, "ravi", PASSWORD, roles=["analyst", "liaison"], agency="ncb")
    actor = operator_actor(node, "ravi")
    assert (actor.username, actor.agency) == ("ravi", "ncb")
    assert actor.roles == {Role.ANALYST, Role.LIAISON}


def test_operator_cannot_act_as_unknown_or_disabled_users(node: Node) -> None:
    admin = accounts.create_user(node, None, "boss", PASSWORD, roles=["admin"], agency="ncb")
    accounts.create_user(node, None, "ravi", PASSWORD, roles=["analyst"], agency="ncb")
    with pytest.raises(exc.NotAuthenticated, match="no active user 'nobody'"):
        operator_actor(node, "nobody")
    accounts.set_active(node, operator_actor(node, admin.username), "ravi", False)
    with pytest.raises(exc.NotAuthenticated, match="no active user 'ravi'"):
        operator_actor(node, "ravi")
