"""In the browser: a large comparison shows its progress, then lands on its rows."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import LiveServer
from tests.web.test_progress import LEFT, RIGHT
from webapp import create_app


@pytest.fixture(scope="module")
def background_server(tmp_path_factory):
    """coverdiff computing every form comparison in the background (threshold 0 bytes)."""
    app = create_app({"DATABASE": str(tmp_path_factory.mktemp("bg") / "bg.sqlite3"), "BACKGROUND_MIN_BYTES": 0})
    with LiveServer(app) as server:
        yield server


def test_the_form_shows_the_stages_then_the_comparison(page: Page, background_server):
    page.goto(f"{background_server.url}/new")
    page.evaluate("window.__marker = 'kept'")
    page.get_by_test_id("left-text").fill(LEFT)
    page.get_by_test_id("right-text").fill(RIGHT)
    page.get_by_test_id("compare-submit").click()
    expect(page.get_by_test_id("progress")).to_be_visible()  # swapped in at once, the URL pushed
    expect(page).to_have_url(re.compile(r"/c/[0-9a-f]{20}$"))
    expect(page.get_by_test_id("stage-sanitizing")).to_be_attached()
    expect(page.locator('[data-row-kind="edited"]').first).to_be_visible(timeout=30_000)  # landed on it
    expect(page.get_by_test_id("progress")).to_have_count(0)
    expect(page).to_have_url(re.compile(r"/c/[0-9a-f]{20}$"))


def test_leaving_and_coming_back_to_the_address_shows_the_result(page: Page, background_server):
    left = LEFT.replace("committee", "board")
    page.goto(f"{background_server.url}/new")
    page.get_by_test_id("left-text").fill(left)
    page.get_by_test_id("right-text").fill(RIGHT)
    page.get_by_test_id("compare-submit").click()
    expect(page.get_by_test_id("progress")).to_be_visible()
    address = page.url
    page.goto("about:blank")  # the reader leaves
    page.goto(address)  # and comes back: progress or, by now, the comparison
    expect(page.locator("[data-row-kind]").first).to_be_visible(timeout=30_000)
