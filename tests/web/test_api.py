"""JSON API: create, fetch, idempotency, errors as JSON."""

import json
import re
import subprocess
import sys

import jsonschema
import pytest
from bs4 import BeautifulSoup

from tests.conftest import CNN, REUTERS, ROOT
from webapp import create_app

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
        client.post("/api/comparisons", data="[" * 100_000, content_type="application/json"),
        client.post("/api/comparisons", json={"left": {"text": "x", "title": "t" * 301}, "right": {"text": "z"}}),
        client.post("/api/comparisons", json={"left": {"text": "x", "title": 42}, "right": {"text": "z"}}),
        client.get("/oembed", query_string={"url": "http://[::1"}),
        client.get("/oembed", query_string={"url": "http://localhost/c/0123456789abcdef0123", "maxwidth": "\u00b2"}),
        client.get("/oembed", query_string={"url": "http://localhost/c/0123456789abcdef0123", "maxwidth": "9" * 5000}),
    ]
    for response in cases:
        assert 400 <= response.status_code < 500
        error = response.get_json()["error"]
        assert error["code"] and error["message"]


def test_a_lone_surrogate_in_a_title_or_source_is_replaced_not_a_500(client):
    body = {"left": {"text": "One two three.", "title": "A \ud800 title", "source": "Out\udfffet"},
            "right": {"text": "One two four."}}
    response = client.post("/api/comparisons", data=json.dumps(body), content_type="application/json")
    assert response.status_code == 201
    left = response.get_json()["left"]
    assert left["title"] == "A \ufffd title" and left["outlet"] == "Out\ufffdet"


def test_cli_and_api_give_the_same_document(client, tmp_path):
    out = subprocess.run([sys.executable, "-m", "webapp", "compare", str(REUTERS), str(CNN), "--format", "json"],
                         capture_output=True, text=True, check=True).stdout
    body = {"left": {"text": REUTERS.read_text(encoding="utf-8")}, "right": {"text": CNN.read_text(encoding="utf-8")}}
    assert json.loads(out) == client.post("/api/comparisons", json=body).get_json()


# --- The OpenAPI document: every real response below must match what it promises. ---

@pytest.fixture
def spec(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200 and response.is_json
    return response.get_json()


def _schema(spec: dict, schema: dict) -> dict:
    """A JSON Schema (2020-12) whose #/components/... references resolve in the spec."""
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "components": spec["components"], **schema}


def conforms(spec: dict, response, path: str, method: str) -> None:
    """The response's status is documented for the operation, with its headers and JSON body."""
    operation = spec["paths"][path][method]
    documented = operation["responses"].get(str(response.status_code))
    assert documented, f"{method.upper()} {path} answered {response.status_code}, not in the OpenAPI document"
    for header in documented.get("headers", {}):
        assert header in response.headers, f"{header} promised by the OpenAPI document"
    content = documented.get("content", {}).get("application/json")
    if content:
        assert response.is_json
        jsonschema.validate(response.get_json(), _schema(spec, content["schema"]))
    else:
        assert not response.data


def test_openapi_document_is_valid_openapi_3_1(spec):
    assert spec["openapi"].startswith("3.1.")
    jsonschema.Draft202012Validator.check_schema(_schema(spec, {}))
    for name in spec["components"]["schemas"]:
        jsonschema.Draft202012Validator.check_schema(_schema(spec, {"$ref": f"#/components/schemas/{name}"}))


def test_openapi_documents_every_api_route_and_method(app, spec):
    served = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/") or rule.rule == "/oembed":
            path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: "{id}" if m.group(1) == "cid" else "{" + m.group(1) + "}",
                          rule.rule)
            served |= {(path, m.lower()) for m in rule.methods - {"HEAD", "OPTIONS"}}
    documented = {(path, method) for path, ops in spec["paths"].items() for method in ops}
    assert served == documented


