"""The access matrix: every route x every role (and no login) x its method.

The allowed roles per route are written out here by hand, from the role table in
docs/security.md, not derived from the code's grant table: the test states the policy and
the app must meet it. Denials are asserted as firmly as the allowed paths: 401 (API) or a
redirect to the login page (pages) without a login, 403 for a role without the
permission, 405 for a method a path does not have. Every route of the app must be in the
matrix; a new route without a row fails the test.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from fastapi import routing
from fastapi.testclient import TestClient

from narcolink.model.roles import Actor, Role
from narcolink.services import accounts, resolution, sharing
from narcolink.web.deps import SESSION_COOKIE

from .conftest import PASSWORD, Web, csrf_from, write_records

PUBLIC = "public"
SIGNED_IN = frozenset(Role)
WORK = frozenset({Role.ANALYST, Role.PRECURSOR_OFFICER, Role.TARGETING_OFFICER, Role.SUPERVISOR})
READ = WORK | {Role.LIAISON}
IMPORT = WORK
EXPORT = READ
SHARE = frozenset({Role.SUPERVISOR, Role.LIAISON})
MANAGE_USERS = frozenset({Role.ADMIN})
READ_AUDIT = frozenset({Role.SUPERVISOR, Role.ADMIN, Role.AUDITOR})
VERIFY_AUDIT = frozenset({Role.ADMIN, Role.AUDITOR})


@dataclass
class Req:
    url: str
    data: dict[str, Any] | None = None
    files: dict[str, Any] | None = None
    json: Any = None


@dataclass
class Caller:
    """One column of the matrix: a role (None: not signed in) and its clients."""

    role: Role | None
    actor: Actor | None
    page: TestClient
    api: TestClient
    csrf: str = ""


@dataclass
class Ctx:
    web: Web
    world: dict[str, str]
    login_user: Actor
    extra_users: dict[str, Actor] = field(default_factory=dict)

    def fresh_entity(self) -> str:
        key = uuid.uuid4().hex[:12]
        return write_records(self.web.node, "ncb", [(key, "Person", {"name": [f"M {key}"]})])[0]

    def fresh_share(self) -> int:
        owner = Actor("matrix-owner", "ncb", frozenset({Role.SUPERVISOR}))
        return sharing.share(self.web.node, owner, self.fresh_entity(), "dea", "matrix").id

    def fresh_pair(self) -> tuple[str, str]:
        return self.fresh_entity(), self.fresh_entity()

    def fresh_judgement(self) -> int:
        judge = Actor("matrix-judge", "ncb", frozenset({Role.ANALYST}))
        left, right = self.fresh_pair()
        return resolution.judge(self.web.node, judge, left, right, "confirm", "matrix").id

    def csv_upload(self) -> dict[str, Any]:
        key = uuid.uuid4().hex[:12]
        return {"file": ("persons.csv", f"id,name\nM-{key},Matrix {key}\n".encode(), "text/csv")}

    def throwaway(self, role: Role | None) -> Actor:
        """A user of its own, for calls that end all of a user's sessions."""
        name = f"tmp-{uuid.uuid4().hex[:10]}"
        return self.web.user("ncb", role or Role.ANALYST, username=name)


Build = Callable[[Ctx, Caller], Req]


@dataclass
class Case:
    allowed: frozenset[Role] | str
    ok: int
    build: Build
    ends_session: bool = False  # the call signs the caller in or out, or ends its token


def fixed(url: str, **kw: Any) -> Build:
    return lambda ctx, caller: Req(url, **kw)


def login_form(ctx: Ctx, caller: Caller) -> Req:
    token = csrf_from(caller.page.get("/login").text)
    user = caller.actor or ctx.login_user
    return Req(
        "/login", data={"csrf_token": token, "username": user.username, "password": PASSWORD}
    )


def token_request(ctx: Ctx, caller: Caller) -> Req:
    user = caller.actor or ctx.login_user
    return Req("/api/v1/auth/token", json={"username": user.username, "password": PASSWORD})


def new_user_json(ctx: Ctx, caller: Caller) -> Req:
    name = f"made-{uuid.uuid4().hex[:10]}"
    return Req("/api/v1/users", json={"username": name, "password": PASSWORD, "roles": ["analyst"]})


