"""The coverage matrix in Chromium: filters swap the panel without a reload and push URLs that
back/forward and reload restore; a pair link opens the side-by-side view; axe finds nothing
serious or critical; narrow screens stack the outlets of one fact."""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from tests.conftest import CNN, REUTERS
from tests.e2e.test_accessibility import BLOCKING
from tests.e2e.test_comparison_view import assert_not_reloaded, mark


def digest() -> str:
    """A third report: the opening of the CNN story and three paragraphs from the Reuters one."""
    cnn = [p for p in CNN.read_text(encoding="utf-8").split("\n") if p.strip()]
    reuters = [p for p in REUTERS.read_text(encoding="utf-8").split("\n\n") if len(p.split()) > 12]
    return "\n\n".join(cnn[:3] + reuters[4:7])


def three_reports() -> dict:
    """The API body of the matrix under test (and of scripts/matrix_screenshots.py)."""
    return {"documents": [{"text": REUTERS.read_text(encoding="utf-8"), "source": "Reuters"},
                          {"text": CNN.read_text(encoding="utf-8"), "source": "CNN"},
                          {"text": digest(), "source": "Digest"}]}


@pytest.fixture
def matrix_url(page: Page) -> str:
    response = page.request.post("/api/comparisons", data=three_reports())
    assert response.status in (200, 201)
    return response.json()["url"]


def coverages(page: Page) -> set[str]:
    return set(page.locator("tr[data-fact-index]").evaluate_all("rows => rows.map(r => r.dataset.factCoverage)"))


def test_filters_swap_the_panel_and_back_forward_and_reload_restore_them(page: Page, matrix_url: str):
    page.goto(matrix_url)
    total = page.locator("tr[data-fact-index]").count()
    assert coverages(page) == {"all", "some", "one"}
    mark(page)
    page.get_by_test_id("filter-one").click()
    expect(page).to_have_url(re.compile(r"\?show=one$"))
    expect(page.get_by_test_id("filter-one")).to_have_attribute("aria-current", "page")
    assert coverages(page) == {"one"}
    page.locator("[data-testid=filter-only][data-document-index='1']").click()
    expect(page).to_have_url(re.compile(r"\?show=one&outlet=1$"))
    expect(page.locator("#facts-title")).to_have_text("Facts: Only in CNN")
    only_cnn = page.locator("tr[data-fact-index]")
    assert only_cnn.count() == int(page.locator("[data-testid=outlet-stats][data-document-index='1'] "
                                                "[data-testid=exclusive]").inner_text())
    expect(only_cnn.locator("td.reported")).to_have_count(only_cnn.count())
    assert set(only_cnn.locator("td.reported").evaluate_all("c => c.map(x => x.dataset.documentIndex)")) == {"1"}
    assert_not_reloaded(page)

    page.go_back()
    expect(page).to_have_url(re.compile(r"\?show=one$"))
    expect(page.get_by_test_id("filter-one")).to_have_attribute("aria-current", "page")
    page.go_back()
    expect(page.locator("tr[data-fact-index]")).to_have_count(total)
    page.go_forward()
    expect(page).to_have_url(re.compile(r"\?show=one$"))
    # the page asks the server for that state (no page snapshots are kept): wait for it
    expect(page.get_by_test_id("filter-one")).to_have_attribute("aria-current", "page")
    assert coverages(page) == {"one"}
    page.reload()
    assert coverages(page) == {"one"}


def test_a_pair_link_opens_the_side_by_side_view_of_those_two_outlets(page: Page, matrix_url: str):
    page.goto(matrix_url)
    page.get_by_test_id("matrix-pairs").locator("summary").click()
    page.get_by_role("link", name="Reuters and CNN").click()
    expect(page).to_have_url(re.compile(r"/c/[0-9a-f]{20}$"))
    expect(page.locator("#comparison")).to_contain_text("Blinken")
    page.go_back()
    expect(page).to_have_url(re.compile(re.escape(matrix_url) + "$"))


