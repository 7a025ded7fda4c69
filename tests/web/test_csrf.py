"""The HTML form is protected against cross-site request forgery; the API takes JSON only."""

from bs4 import BeautifulSoup

from tests.hostile import count

FORM = {"left_text": "The minister resigned on Friday.", "right_text": "The minister quit on Friday."}


def token_from(client, path="/new") -> str:
    page = BeautifulSoup(client.get(path).get_data(as_text=True), "html.parser")
    return page.select_one('#compare-form input[name="csrf_token"]')["value"]


def test_form_pages_carry_a_token(raw_client):
    assert len(token_from(raw_client, "/")) > 30
    assert len(token_from(raw_client, "/new")) > 30


def test_post_without_token_is_refused_with_the_form_kept(raw_client):
    response = raw_client.post("/compare", data=FORM)
    assert response.status_code == 400
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    assert "expired" in page.select_one('[data-testid="form-error"]').get_text()
    assert page.select_one("#left_text").get_text() == FORM["left_text"]


def test_post_with_a_forged_token_is_refused(raw_client):
    token_from(raw_client)
    assert raw_client.post("/compare", data={**FORM, "csrf_token": "forged"}).status_code == 400


def test_token_from_another_session_is_refused(app, raw_client):
    other = app.test_client()
    stolen = token_from(other)
    token_from(raw_client)  # this session has its own token
    assert raw_client.post("/compare", data={**FORM, "csrf_token": stolen}).status_code == 400


def test_post_with_the_session_token_works(raw_client):
    token = token_from(raw_client)
    response = raw_client.post("/compare", data={**FORM, "csrf_token": token})
    assert response.status_code == 303


def test_api_refuses_form_encoded_bodies_and_sends_no_cors_headers(raw_client):
    response = raw_client.post("/api/comparisons", data={"left": "x", "right": "y"},
                               headers={"Origin": "https://evil.example"})
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "bad_request"
    assert not any(h.lower().startswith("access-control-") for h in response.headers.keys())


def test_session_cookie_is_httponly_and_samesite(raw_client):
    response = raw_client.get("/new")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


# --- issue 14: the key file race, Origin, transport --------------------------------------------

def _read_key(instance: str, barrier, out) -> None:
    from types import SimpleNamespace

    from webapp.csrf import secret_key

    barrier.wait()
    try:
        out.put(secret_key(SimpleNamespace(instance_path=instance)))
    except Exception as exc:  # noqa: BLE001 - the parent reports what the worker saw
        out.put(f"error: {exc!r}")


def test_workers_starting_together_all_read_one_complete_key(tmp_path, monkeypatch):
    """Workers booting at once each create or read the key file: every one must get the same,
    complete key (the loser of an O_EXCL race once read the winner's still empty file)."""
    import multiprocessing

    monkeypatch.delenv("COVERDIFF_SECRET_KEY", raising=False)
    ctx = multiprocessing.get_context("fork")
    rounds, workers, empty_or_split = 15, 12, 0
    for n in range(rounds):
        instance = str(tmp_path / f"instance{n}")
        barrier, out = ctx.Barrier(workers), ctx.Queue()
        procs = [ctx.Process(target=_read_key, args=(instance, barrier, out)) for _ in range(workers)]
        for p in procs:
            p.start()
        keys = [out.get(timeout=30) for _ in procs]
        for p in procs:
            p.join(30)
        empty_or_split += len(set(keys)) != 1 or not keys[0] or keys[0].startswith("error")
    print(f"\nsecret key: {rounds} rounds of {workers} processes, {empty_or_split} rounds with an empty or second key")
    count("secret key: processes starting together", rounds * workers)
    assert empty_or_split == 0


def test_form_post_from_another_site_is_a_403_even_with_a_token(raw_client):
    token = token_from(raw_client)
    response = raw_client.post("/compare", data={**FORM, "csrf_token": token}, headers={"Origin": "https://evil.example"})
    count("cross-site form posts refused with 403")
    assert response.status_code == 403
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    assert "another site" in page.select_one('[data-testid="form-error"]').get_text()


def test_form_post_from_its_own_page_passes_the_origin_check(raw_client):
    token = token_from(raw_client)
    response = raw_client.post("/compare", data={**FORM, "csrf_token": token}, headers={"Origin": "http://localhost"})
    assert response.status_code == 303


def test_htmx_may_send_the_token_as_a_header(raw_client):
    token = token_from(raw_client)
    response = raw_client.post("/compare", data=FORM, headers={"X-CSRFToken": token, "HX-Request": "true"})
    assert response.status_code == 200 and "HX-Push-Url" in response.headers


def test_behind_https_cookies_are_secure_and_hsts_is_sent(tmp_path):
    from webapp import create_app

    app = create_app({"TESTING": True, "DATABASE": str(tmp_path / "t.sqlite3"), "PUBLIC_URL": "https://coverdiff.example.org"})
    response = app.test_client().get("/new", base_url="https://coverdiff.example.org")
    assert "Secure" in response.headers["Set-Cookie"]
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_without_https_configured_there_is_no_hsts(raw_client):
    response = raw_client.get("/new")
    assert "Strict-Transport-Security" not in response.headers and "Secure" not in response.headers["Set-Cookie"]


def test_behind_an_unconfigured_tls_proxy_the_browsers_https_origin_is_still_its_own(raw_client):
    token = token_from(raw_client)
    response = raw_client.post("/compare", data={**FORM, "csrf_token": token}, headers={"Origin": "https://localhost"})
    assert response.status_code == 303


def test_with_a_public_url_only_its_origin_passes(tmp_path):
    from tests.conftest import FormClient
    from webapp import create_app

    app = create_app({"TESTING": True, "DATABASE": str(tmp_path / "o.sqlite3"), "PUBLIC_URL": "https://cd.example.org"})
    app.test_client_class = FormClient
    client = app.test_client()
    assert client.post("/compare", data=dict(FORM), headers={"Origin": "https://cd.example.org"}).status_code == 303
    assert client.post("/compare", data=dict(FORM), headers={"Origin": "http://localhost"}).status_code == 403
