"""Tokens for API clients, and who the caller is."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from narcolink.services import accounts
from narcolink.web.deps import CurrentActor, NodeDep, bearer_secret
from narcolink.web.schemas import MePublic, TokenPublic, TokenRequest

router = APIRouter(tags=["auth"])


@router.post("/auth/token", status_code=201)
def create_token(body: TokenRequest, node: NodeDep) -> TokenPublic:
    """Exchange a username and password for a bearer token (lock-out applies)."""
    actor = accounts.authenticate(node, body.username, body.password)
    tokens = accounts.open_session(node, actor, "token", label=body.label or "api")
    return TokenPublic(
        access_token=tokens.secret, token_id=tokens.token_id, expires_at=tokens.expires_at
    )


@router.delete("/auth/token", status_code=204)
def revoke_token(request: Request, actor: CurrentActor, node: NodeDep) -> Response:
    """Revoke the bearer token this request was made with."""
    secret = bearer_secret(request)
    if secret:
        accounts.revoke_session(node, secret)
    return Response(status_code=204)


@router.get("/me")
def me(actor: CurrentActor) -> MePublic:
    return MePublic(
        username=actor.username,
        agency=actor.agency,
        roles=sorted(actor.roles),
        permissions=sorted(p.value for p in actor.permissions),
    )