def test_requests_are_valid_exactly_when_the_schema_says(client, spec):
    schema = _schema(spec, {"$ref": "#/components/schemas/CreateRequest"})
    valid = [BODY, {**BODY, "options": {"ignore_typography": False}},
             {"left": {"html": "<p>A</p>", "title": "T", "source": "S"}, "right": {"text": "B"}}]
    invalid = [{"left": {"text": "x"}}, {"left": {"text": "x", "html": "y"}, "right": {"text": "z"}},
               {**BODY, "options": {"nope": 1}}, {"left": {"text": 3}, "right": {"text": "z"}}]
    for body in valid:
        jsonschema.validate(body, schema)
        response = client.post("/api/comparisons", json=body)
        assert response.status_code in (200, 201)
        conforms(spec, response, "/api/comparisons", "post")
    for body in invalid:
        assert not jsonschema.Draft202012Validator(schema).is_valid(body)
        response = client.post("/api/comparisons", json=body)
        assert response.status_code == 400
        conforms(spec, response, "/api/comparisons", "post")


def test_responses_match_the_openapi_document(client, spec, app):
    created = client.post("/api/comparisons", json=BODY)
    conforms(spec, created, "/api/comparisons", "post")
    again = client.post("/api/comparisons", json=BODY)
    conforms(spec, again, "/api/comparisons", "post")
    cid = created.get_json()["id"]
    fetched = client.get(f"/api/comparisons/{cid}")
    conforms(spec, fetched, "/api/comparisons/{id}", "get")
    not_modified = client.get(f"/api/comparisons/{cid}", headers={"If-None-Match": fetched.headers["ETag"]})
    conforms(spec, not_modified, "/api/comparisons/{id}", "get")
    conforms(spec, client.get("/api/comparisons/0000"), "/api/comparisons/{id}", "get")
    errors = [
        client.post("/api/comparisons", data="left=x"),
        client.post("/api/comparisons", data="{", content_type="application/json"),
        client.post("/api/comparisons", json={"left": {"text": " "}, "right": {"text": "z"}}),
    ]
    for response in errors:
        conforms(spec, response, "/api/comparisons", "post")
    assert [r.status_code for r in errors] == [400, 400, 422]
    url = f"http://localhost/c/{cid}"
    for query in (f"url={url}", f"url={url}&maxwidth=300&maxheight=200", f"url={url}&format=xml", "url=",
                  "url=http://elsewhere.example/c/" + cid, "url=http://localhost/c/0123456789abcdef0123"):
        conforms(spec, client.get(f"/oembed?{query}"), "/oembed", "get")


def test_too_large_documents_answer_413_as_documented(client, spec, app):
    app.config["MAX_DOCUMENT_BYTES"] = 10
    response = client.post("/api/comparisons", json={"left": {"text": "x" * 20}, "right": {"text": "z"}})
    assert response.status_code == 413
    conforms(spec, response, "/api/comparisons", "post")


# --- Caching: stored comparisons are immutable; their pages say so. ---

def test_stored_pages_carry_etags_and_immutable_cache_headers(client):
    cid = client.post("/api/comparisons", json=BODY).get_json()["id"]
    page = client.get(f"/c/{cid}")
    fragment = client.get(f"/c/{cid}", headers={"HX-Request": "true"})
    for response in (page, fragment, client.get(f"/embed/{cid}"), client.get(f"/api/comparisons/{cid}"),
                     client.get(f"/c/{cid}?show=left"), client.get(f"/embed/{cid}", headers={"HX-Request": "true"})):
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
        assert response.headers["ETag"].startswith('"')
        again = client.get(response.request.url, headers={**dict(response.request.headers),
                                                          "If-None-Match": response.headers["ETag"]})
        assert again.status_code == 304 and not again.data
        assert again.headers["ETag"] == response.headers["ETag"]
    assert "HX-Request" in page.headers["Vary"] and "HX-Request" in fragment.headers["Vary"]
    assert page.headers["ETag"] != fragment.headers["ETag"]
    # the fragment's ETag does not satisfy a page request
    assert client.get(f"/c/{cid}", headers={"If-None-Match": fragment.headers["ETag"]}).status_code == 200


