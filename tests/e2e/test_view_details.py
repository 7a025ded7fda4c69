"""In the browser: what a row's shape, reasons, the column labels, dates and an unrelated pair
look like to a reader (the web tests check the markup; these check what Chromium shows)."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.web.test_view_emphasis import LONG, SHARED, SPLIT


def created(page: Page, left: dict, right: dict) -> str:
    return page.request.post("/api/comparisons", data={"left": left, "right": right}).json()["url"]


def test_a_split_row_says_so_and_its_reasons_quote_the_text(page: Page):
    page.goto(created(page, {"text": f"{LONG}\n\n{SHARED}", "source": "Wire"},
                      {"text": "\n\n".join([*SPLIT, SHARED]), "source": "Gazette"}))
    split = page.locator('[data-row-shape="split"]')
    expect(split.get_by_test_id("shape-note")).to_contain_text("Split into 2")
    expect(page.locator(".doc-head .outlet").first).to_contain_text("Wire")
    split.get_by_test_id("row-toggle").click()
    reasons = page.get_by_test_id("row-reasons")
    expect(reasons).to_be_visible()
    expect(reasons.locator("li").first).to_contain_text("12")  # numbers first, as written
    expect(reasons).to_contain_text("Monday")  # a name as the text writes it, not "monday"


def test_same_outlet_columns_fall_back_to_titles_and_an_unrelated_pair_is_flagged(page: Page):
    page.goto(created(page, {"text": LONG, "source": "Wire", "title": "Bridge to close for repairs"},
                      {"text": "Rain is expected across the north on Sunday, forecasters said.", "source": "Wire",
                       "title": "Weekend weather"}))
    heads = page.locator(".doc-head .outlet")
    expect(heads.nth(0)).to_contain_text("Bridge to close for repairs")
    expect(heads.nth(1)).to_contain_text("Weekend weather")
    expect(page.get_by_test_id("unrelated-note")).to_contain_text("may not be about the same event")


def test_a_stored_iso_date_reads_as_a_date(page: Page):
    html = ("<html><head><meta property='article:published_time' content='2024-10-31T12:00:00Z'></head>"
            f"<body><article><h1>Bridge to close</h1><p>{LONG}</p><p>{SHARED}</p></article></body></html>")
    page.goto(created(page, {"html": html}, {"text": SHARED}))
    expect(page.get_by_test_id("left-date")).to_have_text("31 October 2024, 12:00 UTC")
