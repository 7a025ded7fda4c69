"""Putting a wrongly removed block back into the comparison."""

import re

from bs4 import BeautifulSoup

from tests.web.test_pages import seed_id

CAPTION = "U.S. Secretary of State Antony Blinken speaks during a joint press conference"


def removed_index(client, cid, side, starts):
    page = BeautifulSoup(client.get(f"/c/{cid}/removed?side={side}").get_data(as_text=True), "html.parser")
    for li in page.select(f'[data-testid="removed-{side}"] li[data-removed-index]'):
        if li.select_one(".removed-text").get_text().startswith(starts):
            return int(li["data-removed-index"])
    raise AssertionError(f"{starts!r} is not listed as removed")


def test_put_back_makes_a_new_comparison_with_the_block_in_place(client):
    cid = seed_id(client)
    index = removed_index(client, cid, "left", CAPTION)
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get(f"/c/{cid}/removed?side=left").get_data(as_text=True))[1]
    response = client.post(f"/c/{cid}/restore", data={"side": "left", "index": str(index), "csrf_token": token})
    assert response.status_code == 303
    new = response.headers["Location"]
    assert new != f"/c/{cid}" and re.fullmatch(r"/c/[0-9a-f]{20}", new)
    doc = client.get(f"/api/comparisons/{new.rsplit('/', 1)[1]}").get_json()
    texts = [p["text"] for p in doc["left"]["paragraphs"]]
    assert texts[0].startswith("Blinken expects")  # the headline, compared as the first paragraph
    assert texts[1].startswith(CAPTION) and texts[2].startswith("WASHINGTON (Reuters)")
    assert not any(r["text"].startswith(CAPTION) for r in doc["left"]["removed"])
    assert len(doc["right"]["paragraphs"]) == len(client.get(f"/api/comparisons/{cid}").get_json()["right"]["paragraphs"])


def test_put_back_needs_the_csrf_token(raw_client):
    cid = seed_id(raw_client)
    assert raw_client.post(f"/c/{cid}/restore", data={"side": "left", "index": "0"}).status_code == 400


def test_put_back_of_a_block_that_does_not_exist_is_4xx(client):
    cid = seed_id(client)
    for data in ({"side": "left", "index": "9999"}, {"side": "middle", "index": "0"}, {"side": "left", "index": "x"}):
        assert 400 <= client.post(f"/c/{cid}/restore", data=dict(data)).status_code < 500


def test_panels_with_a_csrf_token_are_never_cached_for_someone_else(app):
    """The removed panel holds a per-session token: neither HTTP caches nor the
    server's rendered-page cache may hand it to another session."""
    first, second = app.test_client(), app.test_client()
    cid = seed_id(first)
    url = f"/c/{cid}/removed?side=left"
    one, two = first.get(url), second.get(url)
    token = re.compile(r'name="csrf_token" value="([^"]+)"')
    assert token.search(one.get_data(as_text=True))[1] != token.search(two.get_data(as_text=True))[1]
    assert "immutable" not in one.headers.get("Cache-Control", "")
