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
    # Reuters' headline, taken from its text, is compared as its first paragraph
    assert left[0].startswith("Blinken expects") and len(left) == 1 + len(REUTERS_PARAGRAPHS)
    assert len(right) == len(CNN_PARAGRAPHS)
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


# --- issue #5: row detail, removed panels, chunks; every partial is a page too ---

def fragment(client, url):
    response = client.get(url, headers={"HX-Request": "true"})
    assert "HX-Request" in response.headers["Vary"]
    assert "<html" not in response.get_data(as_text=True)
    return response


def test_related_rows_mark_shared_passages_and_expand_to_the_word_diff(client):
    cid = seed_id(client)
    page = soup(client.get("/"))
    related = page.select_one('[data-row-kind="related"]')
    assert related.select("mark.shared") and not related.select("ins, del")  # lighter marking collapsed
    toggle = related.select_one('[data-testid="row-toggle"]')
    assert toggle["aria-expanded"] == "false" and toggle["hx-get"] == f"/c/{cid}/rows/0"
    response = fragment(client, f"/c/{cid}/rows/0")
    row = soup(response).select_one("#row-0")
    assert row["data-row-kind"] == "related" and "expanded" in row["class"]
    assert row.select("ins.hl") and row.select("del.hl")  # the full word diff
    detail = row.select_one('[data-testid="row-detail"]')
    assert re.fullmatch(r"0\.\d\d", detail.select_one('[data-testid="row-similarity"]').get_text())
    assert "Kursk" in detail.select_one('[data-testid="row-reasons"]').get_text().title()
    collapse = row.select_one('[data-testid="row-toggle"]')
    assert collapse["aria-expanded"] == "true" and collapse["hx-push-url"] == f"/c/{cid}"
    collapsed = soup(fragment(client, collapse["hx-get"])).select_one("#row-0")
    assert not collapsed.select('[data-testid="row-detail"]') and collapsed.select("mark.shared")


def test_row_url_is_a_full_page_with_that_row_expanded(client):
    cid = seed_id(client)
    right_only = soup(client.get(f"/c/{cid}")).select_one('[data-row-kind="right_only"]')["data-row-index"]
    page = soup(client.get(f"/c/{cid}/rows/{right_only}?show=right"))
    assert page.select_one("html") and page.select_one('[data-testid="filter-right"]')["aria-current"] == "page"
    assert [r["id"] for r in page.select(".row.expanded")] == [f"row-{right_only}"]
    # a row outside the filter asked for is shown among all rows
    page = soup(client.get(f"/c/{cid}/rows/0?show=right"))
    assert page.select_one('[data-testid="filter-all"]')["aria-current"] == "page"
    assert page.select_one("#row-0.expanded")


def test_moved_rows_link_to_the_row_of_their_neighbour_paragraph(client):
    page = soup(client.get("/"))
    moved = page.select_one(".row.moved")
    note = moved.select_one('[data-testid="moved-note"]')
    link = note.select_one("a[data-row-link]")
    target = page.select_one(link["href"])
    paragraph = int(moved.select_one('[data-side="right"]')["data-paragraph-index"])
    neighbours = {int(p["data-paragraph-index"]) for p in target.select('[data-side="right"]')}
    assert paragraph - 1 in neighbours or (paragraph == 0 and 1 in neighbours)
    assert f"¶\xa0{paragraph + 1}" in note.get_text()


def test_stats_list_the_shared_passages(client):
    stats = soup(client.get("/")).select_one('[data-testid="stats"]')
    quotes = stats.select('[data-testid="shared-quotes"] li')
    assert len(quotes) == int(stats.select_one('[data-testid="stat-shared-quotes"]').get_text()) > 0
    assert re.fullmatch(r"\d+%", stats.select_one('[data-testid="stat-left-covered"]').get_text())


