"""The comparison view in Chromium: htmx partials, keyboard, focus, big documents, layouts.

Every partial swap is checked not to reload the page (window.__marker survives)
and to push a URL that, reloaded, shows the same state.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from webapp.viewmodel import CHUNK_ROWS

CID = r"/c/[0-9a-f]{20}"
BIG_ROWS = 3000  # paragraphs per side of the large comparison


def seed_url(page: Page) -> str:
    page.goto("/")
    return "/c/" + page.locator("#comparison").get_attribute("data-comparison-id")


def mark(page: Page) -> None:
    page.evaluate("window.__marker = 'no reload'")


def assert_not_reloaded(page: Page) -> None:
    assert page.evaluate("window.__marker") == "no reload"


def test_expand_row_into_its_word_diff_and_collapse_it(page: Page):
    url = seed_url(page)
    mark(page)
    row = page.locator("#row-0")
    expect(row.locator("mark.shared").first).to_be_visible()  # reworded row: shared passages marked
    expect(row.locator("ins, del")).to_have_count(0)
    row.get_by_test_id("row-toggle").click()
    expect(page).to_have_url(re.compile(rf"{CID}/rows/0$"))
    detail = page.locator("#row-0").get_by_test_id("row-detail")
    expect(detail).to_contain_text("similarity")
    expect(detail.get_by_test_id("row-reasons")).to_be_visible()
    expect(page.locator("#row-0 del.hl").first).to_be_visible()
    expect(page.locator("#row-0 ins.hl").first).to_be_visible()
    expect(page.locator("#row-0-toggle")).to_be_focused()  # focus stays on the control
    expect(page.locator("#row-0-toggle")).to_have_attribute("aria-expanded", "true")
    assert_not_reloaded(page)

    page.locator("#row-0-toggle").click()
    expect(page).to_have_url(re.compile(rf"{url}$"))
    expect(page.get_by_test_id("row-detail")).to_have_count(0)
    expect(page.locator("#row-0-toggle")).to_be_focused()
    assert_not_reloaded(page)

    page.go_back()
    expect(page).to_have_url(re.compile(rf"{CID}/rows/0$"))
    expect(page.locator("#row-0").get_by_test_id("row-detail")).to_be_visible()
    page.reload()
    expect(page.locator("#row-0").get_by_test_id("row-detail")).to_be_visible()
    expect(page.locator("#row-0")).to_be_focused()  # the expanded row of the URL is the current one


def test_filter_focus_stays_and_back_button_restores(page: Page):
    url = seed_url(page)
    mark(page)
    page.get_by_test_id("filter-left").click()
    expect(page).to_have_url(re.compile(rf"{url}\?show=left$"))
    expect(page.locator("[data-row-kind]").first).to_have_attribute("data-row-kind", "left_only")
    expect(page.get_by_test_id("filter-left")).to_be_focused()
    page.go_back()
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.locator('[data-row-kind="right_only"]').first).to_be_visible()
    expect(page.get_by_test_id("filter-all")).to_have_attribute("aria-current", "page")


def test_removed_panels_open_and_close_with_their_urls(page: Page):
    url = seed_url(page)
    mark(page)
    page.get_by_test_id("removed-left-toggle").click()
    panel = page.get_by_test_id("removed-left")
    expect(panel).to_be_visible()
    expect(page).to_have_url(re.compile(rf"{url}/removed\?side=left$"))
    expect(panel.locator("li[data-removed-index]").first).to_contain_text("Skip to main content")
    expect(panel.locator("li[data-removed-index]").first.locator(".removed-reason")).to_have_text("navigation")
    expect(page.get_by_test_id("removed-right")).to_have_count(0)
    expect(page.get_by_test_id("removed-left-toggle")).to_be_focused()
    assert_not_reloaded(page)
    page.reload()
    expect(page.get_by_test_id("removed-left")).to_be_visible()
    page.get_by_test_id("removed-left-toggle").click()
    expect(page.get_by_test_id("removed-left")).to_have_count(0)
    expect(page).to_have_url(re.compile(rf"{url}$"))
    page.get_by_test_id("removed-right-toggle").click()
    expect(page.get_by_test_id("removed-right").locator("li[data-removed-index]")).not_to_have_count(0)


def test_keyboard_moves_between_differences_expands_and_filters(page: Page):
    page.goto("/")
    mark(page)
    differences = page.locator('[data-row-kind]:not([data-row-kind="same"])')
    page.keyboard.press("j")
    expect(differences.nth(0)).to_be_focused()
    page.keyboard.press("n")
    expect(differences.nth(1)).to_be_focused()
    page.keyboard.press("j")
    page.keyboard.press("k")
    expect(differences.nth(1)).to_be_focused()
    page.keyboard.press("p")
    expect(differences.nth(0)).to_be_focused()

    page.keyboard.press("j")
    page.keyboard.press("e")
    expect(page).to_have_url(re.compile(rf"{CID}/rows/1$"))
    expect(page.locator("#row-1").get_by_test_id("row-detail")).to_be_visible()
    expect(page.locator("#row-1")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#row-1").get_by_test_id("row-detail")).to_have_count(0)
    expect(page.locator("#row-1")).to_be_focused()
    page.keyboard.press("o")
    expect(page.locator("#row-1").get_by_test_id("row-detail")).to_be_visible()

    for key, name, kinds in (("5", "right", {"right_only"}), ("3", "changed", {"edited", "related"}),
                             ("4", "left", {"left_only"}), ("1", "all", None)):
        page.keyboard.press(key)
        expect(page.get_by_test_id(f"filter-{name}")).to_have_attribute("aria-current", "page")
        expect(page.get_by_test_id(f"filter-{name}")).to_be_focused()
        if kinds:
            shown = set(page.locator("[data-row-kind]").evaluate_all("rs => rs.map(r => r.dataset.rowKind)"))
            assert shown <= kinds and shown
    expect(page).to_have_url(re.compile(rf"{CID}$"))
    assert_not_reloaded(page)


def test_keyboard_help_overlay(page: Page):
    page.goto("/")
    help_ = page.get_by_role("dialog", name="Keyboard shortcuts")
    expect(help_).to_be_hidden()
    page.keyboard.press("?")
    expect(help_).to_be_visible()
    expect(help_).to_contain_text("next difference")
    page.keyboard.press("Escape")
    expect(help_).to_be_hidden()
    page.get_by_test_id("keyboard-help-button").click()
    expect(help_).to_be_visible()
    help_.get_by_role("button", name="Close").click()
    expect(help_).to_be_hidden()


def test_typing_in_the_form_does_not_trigger_shortcuts(page: Page):
    page.goto("/new")
    page.get_by_test_id("left-text").fill("")
    page.get_by_test_id("left-text").press_sequentially("jk1?")
    expect(page.get_by_test_id("left-text")).to_have_value("jk1?")
    expect(page.get_by_role("dialog", name="Keyboard shortcuts")).to_be_hidden()


def test_moved_row_links_to_the_row_of_its_neighbour(page: Page):
    page.goto("/")
    moved = page.locator(".row.moved").first
    link = moved.get_by_test_id("moved-note").get_by_role("link")
    target = link.get_attribute("data-row-link")
    link.click()
    expect(page.locator(f"#row-{target}")).to_be_focused()
    expect(page.locator(f"#row-{target}")).to_be_in_viewport()
    # filtered away, the neighbour's row is on its own page
    page.get_by_test_id("filter-changed").click()
    expect(page.get_by_test_id("filter-changed")).to_have_attribute("aria-current", "page")
    moved = page.locator(".row.moved").first
    link = moved.get_by_test_id("moved-note").get_by_role("link")
    target = link.get_attribute("data-row-link")
    if page.locator(f"#row-{target}").count() == 0:
        link.click()
        expect(page).to_have_url(re.compile(rf"{CID}/rows/{target}$"))
        expect(page.locator(f"#row-{target}")).to_be_focused()


def test_upload_a_file_per_side_and_get_the_result_in_place(page: Page):
    page.goto("/")
    mark(page)
    page.get_by_text("Compare two other articles").click()
    page.get_by_test_id("left-file").set_input_files(files=[{
        "name": "left.html", "mimeType": "text/html",
        "buffer": b"<html><head><title>Harbour story</title></head><body><article>"
                  b"<p>The harbour reopened on Monday after the storm.</p><p>Fishermen cheered at dawn.</p>"
                  b"</article></body></html>"}])
    page.get_by_test_id("right-file").set_input_files(files=[{
        "name": "right.txt", "mimeType": "text/plain",
        "buffer": b"Fishermen cheered at dawn.\n\nThe harbour reopened on Tuesday after the storm."}])
    page.get_by_test_id("compare-submit").click()
    expect(page).to_have_url(re.compile(rf"{CID}$"))
    expect(page.locator('[data-row-kind="same"]')).to_have_count(1)
    edited = page.locator("[data-row-kind]").filter(has_text="harbour reopened")
    expect(edited.locator("del")).to_contain_text("Monday")
    expect(edited.locator("ins")).to_contain_text("Tuesday")
    expect(page.locator("#comparison")).to_be_focused()  # the result is announced
    assert_not_reloaded(page)


def test_binary_upload_error_is_shown_in_place_with_the_form_kept(page: Page):
    page.goto("/new")
    mark(page)
    page.get_by_test_id("left-text").fill("The left side stays as typed.")
    page.get_by_test_id("right-file").set_input_files(files=[{
        "name": "photo.txt", "mimeType": "text/plain", "buffer": bytes(range(32)) * 64}])
    page.get_by_test_id("compare-submit").click()
    expect(page.get_by_test_id("form-error")).to_contain_text("binary")
    expect(page.get_by_test_id("left-text")).to_have_value("The left side stays as typed.")
    expect(page).to_have_url(re.compile(r"/new$"))
    assert_not_reloaded(page)


@pytest.fixture(scope="module")
def big_comparison(live_server) -> str:
    """3,000 paragraphs a side, every other one reworded (so no run of identical rows collapses)."""
    import json
    import urllib.request

    def paragraph(n: int, day: str) -> str:
        return f"Report {n}: the committee number {n} met on {day} and agreed on item {n * 7}."

    left = "\n\n".join(paragraph(n, "Monday") for n in range(BIG_ROWS))
    right = "\n\n".join(paragraph(n, "Tuesday" if n % 2 == 0 else "Monday") for n in range(BIG_ROWS))
    body = json.dumps({"left": {"text": left}, "right": {"text": right}}).encode()
    request = urllib.request.Request(f"{live_server.url}/api/comparisons", data=body,
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=120) as response:
        return json.load(response)["url"]


def test_large_comparison_shows_its_first_rows_at_once_and_the_rest_on_scroll(page: Page, big_comparison: str):
    # How fast the first rows show is measured by `make bench` in a real browser, not here.
    page.goto(big_comparison)
    expect(page.locator('[data-row-index="0"]')).to_be_in_viewport()
    mark(page)
    rows = page.locator("[data-row-index]")
    loaded = rows.count()
    assert 0 < loaded < BIG_ROWS
    while loaded < BIG_ROWS:
        page.get_by_test_id("more-rows").scroll_into_view_if_needed()
        expect(rows).not_to_have_count(loaded)
        loaded = rows.count()
    expect(rows).to_have_count(BIG_ROWS)
    expect(page.get_by_test_id("more-rows")).to_have_count(0)
    expect(page.locator(f'[data-row-index="{BIG_ROWS - 1}"]')).to_contain_text(f"Report {BIG_ROWS - 1}")
    assert_not_reloaded(page)
    # keyboard reaches differences in loaded chunks too
    page.locator(f'[data-row-index="{BIG_ROWS - 20}"]').click()
    page.keyboard.press("j")
    expect(page.locator(f'[data-row-index="{BIG_ROWS - 18}"]')).to_be_focused()
    # with every row loaded, a filter shows its first chunk of rows and a row still expands
    page.get_by_test_id("filter-changed").click()
    expect(page.get_by_test_id("filter-changed")).to_have_attribute("aria-current", "page")
    expect(rows).to_have_count(min(BIG_ROWS // 2, CHUNK_ROWS))  # the changed rows, first chunk
    expect(rows.first).to_have_attribute("data-row-kind", "edited")
    rows.first.get_by_test_id("row-toggle").click()
    expect(page.get_by_test_id("row-detail")).to_be_visible()
    page.go_back()
    expect(page.get_by_test_id("filter-changed")).to_have_attribute("aria-current", "page")
    page.go_back()
    expect(page.get_by_test_id("filter-all")).to_have_attribute("aria-current", "page")


def test_narrow_screens_stack_the_same_rows_in_one_column(page: Page):
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto("/")
    row = page.locator("[data-row-kind]").filter(has_text="pales in comparison").first
    left = row.locator('[data-side="left"]').first.bounding_box()
    right = row.locator('[data-side="right"]').first.bounding_box()
    assert right["y"] > left["y"] + left["height"] - 1  # right below left
    assert abs(right["x"] - left["x"]) < 2
    expect(row.locator(".cell.left .cell-label")).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390  # nothing pushes the page sideways


def test_print_shows_every_loaded_row_and_no_controls(page: Page):
    page.goto("/")
    page.emulate_media(media="print")
    expect(page.locator("[data-row-index]").last).to_be_visible()
    expect(page.get_by_test_id("row-toggle").first).to_be_hidden()
    expect(page.get_by_test_id("filters")).to_be_hidden()
    expect(page.get_by_test_id("stats")).to_be_visible()


def test_a_run_of_identical_paragraphs_opens_in_place_and_back_closes_it(page: Page):
    from tests.web.test_view_emphasis import NEAR

    right = [*NEAR]
    right[5] = right[5].replace("Monday", "Tuesday")
    created = page.request.post("/api/comparisons", data={"left": {"text": "\n\n".join(NEAR)},
                                                          "right": {"text": "\n\n".join(right)}})
    url = created.json()["url"]
    page.goto(url)
    mark(page)
    runs = page.get_by_test_id("same-run")
    expect(runs).to_have_count(2)
    expect(page.locator("[data-row-index]")).to_have_count(1)
    runs.first.get_by_test_id("same-run-toggle").click()
    expect(page.locator("[data-row-index]")).to_have_count(6)
    expect(page.locator('[data-row-index="0"]')).to_contain_text("Paragraph 0")
    expect(page).to_have_url(re.compile(r"/same/0\?to=4$"))
    assert_not_reloaded(page)
    page.go_back()
    expect(page.get_by_test_id("same-run")).to_have_count(2)
    expect(page).to_have_url(re.compile(url + "$"))
