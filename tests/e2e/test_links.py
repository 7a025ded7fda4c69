"""A reviewer pastes two links (served by the test's own HTTP server) and sees them compared."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page as BrowserPage
from playwright.sync_api import expect

from tests.documents import RELEASE, STORY
from tests.e2e.conftest import LiveServer
from tests.sites import Page, Site
from webapp import create_app


def article(title: str, paragraphs: list[str]) -> bytes:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return f"<html><head><title>{title}</title></head><body><article>{body}</article></body></html>".encode()


@pytest.fixture(scope="module")
def site():
    s = Site("127.0.0.1")
    s.pages["/release"] = Page(article("Acme to open a plant", RELEASE))
    s.pages["/story"] = Page(article("Acme plant for Springfield", STORY))
    yield s
    s.close()


@pytest.fixture(scope="module")
def links_server(tmp_path_factory):
    app = create_app({"DATABASE": str(tmp_path_factory.mktemp("links") / "e2e.sqlite3"), "FETCH_ALLOW": "127.0.0.1"})
    with LiveServer(app) as server:
        yield server


def test_two_pasted_links_are_compared(page: BrowserPage, links_server, site):
    page.goto(links_server.url + "/new")
    page.get_by_test_id("left-url").fill(site.url("/release"))
    page.get_by_test_id("right-url").fill(site.url("/story"))
    page.get_by_test_id("compare-submit").click()
    expect(page.get_by_test_id("left-head")).to_contain_text("Acme to open a plant")
    expect(page.get_by_test_id("right-head")).to_contain_text("Acme plant for Springfield")
    expect(page.get_by_test_id("left-fetched")).to_contain_text(site.url("/release"))
    expect(page.locator('[data-side="left"][data-paragraph-index]')).to_have_count(len(RELEASE))
    expect(page.locator('[data-row-kind="same"]').first).to_contain_text("Springfield has the workers")
    assert site.requests and all(path in ("/release", "/story") for path, _ in site.requests)
