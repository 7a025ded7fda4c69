"""The other way to take a comparison off-site: `coverdiff compare --format html` writes one file
that reads the same as the live page, in a browser with JavaScript disabled and no network."""

from __future__ import annotations

import subprocess
import sys

from playwright.sync_api import Browser, Page, expect

from tests.conftest import CNN, REUTERS

ROWS = """rows => rows.map(r => ({
    kind: r.dataset.rowKind,
    paragraphs: Array.from(r.querySelectorAll('[data-side][data-paragraph-index]'))
        .map(p => p.dataset.side + ':' + p.dataset.paragraphIndex + ':' + p.textContent.trim())
}))"""


def test_exported_file_shows_the_rows_of_the_live_page_without_javascript(page: Page, browser: Browser, tmp_path):
    out = tmp_path / "comparison.html"
    subprocess.run([sys.executable, "-m", "webapp", "compare", str(REUTERS), str(CNN), "--format", "html",
                    "-o", str(out)], check=True, capture_output=True)
    body = {"left": {"text": REUTERS.read_text(encoding="utf-8")}, "right": {"text": CNN.read_text(encoding="utf-8")}}
    cid = page.request.post("/api/comparisons", data=body).json()["id"]
    page.goto(f"/c/{cid}")
    expect(page.locator("[data-row-kind]").first).to_be_visible()
    live = page.locator("[data-row-kind]").evaluate_all(ROWS)

    context = browser.new_context(java_script_enabled=False, offline=True)
    try:
        offline = context.new_page()
        requests = []
        offline.on("request", lambda r: requests.append(r.url))
        offline.goto(out.as_uri())
        exported = offline.locator("[data-row-kind]").evaluate_all(ROWS)
        styled = offline.locator(".row").first.evaluate("r => getComputedStyle(r).display")
    finally:
        context.close()
    assert len(live) > 10
    assert exported == live
    assert styled == "grid"  # the inlined stylesheet applies
    assert requests == [out.as_uri()]  # nothing else fetched
