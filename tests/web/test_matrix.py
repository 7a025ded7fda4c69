"""The coverage matrix page /m/<id>, its htmx fragments and the pair drill-down (issue #17)."""

import pytest
from bs4 import BeautifulSoup

from tests.web.test_many_api import BODY


@pytest.fixture
def many(client):
    return client.post("/api/comparisons", json=BODY).get_json()


def soup(response) -> BeautifulSoup:
    assert response.status_code == 200
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def cells(page: BeautifulSoup) -> list[list[str]]:
    """Each fact row's cells as the reader sees them: the wording, or a gap."""
    return [[" ".join(td.get_text(" ", strip=True).split()) for td in tr.select("td[data-document-index]")]
            for tr in page.select("tr[data-fact-index]")]


def test_one_row_per_fact_one_column_per_outlet_with_gaps(client, many):
    page = soup(client.get(many["url"]))
    heads = [th.get_text(strip=True) for th in page.select("table.matrix thead th[data-document-index]")]
    assert heads == ["Reuters", "AP", "Cup final"]
    rows = cells(page)
    assert len(rows) == 4 and all(len(r) == 3 for r in rows)
    assert rows[1][0] == "— not reported" and rows[1][1].startswith("Heavy rain")
    assert [tr["data-fact-coverage"] for tr in page.select("tr[data-fact-index]")] == ["all", "one", "some", "one"]


def test_each_outlet_shows_its_share_of_the_facts_and_its_exclusives(client, many):
    page = soup(client.get(many["url"]))
    stats = [(tr.th.get_text(strip=True), tr.select_one("[data-testid=covered]").get_text(strip=True),
              tr.select_one("[data-testid=exclusive]").get_text(strip=True))
             for tr in page.select("[data-testid=outlet-stats]")]
    assert stats == [("Reuters", "75%", "1"), ("AP", "50%", "1"), ("Cup final", "50%", "0")]


def test_filters_have_their_own_urls_and_htmx_gets_only_the_panel(client, many):
    full = soup(client.get(many["url"] + "?show=one"))
    assert [tr["data-fact-coverage"] for tr in full.select("tr[data-fact-index]")] == ["one", "one"]
    fragment = soup(client.get(many["url"] + "?show=one&outlet=1", headers={"HX-Request": "true"}))
    assert fragment.select_one("#matrix-panel") and not fragment.select_one("html, h1")
    assert fragment.h2.get_text(strip=True) == "Facts: Only in AP"
    assert cells(fragment) == [["— not reported", cells(fragment)[0][1], "— not reported"]]
    assert cells(fragment)[0][1].startswith("Heavy rain")
    every = soup(client.get(many["url"] + "?show=every"))
    assert [tr["data-fact-index"] for tr in every.select("tr[data-fact-index]")] == ["0"]
    in_third = soup(client.get(many["url"] + "?outlet=2"))
    assert [tr["data-fact-index"] for tr in in_third.select("tr[data-fact-index]")] == ["0", "2"]


def test_shared_quotes_name_who_has_them(client, many):
    page = soup(client.get(many["url"]))
    quotes = [li.get_text(" ", strip=True) for li in page.select("[data-testid=shared-quote]")]
    assert any("best football of our lives" in q and q.endswith("Reuters, Cup final") for q in quotes)


def test_a_pair_link_opens_the_side_by_side_view_of_those_two(client, many):
    page = soup(client.get(many["url"]))
    link = next(a for a in page.select("[data-testid=pair-link]") if a["data-documents"] == "1 2")
    assert link.get_text(strip=True) == "AP and Cup final"
    response = client.get(link["href"])
    assert response.status_code == 303 and response.headers["Location"].startswith("/c/")
    pair = soup(client.get(response.headers["Location"]))
    assert "Heavy rain" in pair.get_text() and "best football" in pair.get_text()


@pytest.mark.parametrize("query", ["?show=everything", "?outlet=3", "?outlet=-1", "?outlet=%EF%BC%91"])
def test_unknown_filters_are_a_404_that_says_so(client, many, query):
    response = client.get(many["url"] + query)
    assert response.status_code == 404 and "<html" in response.get_data(as_text=True)


@pytest.mark.parametrize("path", ["/pair/0/0", "/pair/0/3", "/pair/a/1"])
def test_a_pair_that_does_not_exist_is_a_404(client, many, path):
    assert client.get(many["url"] + path).status_code == 404


def test_an_unknown_matrix_is_a_404(client):
    assert client.get("/m/0123456789abcdef0123").status_code == 404


def test_expanding_a_fact_marks_each_outlets_words_against_the_most_common_wording(client, many):
    fragment = soup(client.get(many["url"] + "/facts/0", headers={"HX-Request": "true"}))
    row = fragment.select_one("tr[data-fact-index='0']")
    assert row and not fragment.select_one("table, h1")
    reference = row.select_one("td.reference")
    assert reference["data-document-index"] == "0"  # "beat", as two of the three have it
    ap = row.select_one("td[data-document-index='1'] [data-testid=wording-diff]")
    words = [e.find(string=True, recursive=False).strip() for e in ap.select("ins, del")]  # without the sr-only
    assert words == ["beat", "defeated"]
    assert [e.name for e in ap.select("ins, del")] == ["del", "ins"]
    assert not row.select_one("td[data-document-index='2'] ins, td[data-document-index='2'] del")
    toggle = row.select_one("[data-testid=fact-toggle]")
    assert toggle["aria-expanded"] == "true" and toggle["hx-push-url"] == many["url"]
    closed = soup(client.get(toggle["href"], headers={"HX-Request": "true"})).select_one("tr")
    assert not closed.select("ins, del") and closed.select_one("[data-testid=fact-toggle]")["aria-expanded"] == "false"


