"""Agencies, users and logins.

Passwords are hashed with argon2id (``services.passwords``). A login that fails
``max_failed_logins`` times in a row locks the account for ``lockout_minutes``. Unknown
usernames, wrong passwords and inactive accounts all give the same error after the same
amount of hashing work, so the login form does not tell an attacker which usernames exist.
Sessions and API tokens live in ``services.sessions``; their functions are re-exported
here, where the service contract (docs/architecture.md) names them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, select

from narcolink.exc import AccountLocked, BadRequest, Conflict, Forbidden, NotAuthenticated, NotFound
from narcolink.model.roles import Actor, Permission, Role, parse_roles
from narcolink.services.node import Node, require
from narcolink.services.passwords import (
    MAX_PASSWORD,
    MIN_PASSWORD,
    check_password,
    dummy_hash,
    hasher,
    verify,
)
from narcolink.services.sessions import (
    Credential,
    Kind,
    SessionTokens,
    TokenInfo,
    actor_for_secret,
    aware,
    list_tokens,
    open_session,
    resolve_secret,
    revoke_all,
    revoke_session,
    revoke_token,
)
from narcolink.store import tables as t
from narcolink.store.base import utcnow

__all__ = [
    "MAX_PASSWORD",
    "MIN_PASSWORD",
    "Credential",
    "Kind",
    "SessionTokens",
    "TokenInfo",
    "UserInfo",
    "actor_for_secret",
    "authenticate",
    "aware",
    "change_password",
    "check_password",
    "create_agency",
    "create_user",
    "list_tokens",
    "list_users",
    "open_session",
    "parse_role_list",
    "resolve_secret",
    "revoke_session",
    "revoke_token",
    "set_active",
    "set_password",
]

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
LOGIN_FAILED = "wrong username or password"
U = t.users


# --- public shapes ----------------------------------------------------------------------


@dataclass(frozen=True)
class UserInfo:
    username: str
    full_name: str
    agency: str
    roles: frozenset[Role]
    active: bool
    locked_until: datetime | None
    created_at: datetime
    last_login: datetime | None

    @classmethod
    def from_row(cls, row: Any) -> UserInfo:
        return cls(
            username=row["username"],
            full_name=row["full_name"] or "",
            agency=row["agency"],
            roles=parse_roles(row["roles"]),
            active=bool(row["active"]),
            locked_until=aware(row["locked_until"]),
            created_at=aware(row["created_at"]) or utcnow(),
            last_login=aware(row["last_login"]),
        )


# --- validation -------------------------------------------------------------------------


def parse_role_list(roles: Iterable[Role | str]) -> frozenset[Role]:
    out: set[Role] = set()
    for role in roles:
        try:
            out.add(Role(str(role).strip().lower()))
        except ValueError:
            names = ", ".join(r.value for r in Role)
            raise BadRequest(f"unknown role {role!r}; roles are {names}") from None
    if not out:
        raise BadRequest("a user needs at least one role")
    return frozenset(out)


def _clean_username(username: str) -> str:
    name = username.strip().lower()
    if not USERNAME.match(name):
        raise BadRequest(
            "username must be 2-64 characters: lower-case letters, digits, '.', '_' or '-', "
            "starting with a letter or digit"
        )
    return name


def _user_row(conn: Connection, username: str) -> Any:
    return conn.execute(select(U).where(U.c.username == username)).mappings().first()


def _actor_of(row: Any) -> Actor:
    return Actor(row["username"], row["agency"], parse_roles(row["roles"]))


# --- agencies and users -------------------------------------------------------------------


def create_agency(
    node: Node, code: str, name: str, country: str, *, actor: Actor | None = None
) -> None:
    """Register an agency. ``actor`` None is the node operator at set-up time."""
    if actor is not None:
        require(actor, Permission.MANAGE_USERS)
    if not re.fullmatch(r"[A-Za-z]{2}", country.strip()):
        raise BadRequest(f"country must be a two-letter ISO code, not {country!r}")
    with node.transaction() as conn:
        node.store.add_agency(conn, code, name.strip() or code, country.strip())
        node.audit(conn, actor, "agency.create", "agency", code.strip().lower(), name=name)


def create_user(
    node: Node,
    actor: Actor | None,
    username: str,
    password: str,
    *,
    roles: Iterable[Role | str],
    agency: str | None = None,
    full_name: str = "",
) -> UserInfo:
    """Create a user. An administrator creates users of their own agency only;
    ``actor`` None is the node operator (``narcolink init``), who must name the agency."""
    if actor is not None:
        require(actor, Permission.MANAGE_USERS)
        agency = agency or actor.agency
        if agency != actor.agency:
            raise Forbidden("administrators create users of their own agency only")
    if not agency:
        raise BadRequest("an agency is required")
    name = _clean_username(username)
    role_set = parse_role_list(roles)
    check_password(password, name)
    hashed = hasher().hash(password)
    with node.transaction() as conn:
        node.store.agency(conn, agency)
        if _user_row(conn, name) is not None:
            raise Conflict(f"username {name!r} is taken")
        conn.execute(
            U.insert().values(
                username=name,
                full_name=full_name.strip()[:200],
                agency=agency,
                roles=",".join(sorted(r.value for r in role_set)),
                password_hash=hashed,
                active=True,
                failed_logins=0,
                created_at=utcnow(),
            )
        )
        node.audit(conn, actor, "user.create", "user", name, agency=agency, roles=sorted(role_set))
        return UserInfo.from_row(_user_row(conn, name))


def list_users(node: Node, actor: Actor) -> list[UserInfo]:
    """The users of the administrator's own agency."""
    require(actor, Permission.MANAGE_USERS)
    with node.transaction() as conn:
        rows = conn.execute(
            select(U).where(U.c.agency == actor.agency).order_by(U.c.username)
        ).mappings()
        return [UserInfo.from_row(r) for r in rows]


