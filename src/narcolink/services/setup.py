"""Bringing a node into service, and naming who acts at its shell.

``init_node`` creates the store (running migrations), the node's agency and its first
administrator. It can be run again after a failure part-way (say, a rejected password):
an agency without users is reused, and a node that already has users is refused.

``operator_actor`` is how the CLI acts: whoever has a shell on the node is its operator
and may act as any active user without a password (see docs/security.md); every service
call still checks that user's roles and audits under that user's name.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from narcolink.exc import Conflict, NotAuthenticated
from narcolink.model.roles import Actor, Role, parse_roles
from narcolink.services import accounts
from narcolink.services.node import Node
from narcolink.settings import Settings
from narcolink.store import tables as t


@dataclass(frozen=True)
class AgencySpec:
    code: str
    name: str
    country: str


@dataclass(frozen=True)
class AdminSpec:
    username: str
    password: str
    full_name: str = ""


@dataclass(frozen=True)
class InitResult:
    agency: str
    admin: str
    store_url: str


def _redacted(url: str) -> str:
    """The store URL without a password, for printing."""
    head, sep, tail = url.partition("://")
    if sep and "@" in tail:
        creds, _, host = tail.rpartition("@")
        user = creds.split(":", 1)[0]
        return f"{head}://{user}@{host}"
    return url


def init_node(settings: Settings, agency: AgencySpec, admin: AdminSpec) -> InitResult:
    """Create the store, the agency and its first administrator; refuse an initialised node."""
    node = Node.open(settings)
    try:
        code = agency.code.strip().lower()
        with node.transaction() as conn:
            users = int(conn.execute(select(func.count()).select_from(t.users)).scalar_one())
            known = {a["code"] for a in node.store.agencies(conn)}
        if users:
            raise Conflict(
                f"this node is already initialised ({users} user(s)); "
                "add people with 'narcolink users add'"
            )
        accounts.check_password(admin.password, admin.username)
        if code not in known:
            accounts.create_agency(node, code, agency.name, agency.country)
        accounts.create_user(
            node,
            None,
            admin.username,
            admin.password,
            roles=[Role.ADMIN],
            agency=code,
            full_name=admin.full_name or admin.username,
        )
        return InitResult(agency=code, admin=admin.username, store_url=_redacted(node.store.url))
    finally:
        node.close()


def operator_actor(node: Node, username: str) -> Actor:
    """The active user ``username`` as an Actor, for commands run at the node's shell."""
    with node.transaction() as conn:
        row = (
            conn.execute(
                select(
                    t.users.c.username, t.users.c.agency, t.users.c.roles, t.users.c.active
                ).where(t.users.c.username == username.strip())
            )
            .mappings()
            .first()
        )
    if row is None or not row["active"]:
        raise NotAuthenticated(
            f"no active user {username!r} on this node; list them with "
            "'narcolink users list --as <admin>'"
        )
    return Actor(row["username"], row["agency"], parse_roles(row["roles"]))
