"""Administration pages: the agency's users (admin) and the audit log (auditor, admin)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from narcolink.exc import BadRequest, Conflict
from narcolink.model.roles import Permission, Role
from narcolink.services import accounts, auditing
from narcolink.web.deps import AuditReader, AuditVerifier, NodeDep, UserManager
from narcolink.web.render import render

router = APIRouter()


def _users_page(
    request: Request, node: NodeDep, actor: UserManager, status_code: int = 200, **context: Any
) -> Response:
    values: dict[str, Any] = {
        "users": accounts.list_users(node, actor),
        "roles": [r.value for r in Role],
        "error": None,
        "form": {},
    }
    values.update(context)
    return render(request, "users.html", values, status_code=status_code)


@router.get("/admin/users")
def users_page(request: Request, actor: UserManager, node: NodeDep) -> Response:
    return _users_page(request, node, actor)


@router.post("/admin/users")
def create_user(
    request: Request,
    actor: UserManager,
    node: NodeDep,
    username: Annotated[str, Form(max_length=64)],
    password: Annotated[str, Form(max_length=2000)],
    roles: Annotated[list[str], Form()],
    full_name: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    try:
        accounts.create_user(node, actor, username, password, roles=roles, full_name=full_name)
    except (BadRequest, Conflict) as exc:
        form = {"username": username, "full_name": full_name, "roles": roles}
        return _users_page(request, node, actor, exc.status, error=exc.detail, form=form)
    return RedirectResponse("/admin/users", status_code=303)


@router.post("/admin/users/{username}/active")
def set_active(
    username: str,
    actor: UserManager,
    node: NodeDep,
    active: Annotated[bool, Form()],
) -> Response:
    accounts.set_active(node, actor, username, active)
    return RedirectResponse("/admin/users", status_code=303)


def _audit_page(
    request: Request,
    node: NodeDep,
    actor: AuditReader,
    verdict: Any = None,
) -> Response:
    rows = auditing.recent(node, actor, 200)
    can_verify = actor.can(Permission.VERIFY_AUDIT)
    context = {"rows": rows, "verdict": verdict, "can_verify": can_verify}
    return render(request, "audit.html", context)


@router.get("/audit")
def audit_page(request: Request, actor: AuditReader, node: NodeDep) -> Response:
    return _audit_page(request, node, actor)


@router.post("/audit/verify")
def verify_audit(request: Request, actor: AuditVerifier, node: NodeDep) -> Response:
    verdict = auditing.verify(node, actor)
    return _audit_page(request, node, actor, verdict)
