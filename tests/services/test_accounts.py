"""Accounts: users, password policy, login with lock-out, sessions and tokens."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from narcolink import exc
from narcolink.model.roles import Actor, Role
from narcolink.services import accounts
from narcolink.services.node import Node
from narcolink.store import audit as audit_log
from narcolink.store import tables as t
from narcolink.store.base import utcnow

PASSWORD = "correct horse battery"


@pytest.fixture
def admin(node: Node) -> Actor:
    accounts.create_user(node, None, "ncb-admin", PASSWORD, roles=[Role.ADMIN], agency="ncb")
    return accounts.authenticate(node, "ncb-admin", PASSWORD)


def audit_actions(node: Node) -> list[tuple[str, str | None]]:
    with node.transaction() as conn:
        rows = list(audit_log.recent(conn, limit=1000))
    return [(r["action"], r["object_id"]) for r in reversed(rows)]


def test_create_user_hashes_with_argon2id_and_audits(node: Node, admin: Actor) -> None:
    info = accounts.create_user(
        node, admin, "Analyst.One", PASSWORD, roles=["analyst", "liaison"], full_name="A. One"
    )
    assert info.username == "analyst.one"
    assert info.agency == "ncb"
    assert info.roles == {Role.ANALYST, Role.LIAISON}
    with node.transaction() as conn:
        stored = conn.execute(
            select(t.users.c.password_hash).where(t.users.c.username == "analyst.one")
        ).scalar_one()
    assert stored.startswith("$argon2id$")
    assert PASSWORD not in stored
    assert ("user.create", "analyst.one") in audit_actions(node)


@pytest.mark.parametrize(
    ("username", "password", "roles", "message"),
    [
        ("short", "elevenchars", ["analyst"], "at least 12"),
        ("huge", "x" * 1025, ["analyst"], "at most 1024"),
        ("samesame12345", "SameSame12345", ["analyst"], "not be the username"),
        ("bad name", PASSWORD, ["analyst"], "username must be"),
        ("x", PASSWORD, ["analyst"], "username must be"),
        ("noroles", PASSWORD, [], "at least one role"),
        ("badrole", PASSWORD, ["kingpin"], "unknown role 'kingpin'"),
    ],
)
def test_create_user_rejects_bad_input(
    node: Node, admin: Actor, username: str, password: str, roles: list[str], message: str
) -> None:
    with pytest.raises(exc.BadRequest, match=message):
        accounts.create_user(node, admin, username, password, roles=roles)
    assert [u.username for u in accounts.list_users(node, admin)] == ["ncb-admin"]


def test_usernames_are_unique(node: Node, admin: Actor) -> None:
    accounts.create_user(node, admin, "dup", PASSWORD, roles=["analyst"])
    with pytest.raises(exc.Conflict):
        accounts.create_user(node, None, "DUP", PASSWORD, roles=["analyst"], agency="dea")


def test_admin_manages_only_own_agency(node: Node, admin: Actor) -> None:
    with pytest.raises(exc.Forbidden):
        accounts.create_user(node, admin, "spy", PASSWORD, roles=["analyst"], agency="dea")
    accounts.create_user(node, None, "dea-one", PASSWORD, roles=["analyst"], agency="dea")
    assert "dea-one" not in [u.username for u in accounts.list_users(node, admin)]
    with pytest.raises(exc.NotFound):
        accounts.set_active(node, admin, "dea-one", False)


def test_non_admin_cannot_manage_users(node: Node, admin: Actor) -> None:
    accounts.create_user(node, admin, "worker", PASSWORD, roles=["analyst", "supervisor"])
    worker = accounts.authenticate(node, "worker", PASSWORD)
    with pytest.raises(exc.Forbidden):
        accounts.create_user(node, worker, "other", PASSWORD, roles=["analyst"])
    with pytest.raises(exc.Forbidden):
        accounts.list_users(node, worker)


def test_login_failures_use_one_message_for_unknown_and_wrong(node: Node, admin: Actor) -> None:
    with pytest.raises(exc.NotAuthenticated) as unknown:
        accounts.authenticate(node, "nobody", PASSWORD)
    with pytest.raises(exc.NotAuthenticated) as wrong:
        accounts.authenticate(node, "ncb-admin", "wrong password!!")
    assert type(unknown.value) is type(wrong.value) is exc.NotAuthenticated
    assert unknown.value.detail == wrong.value.detail
    actions = audit_actions(node)
    assert ("login.failed", "nobody") in actions
    assert ("login.failed", "ncb-admin") in actions


def test_lockout_after_max_failures_then_unlock(node: Node, admin: Actor) -> None:
    limit = node.settings.max_failed_logins
    for _ in range(limit - 1):
        with pytest.raises(exc.NotAuthenticated) as err:
            accounts.authenticate(node, "ncb-admin", "not the password")
        assert not isinstance(err.value, exc.AccountLocked)
    with pytest.raises(exc.AccountLocked):
        accounts.authenticate(node, "ncb-admin", "not the password")
    # Even the right password is refused while locked.
    with pytest.raises(exc.AccountLocked):
        accounts.authenticate(node, "ncb-admin", PASSWORD)
    assert ("login.locked", "ncb-admin") in audit_actions(node)
    # When the lock has run out, the right password works again.
    with node.transaction() as conn:
        conn.execute(
            update(t.users)
            .where(t.users.c.username == "ncb-admin")
            .values(locked_until=utcnow() - timedelta(seconds=1))
        )
    assert accounts.authenticate(node, "ncb-admin", PASSWORD).username == "ncb-admin"


def test_success_resets_failure_count(node: Node, admin: Actor) -> None:
    limit = node.settings.max_failed_logins
    for _ in range(limit - 1):
        with pytest.raises(exc.NotAuthenticated):
            accounts.authenticate(node, "ncb-admin", "not the password")
    accounts.authenticate(node, "ncb-admin", PASSWORD)
    for _ in range(limit - 1):
        with pytest.raises(exc.NotAuthenticated) as err:
            accounts.authenticate(node, "ncb-admin", "not the password")
        assert not isinstance(err.value, exc.AccountLocked)


def test_inactive_user_cannot_log_in_and_loses_sessions(node: Node, admin: Actor) -> None:
    accounts.create_user(node, admin, "leaver", PASSWORD, roles=["analyst"])
    leaver = accounts.authenticate(node, "leaver", PASSWORD)
    tokens = accounts.open_session(node, leaver, "token", label="script")
    accounts.set_active(node, admin, "leaver", False)
    with pytest.raises(exc.NotAuthenticated) as err:
        accounts.authenticate(node, "leaver", PASSWORD)
    assert err.value.detail == accounts.LOGIN_FAILED
    with pytest.raises(exc.NotAuthenticated):
        accounts.actor_for_secret(node, tokens.secret, "token")
    accounts.set_active(node, admin, "leaver", True)
    assert accounts.authenticate(node, "leaver", PASSWORD).username == "leaver"


def test_sessions_store_only_a_hash_and_resolve(node: Node, admin: Actor) -> None:
    tokens = accounts.open_session(node, admin)
    assert tokens.csrf and tokens.kind == "session"
    with node.transaction() as conn:
        stored = conn.execute(select(t.credentials)).mappings().one()
    assert stored["token_hash"] != tokens.secret
    assert tokens.secret not in str(dict(stored))
    cred = accounts.resolve_secret(node, tokens.secret, "session")
    assert cred.actor == admin
    assert cred.csrf == tokens.csrf
    # A session secret is not an API token and vice versa.
    with pytest.raises(exc.NotAuthenticated):
        accounts.actor_for_secret(node, tokens.secret, "token")
    with pytest.raises(exc.NotAuthenticated):
        accounts.actor_for_secret(node, tokens.secret + "x", "session")


def test_expired_and_revoked_sessions_are_refused(node: Node, admin: Actor) -> None:
    old = accounts.open_session(node, admin)
    with node.transaction() as conn:
        conn.execute(update(t.credentials).values(expires_at=utcnow() - timedelta(seconds=1)))
    with pytest.raises(exc.NotAuthenticated, match="expired"):
        accounts.actor_for_secret(node, old.secret, "session")
    live = accounts.open_session(node, admin)
    accounts.revoke_session(node, live.secret)
    with pytest.raises(exc.NotAuthenticated):
        accounts.actor_for_secret(node, live.secret, "session")
    assert ("logout", live.token_id) in audit_actions(node)


def test_tokens_listed_and_revoked_by_owner_only(node: Node, admin: Actor) -> None:
    accounts.create_user(node, admin, "someone", PASSWORD, roles=["analyst"])
    someone = accounts.authenticate(node, "someone", PASSWORD)
    token = accounts.open_session(node, admin, "token", label="nightly export")
    assert [(i.token_id, i.label) for i in accounts.list_tokens(node, admin)] == [
        (token.token_id, "nightly export")
    ]
    assert accounts.list_tokens(node, someone) == []
    with pytest.raises(exc.NotFound):
        accounts.revoke_token(node, someone, token.token_id)
    assert accounts.actor_for_secret(node, token.secret, "token") == admin
    accounts.revoke_token(node, admin, token.token_id)
    with pytest.raises(exc.NotAuthenticated):
        accounts.actor_for_secret(node, token.secret, "token")


def test_change_password_checks_current_and_ends_sessions(node: Node, admin: Actor) -> None:
    session = accounts.open_session(node, admin)
    with pytest.raises(exc.BadRequest, match="current password"):
        accounts.change_password(node, admin, "not it at all", "a brand new passphrase")
    accounts.change_password(node, admin, PASSWORD, "a brand new passphrase")
    with pytest.raises(exc.NotAuthenticated):
        accounts.actor_for_secret(node, session.secret, "session")
    with pytest.raises(exc.NotAuthenticated):
        accounts.authenticate(node, "ncb-admin", PASSWORD)
    assert accounts.authenticate(node, "ncb-admin", "a brand new passphrase") == admin


def test_create_agency_validates_and_audits(node: Node) -> None:
    accounts.create_agency(node, "AFP", "Australian Federal Police", "au")
    with pytest.raises(exc.Conflict):
        accounts.create_agency(node, "afp", "Again", "au")
    with pytest.raises(exc.BadRequest):
        accounts.create_agency(node, "xx1", "Bad country", "australia")
    assert ("agency.create", "afp") in audit_actions(node)