def test_an_expanded_fact_has_its_own_url_that_reloads_as_the_page(client, many):
    page = soup(client.get(many["url"] + "/facts/2"))
    assert page.select_one("h1") and page.select_one("tr.expanded")["data-fact-index"] == "2"
    assert len(page.select("tr[data-fact-index]")) == 4


@pytest.mark.parametrize("path", ["/facts/4", "/facts/-1", "/facts/1x"])
def test_a_fact_that_does_not_exist_is_a_404(client, many, path):
    assert client.get(many["url"] + path).status_code == 404


def test_the_embed_keeps_filters_in_the_frame_without_site_chrome_detail_or_pairs(client, many):
    response = client.get(f"/embed/m/{many['id']}?show=one&accent=%23cc0000")
    page = soup(response)
    assert not page.select(".site-header, [data-testid=fact-toggle], [data-testid=matrix-pairs]")
    assert [tr["data-fact-coverage"] for tr in page.select("tr[data-fact-index]")] == ["one", "one"]
    assert page.select_one("[data-testid=filter-several]")["href"].startswith(f"/embed/m/{many['id']}?show=several")
    assert "accent=%23cc0000" in page.select_one("[data-testid=filter-several]")["href"]
    assert page.select_one("[data-testid=embed-open]")["href"] == f"/m/{many['id']}?show=one"


def test_oembed_answers_for_a_matrix_page(client, many):
    response = client.get("/oembed", query_string={"url": f"http://localhost{many['url']}"})
    assert response.status_code == 200
    data = response.get_json()
    assert data["title"] == "Who reports what: 3 reports" and f"/embed/m/{many['id']}" in data["html"]
    page = soup(client.get(many["url"]))
    assert page.select_one('link[type="application/json+oembed"]')


def test_only_the_matrix_embed_may_be_framed_by_the_configured_sites(tmp_path):
    from webapp import create_app

    app = create_app({"TESTING": True, "DATABASE": str(tmp_path / "t.sqlite3"),
                      "FRAME_ANCESTORS": "https://news.example.org"})
    client = app.test_client()
    url = client.post("/api/comparisons", json=BODY).get_json()["url"]
    framed = client.get(url.replace("/m/", "/embed/m/")).headers["Content-Security-Policy"]
    page = client.get(url).headers["Content-Security-Policy"]
    assert "frame-ancestors https://news.example.org" in framed and "news.example.org" not in page


def test_a_long_matrix_comes_in_pages_with_their_own_urls(client, monkeypatch):
    from webapp import matrix as matrix_module

    monkeypatch.setattr(matrix_module, "FACTS_PER_PAGE", 2)
    url = client.post("/api/comparisons", json=BODY).get_json()["url"]
    first = soup(client.get(url))
    assert [tr["data-fact-index"] for tr in first.select("tr[data-fact-index]")] == ["0", "1"]
    assert first.select_one("[data-testid=fact-pages] span").get_text() == "Facts 1–2 of 4"
    later = first.select_one("[data-testid=facts-next]")["href"]
    assert later == f"{url}?start=2" and not first.select_one("[data-testid=facts-previous]")
    second = soup(client.get(later, headers={"HX-Request": "true"}))
    assert [tr["data-fact-index"] for tr in second.select("tr[data-fact-index]")] == ["2", "3"]
    assert second.select_one("[data-testid=facts-previous]")["href"] == url
    assert client.get(f"{url}?start=4").status_code == 404
    expanded = soup(client.get(f"{url}/facts/3"))  # an expanded fact opens on its own page
    assert [tr["data-fact-index"] for tr in expanded.select("tr[data-fact-index]")] == ["2", "3"]


WEIRD = ["-1", "1e3", "%00", "%EF%BC%91", "99999999999999999999", "0x1", " 1", "1/2", "%F0%9F%98%80", "..", "null"]


@pytest.mark.parametrize("value", WEIRD)
def test_no_route_of_the_matrix_answers_500_to_a_strange_value(client, many, value):
    base = many["url"]
    urls = [f"{base}?show={value}", f"{base}?outlet={value}", f"{base}?start={value}", f"{base}/facts/{value}",
            f"{base}/facts/0?expand={value}&outlet={value}", f"{base}/pair/{value}/1", f"{base}/pair/0/{value}",
            f"/embed/m/{many['id']}?outlet={value}", f"/embed/m/{many['id']}?accent={value}",
            f"/many/new?slots={value}", f"/many/new/slot/{value}", f"/m/{value}", f"/embed/m/{value}"]
    for url in urls:
        response = client.get(url)
        assert 200 <= response.status_code < 500, url
