"""In the browser: open what cleaning removed and put a block back, without a reload."""

import re

from playwright.sync_api import Page, expect

CAPTION = "U.S. Secretary of State Antony Blinken speaks during a joint press conference"


def test_put_back_a_removed_block(page: Page):
    page.goto("/")
    page.evaluate("window.__marker = 'kept'")
    page.get_by_test_id("removed-left-toggle").click()
    panel = page.get_by_test_id("removed-left")
    block = panel.locator("li[data-removed-index]").filter(has_text=CAPTION)
    expect(block).to_contain_text("caption")
    block.get_by_role("button", name=re.compile("Put back")).click()
    after_headline = page.locator('[data-side="left"][data-paragraph-index="1"]')
    expect(after_headline).to_contain_text(CAPTION)
    expect(page).to_have_url(re.compile(r"/c/[0-9a-f]{20}$"))
    assert page.evaluate("window.__marker") == "kept"


def test_keep_a_possibly_furniture_block_with_one_click(page: Page):
    from tests.web.test_view_emphasis import UNSURE_LEFT, UNSURE_RIGHT

    created = page.request.post("/api/comparisons", data={"left": {"text": UNSURE_LEFT},
                                                          "right": {"text": UNSURE_RIGHT}})
    page.goto(created.json()["url"])
    page.evaluate("window.__marker = 'kept'")
    unsure = page.get_by_test_id("unsure-removed")
    expect(unsure).to_contain_text("Possibly page furniture")
    expect(unsure).to_contain_text("Sign up for our daily newsletter")
    unsure.get_by_test_id("unsure-keep").click()
    kept = page.locator('[data-side="left"][data-paragraph-index="1"]')
    expect(kept).to_have_text("Sign up for our daily newsletter")
    expect(page.get_by_test_id("unsure-removed")).to_have_count(0)
    expect(page).to_have_url(re.compile(r"/c/[0-9a-f]{20}$"))
    assert page.evaluate("window.__marker") == "kept"