def new_user_form(ctx: Ctx, caller: Caller) -> Req:
    name = f"made-{uuid.uuid4().hex[:10]}"
    return Req("/admin/users", data={"username": name, "password": PASSWORD, "roles": ["analyst"]})


def revoke_own_token(ctx: Ctx, caller: Caller) -> Req:
    actor = caller.actor or ctx.login_user
    token = accounts.open_session(ctx.web.node, actor, "token", label="matrix")
    return Req(f"/account/tokens/{token.token_id}/revoke", data={})


def change_password(ctx: Ctx, caller: Caller) -> Req:
    if caller.actor is not None:
        # Changing a password ends every session of the user: use a user of its own.
        user = ctx.throwaway(caller.role)
        tokens = accounts.open_session(ctx.web.node, user, "session")
        caller.page.cookies.clear()
        caller.page.cookies.set(SESSION_COOKIE, tokens.secret)
        caller.csrf = tokens.csrf or ""
    new = f"another {uuid.uuid4().hex}"
    return Req("/account/password", data={"current": PASSWORD, "new": new, "confirm": new})


MATRIX: dict[tuple[str, str], Case] = {
    # --- API ---------------------------------------------------------------------------
    ("GET", "/openapi.json"): Case(PUBLIC, 200, fixed("/openapi.json")),
    ("HEAD", "/openapi.json"): Case(PUBLIC, 200, fixed("/openapi.json")),
    ("POST", "/api/v1/auth/token"): Case(PUBLIC, 201, token_request),
    ("DELETE", "/api/v1/auth/token"): Case(
        SIGNED_IN, 204, fixed("/api/v1/auth/token"), ends_session=True
    ),
    ("GET", "/api/v1/me"): Case(SIGNED_IN, 200, fixed("/api/v1/me")),
    ("GET", "/api/v1/search"): Case(READ, 200, fixed("/api/v1/search?q=ravi")),
    ("GET", "/api/v1/entities/{entity_id}"): Case(
        READ, 200, lambda c, _: Req(f"/api/v1/entities/{c.world['ravi']}")
    ),
    ("GET", "/api/v1/entities/{entity_id}/related"): Case(
        READ, 200, lambda c, _: Req(f"/api/v1/entities/{c.world['ravi']}/related")
    ),
    ("GET", "/api/v1/entities/{entity_id}/timeline"): Case(
        READ, 200, lambda c, _: Req(f"/api/v1/entities/{c.world['ravi']}/timeline")
    ),
    ("GET", "/api/v1/entities/{entity_id}/shares"): Case(
        READ, 200, lambda c, _: Req(f"/api/v1/entities/{c.world['ravi']}/shares")
    ),
    ("POST", "/api/v1/entities/{entity_id}/shares"): Case(
        SHARE,
        201,
        lambda c, _: Req(
            f"/api/v1/entities/{c.fresh_entity()}/shares",
            json={"recipient": "dea", "purpose": "matrix"},
        ),
    ),
    ("DELETE", "/api/v1/shares/{share_id}"): Case(
        SHARE, 204, lambda c, _: Req(f"/api/v1/shares/{c.fresh_share()}")
    ),
    ("POST", "/api/v1/imports"): Case(
        IMPORT,
        201,
        lambda c, _: Req("/api/v1/imports", data={"source": "matrix"}, files=c.csv_upload()),
    ),
    ("GET", "/api/v1/export"): Case(EXPORT, 200, fixed("/api/v1/export?format=csv")),
    ("POST", "/api/v1/chemistry/screen"): Case(
        READ, 200, fixed("/api/v1/chemistry/screen", json={"items": ["CC(=O)Cc1ccccc1"]})
    ),
    ("POST", "/api/v1/chemistry/screen/file"): Case(
        READ,
        200,
        fixed(
            "/api/v1/chemistry/screen/file",
            files={"file": ("items.txt", b"BMK\n437-38-7\n", "text/plain")},
        ),
    ),
    ("GET", "/api/v1/chemistry/substances"): Case(
        READ, 200, fixed("/api/v1/chemistry/substances?q=BMK")
    ),
    ("GET", "/api/v1/chemistry/substances/{substance_id}"): Case(
        READ, 200, fixed("/api/v1/chemistry/substances/fentanyl")
    ),
    ("POST", "/api/v1/resolution/runs"): Case(
        IMPORT, 201, fixed("/api/v1/resolution/runs", json={"schema": "Person"})
    ),
    ("GET", "/api/v1/resolution/queue"): Case(READ, 200, fixed("/api/v1/resolution/queue")),
    ("POST", "/api/v1/resolution/judgements"): Case(
        IMPORT,
        201,
        lambda c, _: Req(
            "/api/v1/resolution/judgements",
            json=dict(zip(("left_id", "right_id"), c.fresh_pair(), strict=True), verdict="reject"),
        ),
    ),
    ("POST", "/api/v1/resolution/judgements/{judgement_id}/undo"): Case(
        IMPORT, 201, lambda c, _: Req(f"/api/v1/resolution/judgements/{c.fresh_judgement()}/undo")
    ),
    ("GET", "/api/v1/resolution/clusters/{entity_id}"): Case(
        READ, 200, lambda c, _: Req(f"/api/v1/resolution/clusters/{c.world['ravi']}")
    ),
    ("GET", "/api/v1/users"): Case(MANAGE_USERS, 200, fixed("/api/v1/users")),
    ("POST", "/api/v1/users"): Case(MANAGE_USERS, 201, new_user_json),
    ("GET", "/api/v1/audit"): Case(READ_AUDIT, 200, fixed("/api/v1/audit?limit=5")),
    ("POST", "/api/v1/audit/verify"): Case(VERIFY_AUDIT, 200, fixed("/api/v1/audit/verify")),
    ("GET", "/api/v1/network/expand/{entity_id}"): Case(
        READ, 200, lambda c, _: Req(f"/api/v1/network/expand/{c.world['ravi']}")
    ),
    ("GET", "/api/v1/network/lead/{entity_id}"): Case(
        READ, 200, lambda c, _: Req(f"/api/v1/network/lead/{c.world['ravi']}")
    ),
    ("GET", "/api/v1/network/path"): Case(
        READ,
        200,
        lambda c, _: Req(
            f"/api/v1/network/path?source={c.world['ravi']}&target={c.world['seizure']}"
        ),
    ),
    ("GET", "/api/v1/network/communities"): Case(
        READ, 200, fixed("/api/v1/network/communities?min_size=2")
    ),
    # --- pages -------------------------------------------------------------------------
    ("GET", "/"): Case(PUBLIC, 303, fixed("/")),
    ("GET", "/login"): Case(PUBLIC, 200, fixed("/login")),
    ("POST", "/login"): Case(PUBLIC, 303, login_form, ends_session=True),
    ("POST", "/logout"): Case(SIGNED_IN, 303, fixed("/logout", data={}), ends_session=True),
    ("GET", "/docs"): Case(PUBLIC, 200, fixed("/docs")),
    ("GET", "/healthz"): Case(PUBLIC, 200, fixed("/healthz")),
    ("MOUNT", "/static"): Case(PUBLIC, 200, fixed("/static/style.css")),
    ("GET", "/search"): Case(READ, 200, fixed("/search?q=ravi")),
    ("GET", "/entities/{entity_id}"): Case(
        READ, 200, lambda c, _: Req(f"/entities/{c.world['ravi']}")
    ),
    ("POST", "/entities/{entity_id}/shares"): Case(
        SHARE,
        303,
        lambda c, _: Req(
            f"/entities/{c.fresh_entity()}/shares", data={"recipient": "dea", "purpose": "matrix"}
        ),
    ),
    ("POST", "/shares/{share_id}/revoke"): Case(
        SHARE, 303, lambda c, _: Req(f"/shares/{c.fresh_share()}/revoke", data={})
    ),
    ("GET", "/network/{entity_id}"): Case(
        READ, 200, lambda c, _: Req(f"/network/{c.world['ravi']}")
    ),
    ("GET", "/network/path"): Case(
        READ,
        200,
        lambda c, _: Req(f"/network/path?source={c.world['ravi']}&target={c.world['seizure']}"),
    ),
    ("GET", "/network/{entity_id}/summary.pdf"): Case(
        EXPORT, 200, lambda c, _: Req(f"/network/{c.world['ravi']}/summary.pdf")
    ),
    ("GET", "/chemistry"): Case(READ, 200, fixed("/chemistry?q=BMK")),
    ("POST", "/chemistry/screen"): Case(
        READ, 200, fixed("/chemistry/screen", data={"text": "BMK"})
    ),
    ("GET", "/chemistry/substances/{substance_id}"): Case(
        READ, 200, fixed("/chemistry/substances/fentanyl")
    ),
    ("GET", "/resolution"): Case(READ, 200, fixed("/resolution")),
    ("POST", "/resolution/runs"): Case(IMPORT, 303, fixed("/resolution/runs", data={})),
    ("POST", "/resolution/judgements"): Case(
        IMPORT,
        303,
        lambda c, _: Req(
            "/resolution/judgements",
            data=dict(zip(("left_id", "right_id"), c.fresh_pair(), strict=True), verdict="reject"),
        ),
    ),
    ("POST", "/resolution/judgements/{judgement_id}/undo"): Case(
        IMPORT, 303, lambda c, _: Req(f"/resolution/judgements/{c.fresh_judgement()}/undo", data={})
    ),
    ("GET", "/imports"): Case(IMPORT, 200, fixed("/imports")),
    ("POST", "/imports"): Case(
        IMPORT, 200, lambda c, _: Req("/imports", data={"source": "matrix"}, files=c.csv_upload())
    ),
    ("GET", "/account"): Case(SIGNED_IN, 200, fixed("/account")),
    ("POST", "/account/tokens"): Case(
        SIGNED_IN, 201, fixed("/account/tokens", data={"label": "m"})
    ),
    ("POST", "/account/tokens/{token_id}/revoke"): Case(SIGNED_IN, 303, revoke_own_token),
    ("POST", "/account/password"): Case(SIGNED_IN, 303, change_password, ends_session=True),
    ("GET", "/admin/users"): Case(MANAGE_USERS, 200, fixed("/admin/users")),
    ("POST", "/admin/users"): Case(MANAGE_USERS, 303, new_user_form),
    ("POST", "/admin/users/{username}/active"): Case(
        MANAGE_USERS,
        303,
        lambda c, _: Req(f"/admin/users/{c.login_user.username}/active", data={"active": "true"}),
    ),
    ("GET", "/audit"): Case(READ_AUDIT, 200, fixed("/audit")),
    ("POST", "/audit/verify"): Case(VERIFY_AUDIT, 200, fixed("/audit/verify", data={})),
}


