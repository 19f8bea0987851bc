"""Users of the caller's agency, and the audit log."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from narcolink.services import accounts, auditing
from narcolink.web.deps import AuditReader, AuditVerifier, NodeDep, UserManager
from narcolink.web.schemas import (
    AuditEntryPublic,
    AuditVerdictPublic,
    UserCreate,
    UserPublic,
)

router = APIRouter(tags=["admin"])


@router.get("/users")
def list_users(actor: UserManager, node: NodeDep) -> list[UserPublic]:
    return [UserPublic.model_validate(u) for u in accounts.list_users(node, actor)]


@router.post("/users", status_code=201)
def create_user(body: UserCreate, actor: UserManager, node: NodeDep) -> UserPublic:
    info = accounts.create_user(
        node, actor, body.username, body.password, roles=body.roles, full_name=body.full_name
    )
    return UserPublic.model_validate(info)


@router.get("/audit")
def audit_rows(
    actor: AuditReader, node: NodeDep, limit: Annotated[int, Query(ge=1, le=1000)] = 100
) -> list[AuditEntryPublic]:
    return [AuditEntryPublic.model_validate(e) for e in auditing.recent(node, actor, limit)]


@router.post("/audit/verify")
def verify_audit(actor: AuditVerifier, node: NodeDep) -> AuditVerdictPublic:
    verdict = auditing.verify(node, actor)
    return AuditVerdictPublic(
        rows=verdict.rows, intact=verdict.intact, problems=[str(p) for p in verdict.problems]
    )
