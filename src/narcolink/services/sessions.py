"""Login sessions (cookies) and API tokens (bearer), and what a presented secret stands for.

A session or token is a random secret of which only a SHA-256 is stored, so a copy of the
database does not yield a usable credential. Sessions also carry the CSRF token their
forms must echo. Both expire after ``session_hours``; ending a user's credentials (log-out,
password change, disabling) sets ``revoked_at``, never deletes the row.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from sqlalchemy import Connection, select

from narcolink.exc import BadRequest, NotAuthenticated, NotFound
from narcolink.model.roles import Actor, parse_roles
from narcolink.services.node import Node
from narcolink.store import tables as t
from narcolink.store.base import utcnow

Kind = Literal["session", "token"]
KINDS: tuple[str, ...] = ("session", "token")
U = t.users
C = t.credentials


def aware(value: datetime | None) -> datetime | None:
    """SQLite hands back naive UTC datetimes; PostgreSQL aware ones. Make both aware."""
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _actor(row: Any) -> Actor:
    return Actor(row["username"], row["agency"], parse_roles(row["roles"]))


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


def revoke_all(conn: Connection, user_id: int) -> None:
    """End every live session and token of one user (inside the caller's transaction)."""
    conn.execute(
        C.update()
        .where(C.c.user_id == user_id, C.c.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )


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
        row = (
            conn.execute(select(U.c.id, U.c.active).where(U.c.username == actor.username))
            .mappings()
            .first()
        )
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
    return Credential(_actor(row), kind, row["token_hash"][:16], expires, row["csrf"])


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
        who = _actor(row)
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
