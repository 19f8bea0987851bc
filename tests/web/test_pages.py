"""Server-rendered pages: search, entity page, sharing, import, account, users, audit, docs."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi.testclient import TestClient

from narcolink.model.roles import Role
from narcolink.services import accounts
from narcolink.services.node import Node
from narcolink.settings import Settings
from narcolink.web import create_app
from narcolink.web.render import STATIC, TEMPLATES

from .conftest import PASSWORD, Web

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def ids_in(html: str) -> set[str]:
    return set(re.findall(r'data-testid="([^"]+)"', html))


def test_search_page_lists_hits_and_is_audited(web: Web, world: dict[str, str]) -> None:
    browser = web.browser(web.user("ncb", Role.ANALYST))
    before = web.audit_count()
    page = browser.client.get("/search", params={"q": "ravi"})
    assert page.status_code == 200
    assert {"search-box", "search-results", "search-result"} <= ids_in(page.text)
    assert f'href="/entities/{world["ravi"]}"' in page.text
    assert 'id="q" name="q"' in page.text and 'value="ravi"' in page.text
    assert '<script src="/static/search.js" defer></script>' in page.text
    row = web.audit_rows(1)[0]
    assert web.audit_count() == before + 1
    assert row["action"] == "search" and world["ravi"] in row["detail"]
    # An empty page load reads nothing and writes no audit row.
    browser.client.get("/search")
    assert web.audit_count() == before + 1


def test_entity_page_shows_provenance_banners_related_timeline(
    web: Web, world: dict[str, str]
) -> None:
    browser = web.browser(web.user("ncb", Role.ANALYST))
    before = web.audit_count()
    page = browser.client.get(f"/entities/{world['seizure']}")
    assert page.status_code == 200
    ids = ids_in(page.text)
    assert {"entity-header", "properties-table", "related-table", "timeline"} <= ids
    assert {"markings-banner", "markings-banner-bottom"} <= ids
    assert page.text.count("TLP:AMBER PAP:AMBER H1") >= 3  # both banners and the header
    assert "ncb-seed.csv" in page.text and "case-files" in page.text
    assert f'href="/entities/{world["ravi"]}"' in page.text  # the person involved
    assert "2025-05-14" in page.text
    assert page.headers["cache-control"] == "no-store"
    assert "share-form" not in ids  # an analyst may not share
    assert web.audit_count() == before + 1
    row = web.audit_rows(1)[0]
    assert (row["action"], row["object_id"]) == ("read", world["seizure"])


def test_share_and_revoke_from_the_entity_page(web: Web, world: dict[str, str]) -> None:
    supervisor = web.browser(web.user("ncb", Role.SUPERVISOR))
    page = supervisor.client.get(f"/entities/{world['ravi']}")
    assert "share-form" in ids_in(page.text)
    response = supervisor.post(
        f"/entities/{world['ravi']}/shares", {"recipient": "dea", "purpose": "joint op"}
    )
    assert response.status_code == 303
    page = supervisor.client.get(f"/entities/{world['ravi']}")
    assert "shares-table" in ids_in(page.text) and "joint op" in page.text
    share_id = re.search(r'action="/shares/(\d+)/revoke"', page.text)
    assert share_id
    dea = web.browser(web.user("dea", Role.ANALYST))
    assert dea.client.get(f"/entities/{world['ravi']}").status_code == 200
    assert supervisor.post(f"/shares/{share_id.group(1)}/revoke").status_code == 303
    assert dea.client.get(f"/entities/{world['ravi']}").status_code == 404


def test_red_record_needs_a_purpose_on_the_form(web: Web, world: dict[str, str]) -> None:
    supervisor = web.browser(web.user("ncb", Role.SUPERVISOR))
    page = supervisor.client.get(f"/entities/{world['red']}")
    assert "tlp-red" in page.text and "required for TLP:RED" in page.text
    response = supervisor.post(f"/entities/{world['red']}/shares", {"recipient": "dea"})
    assert response.status_code == 400
    assert "share-error" in ids_in(response.text) and "TLP:RED" in response.text
    dea = web.browser(web.user("dea", Role.ANALYST))
    assert dea.client.get(f"/entities/{world['red']}").status_code == 404


def test_import_page_imports_and_reimport_is_a_no_op(web: Web) -> None:
    browser = web.browser(web.user("ncb", Role.ANALYST))
    page = browser.client.get("/imports")
    assert {"import-form", "import-file", "import-source", "import-submit"} <= ids_in(page.text)
    content = (EXAMPLES / "persons.csv").read_bytes()
    for attempt in (1, 2):
        response = browser.post(
            "/imports",
            {"source": "delhi-register", "tlp": "AMBER"},
            files={"file": ("persons.csv", content, "text/csv")},
        )
        assert response.status_code == 200, response.text
        assert "import-summary" in ids_in(response.text)
        if attempt == 1:
            assert "records" in response.text
        else:
            assert "nothing new was written" in response.text
    assert "batches-table" in ids_in(response.text) and "delhi-register" in response.text
    hits = browser.client.get("/api/v1/search", params={"q": "rahul verma"}).json()
    assert [h["caption"] for h in hits] == ["Rahul Verma"]


def test_import_page_shows_the_validation_report_and_writes_nothing(web: Web) -> None:
    browser = web.browser(web.user("ncb", Role.ANALYST))
    bad = (
        "id,name,birthDate,phone,nationality\n"
        "B-1,Good Row,1990-01-01,+919812345678,in\n"
        "B-2,Bad Date,1990-13-45,+919812345678,in\n"
        "B-3,Bad Country,1990-01-01,+919812345678,atlantis\n"
    )
    before = web.audit_count()
    response = browser.post(
        "/imports",
        {"source": "bad-register"},
        files={"file": ("persons.csv", bad.encode(), "text/csv")},
    )
    assert response.status_code == 422
    assert "validation-report" in ids_in(response.text)
    rows = re.findall(r'<tr data-testid="validation-issue">(.*?)</tr>', response.text, re.S)
    cells = [re.findall(r"<td>(.*?)</td>", r, re.S) for r in rows]
    assert [(c[0], c[1], c[2]) for c in cells] == [
        ("persons.csv", "2", "birthDate"),
        ("persons.csv", "3", "nationality"),
    ]
    assert all(c[3].strip() for c in cells)
    assert "Good Row" not in browser.client.get("/search", params={"q": "good row"}).text
    assert web.audit_rows(web.audit_count() - before)[0]["action"] == "import"


def test_import_page_reports_bad_requests(settings: Settings, web: Web) -> None:
    browser = web.browser(web.user("ncb", Role.ANALYST))
    response = browser.post(
        "/imports", {"source": "x"}, files={"file": ("notes.txt", b"hello", "text/plain")}
    )
    assert response.status_code == 400
    assert "import-error" in ids_in(response.text) and "format" in response.text
    small = settings.model_copy(update={"max_upload_mb": 1})
    node = Node.open(small)
    web.stack.callback(node.close)
    browser.client = web.stack.enter_context(
        TestClient(
            create_app(small, node=node), follow_redirects=False, cookies=browser.client.cookies
        )
    )
    too_big = 1024 * 1024 + 1
    response = browser.post(
        "/imports", {"source": "x"}, files={"file": ("persons.csv", b"i" * too_big, "text/csv")}
    )
    assert response.status_code == 400 and "larger than 1 MiB" in response.text
    # A body far beyond the limit is refused while it is read, before any sign-in check.
    huge = {"file": ("persons.csv", b"i" * (3 * 1024 * 1024), "text/csv")}
    response = browser.post("/imports", {"source": "x"}, files=huge)
    assert response.status_code == 413 and "error-title" in ids_in(response.text)
    anonymous = web.stack.enter_context(TestClient(create_app(small, node=node)))
    response = anonymous.post("/api/v1/imports", data={"source": "x"}, files=huge)
    assert response.status_code == 413
    assert response.headers["content-type"] == "application/problem+json"


def test_account_page_creates_shows_once_and_revokes_tokens(web: Web) -> None:
    browser = web.browser(web.user("ncb", Role.ANALYST))
    response = browser.post("/account/tokens", {"label": "nightly"})
    assert response.status_code == 201
    secret = re.search(r'<pre id="new-token-secret">([^<]+)</pre>', response.text)
    assert secret
    api = web.client()
    api.headers["Authorization"] = f"Bearer {secret.group(1)}"
    assert api.get("/api/v1/me").status_code == 200
    page = browser.client.get("/account")
    assert secret.group(1) not in page.text and "nightly" in page.text
    token_id = re.search(r'action="/account/tokens/([0-9a-f]{16})/revoke"', page.text)
    assert token_id
    assert browser.post(f"/account/tokens/{token_id.group(1)}/revoke").status_code == 303
    assert api.get("/api/v1/me").status_code == 401


def test_change_password_ends_sessions(web: Web) -> None:
    actor = web.user("ncb", Role.ANALYST, username="changer")
    browser = web.browser(actor)
    mismatch = browser.post(
        "/account/password",
        {"current": PASSWORD, "new": "new password 123", "confirm": "new password 456"},
    )
    assert mismatch.status_code == 400 and "differ" in mismatch.text
    response = browser.post(
        "/account/password",
        {"current": PASSWORD, "new": "new password 123", "confirm": "new password 123"},
    )
    assert response.status_code == 303 and response.headers["location"] == "/login"
    assert browser.client.get("/account").status_code == 303
    assert accounts.authenticate(web.node, "changer", "new password 123") == actor


def test_admin_creates_and_disables_users(web: Web) -> None:
    admin = web.browser(web.user("ncb", Role.ADMIN))
    page = admin.client.get("/admin/users")
    assert page.status_code == 200 and "users-table" in ids_in(page.text)
    response = admin.post(
        "/admin/users",
        {"username": "new-analyst", "password": PASSWORD, "roles": ["analyst", "liaison"]},
    )
    assert response.status_code == 303
    page = admin.client.get("/admin/users")
    assert "new-analyst" in page.text and "analyst, liaison" in page.text
    short = admin.post(
        "/admin/users", {"username": "weak", "password": "short", "roles": ["analyst"]}
    )
    assert short.status_code == 400 and "at least 12" in short.text
    assert admin.post("/admin/users/new-analyst/active", {"active": "false"}).status_code == 303
    assert "disabled" in admin.client.get("/admin/users").text
    token = web.client().post(
        "/api/v1/auth/token", json={"username": "new-analyst", "password": PASSWORD}
    )
    assert token.status_code == 401


def test_audit_page_lists_rows_and_verifies(web: Web, world: dict[str, str]) -> None:
    auditor = web.browser(web.user("ncb", Role.AUDITOR))
    page = auditor.client.get("/audit")
    assert page.status_code == 200 and "audit-table" in ids_in(page.text)
    assert "audit-verify" in ids_in(page.text)
    verdict = auditor.post("/audit/verify")
    assert verdict.status_code == 200
    assert "audit-verdict" in ids_in(verdict.text) and "verifies" in verdict.text
    # A supervisor reads the log but has no verify button.
    supervisor = web.browser(web.user("ncb", Role.SUPERVISOR))
    assert "audit-verify" not in ids_in(supervisor.client.get("/audit").text)


def test_docs_page_lists_the_api_without_external_assets(web: Web) -> None:
    client = web.client()
    schema = client.get("/openapi.json").json()
    assert "/api/v1/search" in schema["paths"]
    assert not any(p.startswith(("/login", "/search", "/entities")) for p in schema["paths"])
    page = client.get("/docs")
    assert page.status_code == 200
    for path in schema["paths"]:
        assert f"<code>{path}</code>" in page.text
    assert "http://" not in page.text and "https://" not in page.text


def test_no_template_or_static_file_references_another_host() -> None:
    offenders = []
    for path in [*TEMPLATES.rglob("*"), *STATIC.rglob("*")]:
        if path.is_file():
            # XML namespace names (e.g. SVG's) are identifiers, never fetched.
            text = re.sub(r"http://www\.w3\.org/\d{4}/[a-z]+", "", path.read_text("utf-8"))
            if re.search(r"https?://|//[a-z0-9.-]+\.[a-z]{2,}/|@import", text):
                offenders.append(path.name)
            if path.suffix == ".html" and re.search(r"<script(?![^>]*\ssrc=\"/static/)", text):
                offenders.append(f"{path.name}: inline script")
            if path.suffix == ".html" and re.search(r"\son[a-z]+=|\sstyle=", text):
                offenders.append(f"{path.name}: inline handler or style")
    assert not offenders


def test_print_stylesheet_hides_controls_and_keeps_banners() -> None:
    css = (STATIC / "style.css").read_text(encoding="utf-8")
    printed = css[css.index("@media print") :]
    assert re.search(r"header\.top[^{]*form[^{]*\{[^}]*display:\s*none", printed)
    assert re.search(r"\.banner\s*\{[^}]*display:\s*block", printed)


def test_app_opens_and_closes_its_own_node(settings: Settings) -> None:
    app = create_app(settings)
    assert not hasattr(app.state, "node")  # nothing is opened before start-up
    with TestClient(app) as client:
        assert client.get("/healthz").json() == {"status": "ok"}
        node = app.state.node
        with node.transaction() as conn:
            assert node.store.agencies(conn) == []
        pool = node.store.engine.pool
    # Shutdown closed the node: disposing of the engine replaced its connection pool.
    assert node.store.engine.pool is not pool


def test_unknown_pages_render_an_error_page(web: Web) -> None:
    browser = web.browser(web.user("ncb", Role.ANALYST))
    response = browser.client.get("/no/such/page")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert "error-title" in ids_in(response.text)
    anonymous = web.client().get("/search?q=x")
    assert anonymous.status_code == 303
    assert anonymous.headers["location"] == "/login?next=/search%3Fq%3Dx"
