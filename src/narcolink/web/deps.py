"""The web layer's typed dependencies: the node, who is calling, permissions, CSRF.

Pages authenticate with a session cookie; the API with ``Authorization: Bearer <token>``.
Read-only (GET/HEAD) API calls also accept the session cookie, so the search page's own
script can fetch suggestions; state-changing API calls never accept a cookie, which is
why they need no CSRF token. Every state-changing page form carries a CSRF token bound to
the session (or, before login, a double-submit cookie), checked once for the whole pages
router by ``verify_csrf``.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from narcolink.exc import Forbidden, NotAuthenticated
from narcolink.model.roles import Actor, Permission
from narcolink.services import accounts
from narcolink.services.node import Node, require

SESSION_COOKIE = "narcolink_session"
PRELOGIN_COOKIE = "narcolink_prelogin"
CSRF_FIELD = "csrf_token"
LOGIN_PATH = "/login"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
CSRF_FAILED = "this form has expired or did not come from this site: reload the page and try again"

# Declares the bearer scheme in the OpenAPI document; the header itself is read below.
bearer_scheme = HTTPBearer(
    auto_error=False, description="An API token from POST /api/v1/auth/token"
)


def get_node(request: Request) -> Node:
    node: Node = request.app.state.node
    return node


NodeDep = Annotated[Node, Depends(get_node)]


def is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def current_credential_or_none(request: Request, node: Node) -> accounts.Credential | None:
    """The page session behind the cookie (cached on the request); None without a live one."""
    if hasattr(request.state, "credential"):
        cached: accounts.Credential | None = request.state.credential
        return cached
    secret = request.cookies.get(SESSION_COOKIE)
    credential = None
    if secret:
        try:
            credential = accounts.resolve_secret(node, secret, "session")
        except NotAuthenticated:
            credential = None
    request.state.credential = credential
    return credential


def bearer_secret(request: Request) -> str | None:
    header = request.headers.get("authorization")
    if header is None:
        return None
    scheme, _, secret = header.partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        raise NotAuthenticated("send an API token as 'Authorization: Bearer <token>'")
    return secret.strip()


def current_credential(
    request: Request,
    node: NodeDep,
    _documented: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)],
) -> accounts.Credential:
    """Who is calling, from a bearer token (API) or the session cookie."""
    if is_api(request):
        secret = bearer_secret(request)
        if secret is not None:
            token = accounts.resolve_secret(node, secret, "token")
            request.state.credential = token
            return token
        if request.method not in SAFE_METHODS:
            raise NotAuthenticated("send an API token as 'Authorization: Bearer <token>'")
    session = current_credential_or_none(request, node)
    if session is None:
        raise NotAuthenticated("sign in first")
    return session


CurrentCredential = Annotated[accounts.Credential, Depends(current_credential)]


def current_actor(credential: CurrentCredential) -> Actor:
    return credential.actor


CurrentActor = Annotated[Actor, Depends(current_actor)]


def require_permission(permission: Permission) -> Callable[[Actor], Actor]:
    """A dependency that lets the request through only if the caller holds ``permission``.

    Services check again; this refuses early (before, say, a large upload is stored)."""

    def dependency(actor: CurrentActor) -> Actor:
        require(actor, permission)
        return actor

    dependency.__name__ = f"require_{permission.value}"
    return dependency


Reader = Annotated[Actor, Depends(require_permission(Permission.READ))]
Importer = Annotated[Actor, Depends(require_permission(Permission.IMPORT))]
Exporter = Annotated[Actor, Depends(require_permission(Permission.EXPORT))]
Sharer = Annotated[Actor, Depends(require_permission(Permission.SHARE))]
UserManager = Annotated[Actor, Depends(require_permission(Permission.MANAGE_USERS))]
AuditReader = Annotated[Actor, Depends(require_permission(Permission.READ_AUDIT))]
AuditVerifier = Annotated[Actor, Depends(require_permission(Permission.VERIFY_AUDIT))]


async def verify_csrf(request: Request) -> None:
    """Refuse a state-changing page request whose form lacks the right CSRF token.

    The login form is checked against the pre-login double-submit cookie; every other
    form needs a live session and that session's own token."""
    if request.method in SAFE_METHODS:
        return
    form = await request.form()
    sent = form.get(CSRF_FIELD)
    if request.url.path == LOGIN_PATH:
        expected = request.cookies.get(PRELOGIN_COOKIE)
    else:
        node = get_node(request)
        credential = await run_in_threadpool(current_credential_or_none, request, node)
        if credential is None:
            raise NotAuthenticated("sign in first")
        expected = credential.csrf
    if not isinstance(sent, str) or not expected or not hmac.compare_digest(sent, expected):
        raise Forbidden(CSRF_FAILED)


def new_prelogin_token() -> str:
    return secrets.token_urlsafe(32)


def safe_next(target: str | None) -> str:
    """A post-login redirect target that stays on this site."""
    if target and target.startswith("/") and not target.startswith(("//", "/\\")):
        return target
    return "/"


def home_for(actor: Actor) -> str:
    """Where a user lands after login: the first page their roles open."""
    if actor.can(Permission.READ):
        return "/search"
    if actor.can(Permission.MANAGE_USERS):
        return "/admin/users"
    if actor.can(Permission.READ_AUDIT):
        return "/audit"
    return "/account"
