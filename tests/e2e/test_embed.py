"""The embed in a real Chromium, on a page of another origin, as a CMS would use it.

Three servers on loopback: coverdiff (FRAME_ANCESTORS allows only the host's origin), and a
tiny host site that serves a page with the loader script and a <div data-coverdiff>. The
same host server reached as http://localhost:PORT is another origin, not allowed to frame.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from werkzeug.wrappers import Response

from tests.conftest import CNN, REUTERS
from tests.e2e.conftest import LiveServer
from webapp import create_app

HOST_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>A CMS page</title></head>
<body>
<h1>Our story, and how others covered it</h1>
<div data-coverdiff="{comparison}"></div>
<p id="after">The rest of the article.</p>
<script src="{loader}"></script>
</body></html>
"""


class HostSite(LiveServer):
    """A site of another origin that serves one page (set by the tests), in a thread."""

    def __init__(self):
        self.page = "<!doctype html><title>empty</title>"
        super().__init__(self._app)
        self.port = self.server.server_port

    def _app(self, environ, start_response):
        return Response(self.page, mimetype="text/html")(environ, start_response)


@pytest.fixture(scope="module")
def host():
    with HostSite() as site:
        yield site


@pytest.fixture(scope="module")
def coverdiff(host, tmp_path_factory):
    """coverdiff whose embeds only http://127.0.0.1:<host port> may frame."""
    app = create_app({"DATABASE": str(tmp_path_factory.mktemp("embed") / "embed.sqlite3"),
                      "FRAME_ANCESTORS": f"http://127.0.0.1:{host.port}"})
    body = {"left": {"text": REUTERS.read_text(encoding="utf-8")}, "right": {"text": CNN.read_text(encoding="utf-8")}}
    cid = app.test_client().post("/api/comparisons", json=body).get_json()["id"]
    with LiveServer(app) as server:
        server.cid = cid
        host.page = HOST_PAGE.format(comparison=f"{server.url}/c/{cid}", loader=f"{server.url}/static/embed.js")
        yield server


def _frame(page: Page):
    handle = page.locator("iframe").element_handle()
    return handle.content_frame()


NO_INNER_SCROLL = "() => document.documentElement.scrollHeight <= document.documentElement.clientHeight + 1"


def test_loader_embeds_a_comparison_that_grows_to_its_content(page: Page, host, coverdiff):
    page.goto(f"http://127.0.0.1:{host.port}/")
    iframe = page.locator("iframe")
    expect(iframe).to_have_attribute("src", f"{coverdiff.url}/embed/{coverdiff.cid}")
    frame = _frame(page)
    expect(frame.locator("[data-row-kind]").first).to_be_visible()
    page.wait_for_function("() => document.querySelector('iframe').getBoundingClientRect().height > 1200")
    frame.wait_for_function(NO_INNER_SCROLL)
    # the frame is as tall as its content: no scrollbar inside, the host's text follows it
    assert frame.evaluate("document.documentElement.scrollHeight") <= frame.evaluate(
        "document.documentElement.clientHeight") + 1
    after = page.locator("#after").bounding_box()
    box = iframe.bounding_box()
    assert after["y"] >= box["y"] + box["height"]


