"""Malformed and extreme input: a correct result or a clear 4xx, never a 500."""

from __future__ import annotations

import io

import pytest
from bs4 import BeautifulSoup

from tests.hostile import count


def api(client, left, right, kind="text"):
    return client.post("/api/comparisons", json={"left": {kind: left}, "right": {kind: right}})


def error_of(response) -> str:
    return response.get_json()["error"]["message"]


def rebuilt(doc, row, side):
    ops = row["diff"]
    if side == "left":
        return "".join(o["text"] for o in ops if o["op"] != "insert")
    return "".join(o.get("right_text", o["text"]) for o in ops if o["op"] != "delete")


@pytest.fixture(autouse=True)
def _count(request):
    yield
    count("malformed/extreme inputs tried")


@pytest.mark.parametrize("left,right,side", [("", "", "left"), ("  \n\t ", "text", "left"), ("text here", "\u00a0\n", "right")])
def test_empty_or_blank_side_is_a_clear_422(client, left, right, side):
    response = api(client, left, right)
    assert response.status_code == 422
    assert side in error_of(response) and "empty" in error_of(response)


def test_identical_sides_are_all_same(client):
    text = "First paragraph of the story.\n\nSecond paragraph, with a quote: \u201cyes\u201d."
    doc = api(client, text, text).get_json()
    assert [r["kind"] for r in doc["rows"]] == ["same", "same"]
    assert doc["stats"]["left_covered"] == 1.0


def test_binary_upload_is_a_clear_415(client):
    data = {"left_file": (io.BytesIO(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))), "x.txt"),
            "right_text": "Some text on the right."}
    response = client.post("/compare", data=data, content_type="multipart/form-data")
    assert response.status_code == 415
    assert "not text or HTML" in response.get_data(as_text=True)


def test_nul_bytes_in_pasted_text_do_not_break_anything(client):
    response = api(client, "Alpha\x00 beta gamma.\n\nDelta.", "Alpha beta gamma.\n\nDelta\x00.")
    assert response.status_code in (200, 201)


def test_invalid_utf8_upload_is_decoded_or_refused_in_words(client):
    data = {"left_file": (io.BytesIO("Caf\u00e9 cr\u00e8me br\u00fbl\u00e9e is on the menu.".encode("latin-1")), "menu.txt"),
            "right_file": (io.BytesIO(b"broken \xc3\x28 bytes \xfa\xfb everywhere \xa0\xa1 in this file"), "x.txt")}
    response = client.post("/compare", data=data, content_type="multipart/form-data")
    assert response.status_code in (303, 415)
    if response.status_code == 303:
        page = client.get(response.headers["Location"]).get_data(as_text=True)
        assert "Caf\u00e9 cr\u00e8me" in page


def test_lone_surrogates_in_json_are_handled(client):
    response = client.post("/api/comparisons", data='{"left": {"text": "a \\ud800 b c"}, "right": {"text": "a b c"}}',
                           content_type="application/json")
    assert response.status_code < 500


def test_deeply_nested_html(client):
    html = "<div>" * 100_000 + "<p>Deep inside the page there is a sentence worth keeping.</p>" + "</div>" * 100_000
    response = api(client, html, "<p>Deep inside the page there is a sentence worth keeping.</p>", kind="html")
    assert response.status_code < 500
    if response.status_code in (200, 201):
        assert response.get_json()["rows"][0]["kind"] == "same"


def test_a_single_one_megabyte_paragraph(client):
    words = [f"word{k % 5000}" for k in range(150_000)]
    left = " ".join(words)
    words[75_000] = "CHANGED"
    right = " ".join(words)
    assert len(left) > 1_000_000
    doc = api(client, left, right).get_json()
    row = doc["rows"][0]
    assert rebuilt(doc, row, "left") == left and rebuilt(doc, row, "right") == right
    assert row["kind"] == "edited"


