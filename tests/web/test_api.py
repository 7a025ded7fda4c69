"""JSON API: create, fetch, idempotency, errors as JSON."""

import json
import subprocess
import sys

from tests.conftest import CNN, REUTERS

BODY = {"left": {"text": "The mayor said the bridge will reopen on Monday."},
        "right": {"text": "The bridge reopens Monday, the mayor said."}}


def test_create_then_fetch(client):
    created = client.post("/api/comparisons", json=BODY)
    assert created.status_code == 201
    doc = created.get_json()
    assert created.headers["Location"].endswith(f"/api/comparisons/{doc['id']}")
    assert doc["url"] == f"/c/{doc['id']}" and doc["embed_url"] == f"/embed/{doc['id']}"
    assert doc["left"]["paragraphs"] == [{"index": 0, "text": BODY["left"]["text"]}]
    row = doc["rows"][0]
    assert row["left"] == [0] and row["right"] == [0]
    assert {op["op"] for op in row["diff"]} <= {"equal", "insert", "delete"}
    assert client.get(f"/api/comparisons/{doc['id']}").get_json() == doc


def test_create_is_idempotent(client):
    first = client.post("/api/comparisons", json=BODY)
    second = client.post("/api/comparisons", json=BODY)
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.get_json() == second.get_json()


def test_errors_are_json_4xx(client):
    cases = [
        client.post("/api/comparisons", data="left=x"),
        client.post("/api/comparisons", data="{", content_type="application/json"),
        client.post("/api/comparisons", json={"left": {"text": "x"}}),
        client.post("/api/comparisons", json={"left": {"text": "x", "html": "y"}, "right": {"text": "z"}}),
        client.post("/api/comparisons", json={"left": {"text": " "}, "right": {"text": "z"}}),
        client.post("/api/comparisons", json={**BODY, "options": {"nope": 1}}),
        client.get("/api/comparisons/unknown"),
    ]
    for response in cases:
        assert 400 <= response.status_code < 500
        error = response.get_json()["error"]
        assert error["code"] and error["message"]


def test_cli_and_api_give_the_same_document(client, tmp_path):
    out = subprocess.run([sys.executable, "-m", "webapp", "compare", str(REUTERS), str(CNN), "--format", "json"],
                         capture_output=True, text=True, check=True).stdout
    body = {"left": {"text": REUTERS.read_text(encoding="utf-8")}, "right": {"text": CNN.read_text(encoding="utf-8")}}
    assert json.loads(out) == client.post("/api/comparisons", json=body).get_json()
