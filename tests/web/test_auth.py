"""Signing in and out, lock-out, CSRF, bearer tokens, security headers."""

from __future__ import annotations

from narcolink.model.roles import Role
from narcolink.web.deps import PRELOGIN_COOKIE, SESSION_COOKIE

from .conftest import PASSWORD, Web, csrf_from


def login(web: Web, username: str, password: str, next_url: str = "/"):  # type: ignore[no-untyped-def]
    client = web.client()
    page = client.get("/login")
    assert page.status_code == 200
    token = csrf_from(page.text)
    response = client.post(
        "/login",
        data={"csrf_token": token, "username": username, "password": password, "next": next_url},
    )
    return client, response


def test_login_sets_a_session_and_lands_on_the_first_allowed_page(web: Web) -> None:
    web.user("ncb", Role.ANALYST, username="analyst")
    client, response = login(web, "analyst", PASSWORD)
    assert response.status_code == 303
    assert response.headers["location"] == "/search"
    cookie = response.headers["set-cookie"]
    assert f"{SESSION_COOKIE}=" in cookie and "httponly" in cookie.lower()
    assert "samesite=lax" in cookie.lower()
    page = client.get("/search")
    assert page.status_code == 200
    assert 'data-testid="current-user"' in page.text and "analyst" in page.text


def test_login_redirects_to_a_local_next_only(web: Web) -> None:
    web.user("ncb", Role.ANALYST, username="analyst")
    _, response = login(web, "analyst", PASSWORD, next_url="/entities/x?y=1")
    assert response.headers["location"] == "/entities/x?y=1"
    _, response = login(web, "analyst", PASSWORD, next_url="//evil.example/")
    assert response.headers["location"] == "/search"


def test_admin_lands_on_users_page(web: Web) -> None:
    web.user("ncb", Role.ADMIN, username="boss")
    _, response = login(web, "boss", PASSWORD)
    assert response.headers["location"] == "/admin/users"


def test_wrong_password_and_unknown_user_look_the_same(web: Web) -> None:
    web.user("ncb", Role.ANALYST, username="analyst")
    _, wrong = login(web, "analyst", "not the password at all")
    _, unknown = login(web, "nobody-here", "not the password at all")
    assert wrong.status_code == unknown.status_code == 401
    assert SESSION_COOKIE not in wrong.headers.get("set-cookie", "")
    # The page does not echo the username; apart from the form token, the bodies match.
    assert wrong.text.replace(csrf_from(wrong.text), "") == unknown.text.replace(
        csrf_from(unknown.text), ""
    )
    assert "wrong username or password" in wrong.text


def test_lockout_after_repeated_failures(web: Web) -> None:
    web.user("ncb", Role.ANALYST, username="analyst")
    limit = web.node.settings.max_failed_logins
    for _ in range(limit - 1):
        _, response = login(web, "analyst", "not the password at all")
        assert response.status_code == 401
    _, response = login(web, "analyst", "not the password at all")
    assert response.status_code == 423
    assert "locked" in response.text
    _, response = login(web, "analyst", PASSWORD)
    assert response.status_code == 423
    assert SESSION_COOKIE not in response.headers.get("set-cookie", "")
    # The API's token endpoint honours the same lock.
    api = web.client().post(
        "/api/v1/auth/token", json={"username": "analyst", "password": PASSWORD}
    )
    assert api.status_code == 423
    assert api.headers["content-type"] == "application/problem+json"


def test_logout_ends_the_session(web: Web) -> None:
    web.user("ncb", Role.ANALYST, username="analyst")
    client, _ = login(web, "analyst", PASSWORD)
    page = client.get("/search")
    secret = client.cookies.get(SESSION_COOKIE)
    response = client.post("/logout", data={"csrf_token": csrf_from(page.text)})
    assert response.status_code == 303 and response.headers["location"] == "/login"
    # Even if the browser kept the cookie, the session is dead on the server.
    replay = web.client()
    replay.cookies.set(SESSION_COOKIE, secret)
    after = replay.get("/search")
    assert after.status_code == 303 and after.headers["location"].startswith("/login")


