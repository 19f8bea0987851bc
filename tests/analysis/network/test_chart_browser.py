"""The link chart in a real browser (Debian chromium through Playwright): it draws the
lead's network from the API, selects, hides, filters by type, expands a node, and exports
SVG and PNG carrying the markings. Skipped without chromium, a failure under CI=true."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from narcolink.model.records import entity_id
from narcolink.model.roles import Role
from narcolink.services import accounts
from narcolink.services.node import Node
from narcolink.settings import Settings

from .test_service import load_sample

pytestmark = pytest.mark.browser

USER, PASSWORD = "asha.analyst", "correct horse battery staple"
LEAD = entity_id("ncb", "ncb-medmax", "S-DELHI")


@pytest.fixture
def page(tmp_path: Path) -> Iterator[Any]:
    from browser.test_journey import CHROMIUM_ARGS, chromium_or_skip, running_app

    executable = chromium_or_skip()
    from playwright.sync_api import expect, sync_playwright

    settings = Settings(data_dir=tmp_path / "node", secret_key="browser-test-secret-key")
    node = Node.open(settings)
    try:
        accounts.create_agency(node, "ncb", "Narcotics Control Bureau", "in")
        accounts.create_agency(node, "dea", "Drug Enforcement Administration", "us")
        load_sample(node)
        accounts.create_user(node, None, USER, PASSWORD, roles=[Role.ANALYST], agency="ncb")
    finally:
        node.close()
    expect.set_options(timeout=15_000)
    with running_app(settings) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        context = browser.new_context(base_url=url, viewport={"width": 1366, "height": 900},
                                      accept_downloads=True)  # fmt: skip
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda err: errors.append(str(err)))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        try:
            page.goto("/login")
            page.get_by_test_id("login-username").fill(USER)
            page.get_by_test_id("login-password").fill(PASSWORD)
            page.get_by_test_id("login-submit").click()
            page.wait_for_load_state()
            yield page
            assert errors == [], f"the browser reported errors: {errors}"
        finally:
            browser.close()


def test_link_chart_draws_filters_expands_and_exports(page: Any, tmp_path: Path) -> None:
    from playwright.sync_api import expect

    page.goto(f"/network/{LEAD}?hops=2")
    nodes = page.get_by_test_id("chart-node")
    chart = page.get_by_test_id("link-chart")
    expect(nodes.first).to_be_visible()
    expect(chart).to_have_attribute("data-state", "still")  # clicks land on resting nodes
    drawn = nodes.count()
    assert drawn >= 8

    # Select a node: its reasons appear; hide it; show it again.
    target = page.locator('[data-testid="chart-node"]:has(title:text-matches("^Vikas Sharma"))')
    target.locator("circle").click()
    expect(page.locator("#chart-details")).to_contain_text("Vikas Sharma")
    expect(page.locator("#chart-details")).to_contain_text("score")
    page.locator("#hide-node").click()
    expect(nodes).to_have_count(drawn - 1)
    page.locator("#show-all").click()
    expect(nodes).to_have_count(drawn)

    # Filter by type: no persons drawn while "Person" is unticked.
    persons = page.locator('[data-testid="chart-node"]:has(title:text-matches("\\\\(Person,"))')
    assert persons.count() >= 2
    page.locator("#type-filter label", has_text="Person").locator("input").uncheck()
    expect(persons).to_have_count(0)
    page.locator("#type-filter label", has_text="Person").locator("input").check()

    # Double-click a parcel two hops out: its neighbours are fetched and added, among them
    # the US re-shipper (a DEA record shared with NCB) three hops from the seizure.
    boone = page.locator('[data-testid="chart-node"]:has(title:text-matches("^Travis Boone"))')
    expect(boone).to_have_count(0)
    expect(chart).to_have_attribute("data-state", "still")
    with page.expect_response(lambda r: "/api/v1/network/expand/" in r.url and "hops=1" in r.url):
        page.locator(
            '[data-testid="chart-node"]:has(title:text-matches("^EX100000011IN"))'
        ).dblclick()
    expect(boone).to_have_count(1)
    assert nodes.count() > drawn

    # Export: a standalone SVG with the markings, and a PNG.
    with page.expect_download() as svg_download:
        page.locator("#export-svg").click()
    svg = Path(svg_download.value.path()).read_text(encoding="utf-8")
    assert svg.startswith("<svg") and 'xmlns="http://www.w3.org/2000/svg"' in svg
    assert "TLP:" in svg and "Arjun Mehta" in svg
    with page.expect_download() as png_download:
        page.locator("#export-png").click()
    assert Path(png_download.value.path()).read_bytes().startswith(b"\x89PNG")
