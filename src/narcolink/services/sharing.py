"""Sharing a record with a partner agency, and taking it back.

Only the agency that owns a record may share it or revoke a share: a partner that received
it cannot pass it on. A TLP:RED record is shared only with a stated purpose. A share makes
the record visible to the recipient's View until it is revoked or expires.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import select

from narcolink.exc import BadRequest, Conflict, Forbidden, NotFound
from narcolink.model.markings import TLP
from narcolink.model.roles import Actor, Permission
from narcolink.services.node import Node, require
from narcolink.services.sessions import aware
from narcolink.store import tables as t
from narcolink.store.base import utcnow

MAX_PURPOSE = 2000
SH = t.shares


@dataclass(frozen=True)
class ShareInfo:
    id: int
    entity_id: str
    recipient: str
    shared_by: str
    purpose: str | None
    created_at: datetime | None
    expires_at: datetime | None
    revoked_at: datetime | None

    @property
    def active(self) -> bool:
        if self.revoked_at is not None:
            return False
        return self.expires_at is None or self.expires_at > utcnow()


def share_info(row: Any) -> ShareInfo:
    return ShareInfo(
        id=int(row["id"]),
        entity_id=row["entity_id"],
        recipient=row["recipient"],
        shared_by=row["shared_by"],
        purpose=row["purpose"],
        created_at=aware(row["created_at"]),
        expires_at=aware(row["expires_at"]),
        revoked_at=aware(row["revoked_at"]),
    )


def _expiry(expires: date | datetime | None) -> datetime | None:
    """A date means "until the start of that day, UTC"; it must lie in the future."""
    if expires is None:
        return None
    if isinstance(expires, datetime):
        when = aware(expires)
    else:
        when = datetime.combine(expires, time.min, tzinfo=UTC)
    assert when is not None
    if when <= utcnow():
        raise BadRequest("a share's expiry must be in the future")
    return when


def share(
    node: Node,
    actor: Actor,
    entity_id: str,
    recipient: str,
    purpose: str | None,
    expires: date | datetime | None = None,
) -> ShareInfo:
    """Share one of the caller's agency's records with ``recipient``; audited."""
    require(actor, Permission.SHARE)
    purpose = (purpose or "").strip() or None
    recipient = recipient.strip().lower()
    if purpose and len(purpose) > MAX_PURPOSE:
        raise BadRequest(f"purpose must be at most {MAX_PURPOSE} characters")
    until = _expiry(expires)
    with node.view(actor) as view:
        entity = view.entity_row(entity_id)
        if entity["agency"] != actor.agency:
            raise Forbidden("only the originating agency may share this record")
        if recipient == actor.agency:
            raise BadRequest("a record cannot be shared with its own agency")
        node.store.agency(view.conn, recipient)
        if entity["tlp"] == TLP.RED.value and not purpose:
            raise BadRequest("a TLP:RED record is shared only with a stated purpose")
        live = view.conn.execute(
            select(SH.c.id, SH.c.expires_at).where(
                SH.c.entity_id == entity_id,
                SH.c.recipient == recipient,
                SH.c.revoked_at.is_(None),
            )
        ).all()
        now = utcnow()
        if any(r.expires_at is None or (aware(r.expires_at) or now) > now for r in live):
            raise Conflict(f"this record is already shared with {recipient}")
        result = view.conn.execute(
            SH.insert().values(
                entity_id=entity_id,
                recipient=recipient,
                shared_by=actor.username,
                purpose=purpose,
                created_at=now,
                expires_at=until,
            )
        )
        key = result.inserted_primary_key
        assert key is not None
        share_id = int(key[0])
        node.audit(
            view.conn,
            actor,
            "share",
            "entity",
            entity_id,
            share_id=share_id,
            recipient=recipient,
            purpose=purpose,
            expires=until,
            tlp=entity["tlp"],
        )
        row = view.conn.execute(select(SH).where(SH.c.id == share_id)).mappings().one()
        return share_info(row)


def revoke_share(node: Node, actor: Actor, share_id: int) -> ShareInfo:
    """End a share of one of the caller's agency's records; audited."""
    require(actor, Permission.SHARE)
    with node.view(actor) as view:
        row = view.conn.execute(select(SH).where(SH.c.id == int(share_id))).mappings().first()
        try:
            owner = view.entity_row(row["entity_id"])["agency"] if row else None
        except NotFound:
            owner = None
        if row is None or owner != actor.agency:
            raise NotFound("no such share")
        if row["revoked_at"] is not None:
            raise Conflict("this share is already revoked")
        now = utcnow()
        view.conn.execute(SH.update().where(SH.c.id == row["id"]).values(revoked_at=now))
        node.audit(
            view.conn,
            actor,
            "share.revoke",
            "entity",
            row["entity_id"],
            share_id=int(row["id"]),
            recipient=row["recipient"],
        )
        return share_info({**row, "revoked_at": now})


def list_shares(node: Node, actor: Actor, entity_id: str) -> list[ShareInfo]:
    """Shares of a record, newest first; only its own agency sees them (others get [])."""
    with node.view(actor) as view:
        entity = view.entity_row(entity_id)
        node.audit(view.conn, actor, "read", "entity", entity_id, part="shares")
        if entity["agency"] != actor.agency:
            return []
        rows = view.conn.execute(
            select(SH).where(SH.c.entity_id == entity_id).order_by(SH.c.id.desc())
        ).mappings()
        return [share_info(r) for r in rows]