def test_removed_panel_fragment_lists_each_block_with_its_reason(client):
    cid = seed_id(client)
    closed = soup(client.get("/")).select_one('[data-testid="removed-left-toggle"]')
    assert closed["hx-get"] == f"/c/{cid}/removed?side=left" and closed["aria-expanded"] == "false"
    panel = soup(fragment(client, closed["hx-get"])).select_one("#removed-left")
    items = panel.select('[data-testid="removed-left"] li[data-removed-index]')
    assert [int(li["data-removed-index"]) for li in items] == list(range(len(items))) and items
    assert items[0].select_one(".removed-reason").get_text() and items[0].select_one(".removed-actions") is not None
    assert "Skip to main content" in panel.get_text()
    hide = panel.select_one('[data-testid="removed-left-toggle"]')
    assert hide["aria-expanded"] == "true" and hide["hx-push-url"] == f"/c/{cid}"
    assert not soup(fragment(client, hide["hx-get"])).select('[data-testid="removed-left"]')


def test_removed_url_is_a_full_page_with_the_panel_open(client):
    page = soup(client.get(f"/c/{seed_id(client)}/removed?side=right"))
    assert page.select_one("html") and page.select_one('[data-testid="removed-right"]')
    assert not page.select_one('[data-testid="removed-left"]') and page.select("[data-row-index]")


def many_rows(client, monkeypatch, paragraphs=12, chunk=5):
    from webapp import viewmodel
    monkeypatch.setattr(viewmodel, "CHUNK_ROWS", chunk)
    text = "\n\n".join(f"Paragraph {n} says something of its own, number {n}." for n in range(paragraphs))
    edited = text.replace("something", "one thing")  # every row edited: none collapses into a run
    return client.post("/compare", data={"left_text": text, "right_text": edited}).headers["Location"]


def test_large_comparisons_render_a_chunk_and_link_the_next(client, monkeypatch):
    url = many_rows(client, monkeypatch)
    page = soup(client.get(url))
    assert [r["data-row-index"] for r in page.select("[data-row-index]")] == ["0", "1", "2", "3", "4"]
    more = page.select_one('[data-testid="more-rows"] a')
    assert more["href"] == more["hx-get"] == f"{url}/rows?start=5" and "revealed" in more["hx-trigger"]
    second = soup(fragment(client, more["hx-get"]))
    assert [r["data-row-index"] for r in second.select("[data-row-index]")] == ["5", "6", "7", "8", "9"]
    last = soup(fragment(client, second.select_one('[data-testid="more-rows"] a')["hx-get"]))
    assert [r["data-row-index"] for r in last.select("[data-row-index]")] == ["10", "11"]
    assert not last.select('[data-testid="more-rows"]')


def test_chunk_url_is_a_full_page_and_a_deep_row_page_reaches_its_row(client, monkeypatch):
    url = many_rows(client, monkeypatch)
    page = soup(client.get(f"{url}/rows?start=5"))
    assert page.select_one("html") and page.select_one(".earlier-rows a")["href"] == url
    assert page.select_one("[data-row-index]")["data-row-index"] == "5"
    page = soup(client.get(f"{url}/rows/8"))
    assert page.select_one("#row-8.expanded") and len(page.select("[data-row-index]")) == 9
    assert page.select_one('[data-testid="more-rows"] a')["href"] == f"{url}/rows?start=9"


def test_filters_and_chunks_keep_the_filter(client, monkeypatch):
    url = many_rows(client, monkeypatch)
    page = soup(fragment(client, f"{url}?show=shared"))
    assert page.select_one('[data-testid="more-rows"] a')["href"] == f"{url}/rows?show=shared&start=5"
    assert page.select_one('[data-testid="filter-left"]')["href"] == f"{url}?show=left"


