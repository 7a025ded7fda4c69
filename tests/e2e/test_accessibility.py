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


VIEWS = {"home": home, "filtered": filtered, "expanded-row": expanded_row, "form-error": form_error,
         "keyboard-help": keyboard_help}


@pytest.fixture(scope="module")
def axe() -> Axe:
    return Axe()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("view", list(VIEWS))
def test_no_serious_or_critical_axe_violations(page: Page, axe: Axe, view: str, scheme: str):
    page.emulate_media(color_scheme=scheme)
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