def app_routes(app: Any) -> set[tuple[str, str]]:
    """(method, path) of every route; mounts as ("MOUNT", path)."""
    contexts = routing.iter_route_contexts(app.routes)
    out: set[tuple[str, str]] = set()
    for ctx in contexts:
        if ctx.methods:
            out |= {(m, str(ctx.path)) for m in ctx.methods}
        else:
            out.add(("MOUNT", str(ctx.path)))
    return out


def test_every_route_is_in_the_matrix(web: Web) -> None:
    routes = app_routes(web.app)
    missing = sorted(routes - set(MATRIX))
    stale = sorted(set(MATRIX) - routes)
    assert not missing, f"routes without a row in the access matrix: {missing}"
    assert not stale, f"matrix rows for routes that no longer exist: {stale}"


def expected(case: Case, caller: Caller, api: bool) -> tuple[int, str]:
    if case.allowed == PUBLIC or (caller.role is not None and caller.role in case.allowed):
        return case.ok, "allowed"
    if caller.role is None:
        return (401, "no login") if api else (303, "no login")
    return 403, "denied"


def is_problem(response: Any) -> bool:
    return bool(response.headers["content-type"] == "application/problem+json")


def send(caller: Caller, method: str, req: Req, api: bool) -> Any:
    client = caller.api if api else caller.page
    data = req.data
    if not api and data is not None:
        data = {"csrf_token": caller.csrf or "none", **data}
    verb = "GET" if method == "MOUNT" else method
    return client.request(verb, req.url, data=data, files=req.files, json=req.json)


