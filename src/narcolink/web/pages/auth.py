"""Signing in and out. The login form is protected by a double-submit cookie (there is no
session yet); the session cookie is HttpOnly, SameSite=Lax, and Secure behind HTTPS."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from narcolink.exc import NotAuthenticated
from narcolink.services import accounts
from narcolink.web.deps import (
    PRELOGIN_COOKIE,
    SESSION_COOKIE,
    NodeDep,
    current_credential_or_none,
    home_for,
    new_prelogin_token,
    safe_next,
)
from narcolink.web.render import render

router = APIRouter()


@router.get("/")
def home(request: Request, node: NodeDep) -> Response:
    credential = current_credential_or_none(request, node)
    target = home_for(credential.actor) if credential else "/login"
    return RedirectResponse(target, status_code=303)


def _login_page(
    request: Request, next_url: str, error: str | None = None, status_code: int = 200
) -> Response:
    token = request.cookies.get(PRELOGIN_COOKIE) or new_prelogin_token()
    response = render(
        request,
        "login.html",
        {"login_token": token, "next": safe_next(next_url), "error": error},
        status_code=status_code,
    )
    settings = request.app.state.settings
    response.set_cookie(
        PRELOGIN_COOKIE,
        token,
        httponly=True,
        samesite="strict",
        secure=settings.secure_cookies,
        path="/login",
    )
    return response


@router.get("/login")
def login_form(request: Request, next: str = "/") -> Response:
    return _login_page(request, next)


@router.post("/login")
def login(
    request: Request,
    node: NodeDep,
    username: Annotated[str, Form(max_length=200)],
    password: Annotated[str, Form(max_length=2000)],
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    try:
        actor = accounts.authenticate(node, username, password)
    except NotAuthenticated as exc:
        return _login_page(request, next, exc.detail, status_code=exc.status)
    tokens = accounts.open_session(node, actor, "session")
    target = safe_next(next)
    response = RedirectResponse(home_for(actor) if target == "/" else target, status_code=303)
    settings = request.app.state.settings
    response.set_cookie(
        SESSION_COOKIE,
        tokens.secret,
        httponly=True,
        samesite="lax",
        secure=settings.secure_cookies,
        max_age=int(settings.session_hours * 3600),
        path="/",
    )
    response.delete_cookie(PRELOGIN_COOKIE, path="/login")
    return response


@router.post("/logout")
def logout(request: Request, node: NodeDep) -> Response:
    secret = request.cookies.get(SESSION_COOKIE)
    if secret:
        accounts.revoke_session(node, secret)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
