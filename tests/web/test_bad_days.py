"""Bad days (issue 14): a full disk and a read-only database.

The full disk is real: a 2 MB tmpfs mounted for the test (as root, which CI is), filled with a
file, the SQLite database on it. SQLite's max_page_count pragma, the database's own size limit,
is the second case (it needs no root). The read-only database is a file on a tmpfs remounted
read-only, opened by the app and by a real gunicorn whose worker is then killed.

What must hold: a save that cannot happen says so (507 storage full, 503 read-only) instead of
a 500; stored comparisons are still served; /readyz says whether the store can write; a
read-only file boots every worker and a worker restart keeps the master up.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from tests.hostile import count
from tests.web.test_durability import Server, _request
from webapp import create_app

TMPFS_BYTES = 2_000_000  # the small file system's size
FULL_MESSAGE = "Storage is full"


def body(n: int, words: int = 40) -> dict:
    text = " ".join(f"word{n}x{k}" for k in range(words))
    return {"left": {"text": f"Bad day {n}.\n\n{text} Monday."}, "right": {"text": f"Bad day {n}.\n\n{text} Tuesday."}}


def _run(*args: str) -> None:
    subprocess.run(args, check=True, capture_output=True)


@pytest.fixture
def small_fs(tmp_path):
    """A TMPFS_BYTES tmpfs of our own, unmounted afterwards."""
    if os.geteuid() != 0:
        pytest.skip("mounting a small file system needs root (CI runs as root)")
    mount = tmp_path / "fs"
    mount.mkdir()
    _run("mount", "-t", "tmpfs", "-o", f"size={TMPFS_BYTES}", "tmpfs", str(mount))
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def fill(path: Path) -> None:
    """Write zeros to `path` until the file system has no room left (64 KB, then 512-byte writes)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        for chunk in (65_536, 512):
            try:
                while True:
                    os.write(fd, b"\0" * chunk)
            except OSError:
                pass
    finally:
        os.close(fd)


def make(database, **config):
    return create_app({"TESTING": True, "DATABASE": str(database), "RATE_LIMIT": "", **config})


def test_a_full_disk_is_a_507_that_says_so_and_reads_go_on(small_fs):
    app = make(small_fs / "db.sqlite3")
    client = app.test_client()
    kept = client.post("/api/comparisons", json=body(0)).get_json()
    assert client.get("/readyz").status_code == 200
    fill(small_fs / "filler")
    statuses = [client.post("/api/comparisons", json=body(n, words=2_000)) for n in range(1, 4)]
    print(f"\nfull tmpfs: creates answered {[r.status_code for r in statuses]}")
    assert {r.status_code for r in statuses} == {507}
    assert FULL_MESSAGE in statuses[0].get_json()["error"]["message"]
    assert client.get(f"/api/comparisons/{kept['id']}").get_json() == kept
    ready = client.get("/readyz")
    assert ready.status_code == 503 and ready.get_json()["store"] == "full"
    (small_fs / "filler").unlink()  # room again: the same server saves again
    assert client.get("/readyz").status_code == 200
    assert client.post("/api/comparisons", json=body(9, words=2_000)).status_code == 201
    count("bad days: full-disk saves answered 507", len(statuses))


def test_a_database_at_its_size_limit_is_a_507_on_the_form_too(tmp_path):
    from tests.conftest import FormClient

    app = make(tmp_path / "db.sqlite3")
    app.test_client_class = FormClient
    client = app.test_client()
    client.get("/new")
    store = app.extensions["coverdiff.store"]
    pages = store._conn().execute("PRAGMA page_count").fetchone()[0]
    store._conn().execute(f"PRAGMA max_page_count = {pages + 1}")  # this thread's connection: the test client's
    form = {"left_text": "x " * 20_000 + "Monday.", "right_text": "x " * 20_000 + "Tuesday."}
    response = client.post("/compare", data=form)
    assert response.status_code == 507
    assert FULL_MESSAGE in response.get_data(as_text=True) and "Monday." in response.get_data(as_text=True)
    assert client.get("/readyz").get_json()["store"] == "full"
    count("bad days: full-disk saves answered 507")


@pytest.fixture
def read_only_db(small_fs):
    """A database holding one comparison, on a file system then remounted read-only."""
    database = small_fs / "db.sqlite3"
    client = make(database).test_client()
    kept = client.post("/api/comparisons", json=body(0)).get_json()
    client.application.extensions["coverdiff.store"].close()
    _run("mount", "-o", "remount,ro", str(small_fs))
    return database, kept


def test_a_read_only_database_is_served_and_says_new_ones_cannot_be_saved(read_only_db):
    from tests.conftest import FormClient

    database, kept = read_only_db
    app = make(database)
    app.test_client_class = FormClient
    client = app.test_client()
    assert client.get(f"/api/comparisons/{kept['id']}").get_json() == kept
    assert client.get(f"/c/{kept['id']}").status_code == 200
    refused = client.post("/api/comparisons", json=body(1))
    assert refused.status_code == 503 and "read-only" in refused.get_json()["error"]["message"]
    form = client.post("/compare", data={"left_text": "One two three.", "right_text": "One two four."})
    assert form.status_code == 503 and "cannot be saved" in form.get_data(as_text=True)
    ready = client.get("/readyz")
    assert ready.status_code == 503 and ready.get_json()["store"] == "read-only"
    assert client.get("/healthz").status_code == 200
    count("bad days: read-only saves answered 503", 2)


def test_gunicorn_boots_on_a_read_only_database_and_survives_a_worker_restart(read_only_db, tmp_path):
    database, kept = read_only_db
    server = Server(database, tmp_path / "gunicorn.log")
    try:
        server.wait_ready()
        victim = server.workers()[0]
        os.kill(victim, signal.SIGKILL)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and (victim in server.workers() or len(server.workers()) < 3):
            assert server.proc.poll() is None, "the gunicorn master exited after a worker restart"
            time.sleep(0.1)
        assert server.proc.poll() is None and victim not in server.workers()
        statuses = {_request(server.port, "GET", f"/api/comparisons/{kept['id']}")[0] for _ in range(12)}
        assert statuses == {200}
        assert _request(server.port, "POST", "/api/comparisons", body(2))[0] == 503
        count("bad days: worker kills survived on a read-only database")
    finally:
        server.stop()
        print((tmp_path / "gunicorn.log").read_text()[-2000:] if server.proc.returncode not in (None, -9) else "")
