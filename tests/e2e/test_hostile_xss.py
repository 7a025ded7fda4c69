"""XSS corpus rendered in Chromium: nothing runs, no dialog, no CSP violation.

Every payload is sent as HTML and as plain text, on the left and on the
right, and rendered in the comparison page, its filter fragments and the
exported HTML file. A payload that ran would set window.__xss or open a
dialog; a blocked attempt would raise a securitypolicyviolation event.
Both are watched from an init script, which the page's CSP does not govern.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.hostile import count
from tests.hostile.payloads import payloads
from webapp.export import standalone_html
from webapp.serialize import from_dict
from webapp.service import Stored

BATCH = 100  # payloads per comparison, so each page holds them in one chunk
WATCH = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation',
  e => window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));
"""


def batches() -> list[list[str]]:
    items = payloads()
    return [items[k:k + BATCH] for k in range(0, len(items), BATCH)]


def as_html(items: list[str]) -> str:
    body = "".join(f"<p>Item {n} of the hostile article: {p}</p>" for n, p in enumerate(items))
    return f"<html><head><title>Hostile</title></head><body><article>{body}</article></body></html>"


def as_text(items: list[str]) -> str:
    return "\n\n".join(f"Entry {n} in plain text: {p}" for n, p in enumerate(items))


def create(page: Page, left: dict, right: dict) -> str:
    response = page.request.post("/api/comparisons", data={"left": left, "right": right})
    assert response.status in (200, 201), response.text()
    return response.json()["id"]


def html_documents(page: Page, items: list[str]) -> list[list[str]]:
    """Groups of payloads whose HTML page keeps some article text. A payload can
    swallow the page (an unclosed <title>, <textarea> or comment); such a group
    is split until each payload is alone, and one that leaves no text at all is
    answered with a clear 4xx, which is counted."""
    response = page.request.post("/api/comparisons", data={"left": {"html": as_html(items)}, "right": {"text": "x y z"}})
    if response.status in (200, 201):
        return [items]
    assert 400 <= response.status < 500 and response.json()["error"]["message"], response.text()
    if len(items) == 1:
        count("payload pages refused with a clear 4xx")
        return []
    half = len(items) // 2
    return html_documents(page, items[:half]) + html_documents(page, items[half:])


def watch(page: Page) -> list[str]:
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.add_init_script(WATCH)
    return dialogs


def assert_nothing_ran(page: Page, dialogs: list[str], context: str) -> None:
    assert page.evaluate("window.__xss") is None, context
    assert dialogs == [], context
    assert page.evaluate("window.__cspViolations") == [], context
    count("executions seen", 0)
    count("contexts rendered")


@pytest.mark.parametrize("batch", range(len(batches())))
def test_payloads_never_execute(page: Page, batch: int, tmp_path):
    items = batches()[batch]
    dialogs = watch(page)
    ids = [create(page, {"text": as_text(items)}, {"text": as_text(items[::-1])})]
    for group in html_documents(page, items):
        ids.append(create(page, {"html": as_html(group)}, {"text": as_text(group[::-1])}))
        ids.append(create(page, {"text": as_text(group)}, {"html": as_html(group[1:] or group)}))
    count("payloads tried", len(items) * 4)  # html and text, left and right
    for cid in ids:
        page.goto(f"/c/{cid}")
        expect(page.locator("[data-row-kind]").first).to_be_visible()
        assert_nothing_ran(page, dialogs, f"page /c/{cid}")
        for name in ("left", "right", "all"):
            page.get_by_test_id(f"filter-{name}").click()
            expect(page.get_by_test_id(f"filter-{name}")).to_have_attribute("aria-current", "page")
            assert_nothing_ran(page, dialogs, f"filter {name} of /c/{cid}")
        document = page.request.get(f"/api/comparisons/{cid}").json()
        export = tmp_path / f"{cid}.html"
        export.write_text(standalone_html(Stored(cid, from_dict(document))), encoding="utf-8")
        page.goto(export.as_uri())
        expect(page.locator("[data-row-kind]").first).to_be_visible()
        assert_nothing_ran(page, dialogs, f"export of {cid}")


def test_payload_text_is_shown_as_text(page: Page):
    """The corpus really reaches the page: a text-mode payload is visible literally."""
    cid = create(page, {"text": as_text(batches()[0])}, {"text": "Unrelated words only."})
    page.goto(f"/c/{cid}")
    expect(page.locator('[data-side="left"]').filter(has_text="<script>window.__xss=1</script>").first).to_be_visible()


def test_the_watch_sees_a_payload_that_runs(page: Page):
    """Control: without coverdiff's escaping the same payload does run and is seen."""
    dialogs = watch(page)
    page.goto("about:blank")
    payload = next(p for p in payloads() if p == "<img src=x onerror=window.__xss=1>")
    page.set_content(f"<div>{payload}</div><script>alert('control')</script>")
    page.wait_for_function("window.__xss === 1")
    assert dialogs == ["control"]


def test_the_watch_sees_a_csp_violation(page: Page):
    """Control: an inline script injected into a coverdiff page is blocked and reported."""
    watch(page)
    page.goto("/")
    page.evaluate("""() => { const s = document.createElement('script');
                             s.textContent = 'window.__xss = 1'; document.body.append(s); }""")
    page.wait_for_function("window.__cspViolations.length > 0")
    assert page.evaluate("window.__xss") is None


def test_payloads_never_execute_in_the_matrix_its_filters_expanded_facts_or_its_file(page: Page, tmp_path):
    """A comparison of many (issue #17) of payloads as text and HTML, with payloads as outlet names:
    its page, each filter, a fact's wordings compared (their word diff is markup built around the
    text) and the exported file."""
    from webapp.export import standalone_matrix_html
    from webapp.serialize_many import from_dict as many_from_dict
    from webapp.service import StoredMany

    items = batches()[0]
    dialogs = watch(page)
    group = html_documents(page, items)[0]
    response = page.request.post("/api/comparisons", data={"documents": [
        {"text": as_text(items), "source": items[0][:300]},
        {"text": as_text(items[::-1]).replace("plain", "simple"), "source": "<img src=x onerror=window.__xss=1>"},
        {"html": as_html(group), "title": "<script>window.__xss=1</script>"}]})
    assert response.status in (200, 201), response.text()
    document = response.json()
    cid = document["id"]
    page.goto(f"/m/{cid}")
    expect(page.locator("tr[data-fact-index]").first).to_be_visible()
    assert_nothing_ran(page, dialogs, f"matrix /m/{cid}")
    for name in ("one", "several", "every", "all"):
        page.get_by_test_id(f"filter-{name}").click()
        expect(page.get_by_test_id(f"filter-{name}")).to_have_attribute("aria-current", "page")
        assert_nothing_ran(page, dialogs, f"filter {name} of /m/{cid}")
    shared = [f["index"] for f in document["facts"] if len(f["members"]) > 1]
    for index in shared[:20]:
        page.goto(f"/m/{cid}/facts/{index}")
        expect(page.locator(f"#fact-{index} td.reference")).to_have_count(1)
        assert_nothing_ran(page, dialogs, f"fact {index} of /m/{cid}")
    count("payloads tried in a matrix", len(items) * 2 + len(group))
    export = tmp_path / f"{cid}.html"
    export.write_text(standalone_matrix_html(StoredMany(cid, many_from_dict(document))), encoding="utf-8")
    page.goto(export.as_uri())
    expect(page.locator("tr[data-fact-index]").first).to_be_visible()
    assert_nothing_ran(page, dialogs, f"export of {cid}")
