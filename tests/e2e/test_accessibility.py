"""axe-core audits of the comparison view in Chromium, light and dark.

axe.min.js ships with axe-playwright-python (no network) and is injected with
page.evaluate, which the page's Content-Security-Policy does not govern.
"""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

BLOCKING = ("serious", "critical")  # axe impacts that fail the test; minor and moderate are printed


def home(page: Page) -> None:
    page.goto("/")


def filtered(page: Page) -> None:
    page.goto("/")
    page.get_by_test_id("filter-changed").click()
    expect(page.get_by_test_id("filter-changed")).to_have_attribute("aria-current", "page")


def expanded_row(page: Page) -> None:
    page.goto("/")
    page.locator("#row-0").get_by_test_id("row-toggle").click()
    expect(page.get_by_test_id("row-detail")).to_be_visible()
    page.get_by_test_id("removed-left-toggle").click()
    expect(page.get_by_test_id("removed-left")).to_be_visible()
    page.get_by_test_id("shared-quotes").locator("summary").click()


def form_error(page: Page) -> None:
    page.goto("/new")
    page.get_by_test_id("left-text").fill("Only one side is filled in.")
    page.get_by_test_id("compare-submit").click()
    expect(page.get_by_test_id("form-error")).to_be_visible()


def keyboard_help(page: Page) -> None:
    page.goto("/")
    page.keyboard.press("?")
    expect(page.get_by_role("dialog", name="Keyboard shortcuts")).to_be_visible()


def _created(page: Page, left: str, right: str) -> str:
    response = page.request.post("/api/comparisons", data={"left": {"text": left}, "right": {"text": right}})
    return response.json()["url"]


def collapsed_runs(page: Page) -> None:
    from tests.web.test_view_emphasis import NEAR

    right = [*NEAR]
    right[5] = right[5].replace("Monday", "Tuesday")
    page.goto(_created(page, "\n\n".join(NEAR), "\n\n".join(right)))
    expect(page.get_by_test_id("same-run").first).to_be_visible()


def unsure(page: Page) -> None:
    from tests.web.test_view_emphasis import UNSURE_LEFT, UNSURE_RIGHT

    page.goto(_created(page, UNSURE_LEFT, UNSURE_RIGHT))
    expect(page.get_by_test_id("unsure-removed")).to_be_visible()


PROGRESS_ID = "a110a110a110a110a110"  # no comparison: only its progress is recorded


def progress(page: Page, app) -> None:
    """A comparison some server is still computing (recorded in the store as it would be)."""
    app.extensions["coverdiff.store"].set_progress(PROGRESS_ID, "aligning", 0.1)
    page.goto(f"/c/{PROGRESS_ID}")
    expect(page.get_by_test_id("progress")).to_be_visible()


MANY_PROGRESS_ID = "b220b220b220b220b220"  # a comparison of many, only its progress recorded


def many_progress(page: Page, app) -> None:
    """A comparison of many comparing its pairs of reports (recorded as its thread records it)."""
    inputs = {"documents": [{"content": "One report."}, {"content": "Another."}, {"content": "A third."}],
              "options": {}}
    app.extensions["coverdiff.store"].set_progress(MANY_PROGRESS_ID, "aligning 2/3", 0.63, inputs=inputs)
    page.goto(f"/m/{MANY_PROGRESS_ID}")
    expect(page.get_by_test_id("pairs-done")).to_be_visible()


def many_form_error(page: Page) -> None:
    """The form for several reports with a link the address guard refuses (no connection made): its error."""
    page.goto("/many/new")
    page.locator("#doc0_url").fill("http://127.0.0.2/report")
    page.locator("#doc1_text").fill("A second report.")
    page.get_by_test_id("many-submit").click()
    expect(page.get_by_test_id("form-error")).to_be_visible()


def embed_narrow(page: Page) -> None:
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto("/")
    cid = page.locator("#comparison").get_attribute("data-comparison-id")
    page.goto(f"/embed/{cid}")
    expect(page.get_by_test_id("embed")).to_be_visible()


VIEWS = {"home": home, "filtered": filtered, "expanded-row": expanded_row, "form-error": form_error,
         "keyboard-help": keyboard_help, "collapsed-runs": collapsed_runs, "unsure": unsure, "progress": progress,
         "many-progress": many_progress, "many-form-error": many_form_error, "embed-390": embed_narrow}


@pytest.fixture(scope="module")
def axe() -> Axe:
    return Axe()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("view", list(VIEWS))
def test_no_serious_or_critical_axe_violations(page: Page, axe: Axe, view: str, scheme: str, live_server):
    page.emulate_media(color_scheme=scheme)
    if view in ("progress", "many-progress"):
        VIEWS[view](page, live_server.app)
    else:
        VIEWS[view](page)
    assert page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches") == (scheme == "dark")
    results = axe.run(page)
    violations = results.response["violations"]
    for v in violations:
        print(f"\naxe {view} {scheme}: {v['impact']} {v['id']} ({len(v['nodes'])} nodes): {v['help']}")
    blocking = [f"{v['id']}: {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
                for v in violations if v["impact"] in BLOCKING]
    assert blocking == []
    assert results.response["passes"] or results.response["testEngine"]["version"]  # axe really ran
