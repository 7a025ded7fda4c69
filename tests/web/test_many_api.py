"""The JSON API and command line for comparisons of many documents (issue #17)."""

import json
import subprocess
import sys

import pytest

from tests.web.test_api import conforms

WIN = "Alpha United beat Beta City 3-1 in the cup final in Lisbon on Sunday evening."
COACH = 'Coach Maria Okafor said "we played the best football of our lives tonight" after the final whistle.'
FANS = "Thousands of fans celebrated in the streets of Lisbon until dawn, police said on Monday."
WEATHER = "Heavy rain had fallen over the stadium for most of the afternoon before kick-off."
TEXTS = (f"{WIN}\n\n{COACH}\n\n{FANS}", f"{WIN.replace('beat', 'defeated')}\n\n{WEATHER}", f"{COACH}\n\n{WIN}")
BODY = {"documents": [{"text": TEXTS[0], "source": "Reuters"}, {"text": TEXTS[1], "source": "AP"},
                      {"html": f"<p>{TEXTS[2].replace(chr(10) * 2, '</p><p>')}</p>", "title": "Cup final"}]}


@pytest.fixture
def spec(client):
    return client.get("/api/openapi.json").get_json()


def test_three_documents_make_one_stored_comparison_of_facts(client, spec):
    created = client.post("/api/comparisons", json=BODY)
    assert created.status_code == 201
    conforms(spec, created, "/api/comparisons", "post")
    doc = created.get_json()
    assert doc["url"] == f"/m/{doc['id']}" and [d["outlet"] for d in doc["documents"]][:2] == ["Reuters", "AP"]
    # The win is in all three, the quote in the first and third, the rain only in the second.
    covered = [sorted(m["document"] for m in f["members"]) for f in doc["facts"]]
    assert covered == [[0, 1, 2], [1], [0, 2], [0]]
    assert doc["stats"]["documents"] == [{"covered": 0.75, "exclusive": 1}, {"covered": 0.5, "exclusive": 1},
                                         {"covered": 0.5, "exclusive": 0}]
    assert [p["documents"] for p in doc["pairs"]] == [[0, 1], [0, 2], [1, 2]]
    assert any("best football of our lives" in q["text"] and q["documents"] == [0, 2]
               for q in doc["stats"]["shared_quotes"])
    again = client.post("/api/comparisons", json=BODY)
    assert again.status_code == 200 and again.get_json() == doc
    fetched = client.get(created.headers["Location"])
    conforms(spec, fetched, "/api/comparisons/{id}", "get")
    assert fetched.get_json() == doc


def test_two_documents_as_a_list_are_todays_pairwise_comparison(client):
    doc = client.post("/api/comparisons", json={"documents": BODY["documents"][:2]}).get_json()
    pair = client.post("/api/comparisons", json={"left": BODY["documents"][0], "right": BODY["documents"][1]})
    assert doc == pair.get_json() and doc["url"].startswith("/c/")


@pytest.mark.parametrize("documents, status, code", [
    ([{"text": WIN}] * 11, 400, "bad_request"),
    ([{"text": WIN}], 400, "bad_request"),
    ("three documents", 400, "bad_request"),
    ([{"text": WIN}, {"text": "  \n "}, {"text": COACH}], 422, "empty_input"),
    ([{"text": WIN}, {"html": WIN, "text": WIN}, {"text": COACH}], 400, "bad_request"),
    ([{"text": WIN}, 7, {"text": COACH}], 400, "bad_request"),
])
def test_bad_lists_of_documents_get_a_clear_4xx(client, spec, documents, status, code):
    response = client.post("/api/comparisons", json={"documents": documents})
    assert response.status_code == status and response.get_json()["error"]["code"] == code
    conforms(spec, response, "/api/comparisons", "post")


def test_documents_over_the_total_limit_together_are_a_413(tmp_path):
    from webapp import create_app

    app = create_app({"TESTING": True, "DATABASE": str(tmp_path / "t.sqlite3"), "MAX_TOTAL_BYTES": 1000})
    body = {"documents": [{"text": WIN * 5}] * 3}  # each 400 bytes, under the per-document limit
    response = app.test_client().post("/api/comparisons", json=body)
    assert response.status_code == 413
    assert "together" in response.get_json()["error"]["message"]


def test_a_pairwise_id_is_not_a_matrix_and_a_matrix_id_is_not_a_pair(client):
    many = client.post("/api/comparisons", json=BODY).get_json()
    pair = client.post("/api/comparisons", json={"left": {"text": WIN}, "right": {"text": COACH}}).get_json()
    assert client.get(f"/c/{many['id']}").status_code == 404
    assert client.get(f"/m/{pair['id']}").status_code == 404


def test_the_command_line_gives_the_api_document_for_three_files(client, tmp_path):
    paths = []
    for n, spec in enumerate(BODY["documents"]):
        path = tmp_path / (f"{n}.txt" if "text" in spec else f"{n}.html")
        path.write_text(spec.get("text") or spec["html"], encoding="utf-8")
        paths.append(str(path))
    out = subprocess.run([sys.executable, "-m", "webapp", "compare", *paths, "--format", "json"],
                         capture_output=True, text=True, check=True).stdout
    body = {"documents": [{k: v for k, v in spec.items() if k in ("text", "html")} for spec in BODY["documents"]]}
    assert json.loads(out) == client.post("/api/comparisons", json=body).get_json()


def test_the_command_line_refuses_one_file_or_eleven(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(WIN, encoding="utf-8")
    for count in (1, 11):
        run = subprocess.run([sys.executable, "-m", "webapp", "compare", *[str(path)] * count],
                             capture_output=True, text=True)
        assert run.returncode == 2 and "2 to 10 files" in run.stderr


def test_the_command_line_writes_a_self_contained_matrix_for_three_files(tmp_path):
    paths = []
    for n, text in enumerate(TEXTS):
        path = tmp_path / f"{n}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(str(path))
    out = tmp_path / "matrix.html"
    subprocess.run([sys.executable, "-m", "webapp", "compare", *paths, "--format", "html", "-o", str(out)], check=True)
    from bs4 import BeautifulSoup

    page = BeautifulSoup(out.read_text(encoding="utf-8"), "html.parser")
    assert [tr["data-fact-coverage"] for tr in page.select("tr[data-fact-index]")] == ["all", "one", "some", "one"]
    assert page.style and not page.select("script, link, a[href], [hx-get]")
