"""Roles and what each may do. Checked in one place (services.access.require), never in routes."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    ANALYST = "analyst"
    SUPERVISOR = "supervisor"
    LIAISON = "liaison"
    PRECURSOR_OFFICER = "precursor_officer"
    TARGETING_OFFICER = "targeting_officer"
    ADMIN = "admin"
    AUDITOR = "auditor"


class Permission(StrEnum):
    READ = "read"  # search, view records, timelines
    IMPORT = "import"  # load files into the agency's store
    EXPORT = "export"  # export records out of the node
    SHARE = "share"  # share own records with a partner agency
    MANAGE_USERS = "manage_users"
    READ_AUDIT = "read_audit"
    VERIFY_AUDIT = "verify_audit"


_WORK = {Permission.READ, Permission.IMPORT, Permission.EXPORT}

GRANTS: dict[Role, frozenset[Permission]] = {
    Role.ANALYST: frozenset(_WORK),
    Role.PRECURSOR_OFFICER: frozenset(_WORK),
    Role.TARGETING_OFFICER: frozenset(_WORK),
    Role.SUPERVISOR: frozenset(_WORK | {Permission.SHARE, Permission.READ_AUDIT}),
    Role.LIAISON: frozenset({Permission.READ, Permission.EXPORT, Permission.SHARE}),
    Role.ADMIN: frozenset(
        {Permission.MANAGE_USERS, Permission.READ_AUDIT, Permission.VERIFY_AUDIT}
    ),
    Role.AUDITOR: frozenset({Permission.READ_AUDIT, Permission.VERIFY_AUDIT}),
}


@dataclass(frozen=True)
class Actor:
    """Who is acting: a logged-in user, or the CLI operator acting for an agency."""

    username: str
    agency: str
    roles: frozenset[Role]

    def can(self, permission: Permission) -> bool:
        return any(permission in GRANTS[role] for role in self.roles)

    @property
    def permissions(self) -> frozenset[Permission]:
        out: set[Permission] = set()
        for role in self.roles:
            out |= GRANTS[role]
        return frozenset(out)


def parse_roles(text: str) -> frozenset[Role]:
    """Comma-separated role names; raises ValueError naming the unknown one."""
    roles = set()
    for name in (p.strip().lower() for p in text.split(",")):
        if not name:
            continue
        try:
            roles.add(Role(name))
        except ValueError:
            raise ValueError(
                f"unknown role {name!r}; roles are {', '.join(r.value for r in Role)}"
            ) from None
    if not roles:
        raise ValueError("at least one role is required")
    return frozenset(roles)
