"""Agencies, users, logins, sessions and API tokens.

Passwords are hashed with argon2id. A login that fails ``max_failed_logins`` times in a row
locks the account for ``lockout_minutes``. Unknown usernames, wrong passwords and inactive
accounts all give the same error after the same amount of hashing work, so the login form
does not tell an attacker which usernames exist. Session cookies and API tokens are random
secrets of which only a SHA-256 is stored; a stolen database does not yield a usable token.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Any, Literal

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Connection, select

from narcolink.exc import AccountLocked, BadRequest, Conflict, Forbidden, NotAuthenticated, NotFound
from narcolink.model.roles import Actor, Permission, Role
from narcolink.services.node import Node, require
from narcolink.store import tables as t
from narcolink.store.base import utcnow

Kind = Literal["session", "token"]
KINDS: tuple[str, ...] = ("session", "token")
MIN_PASSWORD = 12
MAX_PASSWORD = 1024  # hashing megabytes of "password" is a cheap denial of service
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
LOGIN_FAILED = "wrong username or password"
U = t.users
C = t.credentials


@cache
def _hasher() -> PasswordHasher:
    """argon2id with the library's RFC 9106 low-memory defaults."""
    return PasswordHasher()


@cache
def _dummy_hash() -> str:
    """A hash to verify against for unknown users, so they cost the same time as known ones."""
    return _hasher().hash(secrets.token_hex(16))


def aware(value: datetime | None) -> datetime | None:
    """SQLite hands back naive UTC datetimes; PostgreSQL aware ones. Make both aware."""
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _roles(text: str) -> frozenset[Role]:
    return frozenset(Role(r) for r in text.split(",") if r)


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
            roles=_roles(row["roles"]),
            active=bool(row["active"]),
            locked_until=aware(row["locked_until"]),
            created_at=aware(row["created_at"]) or utcnow(),
            last_login=aware(row["last_login"]),
        )


@dataclass(frozen=True)
class SessionTokens:
    """A freshly opened session or token. ``secret`` is shown once and never stored."""

    secret: str
    kind: str
    token_id: str
    expires_at: datetime
    csrf: str | None = None
    label: str | None = None


@dataclass(frozen=True)
class Credential:
    """What a presented secret stands for: who, and (for sessions) the CSRF token."""

    actor: Actor
    kind: str
    token_id: str
    expires_at: datetime
    csrf: str | None


@dataclass(frozen=True)
class TokenInfo:
    token_id: str
    kind: str
    label: str | None
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None


# --- validation -------------------------------------------------------------------------


def check_password(password: str, username: str = "") -> None:
    """The password policy; raises BadRequest saying which rule failed."""
    if len(password) < MIN_PASSWORD:
        raise BadRequest(f"password must be at least {MIN_PASSWORD} characters")
    if len(password) > MAX_PASSWORD:
        raise BadRequest(f"password must be at most {MAX_PASSWORD} characters")
    if username and password.casefold() == username.casefold():
        raise BadRequest("password must not be the username")


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
    return Actor(row["username"], row["agency"], _roles(row["roles"]))


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
    hashed = _hasher().hash(password)
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
            _revoke_all(conn, row["id"])
        node.audit(conn, actor, "user.enable" if active else "user.disable", "user", username)
        return UserInfo.from_row(_user_row(conn, row["username"]))


def set_password(node: Node, actor: Actor, username: str, new_password: str) -> None:
    """An administrator resets a user's password; the user's sessions and tokens end."""
    require(actor, Permission.MANAGE_USERS)
    with node.transaction() as conn:
        row = _own_user(conn, actor, username)
        check_password(new_password, row["username"])
        _store_password(conn, row["id"], new_password)
        _revoke_all(conn, row["id"])
        node.audit(conn, actor, "user.password_reset", "user", row["username"])


def change_password(node: Node, actor: Actor, current: str, new_password: str) -> None:
    """A user changes their own password; every session and token of theirs ends."""
    check_password(new_password, actor.username)
    with node.transaction() as conn:
        row = _user_row(conn, actor.username)
        if row is None or not _verify(row["password_hash"], current):
            raise BadRequest("the current password is wrong")
        _store_password(conn, row["id"], new_password)
        _revoke_all(conn, row["id"])
        node.audit(conn, actor, "user.password_change", "user", actor.username)


def _store_password(conn: Connection, user_id: int, password: str) -> None:
    conn.execute(
        U.update()
        .where(U.c.id == user_id)
        .values(password_hash=_hasher().hash(password), failed_logins=0, locked_until=None)
    )


