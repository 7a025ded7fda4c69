"""Fixtures shared by every test layer: the app, its client and the seeds."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import request_finished
from flask.testing import FlaskClient

from webapp import create_app
from webapp.pipeline import Source

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
REUTERS, CNN = SEEDS[0], SEEDS[1]


def _count_response(sender, response, **extra) -> None:
    """Every response of every in-process app the tests make: how many, and how many were a 500
    (503 and 507 are deliberate answers of a read-only or full store, counted by their tests)."""
    from tests.hostile import count

    count("responses answered in process")
    if response.status_code == 500:
        count("responses of 500 (in process)")


request_finished.connect(_count_response)  # blinker: no sender given, so every app


@pytest.fixture
def app(tmp_path):
    return create_app({"TESTING": True, "DATABASE": str(tmp_path / "test.sqlite3")})


class FormClient(FlaskClient):
    """A test client that behaves like a browser that loaded the form first:
    POSTs to /compare carry the session's CSRF token unless they set one."""

    def post(self, url, *args, **kwargs):
        data = kwargs.get("data")
        if url.startswith("/compare") or url.startswith("/c/"):
            if isinstance(data, dict) and "csrf_token" not in data:
                page = self.get("/new").get_data(as_text=True)
                data["csrf_token"] = re.search(r'name="csrf_token" value="([^"]+)"', page)[1]
        return super().post(url, *args, **kwargs)


@pytest.fixture
def client(app):
    app.test_client_class = FormClient
    return app.test_client()


@pytest.fixture
def raw_client(app):
    """A client that never sends a CSRF token by itself."""
    return FlaskClient(app, app.response_class, use_cookies=True)


@pytest.fixture(scope="session")
def seed_sources() -> tuple[Source, Source]:
    return Source(REUTERS.read_text(encoding="utf-8")), Source(CNN.read_text(encoding="utf-8"))


def pytest_terminal_summary(terminalreporter):
    """Print what the hostile-input suite tried and saw (issue: counts printed)."""
    from tests.hostile import REPORT

    if REPORT:
        REPORT.setdefault("responses of 500 (in process)", 0)
        REPORT.setdefault("gunicorn workers killed by their timeout", 0)
        terminalreporter.section("hostile-input suite")
        for key in sorted(REPORT):
            terminalreporter.write_line(f"{key}: {REPORT[key]:,}")