def test_filter_inside_the_embed_swaps_rows_without_reload_and_shrinks_the_frame(page: Page, host, coverdiff):
    page.goto(f"http://127.0.0.1:{host.port}/")
    frame = _frame(page)
    expect(frame.locator("[data-row-kind]").first).to_be_visible()
    page.wait_for_function("() => document.querySelector('iframe').getBoundingClientRect().height > 1200")
    frame.wait_for_function(NO_INNER_SCROLL)
    tall = page.locator("iframe").bounding_box()["height"]
    all_rows = frame.locator("[data-row-kind]").count()
    frame.evaluate("window.__marker = 'still here'")
    page.evaluate("window.__host = 'still here'")
    history = page.evaluate("history.length")

    frame.get_by_test_id("filter-right").click()
    expect(frame.get_by_test_id("filter-right")).to_have_attribute("aria-current", "page")
    kinds = set(frame.locator("[data-row-kind]").evaluate_all("rs => rs.map(r => r.dataset.rowKind)"))
    assert kinds == {"right_only"} and frame.locator("[data-row-kind]").count() < all_rows
    assert frame.evaluate("window.__marker") == "still here"  # htmx swapped rows; no reload
    assert page.evaluate("window.__host") == "still here"
    assert frame.url == f"{coverdiff.url}/embed/{coverdiff.cid}"  # clicks in the embed push no URL ...
    assert page.evaluate("history.length") == history  # ... so the host page's history stays as it was
    page.wait_for_function(f"() => document.querySelector('iframe').getBoundingClientRect().height < {tall}")
    frame.wait_for_function(NO_INNER_SCROLL)


def test_height_messages_from_elsewhere_are_ignored(page: Page, host, coverdiff):
    page.goto(f"http://127.0.0.1:{host.port}/")
    frame = _frame(page)
    expect(frame.locator("[data-row-kind]").first).to_be_visible()
    page.wait_for_function("() => document.querySelector('iframe').getBoundingClientRect().height > 1200")
    before = page.locator("iframe").bounding_box()["height"]
    # the host page itself (right origin for nothing, wrong source) claims a height of 5
    page.evaluate("""() => new Promise(done => {
        window.addEventListener("message", e => { if (e.data === "flushed") done(); });
        window.postMessage({type: "coverdiff:height", height: 5}, "*");
        window.postMessage("flushed", "*");
    })""")
    assert page.locator("iframe").bounding_box()["height"] == before


def test_an_origin_not_in_frame_ancestors_gets_a_blocked_frame(page: Page, host, coverdiff):
    with page.expect_response(f"{coverdiff.url}/embed/{coverdiff.cid}") as response:
        page.goto(f"http://localhost:{host.port}/")  # same server, another origin
    assert response.value.status == 200  # served, then refused by the browser
    assert f"frame-ancestors http://127.0.0.1:{host.port}" in response.value.headers["content-security-policy"]
    frame = _frame(page)
    frame.wait_for_load_state()
    assert not frame.url.startswith(coverdiff.url)  # Chromium shows its error page (chrome-error://…)
    assert frame.locator("[data-row-kind]").count() == 0
    assert frame.locator("[data-testid=embed]").count() == 0
    assert page.locator("iframe").bounding_box()["height"] == 600  # the loader's default: no height arrived


OEMBED_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>A CMS page with an oEmbed</title></head>
<body><main style="max-width: 700px">{html}</main></body></html>
"""


def test_the_oembed_html_is_responsive_and_its_embed_has_row_detail_and_removed_panels(page: Page, host, coverdiff):
    url = f"{coverdiff.url}/c/{coverdiff.cid}?show=changed&accent=%23cc0000"
    answer = page.request.get(f"{coverdiff.url}/oembed", params={"url": url, "maxwidth": "900"}).json()
    host.page = OEMBED_PAGE.format(html=answer["html"])
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(f"http://127.0.0.1:{host.port}/")
    iframe = page.locator("iframe")
    assert iframe.bounding_box()["width"] <= 390  # the column's width, not 900 px
    frame = _frame(page)
    expect(frame.get_by_test_id("filter-changed")).to_have_attribute("aria-current", "page")  # ?show= passed on
    expect(frame.get_by_test_id("embed-theme")).to_have_count(1)  # and the theme
    history = page.evaluate("history.length")
    frame.locator("[data-row-kind]").first.get_by_test_id("row-toggle").click()
    expect(frame.get_by_test_id("row-detail")).to_be_visible()
    frame.get_by_test_id("removed-left-toggle").click()
    expect(frame.get_by_test_id("removed-left").locator("li").first).to_be_visible()
    assert frame.get_by_test_id("removed-left").locator("form").count() == 0  # listed, not put back here
    assert page.evaluate("history.length") == history
    assert errors == []
