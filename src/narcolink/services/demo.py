"""The demo node: two agencies, demo users, the packaged sample world, shares between them.

``build_demo`` wipes and rebuilds an embedded store under a data directory it may own
(an empty or missing directory, or one it built before, recognised by a marker file), so a
mistyped ``--data-dir`` never deletes anybody's files. Passwords are generated per run.
"""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from narcolink.exc import Conflict
from narcolink.model.markings import Markings
from narcolink.model.records import entity_id
from narcolink.model.roles import Actor, Role
from narcolink.services import accounts, imports, network, sharing
from narcolink.services.node import Node
from narcolink.settings import Settings

MARKER = ".narcolink-demo"
LOGINS_FILE = "demo-logins.txt"
NOT_YET = "entity resolution, chemistry and rules arrive with later issues"

AGENCIES: tuple[tuple[str, str, str], ...] = (
    ("ncb", "Narcotics Control Bureau (India)", "in"),
    ("dea", "Drug Enforcement Administration (United States)", "us"),
)

USERS: tuple[tuple[str, str, tuple[Role, ...]], ...] = (
    ("ncb", "ncb-analyst", (Role.ANALYST,)),
    ("ncb", "ncb-supervisor", (Role.SUPERVISOR,)),
    ("ncb", "ncb-liaison", (Role.LIAISON,)),
    ("ncb", "ncb-precursor", (Role.PRECURSOR_OFFICER,)),
    ("ncb", "ncb-admin", (Role.ADMIN,)),
    ("ncb", "ncb-auditor", (Role.AUDITOR,)),
    ("dea", "dea-analyst", (Role.ANALYST,)),
    ("dea", "dea-targeting", (Role.TARGETING_OFFICER,)),
    ("dea", "dea-supervisor", (Role.SUPERVISOR,)),
    ("dea", "dea-admin", (Role.ADMIN,)),
)

Step = Callable[[str, int, int], None]


@dataclass(frozen=True)
class DemoLogin:
    agency: str
    username: str
    password: str
    roles: tuple[str, ...]


@dataclass
class DemoLogins:
    """What the demo created: who can log in (demo-only passwords) and what was loaded."""

    logins: list[DemoLogin] = field(default_factory=list)
    summary: list[str] = field(default_factory=list)
    records: int = 0
    shares: int = 0
    analyses: list[str] = field(default_factory=list)
    not_yet: str = NOT_YET


@dataclass(frozen=True)
class DemoOutcome:
    logins: DemoLogins
    logins_file: Path


@contextmanager
def sample_dir() -> Iterator[Path]:
    """The packaged sample world as a real directory (it may sit inside a wheel)."""
    with resources.as_file(resources.files("narcolink").joinpath("data", "sample")) as path:
        yield Path(path)


def load_manifest(root: Path) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((root / "sample.yml").read_text(encoding="utf-8"))
    return data


def reset_demo_dir(path: Path) -> None:
    """Empty ``path`` for a fresh demo, refusing directories the demo did not create."""
    if path.exists():
        if not path.is_dir():
            raise Conflict(f"{path} exists and is not a directory")
        if any(path.iterdir()) and not (path / MARKER).exists():
            raise Conflict(
                f"{path} is not empty and was not made by 'narcolink demo'; "
                "choose an empty or new directory with --data-dir"
            )
        shutil.rmtree(path)
    path.mkdir(parents=True)
    (path / MARKER).write_text("Built by 'narcolink demo'; wiped on every demo run.\n")


def _password() -> str:
    return "demo-" + secrets.token_urlsafe(12)


def _create_people(node: Node, logins: DemoLogins) -> dict[str, Actor]:
    for code, name, country in AGENCIES:
        accounts.create_agency(node, code, name, country)
    actors: dict[str, Actor] = {}
    for agency, username, roles in USERS:
        password = _password()
        role_names = ", ".join(r.value for r in roles)
        accounts.create_user(
            node,
            None,
            username,
            password,
            roles=roles,
            agency=agency,
            full_name=f"Demo {role_names} ({agency.upper()})",
        )
        logins.logins.append(DemoLogin(agency, username, password, tuple(r.value for r in roles)))
        actors[username] = Actor(username, agency, frozenset(roles))
    return actors


def _network_summary(node: Node, actor: Actor, lead: dict[str, Any]) -> str:
    """Run the network analysis from one lead, as the lead's analyst; one line of results."""
    result = network.lead_network(
        node, actor, entity_id(lead["agency"], lead["source"], lead["record"])
    )
    found = result.expansion
    cross = sum(1 for link in found.links if link.cross_agency)
    kingpins = ", ".join(c.node.caption for c in result.kingpins[:3]) or "none"
    return (
        f"network analysis for {actor.username} from {found.lead.caption!r}: "
        f"{found.reached} records within {found.hops} hops, {cross} links across agencies, "
        f"{len(result.communities.communities)} communities; kingpin candidates: {kingpins}"
    )


def run_demo_setup(node: Node, on_step: Step | None = None) -> DemoLogins:
    """Agencies, users, the sample world and its shares, on an empty migrated node."""
    logins = DemoLogins()
    with sample_dir() as root:
        manifest = load_manifest(root)
        files = [(block, f) for block in manifest["imports"] for f in block["files"]]
        leads = manifest.get("leads", [])
        total = 1 + len(files) + len(manifest["shares"]) + len(leads)
        report = on_step or (lambda _d, _n, _t: None)
        report("Creating agencies and demo users", 0, total)
        actors = _create_people(node, logins)
        done = 1
        for block, name in files:
            report(f"Importing {name}", done, total)
            result = imports.import_file(
                node,
                actors[block["user"]],
                root / name,
                source=block["source"],
                fmt="csv",
                markings=Markings.parse(block.get("markings")),
            )
            logins.records += result.records
            done += 1
        for block in manifest["shares"]:
            report(f"Sharing {block['agency']} records with {block['recipient']}", done, total)
            for record in block["records"]:
                sharing.share(
                    node,
                    actors[block["user"]],
                    entity_id(block["agency"], block["source"], record),
                    block["recipient"],
                    block["purpose"],
                )
                logins.shares += 1
            done += 1
        for lead in leads:
            report(f"Network analysis for {lead['user']}", done, total)
            logins.analyses.append(_network_summary(node, actors[lead["user"]], lead))
            done += 1
        report("Demo node ready", done, total)
    logins.summary = [
        f"{len(AGENCIES)} agencies: " + ", ".join(f"{c} ({n})" for c, n, _ in AGENCIES),
        f"{len(logins.logins)} demo users",
        f"{logins.records} sample records imported from {len(files)} files",
        f"{logins.shares} records shared between the agencies",
    ]
    return logins


def write_logins(path: Path, logins: DemoLogins) -> None:
    """The logins, readable by the owner only, for scripts driving the demo."""
    lines = ["# narcolink demo logins: DEMO ONLY, regenerated on every run", ""]
    lines += [f"{x.agency}\t{x.username}\t{x.password}\t{','.join(x.roles)}" for x in logins.logins]
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write("\n".join(lines) + "\n")


def build_demo(settings: Settings, on_step: Step | None = None) -> DemoOutcome:
    """Wipe the demo directory, then build the demo node in an embedded store there."""
    if settings.database_url:
        raise Conflict("the demo always uses its own embedded store; unset the database URL")
    reset_demo_dir(settings.data_dir)
    node = Node.open(settings)
    try:
        logins = run_demo_setup(node, on_step)
    finally:
        node.close()
    target = settings.data_dir / LOGINS_FILE
    write_logins(target, logins)
    return DemoOutcome(logins=logins, logins_file=target)
