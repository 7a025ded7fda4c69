"""SPEC §6: writes to the store are atomic; a crash mid-request loses no stored comparison
and corrupts nothing (issue #7).

The crash test runs the production server (gunicorn, 3 workers, a temporary SQLite file,
127.0.0.1 only), creates distinct comparisons from several client threads, SIGKILLs a
worker and then the master with all its workers while requests are in flight, restarts the
server on the same file and checks that every comparison the server acknowledged (201/200)
is served back unchanged and that SQLite finds nothing wrong with the file.

The unit tests below interrupt single writes: an exception after the INSERT, a failing
COMMIT, and a process killed inside an open transaction leave no row behind.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from bench.loadtest import request
from tests.hostile import count
from webapp.store import SQLiteStore

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).parent / "gunicorn"
HOST = "127.0.0.1"
WORKERS = 3
CLIENT_THREADS = 6
START_TIMEOUT_S = 20.0
REQUEST_TIMEOUT_S = 10.0


# --- the server ----------------------------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def _request(port: int, method: str, path: str, body: dict | None = None) -> tuple[int, bytes]:
    data = json.dumps(body).encode() if body is not None else None
    return request(port, method, path, data, timeout=REQUEST_TIMEOUT_S)


class Server:
    """gunicorn in its own process group, so that everything it starts can be killed."""

    def __init__(self, database: Path, log: Path):
        self.port = _free_port()
        self.log = open(log, "ab")  # noqa: SIM115 - closed in stop()
        self.log_start = self.log.tell()  # this server's lines start here (a restart appends)
        self.proc = subprocess.Popen(
            [str(GUNICORN), "-w", str(WORKERS), "-b", f"{HOST}:{self.port}", "--timeout", "30",
             "--graceful-timeout", "2", "webapp:create_app()"],
            cwd=ROOT, env={**os.environ, "COVERDIFF_DATABASE": str(database), "COVERDIFF_RATE_LIMIT": ""},
            stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)
        self.pgid = self.proc.pid  # start_new_session: the master leads its own group

    def wait_ready(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, f"gunicorn exited with {self.proc.returncode}"
            try:
                if _request(self.port, "GET", "/healthz")[0] == 200 and len(self.workers()) == WORKERS:
                    return
            except OSError:
                pass
            time.sleep(0.1)
        raise AssertionError(f"gunicorn did not answer /healthz within {START_TIMEOUT_S:g} s")

    def workers(self) -> list[int]:
        """The master's child processes (its workers)."""
        pids: list[int] = []
        for children in Path(f"/proc/{self.proc.pid}/task").glob("*/children"):
            try:
                pids += [int(p) for p in children.read_text().split()]
            except OSError:  # the task went away meanwhile
                pass
        if not pids:  # kernels without CONFIG_PROC_CHILDREN
            out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(self.proc.pid)],
                                 capture_output=True, text=True, check=False).stdout
            pids = [int(p) for p in out.split()]
        return sorted(pids)

    def kill_group(self) -> None:
        try:
            os.killpg(self.pgid, signal.SIGKILL)
        except ProcessLookupError:
            pass

    def stop(self) -> None:
        """SIGKILL the whole group (idempotent) and reap the master; count the workers gunicorn
        itself killed for running past its timeout (the log says WORKER TIMEOUT)."""
        self.kill_group()
        try:
            self.proc.wait(10)
        finally:
            self.log.close()
            with open(self.log.name, "rb") as log:
                log.seek(self.log_start)
                count("gunicorn workers killed by their timeout", log.read().count(b"WORKER TIMEOUT"))


# --- the clients -----------------------------------------------------------------------------

