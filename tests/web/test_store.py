"""The comparison store on SQLite and on a real PostgreSQL server started by the fixtures.

PostgreSQL comes from Debian's `postgresql` package (initdb and pg_ctl under
/usr/lib/postgresql/*/bin). The fixture runs a throwaway server on a free loopback port with
its data in a temporary folder (as the `postgres` user when the tests run as root, since
PostgreSQL refuses to run as root) and stops it at the end. Without the binaries the
PostgreSQL cases skip and say how to install them; .ci/run installs them.
"""

from __future__ import annotations

import glob
import itertools
import os
import pwd
import shutil
import socket
import sqlite3
import subprocess
import tempfile
import threading
from pathlib import Path

import pytest

from webapp import create_app
from webapp.pipeline import Options, Source
from webapp.serialize import comparison_id
from webapp.service import create, load_inputs
from webapp.store import SCHEMA_VERSION, PostgresStore, SQLiteStore, open_store

INSTALL_HINT = "PostgreSQL server binaries not found: apt-get install postgresql (or scripts/system-deps.sh postgresql)"
BODY = {"left": {"text": "The council approved the budget on Monday.\n\nThe mayor welcomed it."},
        "right": {"text": "The mayor welcomed the vote.\n\nThe council approved the budget on Tuesday."}}
DOC = {"id": "abc", "rows": [{"kind": "same"}], "note": "ünïcode ✓"}


def _pg_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[4]) if Path(p).parts[4].isdecimal() else 0)
    return Path(found[-1]).parent if found else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PostgresServer:
    """A throwaway PostgreSQL cluster: initdb, pg_ctl start on 127.0.0.1:<free port>, stop, delete."""

    def __init__(self, bindir: Path):
        self.bindir = bindir
        self.root = Path(tempfile.mkdtemp(prefix="coverdiff-pg-"))
        self.data, self.log = self.root / "data", self.root / "server.log"
        self.port = _free_port()
        self.prefix: list[str] = []
        if os.geteuid() == 0:  # PostgreSQL will not run as root: use the package's `postgres` user
            user = pwd.getpwnam("postgres")
            os.chown(self.root, user.pw_uid, user.pw_gid)
            self.prefix = ["runuser", "-u", "postgres", "--"]

    def _run(self, *args: str) -> None:
        subprocess.run([*self.prefix, *args], check=True, capture_output=True, timeout=60)

    def start(self) -> PostgresServer:
        self._run(str(self.bindir / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres",
                  "-E", "UTF8", "--no-sync")
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off"
        self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-w", "-t", "30",
                  "-o", options, "start")
        return self

    def stop(self) -> None:
        try:
            self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"


@pytest.fixture(scope="module")
def postgres():
    bindir = _pg_bin()
    if bindir is None:
        pytest.skip(INSTALL_HINT)
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            pytest.skip("running as root and there is no `postgres` user to run the server as; " + INSTALL_HINT)
    server = PostgresServer(bindir).start()
    yield server
    server.stop()


_databases = itertools.count()


