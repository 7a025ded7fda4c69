"""The seed comparison in a real browser: aligned rows, filters, the form."""

import re

from playwright.sync_api import Page, expect

from tests.seed_truth import CNN_PARAGRAPHS, REUTERS_PARAGRAPHS


def test_seed_page_renders_both_articles_in_aligned_rows(page: Page):
    page.goto("/")
    # Reuters' headline is compared as a paragraph too
    expect(page.locator('[data-side="left"][data-paragraph-index]')).to_have_count(1 + len(REUTERS_PARAGRAPHS))
    expect(page.locator('[data-side="right"][data-paragraph-index]')).to_have_count(len(CNN_PARAGRAPHS))
    row = page.locator("[data-row-kind]").filter(has_text="pales in comparison").first
    left = row.locator('[data-side="left"]').first.bounding_box()
    right = row.locator('[data-side="right"]').first.bounding_box()
    assert abs(left["y"] - right["y"]) < 2  # same grid row, side by side
    assert right["x"] > left["x"] + left["width"]
    expect(row.locator('[data-side="right"]')).to_contain_text("Russian troops have suffered heavy losses")


def test_filter_swaps_rows_without_reload_and_pushes_url(page: Page):
    page.goto("/")
    page.evaluate("window.__marker = 'still here'")
    page.get_by_test_id("filter-right").click()
    expect(page).to_have_url(re.compile(r"/c/[0-9a-f]{20}\?show=right$"))
    rows = page.locator("[data-row-kind]")
    expect(rows.first).to_have_attribute("data-row-kind", "right_only")
    kinds = set(rows.evaluate_all("rs => rs.map(r => r.dataset.rowKind)"))
    assert kinds == {"right_only"}
    assert page.evaluate("window.__marker") == "still here"
    expect(page.get_by_test_id("filter-right")).to_have_attribute("aria-current", "page")
    page.reload()
    kinds = set(page.locator("[data-row-kind]").evaluate_all("rs => rs.map(r => r.dataset.rowKind)"))
    assert kinds == {"right_only"}


def test_paste_form_produces_a_comparison(page: Page):
    page.goto("/new")
    page.evaluate("window.__marker = 1")
    page.get_by_label("Paste text or HTML").first.fill(
        "The council approved the budget on Monday.\n\nThe mayor welcomed the vote.")
    page.get_by_label("Paste text or HTML").nth(1).fill(
        "The mayor welcomed the vote.\n\nThe council approved the budget on Tuesday.")
    page.get_by_test_id("compare-submit").click()
    expect(page).to_have_url(re.compile(r"/c/[0-9a-f]{20}$"))
    expect(page.locator('[data-row-kind="same"]')).to_have_count(1)
    edited = page.locator("[data-row-kind]").filter(has_text="council approved")
    expect(edited.locator("del")).to_contain_text("Monday")
    expect(edited.locator("ins")).to_contain_text("Tuesday")
    assert page.evaluate("window.__marker") == 1


def test_form_error_is_shown_in_place_with_the_form_kept(page: Page):
    page.goto("/new")
    page.get_by_label("Paste text or HTML").first.fill("Only one side is filled in here.")
    page.get_by_test_id("compare-submit").click()
    expect(page.get_by_test_id("form-error")).to_contain_text("right document is empty")
    expect(page.get_by_label("Paste text or HTML").first).to_have_value("Only one side is filled in here.")


def test_the_header_stays_on_one_line_on_a_phone_and_the_page_has_an_icon(page: Page):
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto("/")
    header = page.locator(".site-header")
    boxes = [header.locator(".brand").bounding_box(), *(a.bounding_box() for a in header.locator("nav a").all()),
             header.locator(".help-button").bounding_box()]
    tops, heights = [b["y"] for b in boxes], [b["height"] for b in boxes]
    assert max(tops) < min(tops) + max(heights), tops  # side by side, not wrapped below each other
    assert max(b["x"] + b["width"] for b in boxes) <= 390  # and inside the screen
    assert page.get_by_test_id("keyboard-help-button").get_attribute("aria-keyshortcuts") == "Shift+?"
    expect(page.get_by_test_id("keyboard-help-button")).to_have_accessible_name("Keyboard ?")
    icon = page.locator('link[rel="icon"]').get_attribute("href")
    assert page.request.get(icon).status == 200
