"""Long comparisons run in the background; their page shows the stages until the result is there."""

import time

from bs4 import BeautifulSoup

from webapp import create_app

LEFT = "\n\n".join(f"Report {n}: the committee number {n} met on Monday and agreed on item {n * 7}." for n in range(400))
RIGHT = LEFT.replace("Monday", "Tuesday")


def soup(response):
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def background_app(tmp_path, name="bg.sqlite3"):
    """An app that computes every form comparison in the background (threshold 0 bytes)."""
    return create_app({"TESTING": True, "CSRF_ENABLED": False, "DATABASE": str(tmp_path / name),
                       "BACKGROUND_MIN_BYTES": 0})


def wait_until_stored(client, url: str, timeout_s: float = 60) -> None:
    deadline = time.monotonic() + timeout_s
    while client.get(url).status_code == 202:
        assert time.monotonic() < deadline, "the background comparison did not finish"
        time.sleep(0.05)


def test_a_large_comparison_shows_its_progress_then_its_rows(tmp_path):
    client = background_app(tmp_path).test_client()
    posted = client.post("/compare", data={"left_text": LEFT, "right_text": RIGHT})
    assert posted.status_code == 303
    url = posted.headers["Location"]
    first = client.get(url)
    if first.status_code == 202:  # seen while it runs: the stages and a bar, never cached
        page = soup(first)
        box = page.select_one('[data-testid="progress"]')
        assert box["data-stage"] in ("queued", "sanitizing", "aligning", "diffing", "rendering")
        assert page.select_one('[data-testid="progress-bar"]') is not None
        assert [li["data-testid"] for li in page.select(".stages li")] == [
            "stage-sanitizing", "stage-aligning", "stage-diffing", "stage-rendering"]
        assert first.headers["Cache-Control"] == "no-store"
    wait_until_stored(client, url)
    done = client.get(url)
    assert done.status_code == 200 and len(soup(done).select('[data-row-kind="edited"]')) == 100
    poll = client.get(f"{url}/progress", headers={"HX-Request": "true"})
    assert poll.headers["HX-Redirect"] == url  # the polling fragment sends htmx to the result


def test_the_progress_lives_in_the_store_so_another_server_reports_it(tmp_path):
    one, two = background_app(tmp_path, "shared.sqlite3"), background_app(tmp_path, "shared.sqlite3")
    store = one.extensions["coverdiff.store"]
    store.set_progress("0123456789abcdef0123", "aligning", 0.1)
    page = soup(two.test_client().get("/c/0123456789abcdef0123"))
    assert page.select_one('[data-testid="progress"]')["data-stage"] == "aligning"
    assert page.select_one('[data-testid="stage-sanitizing"]')["data-state"] == "done"
    assert page.select_one('[data-testid="stage-aligning"]')["aria-current"] == "step"


def test_a_lost_computation_starts_again_from_its_stored_inputs(tmp_path):
    app = background_app(tmp_path)
    client = app.test_client()
    url = client.post("/compare", data={"left_text": LEFT, "right_text": RIGHT}).headers["Location"]
    wait_until_stored(client, url)
    cid = url.rsplit("/", 1)[1]
    # the same inputs, recorded as if their server had died at "aligning" long ago, nothing stored
    other = background_app(tmp_path, "other.sqlite3")
    store = other.extensions["coverdiff.store"]
    store.set_progress(cid, "aligning", 0.1, inputs=app.extensions["coverdiff.store"].inputs(cid))
    store._conn().execute("UPDATE progress SET updated = updated - 3600 WHERE id = ?", (cid,))
    again = other.test_client()
    assert again.get(url).status_code == 202
    wait_until_stored(again, url)
    assert again.get(url).status_code == 200


def test_a_background_comparison_that_fails_says_why(tmp_path):
    app = create_app({"TESTING": True, "CSRF_ENABLED": False, "DATABASE": str(tmp_path / "f.sqlite3"),
                      "BACKGROUND_MIN_BYTES": 0, "MAX_PARAGRAPHS": 100})
    client = app.test_client()
    url = client.post("/compare", data={"left_text": LEFT, "right_text": RIGHT}).headers["Location"]
    deadline = time.monotonic() + 30
    while (response := client.get(url)).status_code == 202:
        assert time.monotonic() < deadline
        time.sleep(0.05)
    assert response.status_code == 422
    assert "paragraphs" in soup(response).select_one('[data-testid="progress-error"]').get_text()
