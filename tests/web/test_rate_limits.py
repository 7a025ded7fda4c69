"""Creating comparisons is rate limited per client (issue 14, "Abuse"): 429 with Retry-After
and a message that says the limit; counters in memory by default, in Redis across servers.

The Redis case runs a real redis-server (Debian's `redis-server` package; .ci/run installs it)
on a free 127.0.0.1 port, and two app instances that share one limit through it.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time

import pytest
from bs4 import BeautifulSoup

from tests.hostile import count
from webapp import create_app

REDIS = shutil.which("redis-server")
START_TIMEOUT_S = 10.0


def body(n: int) -> dict:
    return {"left": {"text": f"Rate probe {n}: the council met on Monday."},
            "right": {"text": f"Rate probe {n}: the council met on Tuesday."}}


def make_app(tmp_path, name: str, **config):
    return create_app({"TESTING": True, "DATABASE": str(tmp_path / f"{name}.sqlite3"), **config})


def test_api_over_the_limit_is_a_429_with_retry_after_and_json(tmp_path):
    client = make_app(tmp_path, "a", RATE_LIMIT="3/minute").test_client()
    statuses = [client.post("/api/comparisons", json=body(n)).status_code for n in range(4)]
    assert statuses == [201, 201, 201, 429]
    response = client.post("/api/comparisons", json=body(9))
    error = response.get_json()["error"]
    assert error["code"] == "rate_limited" and "3 per minute" in error["message"]
    assert 1 <= int(response.headers["Retry-After"]) <= 60
    assert client.get(response.headers.get("Location") or "/healthz").status_code == 200  # reading goes on
    count("rate limit: creates refused with 429", 2)


def test_form_over_the_limit_keeps_the_form_and_says_why(tmp_path):
    from tests.conftest import FormClient

    app = make_app(tmp_path, "f", RATE_LIMIT="2/minute")
    app.test_client_class = FormClient
    client = app.test_client()
    form = {"left_text": "The minister resigned on Friday.", "right_text": "The minister quit on Friday."}
    assert [client.post("/compare", data=dict(form)).status_code for _ in range(2)] == [303, 303]
    response = client.post("/compare", data=dict(form))
    assert response.status_code == 429 and int(response.headers["Retry-After"]) >= 1
    page = response.get_data(as_text=True)
    assert "Too many new comparisons" in page and form["left_text"] in page


def test_forged_or_expired_forms_get_their_own_answer_and_use_no_quota(tmp_path):
    """Before, the limit came first: three forged posts from another site's page used up this
    visitor's quota (then 429 for them and for the visitor's own genuine post)."""
    from flask.testing import FlaskClient

    from tests.conftest import FormClient

    app = make_app(tmp_path, "g", RATE_LIMIT="2/minute")
    app.test_client_class = FormClient
    client = app.test_client()
    form = {"left_text": "The minister resigned on Friday.", "right_text": "The minister quit on Friday."}
    forged = [client.post("/compare", data={**form, "csrf_token": "forged"}).status_code for _ in range(3)]
    cross_site = [client.post("/compare", data=dict(form), headers={"Origin": "https://evil.example"}).status_code
                  for _ in range(3)]
    bare = FlaskClient(app, app.response_class, use_cookies=True)  # no token at all, as a cross-site form
    restore = [bare.post("/c/0123456789abcdef0123/restore", data={"side": "left", "index": "0"}).status_code
               for _ in range(3)]
    assert forged == [400] * 3 and cross_site == [403] * 3 and restore == [400] * 3
    assert [client.post("/compare", data=dict(form)).status_code for _ in range(3)] == [303, 303, 429]
    count("rate limit: forged or expired forms refused without using the quota", 9)


def test_api_requests_that_are_not_json_use_no_quota(tmp_path):
    client = make_app(tmp_path, "j", RATE_LIMIT="2/minute").test_client()
    refused = [client.post("/api/comparisons", data="left=a&right=b",
                           content_type="application/x-www-form-urlencoded").status_code for _ in range(3)]
    assert refused == [400] * 3
    assert [client.post("/api/comparisons", json=body(n)).status_code for n in range(3)] == [201, 201, 429]


def test_an_empty_limit_turns_it_off(tmp_path):
    client = make_app(tmp_path, "o", RATE_LIMIT="").test_client()
    assert {client.post("/api/comparisons", json=body(n)).status_code for n in range(40)} == {201}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def redis_url(tmp_path):
    """A throwaway redis-server on 127.0.0.1 (no persistence), stopped afterwards."""
    if REDIS is None:
        pytest.skip("redis-server is not installed: apt-get install redis-server (.ci/run installs it)")
    port = _free_port()
    proc = subprocess.Popen([REDIS, "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no",
                             "--dir", str(tmp_path)], stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert proc.poll() is None and time.monotonic() < deadline, "redis-server did not start"
                time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(10)


def test_two_servers_share_one_limit_through_redis(tmp_path, redis_url):
    one = make_app(tmp_path, "one", RATE_LIMIT="4/minute", RATE_LIMIT_STORAGE=redis_url).test_client()
    two = make_app(tmp_path, "two", RATE_LIMIT="4/minute", RATE_LIMIT_STORAGE=redis_url).test_client()
    statuses = [(one if n % 2 else two).post("/api/comparisons", json=body(n)).status_code for n in range(6)]
    print(f"\nrate limit through Redis, two app instances, 4/minute: {statuses}")
    assert statuses == [201, 201, 201, 201, 429, 429]
    count("rate limit: creates refused with 429", 2)


def test_the_many_form_over_the_limit_keeps_the_form_and_says_why(tmp_path):
    from tests.web.test_many_form import post

    client = make_app(tmp_path, "m", RATE_LIMIT="2/minute").test_client()
    reports = {"doc0_text": "The minister resigned on Friday.", "doc1_text": "The minister quit on Friday.",
               "doc1_label": "Daily"}
    assert [post(client, dict(reports)).status_code for _ in range(2)] == [303, 303]
    response = post(client, dict(reports))
    assert response.status_code == 429 and int(response.headers["Retry-After"]) >= 1
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    assert "Too many new comparisons" in page.select_one("[data-testid=form-error]").get_text()
    assert page.select_one("#doc0_text").get_text() == reports["doc0_text"]
    assert page.select_one("#doc1_label")["value"] == "Daily"
    fragment = post(client, dict(reports), headers={"HX-Request": "true"})  # htmx: the form in its own place
    assert fragment.status_code == 429 and fragment.headers["HX-Retarget"] == "#many-form"
    assert BeautifulSoup(fragment.get_data(as_text=True), "html.parser").select_one("html") is None
