"""Long comparisons run in the background; their page shows the stages until the result is there."""

import time

from bs4 import BeautifulSoup

from webapp import create_app
from webapp.matrix import FACTS_PER_PAGE

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


# --- comparisons of many (issue #17) ---------------------------------------------------------

REPORTS = [LEFT, RIGHT, LEFT.replace("committee", "board")]


def many_form(reports) -> dict:
    return {f"doc{k}_text": text for k, text in enumerate(reports)}


def test_a_large_comparison_of_many_shows_its_stages_then_its_matrix(tmp_path):
    client = background_app(tmp_path).test_client()
    posted = client.post("/many", data=many_form(REPORTS), content_type="multipart/form-data")
    assert posted.status_code == 303
    url = posted.headers["Location"]
    first = client.get(url)
    if first.status_code == 202:  # seen while it runs: the many stages, never cached
        page = soup(first)
        assert page.select_one('[data-testid="progress"]')["data-stage"] in (
            "queued", "sanitizing", "aligning", "grouping", "rendering")
        assert [li["data-testid"] for li in page.select(".stages li")] == [
            "stage-sanitizing", "stage-aligning", "stage-grouping", "stage-rendering"]
        assert first.headers["Cache-Control"] == "no-store"
        assert page.select_one('[data-testid="progress"]')["hx-get"] == f"{url}/progress"
    wait_until_stored(client, url)
    done = client.get(url)
    rows = soup(done).select("tr[data-fact-index]")
    assert done.status_code == 200 and len(rows) == FACTS_PER_PAGE  # the first page of 400 facts
    assert {r["data-fact-coverage"] for r in rows} == {"all"}  # each report has every paragraph, reworded
    poll = client.get(f"{url}/progress", headers={"HX-Request": "true"})
    assert poll.headers["HX-Redirect"] == url


def test_the_form_sent_with_htmx_puts_the_progress_in_its_place_and_pushes_the_matrix_url(tmp_path):
    client = background_app(tmp_path).test_client()
    posted = client.post("/many", data=many_form(REPORTS), content_type="multipart/form-data",
                         headers={"HX-Request": "true"})
    assert posted.status_code == 202
    assert posted.headers["HX-Retarget"] == "#many-form" and posted.headers["HX-Reswap"] == "outerHTML"
    url = posted.headers["HX-Push-Url"]
    assert url.startswith("/m/")
    box = soup(posted).select_one('[data-testid="progress"]')
    assert box["data-stage"] == "queued" and box["hx-get"] == f"{url}/progress"
    assert soup(posted).select_one("html") is None  # a fragment
    wait_until_stored(client, url)


def test_the_progress_of_many_names_the_stage_and_the_pairs_compared(tmp_path):
    app = background_app(tmp_path)
    store = app.extensions["coverdiff.store"]
    inputs = {"documents": [{"content": t} for t in REPORTS], "options": {}}
    store.set_progress("0123456789abcdef0123", "aligning 2/3", 0.63, inputs=inputs)
    page = soup(app.test_client().get("/m/0123456789abcdef0123"))
    assert page.select_one('[data-testid="stage-sanitizing"]')["data-state"] == "done"
    assert page.select_one('[data-testid="stage-aligning"]')["aria-current"] == "step"
    assert page.select_one('[data-testid="pairs-done"]').get_text() == "2 of 3 pairs of reports compared"
    assert page.select_one('[data-testid="progress-bar"]')["value"] == "63"
    assert page.select_one('[data-testid="stage-grouping"]')["data-state"] == "todo"
    # the id of a comparison of many is no pair's
    assert app.test_client().get("/c/0123456789abcdef0123").status_code == 404


def test_a_lost_comparison_of_many_starts_again_from_its_stored_inputs(tmp_path):
    app = background_app(tmp_path)
    client = app.test_client()
    url = client.post("/many", data=many_form(REPORTS), content_type="multipart/form-data").headers["Location"]
    wait_until_stored(client, url)
    cid = url.rsplit("/", 1)[1]
    other = background_app(tmp_path, "other.sqlite3")
    store = other.extensions["coverdiff.store"]
    store.set_progress(cid, "aligning 1/3", 0.3, inputs=app.extensions["coverdiff.store"].inputs(cid))
    store._conn().execute("UPDATE progress SET updated = updated - 3600 WHERE id = ?", (cid,))
    again = other.test_client()
    assert again.get(url).status_code == 202
    wait_until_stored(again, url)
    assert again.get(url).status_code == 200


def test_a_comparison_of_many_that_fails_in_the_background_says_why_and_offers_the_many_form(tmp_path):
    app = create_app({"TESTING": True, "CSRF_ENABLED": False, "DATABASE": str(tmp_path / "f.sqlite3"),
                      "BACKGROUND_MIN_BYTES": 0, "MAX_PARAGRAPHS": 100})
    client = app.test_client()
    url = client.post("/many", data=many_form(REPORTS), content_type="multipart/form-data").headers["Location"]
    deadline = time.monotonic() + 30
    while (response := client.get(url)).status_code == 202:
        assert time.monotonic() < deadline
        time.sleep(0.05)
    assert response.status_code == 422
    page = soup(response)
    assert page.select_one('[data-testid="progress-error"]').get_text().startswith("Document 1:")
    assert page.select_one("#comparison a")["href"] == "/many/new"


def test_small_comparisons_of_many_are_computed_at_once(tmp_path):
    app = create_app({"TESTING": True, "CSRF_ENABLED": False, "DATABASE": str(tmp_path / "s.sqlite3")})
    client = app.test_client()
    posted = client.post("/many", data=many_form(REPORTS), content_type="multipart/form-data")
    assert client.get(posted.headers["Location"]).status_code == 200  # 3 x 31 KB: no progress page
