"""The account page: API tokens (the secret is shown once) and changing one's password."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from narcolink.exc import BadRequest
from narcolink.services import accounts
from narcolink.web.deps import SESSION_COOKIE, CurrentActor, NodeDep
from narcolink.web.render import render

router = APIRouter()


def _page(
    request: Request, node: NodeDep, actor: CurrentActor, status_code: int = 200, **context: Any
) -> Response:
    values: dict[str, Any] = {
        "tokens": accounts.list_tokens(node, actor),
        "new_token": None,
        "error": None,
    }
    values.update(context)
    return render(request, "account.html", values, status_code=status_code)


@router.get("/account")
def account_page(request: Request, actor: CurrentActor, node: NodeDep) -> Response:
    return _page(request, node, actor)


@router.post("/account/tokens")
def create_token(
    request: Request,
    actor: CurrentActor,
    node: NodeDep,
    label: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    tokens = accounts.open_session(node, actor, "token", label=label or "api")
    return _page(request, node, actor, 201, new_token=tokens)


@router.post("/account/tokens/{token_id}/revoke")
def revoke_token(token_id: str, actor: CurrentActor, node: NodeDep) -> Response:
    accounts.revoke_token(node, actor, token_id)
    return RedirectResponse("/account", status_code=303)


@router.post("/account/password")
def change_password(
    request: Request,
    actor: CurrentActor,
    node: NodeDep,
    current: Annotated[str, Form(max_length=2000)],
    new: Annotated[str, Form(max_length=2000)],
    confirm: Annotated[str, Form(max_length=2000)],
) -> Response:
    try:
        if new != confirm:
            raise BadRequest("the new password and its confirmation differ")
        accounts.change_password(node, actor, current, new)
    except BadRequest as exc:
        return _page(request, node, actor, 400, error=exc.detail)
    # Changing the password ended every session, this one included.
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
