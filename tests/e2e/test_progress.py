"""In the browser: a large comparison shows its progress, then lands on its rows."""

from __future__ import annotations

import re
from dataclasses import asdict

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import LiveServer
from tests.web.test_progress import LEFT, REPORTS, RIGHT
from webapp import create_app, service
from webapp.pipeline import Source


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


def test_a_large_comparison_of_many_shows_its_stages_in_place_of_the_form_then_its_matrix(
        page: Page, background_server):
    page.goto(f"{background_server.url}/many/new")
    page.evaluate("window.__marker = 'kept'")
    for k, text in enumerate(REPORTS):
        page.locator(f"#doc{k}_text").fill(text)
    page.get_by_test_id("many-submit").click()
    expect(page.get_by_test_id("progress")).to_be_visible()  # swapped in for the form, the URL pushed
    expect(page).to_have_url(re.compile(r"/m/[0-9a-f]{20}$"))
    assert page.evaluate("window.__marker") == "kept"
    expect(page.get_by_test_id("stage-aligning")).to_be_attached()
    expect(page.get_by_test_id("stage-grouping")).to_be_attached()
    expect(page.locator("tr[data-fact-index]").first).to_be_visible(timeout=30_000)  # landed on the matrix
    expect(page.get_by_test_id("progress")).to_have_count(0)


def test_the_progress_of_many_counts_the_pairs_as_they_are_compared(page: Page, background_server):
    app = background_server.app
    store, options = app.extensions["coverdiff.store"], app.config["PIPELINE_OPTIONS"]
    sources = [Source(text.replace("Monday", "Friday")) for text in REPORTS]
    cid = service.compute_many(sources, options).id  # its id, nothing stored yet
    given = {"documents": [asdict(s) for s in sources], "options": asdict(options)}
    store.set_progress(cid, "aligning 1/3", 0.37, inputs=given)
    page.goto(f"{background_server.url}/m/{cid}")
    expect(page.get_by_test_id("pairs-done")).to_have_text("1 of 3 pairs of reports compared")
    expect(page.get_by_test_id("stage-aligning")).to_have_attribute("aria-current", "step")
    store.set_progress(cid, "aligning 2/3", 0.63)
    expect(page.get_by_test_id("pairs-done")).to_have_text("2 of 3 pairs of reports compared")  # htmx polled
    store.set_progress(cid, "grouping", 0.9)
    expect(page.get_by_test_id("stage-grouping")).to_have_attribute("aria-current", "step")
    expect(page.get_by_test_id("stage-aligning")).to_have_attribute("data-state", "done")
    service.create_many(store, sources, options)
    store.set_progress(cid, "done", 1.0)
    expect(page.locator("tr[data-fact-index]").first).to_be_visible()
    expect(page).to_have_url(f"{background_server.url}/m/{cid}")
