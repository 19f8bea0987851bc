"""A node: one agency's deployment (settings, store, keys). Opened once per process."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection

from narcolink.exc import Forbidden
from narcolink.model.roles import Actor, Permission
from narcolink.settings import Settings
from narcolink.store import Store
from narcolink.store import audit as audit_log
from narcolink.store.view import View


def _key_file(path: Path) -> bytes:
    """Read a 32-byte key from ``path``, creating it (mode 600) on first use."""
    if path.exists():
        return bytes.fromhex(path.read_text().strip())
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_bytes(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(key.hex())
    return key


def require(actor: Actor, permission: Permission) -> None:
    """The one permission check; raises Forbidden naming what is missing."""
    if not actor.can(permission):
        raise Forbidden(f"your roles do not allow {permission.value!r}")


@dataclass
class Node:
    settings: Settings
    store: Store
    secret_key: bytes

    @classmethod
    def open(cls, settings: Settings, migrate: bool = True) -> Node:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        audit_key = _key_file(settings.data_dir / "audit.key")
        secret = (
            settings.secret_key.encode()
            if settings.secret_key
            else _key_file(settings.data_dir / "secret.key")
        )
        store = Store(settings.store_url, audit_key)
        if migrate:
            store.migrate()
        return cls(settings=settings, store=store, secret_key=secret)

    def close(self) -> None:
        self.store.close()

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        with self.store.transaction() as conn:
            yield conn

    @contextmanager
    def view(self, actor: Actor) -> Iterator[View]:
        """A scoped read inside one transaction (so its audit rows commit with it)."""
        require(actor, Permission.READ)
        with self.store.transaction() as conn:
            yield View(conn, actor.agency, actor.username)

    def audit(
        self,
        conn: Connection,
        actor: Actor | None,
        action: str,
        object_type: str | None = None,
        object_id: str | None = None,
        **detail: Any,
    ) -> int:
        return audit_log.append(
            conn,
            self.store.audit_key,
            actor=actor.username if actor else "system",
            agency=actor.agency if actor else None,
            action=action,
            object_type=object_type,
            object_id=object_id,
            detail=detail,
        )