def test_a_one_megabyte_word_both_sides_have(client):
    # Word counting in the shared-passage search once backtracked quadratically on a long word.
    word = "x" * 1_000_000
    doc = api(client, f"{word}\n\nThe minister spoke on Monday.", f"{word}\n\nThe minister spoke on Tuesday.").get_json()
    kinds = {tuple(row["left"]): row["kind"] for row in doc["rows"]}
    assert [p["text"] for p in doc["left"]["paragraphs"]][0] == word
    assert kinds[(0,)] == "same"


def test_hundred_thousand_one_word_paragraphs_is_a_clear_413(client):
    text = "\n\n".join(f"w{k}" for k in range(100_000))
    response = api(client, text, "short text")
    assert response.status_code == 413
    assert "paragraphs" in error_of(response) and "limit" in error_of(response)


@pytest.mark.parametrize("text", [
    "\u05e9\u05dc\u05d5\u05dd \u05e2\u05d5\u05dc\u05dd, \u05d6\u05d4\u05d5 \u05de\u05d1\u05d7\u05df.\n\n\u0645\u0631\u062d\u0628\u0627 \u0628\u0627\u0644\u0639\u0627\u0644\u0645",
    "Emoji \U0001F600\U0001F44D\U0001F3FD family \U0001F468\u200D\U0001F469\u200D\U0001F467 flags \U0001F1FA\U0001F1E6.",
    "Combining marks: e\u0301 a\u0308 Z\u0351\u0352\u0353\u0354\u0355 n\u0303 and \u1100\u1161\u11a8 jamo.",
])
def test_scripts_emoji_and_combining_marks_round_trip(client, text):
    other = text.replace(".", "!", 1) + "\n\nAn extra paragraph."
    doc = api(client, text, other).get_json()
    left = "\n\n".join(p["text"] for p in doc["left"]["paragraphs"])
    assert left == text.replace("\u200D", "\u200D")
    page = client.get(doc["url"]).get_data(as_text=True)
    assert text.split("\n\n")[0][:6] in page


def test_document_over_the_limit_is_a_413_that_says_the_limit(client):
    response = api(client, "x" * 5_100_000, "short")
    assert response.status_code == 413
    assert "5 MB" in error_of(response)


def test_request_over_the_limit_is_a_413_that_says_the_limit(client):
    response = client.post("/compare", data={"left_text": "y" * 21_100_000, "right_text": "z"})
    assert response.status_code == 413
    assert "limit of 21 MB per request" in response.get_data(as_text=True)


@pytest.mark.parametrize("path", ["/c/%00", "/c/..%2f..%2fetc", "/c/" + "a" * 5000, "/api/comparisons/%ff",
                                  "/?show=%00", "/c/x?show=<script>"])
def test_odd_urls_are_4xx(client, path):
    assert client.get(path).status_code < 500


@pytest.mark.parametrize("charset,body", [
    ("punycode", b"<p>The council met on Monday to vote on the bridge.</p>"),
    ("idna", b"<p>The council met on Monday to vote on the bridge.</p>"),
    ("utf-7", b"<p>The council met +ADw-b+AD4-on Monday+ADw-/b+AD4- to vote on the bridge.</p>"),
    ("unicode_escape", b"<p>The council met \\u003cb\\u003eon Monday to vote on the bridge.</p>"),
])
def test_an_upload_declaring_a_codec_that_is_no_document_encoding(client, charset, body):
    """Python knows codecs (punycode, idna, utf-7, unicode_escape) that no browser reads a page
    in: a declaration of one is ignored, as the Encoding Standard says, never a 500 or a rewrite."""
    page = b'<html><head><meta charset="' + charset.encode() + b'"></head><body>' + body + b"</body></html>"
    data = {"left_file": (io.BytesIO(page), "page.html"), "right_text": "The council met on Tuesday to vote on the bridge."}
    response = client.post("/compare", data=data, content_type="multipart/form-data")
    assert response.status_code == 303
    doc = client.get("/api/comparisons/" + response.headers["Location"].rsplit("/", 1)[1]).get_json()
    assert doc["left"]["paragraphs"][0]["text"] == BeautifulSoup(body.decode("ascii"), "html.parser").get_text()
    count("uploads declaring a non-document codec")
