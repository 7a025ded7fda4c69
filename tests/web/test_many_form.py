"""The many-documents form: slots, several files at once, mixed encodings and clear 4xx."""

import io
import re

import pytest
from bs4 import BeautifulSoup
from werkzeug.test import encode_multipart

from tests.web.test_many_api import COACH, FANS, TEXTS, WIN


def token(client) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get("/many/new").get_data(as_text=True))[1]


def post(client, data: dict, **kwargs):
    return client.post("/many", data={"csrf_token": token(client), **data},
                       content_type="multipart/form-data", **kwargs)


def matrix(client, response) -> BeautifulSoup:
    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    page = client.get(response.headers["Location"])
    assert page.status_code == 200
    return BeautifulSoup(page.get_data(as_text=True), "html.parser")


def test_the_form_starts_with_three_slots_and_adds_one_with_its_own_url(client):
    page = BeautifulSoup(client.get("/many/new").get_data(as_text=True), "html.parser")
    assert len(page.select("[data-testid=slot]")) == 3
    add = page.select_one("[data-testid=add-document]")
    assert add["href"] == "/many/new?slots=4"
    fragment = BeautifulSoup(client.get(add["hx-get"], headers={"HX-Request": "true"}).get_data(as_text=True),
                             "html.parser")
    assert [f["data-slot"] for f in fragment.select("fieldset")] == ["3"]
    assert fragment.select_one("[data-testid=add-document]")["hx-get"].endswith("/slot/4")
    assert len(BeautifulSoup(client.get("/many/new?slots=10").get_data(as_text=True), "html.parser")
               .select("[data-testid=slot]")) == 10


@pytest.mark.parametrize("url", ["/many/new?slots=11", "/many/new?slots=1", "/many/new?slots=x", "/many/new?slots=0010",
                                 "/many/new?slots=%D9%A3"])
def test_impossible_slot_counts_are_a_400(client, url):
    assert client.get(url).status_code == 400


def test_pasted_reports_with_outlet_labels_make_a_matrix(client):
    data = {f"doc{k}_text": t for k, t in enumerate(TEXTS)}
    data.update(doc0_label="Reuters", doc1_label="AP", doc2_label="Cup weekly")
    page = matrix(client, post(client, data))
    assert [th.get_text(strip=True) for th in page.select("thead th[data-document-index]")] == [
        "Reuters", "AP", "Cup weekly"]


def test_several_files_at_once_in_mixed_encodings_read_as_written(client):
    accented = f"Alpha United beat Beta City 3-1 in the cup final in Lisbon, São Paulo's fans cheered. {WIN}"
    files = [(io.BytesIO(accented.encode("utf-16")), "one.txt"),
             (io.BytesIO(f"{accented}\n\n{COACH}".encode("cp1252")), "two.txt"),
             (io.BytesIO(f"<html><head><meta charset='utf-8'></head><body><p>{accented}</p><p>{FANS}</p></body></html>"
                         .encode()), "three.html")]
    page = matrix(client, post(client, {"files": files}))
    first = page.select('tr[data-fact-index] td[data-document-index]')
    assert all("São Paulo" in td.get_text() for td in first[:3])


def test_blank_slots_are_skipped_but_fewer_than_two_reports_is_a_400_with_the_form_kept(client):
    response = post(client, {"doc0_text": WIN, "doc0_label": "Reuters", "doc1_text": "  ", "doc2_text": ""})
    assert response.status_code == 400
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    assert "2 to 10 documents" in page.select_one("[data-testid=form-error]").get_text()
    assert page.select_one("#doc0_text").get_text() == WIN and page.select_one("#doc0_label")["value"] == "Reuters"


def test_eleven_reports_are_a_400(client):
    files = [(io.BytesIO(f"{WIN} Report {k}.".encode()), f"{k}.txt") for k in range(11)]
    assert post(client, {"files": files}).status_code == 400


def test_an_empty_uploaded_file_is_a_422_that_names_it(client):
    response = post(client, {"doc0_text": WIN, "doc1_text": COACH, "files": [(io.BytesIO(b"  \n"), "blank.txt")]})
    assert response.status_code == 422 and "blank.txt" in response.get_data(as_text=True)


def test_over_the_total_limit_is_a_413(tmp_path):
    from webapp import create_app

    app = create_app({"TESTING": True, "DATABASE": str(tmp_path / "t.sqlite3"), "MAX_TOTAL_BYTES": 500})
    client = app.test_client()
    response = post(client, {f"doc{k}_text": WIN * 3 for k in range(3)})
    assert response.status_code == 413 and "together" in response.get_data(as_text=True)


def test_a_form_without_its_token_is_refused(client):
    response = client.post("/many", data={"doc0_text": WIN, "doc1_text": COACH})
    assert response.status_code == 400 and "expired" in response.get_data(as_text=True)


def test_a_total_just_over_the_default_limit_gets_the_message_of_the_total_not_of_the_request(client):
    # Five reports of 4.01 MB: each under the 5 MB per document, together 20.05 MB, over 20 MB.
    reports = [f"Report {k}. " + "word " * 802_000 for k in range(5)]
    assert all(len(r) < 5_000_000 for r in reports) and sum(map(len, reports)) > 20_000_000
    message = "The documents together are 20.1 MB, over the limit of 20 MB."
    # Encoded here, in memory: the test client would spool a body this large to a file it never closes.
    boundary, body = encode_multipart({"csrf_token": token(client), **{f"doc{k}_text": r for k, r in enumerate(reports)}})
    response = client.post("/many", data=body, content_type=f"multipart/form-data; boundary={boundary}")
    assert response.status_code == 413
    assert BeautifulSoup(response.get_data(as_text=True), "html.parser").select_one(
        "[data-testid=form-error]").get_text() == message
    response = client.post("/api/comparisons", json={"documents": [{"text": r} for r in reports]})
    assert response.status_code == 413 and response.get_json()["error"]["message"] == message


def test_the_request_limit_leaves_room_for_every_document_a_request_may_carry(tmp_path):
    from webapp import create_app
    from webapp.settings import REQUEST_OVERHEAD_BYTES

    app = create_app({"TESTING": True, "DATABASE": str(tmp_path / "t.sqlite3")})
    assert app.config["MAX_CONTENT_LENGTH"] == app.config["MAX_TOTAL_BYTES"] + REQUEST_OVERHEAD_BYTES
    pairs = create_app({"TESTING": True, "DATABASE": str(tmp_path / "t.sqlite3"), "MAX_TOTAL_BYTES": 1000})
    assert pairs.config["MAX_CONTENT_LENGTH"] == 2 * pairs.config["MAX_DOCUMENT_BYTES"] + REQUEST_OVERHEAD_BYTES
    fixed = create_app({"TESTING": True, "DATABASE": str(tmp_path / "t.sqlite3"), "MAX_REQUEST_BYTES": 3_000_000})
    assert fixed.config["MAX_CONTENT_LENGTH"] == 3_000_000
