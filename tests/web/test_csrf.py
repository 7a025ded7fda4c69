"""The HTML form is protected against cross-site request forgery; the API takes JSON only."""

from bs4 import BeautifulSoup

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