def test_the_home_page_and_errors_are_not_cached_as_immutable(client):
    home = client.get("/")
    assert "immutable" not in home.headers.get("Cache-Control", "") and "no-cache" in home.headers["Cache-Control"]
    missing = client.get("/c/0123456789abcdef0123")
    assert missing.status_code == 404 and "Cache-Control" not in missing.headers and "ETag" not in missing.headers
    assert "Cache-Control" not in client.post("/api/comparisons", json=BODY).headers


# --- The embed and oEmbed: what a CMS integrator uses. ---

TWO_ROWS = {"left": {"text": "The council approved the budget on Monday.\n\nFishermen cheered at dawn."},
            "right": {"text": "The council approved the budget on Tuesday."}}


def _soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.data, "html.parser")


def test_embed_page_has_no_site_chrome_and_filters_stay_in_the_embed(client):
    cid = client.post("/api/comparisons", json=TWO_ROWS).get_json()["id"]
    soup = _soup(client.get(f"/embed/{cid}"))
    assert soup.select_one(".site-header") is None and soup.select_one("form") is None
    assert soup.select("[data-row-kind]")
    assert soup.select_one('script[src="/static/embed-frame.js"]')
    links = [a["hx-get"] for a in soup.select('[data-testid="filters"] a')]
    assert links and all(link.startswith(f"/embed/{cid}") for link in links)
    fragment = client.get(f"/embed/{cid}?show=left", headers={"HX-Request": "true"})
    assert b"<html" not in fragment.data
    kinds = {r["data-row-kind"] for r in _soup(fragment).select("[data-row-kind]")}
    assert kinds == {"left_only"}
    chunk = client.get(f"/embed/{cid}/rows?start=1", headers={"HX-Request": "true"})
    assert chunk.status_code == 200 and b"<html" not in chunk.data
    assert [r["data-row-index"] for r in _soup(chunk).select("[data-row-kind]")] == ["1"]
    assert client.get(f"/embed/{cid}/rows?start=9").status_code == 404


def test_embed_theme_is_a_linked_stylesheet_of_allowlisted_hex_colours(client):
    cid = client.post("/api/comparisons", json=BODY).get_json()["id"]
    soup = _soup(client.get(f"/embed/{cid}?accent=%23CC0000&bg=%23fffff0&show=left"))
    href = soup.select_one('link[data-testid="embed-theme"]')["href"]
    assert href.startswith("/embed/theme.css?")
    assert soup.select_one("[style]") is None and soup.select_one("style") is None
    filter_link = soup.select_one('[data-testid="filter-right"]')["hx-get"]
    assert "accent=%23cc0000" in filter_link and "show=right" in filter_link  # filters keep the theme
    css = client.get(href)
    assert css.status_code == 200 and css.mimetype == "text/css"
    assert css.get_data(as_text=True) == ":root{--cd-bg:#fffff0;--cd-accent:#cc0000;}\n"
    assert "--cd-accent" in (ROOT / "static" / "app.css").read_text()
    for bad in ("accent=red", "accent=%23cc0000;color:red", "accent=url(x)", "bg=%23ggg", "font=serif"):
        assert client.get(f"/embed/theme.css?{bad}").status_code == 400
    assert client.get(f"/embed/{cid}?accent=expression(1)").status_code == 400