def _revoke_all(conn: Connection, user_id: int) -> None:
    conn.execute(
        C.update()
        .where(C.c.user_id == user_id, C.c.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )


# --- login --------------------------------------------------------------------------------


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def authenticate(node: Node, username: str, password: str) -> Actor:
    """Check a username and password; return the Actor, or raise NotAuthenticated /
    AccountLocked. Failures are counted and audited even though the call raises."""
    name = username.strip().lower()[:64]
    now = utcnow()
    with node.transaction() as conn:
        row = _user_row(conn, name)
        if row is None or len(password) > MAX_PASSWORD:
            _verify(_dummy_hash(), password[:MAX_PASSWORD])
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
    ok = _verify(row["password_hash"], password)
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
    if _hasher().check_needs_rehash(row["password_hash"]):
        values["password_hash"] = _hasher().hash(password)
    conn.execute(U.update().where(U.c.id == row["id"]).values(**values))


# --- sessions and tokens -------------------------------------------------------------------


def open_session(
    node: Node, actor: Actor, kind: Kind = "session", label: str | None = None
) -> SessionTokens:
    """Issue a login session (cookie, with a CSRF token) or an API token (bearer)."""
    if kind not in KINDS:
        raise BadRequest(f"kind must be one of {', '.join(KINDS)}")
    secret = secrets.token_urlsafe(32)
    digest = _digest(secret)
    csrf = secrets.token_urlsafe(32) if kind == "session" else None
    now = utcnow()
    expires = now + timedelta(hours=node.settings.session_hours)
    label = (label or "").strip()[:100] or None
    with node.transaction() as conn:
        row = _user_row(conn, actor.username)
        if row is None or not row["active"]:
            raise NotAuthenticated("this account cannot sign in")
        conn.execute(
            C.insert().values(
                token_hash=digest,
                user_id=row["id"],
                kind=kind,
                label=label,
                csrf=csrf,
                created_at=now,
                expires_at=expires,
            )
        )
        action = "session.open" if kind == "session" else "token.create"
        node.audit(conn, actor, action, "credential", digest[:16], label=label)
    return SessionTokens(secret, kind, digest[:16], expires, csrf, label)


def resolve_secret(node: Node, secret: str, kind: Kind) -> Credential:
    """The live credential behind a presented secret, or NotAuthenticated."""
    if not secret or len(secret) > 200:
        raise NotAuthenticated("sign in first")
    with node.transaction() as conn:
        row = (
            conn.execute(
                select(C, U.c.username, U.c.agency, U.c.roles, U.c.active)
                .join(U, U.c.id == C.c.user_id)
                .where(C.c.token_hash == _digest(secret), C.c.kind == kind)
            )
            .mappings()
            .first()
        )
    expires = aware(row["expires_at"]) if row is not None else None
    if row is None or row["revoked_at"] is not None or not row["active"]:
        raise NotAuthenticated("sign in first: the session or token is not valid")
    if expires is None or expires <= utcnow():
        raise NotAuthenticated("sign in again: the session or token has expired")
    actor = Actor(row["username"], row["agency"], _roles(row["roles"]))
    return Credential(actor, kind, row["token_hash"][:16], expires, row["csrf"])


def actor_for_secret(node: Node, secret: str, kind: Kind) -> Actor:
    return resolve_secret(node, secret, kind).actor


def revoke_session(node: Node, secret: str) -> None:
    """Log out: end the session or token that this secret stands for."""
    digest = _digest(secret)
    with node.transaction() as conn:
        row = (
            conn.execute(
                select(C.c.kind, U.c.username, U.c.agency, U.c.roles)
                .join(U, U.c.id == C.c.user_id)
                .where(C.c.token_hash == digest, C.c.revoked_at.is_(None))
            )
            .mappings()
            .first()
        )
        if row is None:
            return
        conn.execute(C.update().where(C.c.token_hash == digest).values(revoked_at=utcnow()))
        who = Actor(row["username"], row["agency"], _roles(row["roles"]))
        action = "logout" if row["kind"] == "session" else "token.revoke"
        node.audit(conn, who, action, "credential", digest[:16])


def list_tokens(node: Node, actor: Actor) -> list[TokenInfo]:
    """The caller's own API tokens, newest first (secrets are never shown again)."""
    with node.transaction() as conn:
        rows = conn.execute(
            select(C)
            .join(U, U.c.id == C.c.user_id)
            .where(U.c.username == actor.username, C.c.kind == "token")
            .order_by(C.c.created_at.desc())
        ).mappings()
        return [
            TokenInfo(
                token_id=r["token_hash"][:16],
                kind=r["kind"],
                label=r["label"],
                created_at=aware(r["created_at"]) or utcnow(),
                expires_at=aware(r["expires_at"]) or utcnow(),
                revoked_at=aware(r["revoked_at"]),
            )
            for r in rows
        ]


def revoke_token(node: Node, actor: Actor, token_id: str) -> None:
    """Revoke one of the caller's own API tokens by its public id."""
    if not re.fullmatch(r"[0-9a-f]{16}", token_id):
        raise NotFound("no such token")
    with node.transaction() as conn:
        row = conn.execute(
            select(C.c.token_hash, C.c.revoked_at)
            .join(U, U.c.id == C.c.user_id)
            .where(
                U.c.username == actor.username,
                C.c.kind == "token",
                C.c.token_hash.startswith(token_id, autoescape=True),
            )
        ).first()
        if row is None:
            raise NotFound("no such token")
        if row.revoked_at is None:
            conn.execute(
                C.update().where(C.c.token_hash == row.token_hash).values(revoked_at=utcnow())
            )
            node.audit(conn, actor, "token.revoke", "credential", token_id)
