"""Links, Word and PDF files as inputs through the form, the API and the command line,
against real HTTP servers on 127.0.0.x (tests/sites.py); one article over time."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import time

import pytest
from bs4 import BeautifulSoup

from tests.documents import RELEASE, STORY, wrapped, write_docx, write_pdf
from tests.sites import Page, Site
from tests.web.test_store import db_url, opened, pg_url, postgres  # noqa: F401 (fixtures)
from webapp import create_app


def page_of(title: str, paragraphs: list[str]) -> bytes:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return f"<html><head><title>{title}</title></head><body><article>{body}</article></body></html>".encode()


@pytest.fixture
def site():
    s = Site("127.0.0.1")
    s.pages["/release"] = Page(page_of("Acme to open a plant", RELEASE))
    s.pages["/story"] = Page(page_of("Acme plant for Springfield", STORY))
    yield s
    s.close()


@pytest.fixture
def app(tmp_path):
    return create_app({"TESTING": True, "DATABASE": str(tmp_path / "t.sqlite3"), "FETCH_ALLOW": "127.0.0.1"})


def api(client, left: dict, right: dict):
    return client.post("/api/comparisons", json={"left": left, "right": right})


def test_the_api_compares_two_links_and_returns_how_each_was_fetched(client, site):
    response = api(client, {"url": site.url("/release")}, {"url": site.url("/story")})
    assert response.status_code == 201
    doc = response.get_json()
    assert [p["text"] for p in doc["left"]["paragraphs"]] == RELEASE
    assert [p["text"] for p in doc["right"]["paragraphs"]] == STORY
    fetched = doc["left"]["fetched"]
    assert (fetched["url"], fetched["final_url"], fetched["status"]) == (site.url("/release"),) * 2 + (200,)
    assert fetched["fetched_at"].endswith("+00:00")
    stored = client.get(f"/api/comparisons/{doc['id']}").get_json()
    assert stored["right"]["fetched"] == doc["right"]["fetched"]


def test_a_link_and_pasted_text_mix(client, site):
    response = api(client, {"url": site.url("/release"), "source": "Acme"}, {"text": "\n\n".join(STORY)})
    doc = response.get_json()
    assert response.status_code == 201 and "fetched" not in doc["right"]
    assert doc["left"]["outlet"] == "Acme"


@pytest.mark.parametrize("url,status,code", [
    ("http://127.0.0.2:{port}/release", 422, "url_refused"),
    ("http://[::1]:{port}/release", 422, "url_refused"),
    ("ftp://127.0.0.1:{port}/release", 422, "url_refused"),
    ("not a link", 422, "url_refused"),
    ("http://127.0.0.1:{port}/missing", 422, "fetch_failed"),
])
def test_refused_links_are_a_4xx_in_json_that_says_why(client, site, url, status, code):
    response = api(client, {"url": url.format(port=site.port)}, {"text": "Some text on the right."})
    assert response.status_code == status
    assert response.get_json()["error"]["code"] == code


def test_refused_links_make_no_connection(tmp_path):
    site = Site("127.0.0.1")
    try:
        app = create_app({"TESTING": True, "DATABASE": str(tmp_path / "t.sqlite3")})  # no allowlist
        response = app.test_client().post("/api/comparisons", json={
            "left": {"url": site.url("/")}, "right": {"url": f"http://2130706433:{site.port}/"}})
        assert response.status_code == 422 and "loopback" in response.get_json()["error"]["message"]
        assert site.connections == 0
    finally:
        site.close()


def test_links_can_be_turned_off(tmp_path, site):
    app = create_app({"TESTING": True, "DATABASE": str(tmp_path / "t.sqlite3"), "FETCH_ALLOW": "127.0.0.1",
                      "FETCH_LINKS": False})
    response = app.test_client().post("/api/comparisons", json={"left": {"url": site.url("/release")},
                                                                 "right": {"text": "x y"}})
    assert response.status_code == 422 and "does not fetch links" in response.get_json()["error"]["message"]
    assert site.connections == 0


def test_a_side_with_a_url_and_text_is_a_400(client, site):
    response = api(client, {"url": site.url("/release"), "text": "x"}, {"text": "y"})
    assert response.status_code == 400
    assert "exactly one of 'text' or 'html' (a string) or 'url' (a link)" in response.get_json()["error"]["message"]


def test_the_openapi_document_describes_url_sides(client):
    spec = client.get("/api/openapi.json").get_json()
    side = spec["components"]["schemas"]["PairSide"]
    assert side["properties"]["url"]["format"] == "uri"


def form_post(client, **fields):
    return client.post("/compare", data=fields, content_type="multipart/form-data")


def test_the_form_compares_two_links_and_the_page_shows_the_fetches(client, site):
    response = form_post(client, left_url=site.url("/release"), right_url=site.url("/story"))
    assert response.status_code == 303
    html = BeautifulSoup(client.get(response.headers["Location"]).get_data(as_text=True), "lxml")
    for side, path in (("left", "/release"), ("right", "/story")):
        fetched = html.select_one(f'[data-testid="{side}-fetched"]')
        assert fetched.select_one("a")["href"] == site.url(path)
        assert "200" in fetched.get_text() and "UTC" in fetched.get_text()
    assert len(html.select('[data-side="left"][data-paragraph-index]')) == len(RELEASE)


def test_a_refused_link_gives_the_form_back_with_the_link_and_the_reason(client, site):
    url = f"http://127.0.0.2:{site.port}/release"
    response = form_post(client, left_url=url, right_text="Some text.")
    assert response.status_code == 422
    html = BeautifulSoup(response.get_data(as_text=True), "lxml")
    assert "loopback address" in html.select_one('[data-testid="form-error"]').get_text()
    assert html.select_one("#left_url")["value"] == url


def test_the_form_offers_word_and_pdf_files(client):
    html = BeautifulSoup(client.get("/new").get_data(as_text=True), "lxml")
    accept = html.select_one("#left_file")["accept"]
    assert ".docx" in accept and ".pdf" in accept
    assert html.select_one('input#right_url[type="url"]') is not None


def test_uploaded_word_and_pdf_files_compare(client):
    release_pdf, _ = write_pdf([wrapped(t) for t in RELEASE])
    response = client.post("/compare", data={
        "left_file": (io.BytesIO(release_pdf), "release.pdf"),
        "right_file": (io.BytesIO(write_docx(STORY)), "story.docx"),
    }, content_type="multipart/form-data")
    assert response.status_code == 303
    doc = client.get("/api/comparisons/" + response.headers["Location"].rsplit("/", 1)[1]).get_json()
    assert [p["text"] for p in doc["left"]["paragraphs"]] == RELEASE
    assert [p["text"] for p in doc["right"]["paragraphs"]] == STORY
    assert ("Page 1 of 1", "footer") in {(r["text"], r["reason"]) for r in doc["left"]["removed"]}


def test_a_password_protected_pdf_upload_is_a_422_in_the_form(client):
    import pypdf

    data, _ = write_pdf([wrapped(RELEASE[0])])
    writer = pypdf.PdfWriter(clone_from=io.BytesIO(data))
    writer.encrypt("secret", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    response = client.post("/compare", data={"left_file": (io.BytesIO(out.getvalue()), "r.pdf"), "right_text": "x y z"},
                           content_type="multipart/form-data")
    assert response.status_code == 422
    assert "password-protected" in response.get_data(as_text=True)


def test_one_article_over_time(client, site):
    """The same link fetched again after an edit: the page offers the earlier version,
    and the comparison of the two names its columns by fetch time."""
    first = api(client, {"url": site.url("/release")}, {"url": site.url("/story")}).get_json()
    time.sleep(1.05 - time.time() % 1)  # the next fetch in another second: the column labels show seconds
    site.pages["/release"] = Page(page_of("Acme to open a plant", [*RELEASE[:-1], "The state will give $90 million."]))
    second = api(client, {"url": site.url("/release")}, {"url": site.url("/story")}).get_json()
    assert second["id"] != first["id"]
    page = BeautifulSoup(client.get(f"/c/{second['id']}").get_data(as_text=True), "lxml")
    offer = page.select_one('[data-testid="version-offer"][data-side="left"]')
    when = offer.select_one("time")
    assert when["datetime"] == first["left"]["fetched"]["fetched_at"]
    assert offer.get_text(" ", strip=True).startswith("Compare with the version of")
    fields = {i["name"]: i["value"] for i in offer.select("input[type=hidden]")}
    response = client.post(offer["action"], data=fields)
    assert response.status_code == 303
    compared = client.get(response.headers["Location"])
    html = BeautifulSoup(compared.get_data(as_text=True), "lxml")
    heads = [html.select_one(f'[data-testid="{side}-head"] .outlet').get_text(" ", strip=True) for side in ("left", "right")]
    assert heads[0].endswith("Version of " + when.get_text(strip=True))
    assert heads[1].startswith("Right Version of ")
    doc = client.get("/api/comparisons/" + response.headers["Location"].rsplit("/", 1)[1]).get_json()
    assert doc["left"]["fetched"] == first["left"]["fetched"] and doc["right"]["fetched"] == second["left"]["fetched"]
    kinds = [r["kind"] for r in doc["rows"]]
    assert kinds[:len(RELEASE) - 1] == ["same"] * (len(RELEASE) - 1) and "same" not in kinds[len(RELEASE) - 1:]


def test_the_command_line_compares_links_and_files(tmp_path, site):
    docx_path = tmp_path / "story.docx"
    docx_path.write_bytes(write_docx(STORY))
    env = {**os.environ, "COVERDIFF_FETCH_ALLOW": "127.0.0.1"}
    out = subprocess.run([sys.executable, "-m", "webapp.cli", "compare", site.url("/release"), str(docx_path)],
                         capture_output=True, text=True, env=env, check=True).stdout
    doc = json.loads(out)
    assert doc["left"]["fetched"]["final_url"] == site.url("/release")
    assert [p["text"] for p in doc["right"]["paragraphs"]] == STORY


def test_the_command_line_refuses_a_link_in_words(site):
    done = subprocess.run([sys.executable, "-m", "webapp.cli", "compare", site.url("/release"), site.url("/story")],
                          capture_output=True, text=True, env={k: v for k, v in os.environ.items()
                                                               if k != "COVERDIFF_FETCH_ALLOW"})
    assert done.returncode == 2 and "loopback address" in done.stderr
    assert site.connections == 0


def test_each_store_indexes_fetches_by_link_oldest_first(db_url, opened):  # noqa: F811 (the fixtures imported above)
    store = opened.store(db_url)
    later = {"url": "https://news.example/a", "final_url": "https://news.example/a", "status": 200,
             "fetched_at": "2026-12-02T01:00:00.000+00:00", "content_type": "text/html"}
    earlier = {**later, "fetched_at": "2026-12-01T09:30:00.000+00:00"}
    store.add_fetches("c2", [("left", later)])
    store.add_fetches("c1", [("right", earlier), ("left", {**earlier, "url": "https://other.example/"})])
    store.add_fetches("c2", [("left", later)])  # the same again: recorded once
    assert store.fetches("https://news.example/a") == [("c1", "right", earlier), ("c2", "left", later)]
    assert store.fetches("https://nowhere.example/") == []


def hostile_files():
    from tests.unit import test_docx, test_pdf

    yield "a zip bomb.docx", test_docx.zip_bomb
    yield "a lying directory.docx", test_docx.lying_directory
    yield "billion laughs.docx", lambda: test_docx.with_body(test_docx.billion_laughs)
    yield "a million pages.pdf", test_pdf.million_pages
    yield "deep arrays.pdf", test_pdf.deep_arrays
    yield "a flate bomb.pdf", test_pdf.flate_bomb
    yield "scanned.pdf", lambda: test_pdf.pdf_of([test_pdf.CATALOG, test_pdf.ONE_PAGE, test_pdf.page()])
    yield "truncated.pdf", lambda: test_pdf.GOOD[:len(test_pdf.GOOD) // 2]


@pytest.mark.parametrize("name,build", list(hostile_files()), ids=lambda v: v if isinstance(v, str) else "")
def test_hostile_files_through_the_form_are_a_4xx_page_that_says_which(client, name, build):
    response = client.post("/compare", data={"left_file": (io.BytesIO(build()), name), "right_text": "Some text."},
                           content_type="multipart/form-data")
    assert response.status_code in (415, 422)
    error = BeautifulSoup(response.get_data(as_text=True), "lxml").select_one('[data-testid="form-error"]')
    assert error is not None and ("PDF" in error.get_text() or ".docx" in error.get_text())


# --- links and Word/PDF files in the form for several reports (issue #17) --------------------

def test_the_many_form_compares_links_beside_pasted_text(client, site):
    from tests.web.test_many_form import matrix, post

    page = matrix(client, post(client, {"doc0_url": site.url("/release"), "doc0_label": "Acme",
                                        "doc1_url": site.url("/story"), "doc2_text": "\n\n".join(STORY[:2])}))
    assert [th.get_text(strip=True) for th in page.select("thead th[data-document-index]")][0] == "Acme"
    release = page.select('td[data-document-index="0"]')
    assert {p.get_text() for td in release for p in td.select("p")} == set(RELEASE)
    story = page.select('td[data-document-index="1"]')
    assert {p.get_text() for td in story for p in td.select("p")} == set(STORY)


def test_a_refused_link_in_the_many_form_gives_the_form_back_naming_its_document(client, site):
    from tests.web.test_many_form import post

    refused = Site("127.0.0.2")
    try:
        url = refused.url("/release")
        response = post(client, {"doc0_text": "\n\n".join(RELEASE), "doc1_url": url})
        assert response.status_code == 422
        html = BeautifulSoup(response.get_data(as_text=True), "lxml")
        error = html.select_one('[data-testid="form-error"]').get_text()
        assert error.startswith("Document 2:") and "loopback address" in error
        assert html.select_one("#doc1_url")["value"] == url
        assert refused.connections == 0
    finally:
        refused.close()


def test_a_failing_link_among_several_names_its_document(client, site):
    from tests.web.test_many_form import post

    response = post(client, {"doc0_url": site.url("/release"), "doc1_url": site.url("/story"),
                             "doc2_url": site.url("/gone")})
    assert response.status_code == 422
    error = BeautifulSoup(response.get_data(as_text=True), "lxml").select_one('[data-testid="form-error"]').get_text()
    assert error.startswith("Document 3:") and "404" in error


def test_the_links_of_several_reports_are_fetched_at_once(client, site):
    """Each page answers only once all three requests have arrived: one at a time, the first
    would wait for the others until its barrier gave up (and the form would be a 422)."""
    import threading

    from tests.web.test_many_form import matrix, post

    arrived = threading.Barrier(3, timeout=10)

    def together(body: bytes):
        def write(handler):
            arrived.wait()
            handler.wfile.write(body)
        return write

    for k, texts in enumerate((RELEASE, STORY, STORY[::-1])):
        site.pages[f"/together/{k}"] = Page(write=together(page_of(f"Report {k}", texts)))
    page = matrix(client, post(client, {f"doc{k}_url": site.url(f"/together/{k}") for k in range(3)}))
    assert len(page.select("thead th[data-document-index]")) == 3


def test_the_many_form_refuses_links_when_links_are_off(tmp_path, site):
    from tests.web.test_many_form import post

    app = create_app({"TESTING": True, "DATABASE": str(tmp_path / "t.sqlite3"), "FETCH_ALLOW": "127.0.0.1",
                      "FETCH_LINKS": False})
    response = post(app.test_client(), {"doc0_url": site.url("/release"), "doc1_text": "x y z"})
    assert response.status_code == 422 and "does not fetch links" in response.get_data(as_text=True)
    assert site.connections == 0


def test_every_file_input_of_both_forms_offers_word_and_pdf_files(client):
    for url in ("/new", "/many/new"):
        html = BeautifulSoup(client.get(url).get_data(as_text=True), "lxml")
        inputs = html.select('input[type="file"]')
        assert len(inputs) == (2 if url == "/new" else 4)  # two sides; three slots and several files at once
        for field in inputs:
            assert {".docx", ".pdf", ".txt", ".html"} <= set(field["accept"].split(","))
    assert [i["id"] for i in html.select('input[type="url"]')] == ["doc0_url", "doc1_url", "doc2_url"]


def test_word_and_pdf_files_make_a_matrix_from_a_slot_and_from_several_files_at_once(client):
    from tests.web.test_many_form import matrix, post

    release_pdf, _ = write_pdf([wrapped(t) for t in RELEASE])
    page = matrix(client, post(client, {
        "doc0_file": (io.BytesIO(write_docx(STORY)), "story.docx"),
        "files": [(io.BytesIO(release_pdf), "release.pdf"), (io.BytesIO(write_docx(RELEASE)), "release.docx")]}))
    for k, texts in enumerate((STORY, RELEASE, RELEASE)):
        cells = page.select(f'td[data-document-index="{k}"]')
        assert {p.get_text() for td in cells for p in td.select("p")} == set(texts)
