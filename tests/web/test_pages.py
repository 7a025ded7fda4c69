"""Pages and htmx fragments through the Flask test client, asserted as HTML."""

import re

from bs4 import BeautifulSoup

from tests.seed_truth import CNN_PARAGRAPHS, REUTERS_PARAGRAPHS


def soup(response):
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def seed_id(client):
    return soup(client.get("/")).select_one("#comparison")["data-comparison-id"]


def test_home_shows_the_seed_comparison_side_by_side(client):
    page = soup(client.get("/"))
    left = [p.get_text() for p in page.select('[data-side="left"][data-paragraph-index]')]
    right = [p.get_text() for p in page.select('[data-side="right"][data-paragraph-index]')]
    assert len(left) == len(REUTERS_PARAGRAPHS) and len(right) == len(CNN_PARAGRAPHS)
    rows = page.select("[data-row-kind]")
    assert {r["data-row-kind"] for r in rows} >= {"related", "left_only", "right_only"}
    assert [int(r["data-row-index"]) for r in rows] == list(range(len(rows)))
    assert page.select_one('[data-testid="left-head"] h2').get_text().startswith("Blinken expects")
    assert page.select_one('[data-testid="filters"]') and page.select_one('[data-testid="stats"]')


def test_unique_rows_leave_a_visible_gap(client):
    page = soup(client.get("/"))
    row = page.select_one('[data-row-kind="right_only"]')
    assert row.select_one(".cell.left .gap").get_text().startswith("Not in")
    assert not row.select('[data-side="left"]')


def test_filter_fragment_is_only_the_rows_panel(client):
    response = client.get(f"/c/{seed_id(client)}?show=right", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "HX-Request" in response.headers["Vary"]
    html = response.get_data(as_text=True)
    assert "<html" not in html
    kinds = {r["data-row-kind"] for r in soup(response).select("[data-row-kind]")}
    assert kinds == {"right_only"}
    assert soup(response).select_one('[data-testid="filter-right"]')["aria-current"] == "page"


def test_filter_url_is_a_full_page_too(client):
    response = client.get(f"/c/{seed_id(client)}?show=left")
    page = soup(response)
    assert page.select_one("html") and page.select_one("#comparison")
    assert {r["data-row-kind"] for r in page.select("[data-row-kind]")} == {"left_only"}


def test_history_restore_gets_the_full_page(client):
    response = client.get(f"/c/{seed_id(client)}?show=left",
                          headers={"HX-Request": "true", "HX-History-Restore-Request": "true"})
    assert "<html" in response.get_data(as_text=True)


def test_form_post_redirects_to_the_comparison(client):
    response = client.post("/compare", data={"left_text": "Alpha beta gamma delta.", "right_text": "Alpha beta gamma epsilon."})
    assert response.status_code == 303
    assert re.fullmatch(r"/c/[0-9a-f]{20}", response.headers["Location"])
    page = soup(client.get(response.headers["Location"]))
    deleted, inserted = page.select_one("#rows del"), page.select_one("#rows ins")
    assert "only left" in deleted.select_one(".sr-only").get_text()  # said, not only coloured
    assert "only right" in inserted.select_one(".sr-only").get_text()
    for hidden in page.select(".sr-only"):
        hidden.decompose()
    assert (deleted.get_text(), inserted.get_text()) == ("delta", "epsilon")


def test_htmx_form_post_swaps_the_comparison_and_pushes_its_url(client):
    response = client.post("/compare", data={"left_text": "One two three four.", "right_text": "One two three five."},
                           headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert re.fullmatch(r"/c/[0-9a-f]{20}", response.headers["HX-Push-Url"])
    assert soup(response).select_one("#comparison") and "<html" not in response.get_data(as_text=True)


def test_same_input_same_url(client):
    data = {"left_text": "Same input here.", "right_text": "Same input there."}
    assert client.post("/compare", data=data).headers["Location"] == client.post("/compare", data=data).headers["Location"]


def test_empty_form_side_is_a_clear_error_with_the_form_kept(client):
    response = client.post("/compare", data={"left_text": "Kept text stays here.", "right_text": "  "})
    assert response.status_code == 422
    page = soup(response)
    assert "right document is empty" in page.select_one('[data-testid="form-error"]').get_text()
    assert page.select_one("#left_text").get_text() == "Kept text stays here."


def test_source_markup_is_escaped_not_rendered(client):
    payload = "<script>alert(1)</script><img src=x onerror=alert(2)> text"
    response = client.post("/compare", data={"left_text": payload, "right_text": "other words", "left_kind": "text"})
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "<script>alert(1)" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_unknown_comparison_is_404_page(client):
    response = client.get("/c/0000000000")
    assert response.status_code == 404
    assert "No comparison" in soup(response).select_one('[data-testid="error"]').get_text()


def test_security_headers_on_every_response(client):
    for response in (client.get("/"), client.get("/nope"), client.get("/healthz")):
        csp = response.headers["Content-Security-Policy"]
        assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp
        assert "object-src 'none'" in csp and "base-uri 'none'" in csp
        assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_no_inline_script_or_style_in_pages(client):
    page = soup(client.get("/"))
    assert all(s.get("src") for s in page.select("script"))
    assert not page.select("style") and not page.select("[style]")