@pytest.fixture
def pg_url(postgres):
    """A new, empty database on the test server."""
    import psycopg

    name = f"t{next(_databases)}"
    with psycopg.connect(postgres.url(), autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    return postgres.url(name)


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    """A database URL of each kind: a SQLite file, or a new PostgreSQL database."""
    if request.param == "sqlite":
        return str(tmp_path / "store.sqlite3")
    return request.getfixturevalue("pg_url")


@pytest.fixture
def opened():
    """open_store / create_app that close their connections when the test ends."""
    stores = []

    class Opener:
        def store(self, url):
            stores.append(open_store(url))
            return stores[-1]

        def client(self, url):
            app = create_app({"TESTING": True, "DATABASE": url})
            stores.append(app.extensions["coverdiff.store"])
            return app.test_client()

    yield Opener()
    for store in stores:
        store.close()


def test_open_store_picks_the_backend(db_url, opened):
    store = opened.store(db_url)
    assert isinstance(store, PostgresStore if db_url.startswith("postgresql://") else SQLiteStore)
    assert store.schema_version() == SCHEMA_VERSION


def test_sqlite_urls_and_unknown_schemes(tmp_path):
    assert open_store(f"sqlite:///{tmp_path}/a.sqlite3").path == f"{tmp_path}/a.sqlite3"
    with pytest.raises(ValueError, match="mysql"):
        open_store("mysql://localhost/x")


def test_put_get_is_idempotent_and_keeps_inputs(db_url, opened):
    store = opened.store(db_url)
    assert store.get("abc") is None and store.inputs("abc") is None
    assert store.put("abc", DOC, {"left": {"content": "x"}}) is True
    assert store.put("abc", {"other": True}, {"left": {"content": "y"}}) is False  # first write wins
    assert store.get("abc") == DOC
    assert list(store.get("abc")) == list(DOC)  # key order kept (no JSONB reordering)
    assert store.inputs("abc") == {"left": {"content": "x"}}
    assert store.count() == 1


def test_missing_inputs_are_filled_in_once(db_url, opened):
    store = opened.store(db_url)
    store.put("abc", DOC)
    assert store.inputs("abc") is None
    store.put("abc", DOC, {"v": 1})
    store.put("abc", DOC, {"v": 2})
    assert store.inputs("abc") == {"v": 1}


def test_service_stores_the_resolved_inputs_to_rerun(db_url, opened):
    store = opened.store(db_url)
    left, right = Source("A first paragraph.\n\nA second one.", title="T"), Source("<p>A first paragraph.</p>")
    stored = create(store, left, right, Options())
    assert stored.created
    cid = stored.id
    again_left, again_right, options = load_inputs(store, cid)
    assert again_right.kind == "html" and again_left.title == "T"
    assert comparison_id(again_left, again_right, options) == cid


def test_concurrent_writers_store_one_row(db_url, opened):
    opened.store(db_url)  # schema first, so the threads race on the row only
    results, barrier = [], threading.Barrier(6)

    def write(n):
        store = opened.store(db_url)
        barrier.wait()
        results.append(store.put("same-id", {"writer": n}))

    threads = [threading.Thread(target=write, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(results) == [False] * 5 + [True]
    assert opened.store(db_url).count() == 1


def test_two_app_servers_serve_each_others_comparisons(db_url, opened):
    first = opened.client(db_url)
    second = opened.client(db_url)
    made = first.post("/api/comparisons", json=BODY)
    assert made.status_code == 201
    cid = made.get_json()["id"]
    assert second.get(f"/api/comparisons/{cid}").get_json() == made.get_json()
    page = second.get(f"/c/{cid}")
    assert page.status_code == 200 and b"council approved" in page.data
    assert second.post("/api/comparisons", json=BODY).status_code == 200  # already there


def test_restarted_server_serves_every_stored_comparison(tmp_path):
    db = str(tmp_path / "coverdiff.sqlite3")
    before = create_app({"TESTING": True, "DATABASE": db}).test_client()
    ids = [before.post("/api/comparisons", json={**BODY, "right": {"text": f"Version {n} of the story."}})
           .get_json()["id"] for n in range(3)]
    pages = {cid: before.get(f"/c/{cid}").data for cid in ids}
    after = create_app({"TESTING": True, "DATABASE": db}).test_client()  # a new process would do the same
    for cid in ids:
        response = after.get(f"/c/{cid}")
        assert response.status_code == 200 and response.data == pages[cid]
        assert after.get(f"/embed/{cid}").status_code == 200


def test_a_version_1_sqlite_file_is_migrated_in_place(tmp_path):
    path = tmp_path / "old.sqlite3"
    conn = sqlite3.connect(path)
    conn.executescript("""
        CREATE TABLE schema_version (version INTEGER NOT NULL);
        INSERT INTO schema_version VALUES (1);
        CREATE TABLE comparisons (id TEXT PRIMARY KEY, created REAL NOT NULL, document TEXT NOT NULL);
        INSERT INTO comparisons VALUES ('old', 0, '{"id": "old"}');
    """)
    conn.commit()
    conn.close()
    store = open_store(str(path))
    assert store.schema_version() == SCHEMA_VERSION
    assert store.get("old") == {"id": "old"} and store.inputs("old") is None
    open_store(str(path))  # opening again migrates nothing twice
    assert SQLiteStore(path).schema_version() == SCHEMA_VERSION


def test_a_version_1_postgres_database_is_migrated_in_place(pg_url, opened):
    import psycopg

    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)")
        conn.execute("INSERT INTO schema_version VALUES (1)")
        conn.execute("CREATE TABLE comparisons (id TEXT PRIMARY KEY, created DOUBLE PRECISION NOT NULL, "
                     "document TEXT NOT NULL)")
        conn.execute("""INSERT INTO comparisons VALUES ('old', 0, '{"id": "old"}')""")
    store = opened.store(pg_url)
    assert store.schema_version() == SCHEMA_VERSION
    assert store.get("old") == {"id": "old"}
    store.put("old", {"id": "old"}, {"v": 1})
    assert store.inputs("old") == {"v": 1}


def test_a_newer_schema_is_refused(tmp_path):
    path = tmp_path / "new.sqlite3"
    open_store(str(path))
    conn = sqlite3.connect(path)
    conn.execute("UPDATE schema_version SET version = ?", (SCHEMA_VERSION + 1,))
    conn.commit()
    conn.close()
    with pytest.raises(RuntimeError, match="schema version"):
        open_store(str(path))