class Clients:
    """Threads creating distinct comparisons until stopped; every acknowledged one is kept."""

    def __init__(self, port: int):
        self.port = port
        self.stop_event = threading.Event()
        self.lock = threading.Lock()
        self.acknowledged: dict[str, dict] = {}  # id -> the document the server answered with
        self.failures = 0  # refused, reset or 5xx: never acknowledged, so never owed
        self.threads = [threading.Thread(target=self._run, args=(n,), daemon=True) for n in range(CLIENT_THREADS)]

    def _run(self, n: int) -> None:
        i = 0
        while not self.stop_event.is_set():
            i += 1
            body = {"left": {"text": f"Durability probe {n}-{i}.\n\nThe council met on Tuesday {n} {i}.\n\n"
                                     "Residents asked about the bridge repairs."},
                    "right": {"text": f"Durability probe {n}-{i}.\n\nThe council met on Wednesday {n} {i}.\n\n"
                                      "Residents asked about the road repairs."}}
            try:
                status, data = _request(self.port, "POST", "/api/comparisons", body)
            except (OSError, http.client.HTTPException):
                status, data = 0, b""
            with self.lock:
                if status in (200, 201):
                    document = json.loads(data)
                    self.acknowledged[document["id"]] = document
                else:
                    self.failures += 1
            if status == 0:
                time.sleep(0.02)  # server down: do not spin

    def start(self) -> None:
        for t in self.threads:
            t.start()

    def stop(self) -> None:
        self.stop_event.set()
        for t in self.threads:
            t.join(REQUEST_TIMEOUT_S + 5)

    def wait_for(self, n: int, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if len(self.acknowledged) >= n:
                    return
            time.sleep(0.05)


def _one_value(database: Path, sql: str):
    """The first column of the first row `sql` gives on a fresh connection to the file."""
    conn = sqlite3.connect(database)
    try:
        return conn.execute(sql).fetchone()[0]
    finally:
        conn.close()


def _integrity(database: Path) -> str:
    return _one_value(database, "PRAGMA integrity_check")


def test_sigkilled_workers_and_master_lose_no_acknowledged_comparison(tmp_path):
    database, log = tmp_path / "crash.sqlite3", tmp_path / "gunicorn.log"
    started = time.monotonic()
    servers: list[Server] = []
    clients: Clients | None = None
    try:
        server = Server(database, log)
        servers.append(server)
        server.wait_ready()
        clients = Clients(server.port)
        clients.start()

        clients.wait_for(100, timeout=15)
        victim = server.workers()[0]
        os.kill(victim, signal.SIGKILL)  # one worker dies mid-traffic; the master replaces it
        before = len(clients.acknowledged)
        clients.wait_for(before + 100, timeout=15)
        os.kill(server.proc.pid, signal.SIGKILL)  # then the master ...
        server.kill_group()  # ... and every worker, with requests in flight
        server.proc.wait(10)
        time.sleep(0.3)  # clients see refused connections
        clients.stop()
        acknowledged = dict(clients.acknowledged)
        assert len(acknowledged) >= 150, f"too little traffic before the crash: {len(acknowledged)}"
        assert victim not in server.workers()

        restarted = Server(database, log)
        servers.append(restarted)
        restarted.wait_ready()
        lost, changed = [], []
        for cid, document in acknowledged.items():
            status, data = _request(restarted.port, "GET", f"/api/comparisons/{cid}")
            if status != 200:
                lost.append((cid, status))
            elif json.loads(data) != document:
                changed.append(cid)
        # The restarted server takes writes again.
        status, _ = _request(restarted.port, "POST", "/api/comparisons",
                             {"left": {"text": "After the crash."}, "right": {"text": "After the restart."}})
        assert status == 201
        restarted.stop()

        integrity = _integrity(database)
        count("acknowledged comparisons checked", len(acknowledged))
        count("acknowledged comparisons lost", len(lost) + len(changed))
        print(f"acknowledged comparisons: {len(acknowledged)}, lost: {len(lost)}, changed: {len(changed)}, "
              f"failed requests (unacknowledged): {clients.failures}, integrity_check: {integrity}, "
              f"{time.monotonic() - started:.1f} s")
        assert lost == [] and changed == []
        assert integrity == "ok"
    finally:
        if clients is not None:
            clients.stop()
        for s in servers:
            s.stop()
        assert time.monotonic() - started < 60


# --- single interrupted writes --------------------------------------------------------------

class _FailingConnection:
    """A connection that raises right after a statement starting with `after` ran,
    or instead of running one starting with `instead_of`."""

    def __init__(self, conn: sqlite3.Connection, *, after: str = "", instead_of: str = ""):
        self.conn, self.after, self.instead_of = conn, after, instead_of

    def execute(self, sql: str, *args):
        if self.instead_of and sql.startswith(self.instead_of):
            self.instead_of = ""
            raise sqlite3.OperationalError("disk I/O error (simulated)")
        result = self.conn.execute(sql, *args)
        if self.after and sql.startswith(self.after):
            self.after = ""
            raise RuntimeError("crash after the statement (simulated)")
        return result

    @property
    def in_transaction(self) -> bool:
        return self.conn.in_transaction


def _rows(path: Path) -> int:
    return _one_value(path, "SELECT COUNT(*) FROM comparisons")


@pytest.mark.parametrize("failure", [{"after": "INSERT"}, {"instead_of": "COMMIT"}])
def test_an_interrupted_put_leaves_no_partial_row(tmp_path, failure):
    path = tmp_path / "store.sqlite3"
    store = SQLiteStore(path)
    store.put("kept", {"id": "kept"})
    real = store._conn()
    store._local.conn = _FailingConnection(real, **failure)
    with pytest.raises((RuntimeError, sqlite3.OperationalError)):
        store.put("broken", {"id": "broken", "body": "x" * 10_000}, {"inputs": 1})
    store._local.conn = real
    assert not real.in_transaction  # rolled back, the write lock released
    assert store.get("broken") is None and store.inputs("broken") is None
    assert _rows(path) == 1
    other = SQLiteStore(path)  # another connection is not blocked by a dangling transaction
    assert other.put("other", {"id": "other"}) is True
    assert store.put("broken", {"id": "broken"}) is True  # the same connection writes again
    assert store.get("broken") == {"id": "broken"}
    other.close()
    store.close()


def test_a_process_killed_inside_a_transaction_leaves_no_row(tmp_path):
    path = tmp_path / "store.sqlite3"
    store = SQLiteStore(path)
    store.put("kept", {"id": "kept"})
    child = textwrap.dedent(f"""
        import os, signal, sys
        from webapp.store import SQLiteStore
        store = SQLiteStore({str(path)!r})
        conn = store._conn()
        conn.execute("BEGIN IMMEDIATE")
        for i in range(200):
            conn.execute("INSERT INTO comparisons (id, created, document) VALUES (?, 0, ?)", (f"half-{{i}}", "x" * 5000))
        sys.stdout.write("inserted\\n"); sys.stdout.flush()
        os.kill(os.getpid(), signal.SIGKILL)
    """)
    result = subprocess.run([sys.executable, "-c", child], cwd=ROOT, capture_output=True, text=True, timeout=30)
    assert result.stdout.strip() == "inserted" and result.returncode == -signal.SIGKILL, result.stderr
    assert _rows(path) == 1
    assert store.put("after", {"id": "after"}) is True  # the dead process holds no lock
    assert _integrity(path) == "ok"
    store.close()
