"""An analyst's first session, in a real browser (Debian chromium driven by Playwright):
log in, search as you type, open a record, import a bad file and read its report, import a
good one. The app runs for real (uvicorn on a loopback port) over a seeded SQLite node.

Under CI=true a missing chromium or Playwright is a failure; elsewhere the test is skipped
with a message saying what to install.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from narcolink.model.roles import Actor, Role
from narcolink.services import accounts, imports
from narcolink.services.node import Node
from narcolink.settings import Settings
from needs import unavailable

pytestmark = pytest.mark.browser

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
USER, PASSWORD = "asha.analyst", "correct horse battery staple"
TIMEOUT_MS = 15_000  # for one element to appear; a wait, not a limit on the test

PEOPLE_CSV = """id,name,alias,birthDate,nationality,phone,tlp
P-001,Rahul Verma,राहुल वर्मा,1998-03-12,in,98100 00011,AMBER
P-002,Aman Tyagi,अमन त्यागी,1997-11-02,in,98100 00021,AMBER
"""
BAD_CSV = """id,name,birthDate,nationality,phone
B-001,Karan Mehta,1991-02-30,in,98100 00031
B-002,Neha Joshi,1993-07-09,Narnia,98100 00032
"""
GOOD_CSV = """id,name,birthDate,nationality,phone
G-001,Karan Mehta,1991-02-28,in,98100 00031
G-002,Neha Joshi,1993-07-09,in,98100 00032
"""


def chromium_or_skip() -> str:
    path = shutil.which("chromium")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        path = None
    if path is None:
        message = (
            "the browser test needs Debian's chromium (apt-get install chromium) and the "
            "playwright package (pip install playwright)"
        )
        unavailable(message)
    return path


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def seed(settings: Settings, tmp_path: Path) -> None:
    """One agency with an analyst and two people, through the services (as the CLI would)."""
    node = Node.open(settings)
    try:
        accounts.create_agency(node, "ncb", "Narcotics Control Bureau", "in")
        accounts.create_agency(node, "dea", "Drug Enforcement Administration", "us")
        accounts.create_user(node, None, USER, PASSWORD, roles=[Role.ANALYST], agency="ncb")
        people = tmp_path / "persons.csv"
        people.write_text(PEOPLE_CSV, encoding="utf-8")
        analyst = Actor(USER, "ncb", frozenset({Role.ANALYST}))
        imports.import_file(node, analyst, people, source="delhi-zonal-unit")
    finally:
        node.close()


@contextmanager
def running_app(settings: Settings) -> Iterator[str]:
    """Serve ``create_app(settings)`` with uvicorn in a thread; yield its base URL."""
    import uvicorn

    from narcolink.web.app import create_app

    port = free_port()
    config = uvicorn.Config(
        create_app(settings), host="127.0.0.1", port=port, log_level="warning", lifespan="on"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="narcolink-web", daemon=True)
    thread.start()
    try:
        while not server.started:
            if not thread.is_alive():
                raise RuntimeError("the web server stopped during start-up (see its log)")
            time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join()


@pytest.fixture
def base_url(tmp_path: Path) -> Iterator[str]:
    settings = Settings(data_dir=tmp_path / "node", secret_key="browser-test-secret-key")
    seed(settings, tmp_path)
    with running_app(settings) as url:
        yield url


@pytest.fixture
def page(base_url: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Any]:
    executable = chromium_or_skip()
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=TIMEOUT_MS)

    shots = Path(os.environ.get("NARCOLINK_BROWSER_ARTIFACTS") or tmp_path / "screenshots")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        context = browser.new_context(base_url=base_url, viewport={"width": 1366, "height": 768})
        context.set_default_timeout(TIMEOUT_MS)
        page = context.new_page()
        console: list[str] = []
        page.on("console", lambda msg: console.append(f"{msg.type}: {msg.text}"))
        page.on("pageerror", lambda err: console.append(f"pageerror: {err}"))
        try:
            yield page
            # A page served with an error status (the 422 of a refused import) is logged
            # as a failed resource; only script errors and other console errors count.
            errors = [
                line
                for line in console
                if line.startswith(("error", "pageerror")) and "Failed to load resource" not in line
            ]
            assert errors == [], f"the browser reported errors: {errors}"
        except BaseException:
            shots.mkdir(parents=True, exist_ok=True)
            shot = shots / f"{request.node.name}.png"
            page.screenshot(path=str(shot), full_page=True)
            print(f"\nscreenshot of the failing page: {shot}\nbrowser console: {console}")
            raise
        finally:
            browser.close()


def upload(page: Any, path: Path, source: str) -> None:
    page.goto("/imports")
    page.get_by_test_id("import-file").set_input_files(str(path))
    page.get_by_test_id("import-source").fill(source)
    page.get_by_test_id("import-submit").click()
    page.wait_for_load_state()


def test_login_search_entity_and_import(page: Any, tmp_path: Path) -> None:
    from playwright.sync_api import expect

    # Log in.
    page.goto("/")
    expect(page.get_by_test_id("login-form")).to_be_visible()
    page.get_by_test_id("login-username").fill(USER)
    page.get_by_test_id("login-password").fill(PASSWORD)
    page.get_by_test_id("login-submit").click()
    expect(page.get_by_test_id("current-user")).to_contain_text(f"{USER} · NCB")

    # Search: results appear as the name is typed, without submitting the form.
    page.goto("/search")
    page.evaluate("window.sameDocument = true")  # gone if the page is reloaded
    box = page.get_by_test_id("search-box")
    box.press_sequentially("rahul ver", delay=60)
    results = page.get_by_test_id("search-result")
    expect(results).to_have_count(1)
    expect(results.first).to_contain_text("Rahul Verma")
    assert page.evaluate("window.sameDocument === true"), "results must come without a reload"

    # The same person found in Devanagari, then by phone as dialled in India.
    box.fill("")
    box.press_sequentially("राहुल", delay=60)
    expect(results.first).to_contain_text("Rahul Verma")
    box.fill("")
    box.press_sequentially("98100-00011", delay=30)
    expect(results).to_have_count(1)
    expect(results.first).to_contain_text("Rahul Verma")

    # The entity page: properties with provenance, and the markings banner.
    results.first.get_by_role("link").click()
    expect(page.get_by_test_id("entity-header")).to_have_text("Rahul Verma")
    phone = page.locator("[data-testid=property-row][data-prop=phone]")
    expect(phone).to_contain_text("+919810000011")
    expect(phone).to_contain_text("98100 00011")  # as given
    expect(phone).to_contain_text("delhi-zonal-unit")
    expect(page.get_by_test_id("markings-banner")).to_contain_text("TLP:AMBER")
    expect(page.get_by_test_id("entity-markings")).to_contain_text("TLP:AMBER")

    # A bad file: the report names file, row, field and reason; nothing is written.
    bad = tmp_path / "persons_bad.csv"
    bad.write_text(BAD_CSV, encoding="utf-8")
    upload(page, bad, "browser-upload")
    report = page.get_by_test_id("validation-report")
    expect(report).to_be_visible()
    issues = page.get_by_test_id("validation-issue")
    date_issue = issues.filter(has_text="birthDate")
    expect(date_issue).to_have_count(1)
    cells = date_issue.locator("td")
    expect(cells.nth(0)).to_have_text("persons_bad.csv")
    expect(cells.nth(1)).to_have_text("1")  # data rows count from 1 (docs/formats.md)
    expect(cells.nth(3)).to_contain_text("date")
    country_issue = issues.filter(has_text="nationality")
    expect(country_issue.locator("td").nth(1)).to_have_text("2")
    expect(country_issue.locator("td").nth(3)).to_contain_text("country")
    expect(page.get_by_test_id("import-summary")).to_have_count(0)

    page.goto("/search")
    page.get_by_test_id("search-box").press_sequentially("karan", delay=60)
    expect(page.get_by_test_id("search-status")).to_contain_text("No records")
    expect(page.get_by_test_id("search-result")).to_have_count(0)

    # The corrected file imports, and its records are found.
    good = tmp_path / "persons_fixed.csv"
    good.write_text(GOOD_CSV, encoding="utf-8")
    upload(page, good, "browser-upload")
    summary = page.get_by_test_id("import-summary")
    expect(summary).to_contain_text("persons_fixed.csv")
    expect(summary).to_contain_text("2 records")
    expect(page.get_by_test_id("validation-report")).to_have_count(0)
    expect(page.get_by_test_id("batches-table")).to_contain_text("persons_fixed.csv")

    page.goto("/search")
    page.get_by_test_id("search-box").press_sequentially("karan meh", delay=60)
    expect(page.get_by_test_id("search-result")).to_have_count(1)
    expect(page.get_by_test_id("search-result").first).to_contain_text("Karan Mehta")
