"""Web fixtures: the real app over the test node, users per role, signed-in clients, and a
small set of records in two agencies (ncb and dea)."""

from __future__ import annotations

import functools
import re
import uuid
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field

import pytest
from argon2 import PasswordHasher
from fastapi import FastAPI
from fastapi.testclient import TestClient

from narcolink.model.markings import TLP, Markings
from narcolink.model.records import Batch, Record, entity_id
from narcolink.model.roles import Actor, Role
from narcolink.model.vocabulary import get_schema
from narcolink.services import accounts
from narcolink.services.node import Node
from narcolink.settings import Settings
from narcolink.store import audit as audit_log
from narcolink.store import tables as t
from narcolink.store.base import utcnow
from narcolink.store.writer import Writer
from narcolink.web import create_app
from narcolink.web.deps import SESSION_COOKIE

PASSWORD = "correct horse battery"


@functools.cache
def password_hash() -> str:
    return PasswordHasher().hash(PASSWORD)


CSRF_INPUT = re.compile(r'name="csrf_token" value="([^"]*)"')


@dataclass
class Browser:
    """A signed-in client with its session's CSRF token."""

    client: TestClient
    actor: Actor
    csrf: str

    def post(self, url: str, data: dict[str, object] | None = None, **kw: object):  # type: ignore[no-untyped-def]
        form = {"csrf_token": self.csrf, **(data or {})}
        return self.client.post(url, data=form, **kw)  # type: ignore[arg-type]


@dataclass
class Web:
    app: FastAPI
    node: Node
    stack: ExitStack
    actors: dict[str, Actor] = field(default_factory=dict)

    def client(self) -> TestClient:
        return self.stack.enter_context(TestClient(self.app, follow_redirects=False))

    def user(self, agency: str, *roles: Role, username: str | None = None) -> Actor:
        """A user (created once) holding ``roles`` in ``agency``, with password PASSWORD.

        The row is written directly with one argon2 hash computed per test session:
        creating users through the service is tested in tests/services/test_accounts.py,
        and hashing anew for every fixture user would dominate the web tests' run time."""
        name = username or f"{agency}-{'-'.join(sorted(r.value for r in roles))}".replace("_", "")
        if name not in self.actors:
            with self.node.transaction() as conn:
                conn.execute(
                    t.users.insert().values(
                        username=name,
                        full_name=name,
                        agency=agency,
                        roles=",".join(sorted(r.value for r in roles)),
                        password_hash=password_hash(),
                        active=True,
                        failed_logins=0,
                        created_at=utcnow(),
                    )
                )
            self.actors[name] = Actor(name, agency, frozenset(roles))
        return self.actors[name]

    def browser(self, actor: Actor) -> Browser:
        """A client holding a fresh session for ``actor`` (no password round trip)."""
        tokens = accounts.open_session(self.node, actor, "session")
        client = self.client()
        client.cookies.set(SESSION_COOKIE, tokens.secret)
        assert tokens.csrf
        return Browser(client, actor, tokens.csrf)

    def api(self, actor: Actor) -> TestClient:
        """A client sending a fresh API token for ``actor`` (and no cookies)."""
        tokens = accounts.open_session(self.node, actor, "token", label="test")
        client = self.client()
        client.headers["Authorization"] = f"Bearer {tokens.secret}"
        return client

    def audit_count(self) -> int:
        with self.node.transaction() as conn:
            return audit_log.count(conn)

    def audit_rows(self, n: int) -> list[dict]:
        """The newest ``n`` audit rows, oldest first."""
        with self.node.transaction() as conn:
            return list(reversed(list(audit_log.recent(conn, limit=n))))


@pytest.fixture
def app(settings: Settings, node: Node) -> FastAPI:
    return create_app(settings, node=node)


@pytest.fixture
def web(app: FastAPI, node: Node) -> Iterator[Web]:
    with ExitStack() as stack:
        yield Web(app, node, stack)


def csrf_from(html: str) -> str:
    match = CSRF_INPUT.search(html)
    assert match, "no CSRF field on the page"
    return match.group(1)


Rows = list[tuple[str, str, dict[str, list[str]]]]


def write_records(
    node: Node, agency: str, rows: Rows, markings: Markings | None = None
) -> list[str]:
    """Write already-clean records for ``agency`` as one batch; return their ids."""
    batch = Batch(
        id=uuid.uuid4().hex,
        agency=agency,
        source="case-files",
        filename=f"{agency}-seed.csv",
        sha256=uuid.uuid4().hex,
        markings=markings or Markings(),
        created_by="seed",
        created_at=utcnow(),
    )
    ids = []
    with node.transaction() as conn, Writer(conn, batch) as writer:
        for key, schema, props in rows:
            record = Record(entity_id(agency, "case-files", key), get_schema(schema), key)
            for prop, values in props.items():
                for value in values:
                    record.add(prop, value)
            writer.write(record)
            ids.append(record.id)
    return ids


XSS = "<script>alert('x')</script><img src=x onerror=alert(1)>"
SQLI = "Robert'); DROP TABLE entities;--"


@pytest.fixture
def world(node: Node) -> dict[str, str]:
    """ncb: a person, a seizure naming them, a hostile-named person and a TLP:RED kingpin;
    dea: one person. Nothing is shared."""
    ravi = entity_id("ncb", "case-files", "p1")
    ncb = write_records(
        node,
        "ncb",
        [
            (
                "p1",
                "Person",
                {"name": ["Ravi Kumar"], "phone": ["+919812345678"], "birthDate": ["1990-01-02"]},
            ),
            (
                "s1",
                "Seizure",
                {
                    "name": ["Tramadol seizure, Delhi"],
                    "date": ["2025-05-14"],
                    "personsInvolved": [ravi],
                },
            ),
            ("x1", "Person", {"name": [XSS], "notes": [SQLI]}),
        ],
    )
    red = write_records(
        node, "ncb", [("k1", "Person", {"name": ["Kingpin Dubai"]})], Markings(tlp=TLP.RED)
    )
    dea = write_records(node, "dea", [("d1", "Person", {"name": ["Ravi Alabama Reshipper"]})])
    return {"ravi": ncb[0], "seizure": ncb[1], "xss": ncb[2], "red": red[0], "dea": dea[0]}