def test_only_the_embed_may_be_framed_by_the_configured_sites(tmp_path):
    app = create_app({"TESTING": True, "DATABASE": str(tmp_path / "t.sqlite3"),
                      "FRAME_ANCESTORS": "'self' https://cms.example.com"})
    client = app.test_client()
    cid = client.post("/api/comparisons", json=BODY).get_json()["id"]
    embed_csp = client.get(f"/embed/{cid}").headers["Content-Security-Policy"]
    assert "frame-ancestors 'self' https://cms.example.com" in embed_csp and "unsafe-inline" not in embed_csp
    page = client.get(f"/c/{cid}")
    assert "frame-ancestors 'self'" in page.headers["Content-Security-Policy"]
    assert "cms.example.com" not in page.headers["Content-Security-Policy"]
    assert page.headers["X-Frame-Options"] == "SAMEORIGIN"
    with pytest.raises(ValueError, match="FRAME_ANCESTORS"):
        create_app({"TESTING": True, "DATABASE": str(tmp_path / "t.sqlite3"),
                    "FRAME_ANCESTORS": "https://ok.example; script-src *"})


def test_oembed_answers_for_our_comparison_pages(client):
    cid = client.post("/api/comparisons", json=BODY).get_json()["id"]
    page = _soup(client.get(f"/c/{cid}"))
    discovery = page.select_one('link[rel="alternate"][type="application/json+oembed"]')["href"]
    answer = client.get(discovery.removeprefix("http://localhost"))
    assert answer.status_code == 200
    data = answer.get_json()
    assert (data["type"], data["version"]) == ("rich", "1.0")
    iframe = BeautifulSoup(data["html"], "html.parser").iframe
    assert iframe["src"] == f"http://localhost/embed/{cid}"
    assert (int(iframe["width"]), int(iframe["height"])) == (data["width"], data["height"])
    small = client.get(f"/oembed?url=http://localhost/c/{cid}&maxwidth=300&maxheight=200").get_json()
    assert small["width"] <= 300 and small["height"] <= 200
    assert client.get("/oembed?url=http://localhost/c/0123456789abcdef0123").status_code == 404
    assert client.get(f"/oembed?url=http://localhost/c/{cid}&format=xml").status_code == 501
    for not_ours in (f"http://evil.example/c/{cid}", f"javascript:alert(1)//localhost/c/{cid}",
                     "http://localhost/new", ""):
        response = client.get("/oembed", query_string={"url": not_ours})
        assert 400 <= response.status_code < 500 and response.get_json()["error"]["code"]


def test_every_link_inside_the_embed_stays_in_the_embed_with_its_theme(client):
    cid = client.post("/api/comparisons", json=TWO_ROWS).get_json()["id"]
    page = _soup(client.get(f"/embed/{cid}?accent=%23cc0000"))
    urls = [a.get("hx-get") or a["href"] for a in page.select("a[hx-get]")]
    assert urls and all(u.startswith(f"/embed/{cid}") for u in urls), urls
    assert all("accent=%23cc0000" in u for u in urls), urls
    row = _soup(client.get(f"/embed/{cid}/rows/0?accent=%23cc0000"))
    assert row.select_one('[data-testid="row-detail"]') and row.select_one('[data-testid="embed-theme"]')
    removed = client.get(f"/embed/{cid}/removed?side=left")
    assert removed.status_code == 200 and "Set-Cookie" not in removed.headers  # no CSRF token: cacheable


def test_oembed_passes_the_filter_and_theme_of_the_address_to_its_iframe(client):
    cid = client.post("/api/comparisons", json=TWO_ROWS).get_json()["id"]
    data = client.get("/oembed", query_string={"url": f"http://localhost/c/{cid}?show=changed&accent=%23CC0000",
                                               "maxwidth": "500"}).get_json()
    iframe = BeautifulSoup(data["html"], "html.parser").iframe
    assert iframe["src"] == f"http://localhost/embed/{cid}?accent=%23cc0000&show=changed"
    assert "width:100%" in iframe["style"] and "max-width:500px" in iframe["style"]
    bad = client.get("/oembed", query_string={"url": f"http://localhost/c/{cid}?accent=red"})
    assert bad.status_code == 400 and bad.get_json()["error"]["message"]