def fresh_credentials(ctx: Ctx, caller: Caller) -> None:
    """A new session and token (and no cookie an earlier call set), so that a call which
    signs in or out cannot change the outcome of the next."""
    caller.page.cookies.clear()
    if caller.actor is None:
        return
    session = accounts.open_session(ctx.web.node, caller.actor, "session")
    caller.page.cookies.set(SESSION_COOKIE, session.secret)
    caller.csrf = session.csrf or ""
    token = accounts.open_session(ctx.web.node, caller.actor, "token", label="matrix")
    caller.api.headers["Authorization"] = f"Bearer {token.secret}"


@pytest.fixture
def callers(web: Web) -> list[Caller]:
    out = [Caller(None, None, web.client(), web.client())]
    for role in Role:
        actor = web.user("ncb", role, username=f"matrix-{role.value.replace('_', '-')}")
        out.append(Caller(role, actor, web.client(), web.client()))
    return out


def test_access_matrix(web: Web, world: dict[str, str], callers: list[Caller]) -> None:
    ctx = Ctx(web, world, login_user=web.user("ncb", Role.ANALYST, username="matrix-login"))
    failures: list[str] = []
    checked = 0
    for caller in callers:
        fresh_credentials(ctx, caller)
    for (method, path), case in MATRIX.items():
        api = path.startswith("/api/")
        for caller in callers:
            req = case.build(ctx, caller)
            response = send(caller, method, req, api)
            want, why = expected(case, caller, api)
            who = caller.role.value if caller.role else "anonymous"
            problem = None
            if response.status_code != want:
                problem = f"status {response.status_code}, expected {want} ({why})"
            elif why == "no login" and not api:
                if not response.headers.get("location", "").startswith("/login"):
                    problem = f"redirects to {response.headers.get('location')!r}, not /login"
            elif why != "allowed" and api and not is_problem(response):
                problem = "denial is not problem+json"
            if problem:
                failures.append(f"{method} {path} as {who}: {problem}: {response.text[:200]}")
            if case.ends_session:
                fresh_credentials(ctx, caller)
            checked += 1
    assert checked == len(MATRIX) * len(callers)
    assert not failures, "\n".join(failures)