def _own_user(conn: Connection, actor: Actor, username: str) -> Any:
    row = _user_row(conn, username.strip().lower())
    if row is None or row["agency"] != actor.agency:
        raise NotFound("no such user")
    return row


def set_active(node: Node, actor: Actor, username: str, active: bool) -> UserInfo:
    """Enable or disable a user; disabling also ends their sessions and tokens."""
    require(actor, Permission.MANAGE_USERS)
    with node.transaction() as conn:
        row = _own_user(conn, actor, username)
        if not active and row["username"] == actor.username:
            raise BadRequest("you cannot disable your own account")
        values: dict[str, Any] = {"active": active}
        if active:
            values.update(failed_logins=0, locked_until=None)
        conn.execute(U.update().where(U.c.id == row["id"]).values(**values))
        if not active:
            revoke_all(conn, row["id"])
        node.audit(conn, actor, "user.enable" if active else "user.disable", "user", username)
        return UserInfo.from_row(_user_row(conn, row["username"]))


def set_password(node: Node, actor: Actor, username: str, new_password: str) -> None:
    """An administrator resets a user's password; the user's sessions and tokens end."""
    require(actor, Permission.MANAGE_USERS)
    with node.transaction() as conn:
        row = _own_user(conn, actor, username)
        check_password(new_password, row["username"])
        _store_password(conn, row["id"], new_password)
        revoke_all(conn, row["id"])
        node.audit(conn, actor, "user.password_reset", "user", row["username"])


def change_password(node: Node, actor: Actor, current: str, new_password: str) -> None:
    """A user changes their own password; every session and token of theirs ends."""
    check_password(new_password, actor.username)
    with node.transaction() as conn:
        row = _user_row(conn, actor.username)
        if row is None or not verify(row["password_hash"], current):
            raise BadRequest("the current password is wrong")
        _store_password(conn, row["id"], new_password)
        revoke_all(conn, row["id"])
        node.audit(conn, actor, "user.password_change", "user", actor.username)


def _store_password(conn: Connection, user_id: int, password: str) -> None:
    conn.execute(
        U.update()
        .where(U.c.id == user_id)
        .values(password_hash=hasher().hash(password), failed_logins=0, locked_until=None)
    )


# --- login --------------------------------------------------------------------------------


def authenticate(node: Node, username: str, password: str) -> Actor:
    """Check a username and password; return the Actor, or raise NotAuthenticated /
    AccountLocked. Failures are counted and audited even though the call raises."""
    name = username.strip().lower()[:64]
    now = utcnow()
    with node.transaction() as conn:
        row = _user_row(conn, name)
        if row is None or len(password) > MAX_PASSWORD:
            verify(dummy_hash(), password[:MAX_PASSWORD])
            who = _actor_of(row) if row is not None else None
            reason = "unknown user" if row is None else "password longer than allowed"
            node.audit(conn, who, "login.failed", "user", name, reason=reason)
            outcome: Exception | Actor = NotAuthenticated(LOGIN_FAILED)
        else:
            outcome = _check_login(node, conn, row, password, now)
            if isinstance(outcome, Actor):
                _after_success(conn, row, password)
    if isinstance(outcome, Exception):
        raise outcome
    return outcome


def _check_login(node: Node, conn: Connection, row: Any, password: str, now: datetime) -> Any:
    """Decide one login attempt against an existing user; returns an Actor or an error."""
    who = _actor_of(row)
    ok = verify(row["password_hash"], password)
    locked_until = aware(row["locked_until"])
    if locked_until is not None and locked_until > now:
        node.audit(conn, who, "login.locked", "user", who.username, until=locked_until)
        return AccountLocked("too many failed logins: this account is locked, try again later")
    if not row["active"]:
        node.audit(conn, who, "login.failed", "user", who.username, reason="inactive")
        return NotAuthenticated(LOGIN_FAILED)
    if ok:
        node.audit(conn, who, "login", "user", who.username)
        return who
    failures = int(row["failed_logins"] or 0) + 1
    node.audit(conn, who, "login.failed", "user", who.username, reason="wrong password")
    if failures >= node.settings.max_failed_logins:
        until = now + timedelta(minutes=node.settings.lockout_minutes)
        conn.execute(
            U.update().where(U.c.id == row["id"]).values(failed_logins=0, locked_until=until)
        )
        node.audit(conn, who, "login.locked", "user", who.username, until=until)
        return AccountLocked("too many failed logins: this account is locked, try again later")
    conn.execute(U.update().where(U.c.id == row["id"]).values(failed_logins=failures))
    return NotAuthenticated(LOGIN_FAILED)


def _after_success(conn: Connection, row: Any, password: str) -> None:
    """Reset the failure count; upgrade the hash if argon2's parameters have moved on."""
    values: dict[str, Any] = {"failed_logins": 0, "locked_until": None, "last_login": utcnow()}
    if hasher().check_needs_rehash(row["password_hash"]):
        values["password_hash"] = hasher().hash(password)
    conn.execute(U.update().where(U.c.id == row["id"]).values(**values))