def test_expanding_a_fact_compares_its_wordings_and_back_closes_it(page: Page, matrix_url: str):
    page.goto(matrix_url)
    mark(page)
    row = page.locator("tr[data-fact-coverage='all']").first
    index = row.get_attribute("data-fact-index")
    row.get_by_test_id("fact-toggle").click()
    expect(page).to_have_url(re.compile(rf"/facts/{index}$"))
    row = page.locator(f"#fact-{index}")
    expect(row.locator("td.reference")).to_have_count(1)
    expect(row.get_by_test_id("wording-diff").first).to_be_visible()
    expect(row.get_by_test_id("fact-toggle")).to_have_attribute("aria-expanded", "true")
    assert_not_reloaded(page)
    page.go_back()
    expect(page).to_have_url(re.compile(re.escape(matrix_url) + "$"))
    expect(page.locator(f"#fact-{index} td.reference")).to_have_count(0)
    page.go_forward()
    expect(page.locator(f"#fact-{index} td.reference")).to_have_count(1)


def test_the_form_adds_a_report_in_place_and_opens_the_matrix(page: Page):
    page.goto("/many/new")
    mark(page)
    expect(page.get_by_test_id("slot")).to_have_count(3)
    page.get_by_test_id("add-document").click()
    expect(page.get_by_test_id("slot")).to_have_count(4)
    assert_not_reloaded(page)
    reports = three_reports()["documents"]
    for k, spec in enumerate(reports):
        page.locator(f"#doc{k}_text").fill(spec["text"])
        page.locator(f"#doc{k}_label").fill(spec["source"])
    page.get_by_test_id("many-submit").click()
    expect(page).to_have_url(re.compile(r"/m/[0-9a-f]{20}$"))
    expect(page.locator("thead th[data-document-index]")).to_have_text(["Reuters", "CNN", "Digest"])


def test_the_form_shows_a_clear_error_in_place(page: Page):
    page.goto("/many/new")
    page.locator("#doc0_text").fill("Only one report is filled in.")
    page.get_by_test_id("many-submit").click()
    expect(page.get_by_test_id("form-error")).to_contain_text("2 to 10 documents")
    expect(page.locator("#doc0_text")).to_have_value("Only one report is filled in.")


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("query", ["", "?show=one&outlet=1", "/facts/1", "form"])
def test_no_serious_or_critical_axe_violations_in_the_matrix(page: Page, matrix_url: str, scheme: str, query: str):
    page.emulate_media(color_scheme=scheme)
    if query == "form":
        page.goto("/many/new")
        page.get_by_test_id("add-document").click()
        expect(page.get_by_test_id("slot")).to_have_count(4)
    else:
        page.goto(matrix_url + query)
        page.get_by_test_id("matrix-pairs").locator("summary").click()
    results = Axe().run(page)
    for v in results.response["violations"]:
        print(f"\naxe matrix{query} {scheme}: {v['impact']} {v['id']} ({len(v['nodes'])} nodes): {v['help']}")
    blocking = [f"{v['id']}: {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
                for v in results.response["violations"] if v["impact"] in BLOCKING]
    assert blocking == []
    assert results.response["passes"]


def test_narrow_screens_stack_the_outlets_of_one_fact_at_a_time(page: Page, matrix_url: str):
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(matrix_url)
    first = page.locator("tr[data-fact-index]").first
    boxes = [c.bounding_box() for c in first.locator("td").all()]
    assert all(b["x"] == boxes[0]["x"] for b in boxes)  # stacked, not side by side
    assert all(a["y"] < b["y"] for a, b in zip(boxes, boxes[1:], strict=False))
    expect(page.locator("table.matrix thead")).to_be_hidden()
    labels = first.locator("td").evaluate_all("cs => cs.map(c => getComputedStyle(c, '::before').content)")
    assert labels == ['"Reuters"', '"CNN"', '"Digest"']  # each stacked cell names its outlet