def test_denied_writes_change_nothing(web: Web, world: dict[str, str]) -> None:
    analyst = web.user("ncb", Role.ANALYST, username="plain-analyst")
    api = web.api(analyst)
    response = api.post(
        "/api/v1/users", json={"username": "sneaky", "password": PASSWORD, "roles": ["admin"]}
    )
    assert response.status_code == 403
    admin = web.user("ncb", Role.ADMIN, username="real-admin")
    assert "sneaky" not in [u.username for u in accounts.list_users(web.node, admin)]
    response = api.post(
        f"/api/v1/entities/{world['ravi']}/shares", json={"recipient": "dea", "purpose": "x"}
    )
    assert response.status_code == 403
    dea = web.user("dea", Role.ANALYST, username="dea-check")
    assert web.api(dea).get(f"/api/v1/entities/{world['ravi']}").status_code == 404


SAMPLE = {
    "{entity_id}": "ncb-" + "0" * 24,
    "{share_id}": "1",
    "{token_id}": "0" * 16,
    "{username}": "someone",
    "{substance_id}": "fentanyl",
    "{judgement_id}": "1",
}
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


def test_wrong_methods_get_405(web: Web) -> None:
    by_path: dict[str, set[str]] = {}
    for method, path in app_routes(web.app):
        if method != "MOUNT":
            by_path.setdefault(path, set()).add(method)
    admin = web.api(web.user("ncb", Role.ADMIN, username="m-admin"))
    anonymous = web.client()
    failures = []
    for path, allowed in sorted(by_path.items()):
        url = path
        for name, value in SAMPLE.items():
            url = url.replace(name, value)
        for method in METHODS:
            if method in allowed:
                continue
            for client in (admin, anonymous):
                response = client.request(method, url)
                if response.status_code != 405:
                    failures.append(f"{method} {url}: {response.status_code}")
                elif path.startswith("/api/") and (
                    response.headers["content-type"] != "application/problem+json"
                ):
                    failures.append(f"{method} {url}: 405 is not problem+json")
    assert not failures, "\n".join(failures)