def test_no_input_makes_a_500(client):
    cid = seed_id(client)
    for path in (f"/c/{cid}/rows/abc", f"/c/{cid}/rows/999999", f"/c/{cid}/rows/-1", f"/c/{cid}/rows/19",
                 f"/c/{cid}/rows?start=abc", f"/c/{cid}/rows?start=-5", f"/c/{cid}/rows?start=999999",
                 f"/c/{cid}/removed", f"/c/{cid}/removed?side=middle", "/c/nope/rows/1", "/c/nope/removed?side=left",
                 "/c/nope/rows", f"/c/{cid}/rows/\u0661", f"/c/{cid}/rows/\u00b2", f"/c/{cid}/rows/{'9' * 5000}",
                 f"/c/{cid}/rows?start=\u0661", f"/c/{cid}/rows?start={'7' * 5000}"):
        for headers in ({}, {"HX-Request": "true"}):
            response = client.get(path, headers=headers)
            assert response.status_code == 404, (path, response.status_code)
            assert soup(response).select_one('[data-testid="error"]'), path
    for path in (f"/c/{cid}?show=garbage", f"/c/{cid}/rows/3?show=garbage&expand=maybe",
                 f"/c/{cid}/removed?side=left&hide=x&show=%00", f"/c/{cid}/rows?start=0&show=<script>"):
        assert client.get(path).status_code == 200, path


def test_garbage_filter_shows_all_rows(client):
    page = soup(client.get(f"/c/{seed_id(client)}?show=garbage"))
    assert page.select_one('[data-testid="filter-all"]')["aria-current"] == "page"
    assert len(page.select("[data-row-index]")) == int(page.select_one('[data-testid="filter-all"] .count').get_text())


def test_upload_errors_keep_the_form(client):
    import io
    response = client.post("/compare", data={"left_text": "Left stays filled in.", "right_kind": "html",
                                             "right_file": (io.BytesIO(bytes(range(32)) * 40), "bad.txt")},
                           headers={"HX-Request": "true"})
    assert 400 <= response.status_code < 500
    form = soup(response)
    assert form.select_one('[data-testid="form-error"]').get_text().strip()
    assert form.select_one("#left_text").get_text() == "Left stays filled in."
    assert form.select_one("#right_kind option[selected]")["value"] == "html"
    assert response.headers["HX-Retarget"] == "#compare-form"


def test_rows_panel_renders_without_a_request_for_the_export():
    from webapp.export import standalone_html
    from webapp.pipeline import Source
    from webapp.service import compute
    html = standalone_html(compute(Source("One two three four five."), Source("One two three four six.")))
    assert 'data-row-kind="edited"' in html and "hx-get" not in html


def test_odd_numbers_in_a_put_back_form_are_refused_in_words(client):
    cid = seed_id(client)
    for index in ("\u00b2", "\u0661", "9" * 5000, "-1", ""):
        response = client.post(f"/c/{cid}/restore", data={"side": "left", "index": index})
        assert response.status_code == 400, index
        assert "which removed block" in soup(response).select_one('[data-testid="error"]').get_text()


def test_a_wrong_method_says_which_methods_are_allowed(client):
    response = client.delete(f"/c/{seed_id(client)}")
    assert response.status_code == 405
    assert set(response.headers["Allow"].replace(" ", "").split(",")) >= {"GET", "HEAD"}
    assert soup(response).select_one('[data-testid="error"]')


def test_a_document_over_the_limit_is_named_with_its_real_size(client, app):
    import io
    app.config["MAX_DOCUMENT_BYTES"] = 200_000  # small inputs: the test client keeps them in memory
    pasted = client.post("/compare", data={"left_text": "short", "right_text": "w " * 150_000})
    assert pasted.status_code == 413
    message = soup(pasted).select_one('[data-testid="form-error"]').get_text()
    assert "right document is 0.3 MB" in message and "limit is 0.2 MB" in message
    uploaded = client.post("/compare", data={"left_file": (io.BytesIO(b"v " * 200_000), "big.txt"),
                                             "right_text": "short"})
    assert uploaded.status_code == 413
    assert "left document is 0.4 MB" in soup(uploaded).select_one('[data-testid="form-error"]').get_text()
    api = client.post("/api/comparisons", json={"left": {"text": "short"}, "right": {"text": "q" * 270_000}})
    assert api.status_code == 413 and "right document is 0.3 MB" in api.get_json()["error"]["message"]