def test_forms_without_the_right_csrf_token_are_refused(web: Web) -> None:
    actor = web.user("ncb", Role.SUPERVISOR, username="sup")
    browser = web.browser(actor)
    for data in ({}, {"csrf_token": "forged"}, {"csrf_token": ""}):
        response = browser.client.post("/account/tokens", data={"label": "x", **data})
        assert response.status_code == 403, data
        assert "did not come from this site" in response.text
    # Another session's token does not work either.
    other = web.browser(actor)
    response = browser.client.post("/account/tokens", data={"csrf_token": other.csrf})
    assert response.status_code == 403
    assert browser.post("/account/tokens", {"label": "fine"}).status_code == 201


def test_login_form_needs_its_double_submit_cookie(web: Web) -> None:
    web.user("ncb", Role.ANALYST, username="analyst")
    client = web.client()
    response = client.post(
        "/login", data={"csrf_token": "made-up", "username": "analyst", "password": PASSWORD}
    )
    assert response.status_code == 403
    page = client.get("/login")
    token = csrf_from(page.text)
    assert client.cookies.get(PRELOGIN_COOKIE) == token
    client.cookies.set(PRELOGIN_COOKIE, "something-else", path="/login")
    response = client.post(
        "/login", data={"csrf_token": token, "username": "analyst", "password": PASSWORD}
    )
    assert response.status_code == 403


def test_api_token_flow(web: Web) -> None:
    web.user("ncb", Role.ANALYST, Role.LIAISON, username="multi")
    client = web.client()
    response = client.post(
        "/api/v1/auth/token", json={"username": "multi", "password": PASSWORD, "label": "ci"}
    )
    assert response.status_code == 201
    body = response.json()
    assert body["token_type"] == "bearer" and body["access_token"]
    headers = {"Authorization": f"Bearer {body['access_token']}"}
    me = client.get("/api/v1/me", headers=headers).json()
    assert me["username"] == "multi" and me["agency"] == "ncb"
    assert set(me["roles"]) == {"analyst", "liaison"}
    assert "share" in me["permissions"] and "import" in me["permissions"]
    assert client.delete("/api/v1/auth/token", headers=headers).status_code == 204
    assert client.get("/api/v1/me", headers=headers).status_code == 401


def test_api_rejects_bad_credentials_with_problem_json(web: Web) -> None:
    actor = web.user("ncb", Role.ANALYST, username="analyst")
    client = web.client()
    for headers in ({}, {"Authorization": "Bearer nope"}, {"Authorization": "Basic abc"}):
        response = client.get("/api/v1/me", headers=headers)
        assert response.status_code == 401, headers
        assert response.headers["content-type"] == "application/problem+json"
        assert response.headers["www-authenticate"] == "Bearer"
    bad = client.post("/api/v1/auth/token", json={"username": "analyst", "password": "nope nope"})
    assert bad.status_code == 401
    # A session cookie is not accepted for state-changing API calls (so no CSRF there).
    browser = web.browser(actor)
    response = browser.client.post(
        "/api/v1/imports", files={"file": ("a.csv", b"id\n")}, data={"source": "x"}
    )
    assert response.status_code == 401
    # ...but it is for reads, which the search page's script uses.
    assert browser.client.get("/api/v1/me").status_code == 200


def test_security_headers(web: Web) -> None:
    actor = web.user("ncb", Role.ANALYST, username="analyst")
    browser = web.browser(actor)
    for url in ("/login", "/search", "/api/v1/me", "/docs"):
        response = browser.client.get(url)
        csp = response.headers["content-security-policy"]
        assert "default-src 'self'" in csp and "script-src 'self'" in csp
        assert "unsafe-inline" not in csp
        assert response.headers["x-frame-options"] == "DENY"
        assert response.headers["referrer-policy"] == "no-referrer"
        assert response.headers["cache-control"] == "no-store"
    static = browser.client.get("/static/style.css")
    assert static.status_code == 200 and "no-store" not in static.headers["cache-control"]
