"""Browser tests: a real Chromium (Playwright) against a real server on a free port.

The browser is $COVERDIFF_CHROMIUM, else Debian's /usr/bin/chromium, else the
one `playwright install chromium` downloaded.
"""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

import pytest
from playwright.sync_api import expect
from werkzeug.serving import make_server

from webapp import create_app

# How long an expect() waits for the page to reach what it asserts: a bound on waiting, not a
# speed target (make bench measures speed). Playwright's 5 s default ran out twice on a machine
# shared by four other test runs, restoring a 3,000-row page from history.
EXPECT_TIMEOUT_MS = 20_000
expect.set_options(timeout=EXPECT_TIMEOUT_MS)

CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def chromium_path() -> str | None:
    for candidate in (os.environ.get("COVERDIFF_CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


def pytest_collection_modifyitems(items):
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    args = {**browser_type_launch_args, "args": CHROMIUM_ARGS}
    path = chromium_path()
    if path:
        args["executable_path"] = path
    return args


class LiveServer:
    """The app served by werkzeug on 127.0.0.1, a free port, in a thread."""

    def __init__(self, app):
        self.app = app
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.thread.join(timeout=10)


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    app = create_app({"DATABASE": str(tmp_path_factory.mktemp("e2e") / "e2e.sqlite3"),
                      "RATE_LIMIT": ""})  # one server for every browser test: creates are not rate limited
    with LiveServer(app) as server:
        yield server


@pytest.fixture(scope="session")
def base_url(live_server):
    return live_server.url
