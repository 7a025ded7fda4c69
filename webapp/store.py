"""Comparisons stored by id: SQLite by default, PostgreSQL by URL. Nothing else touches the DB.

Both stores keep, per comparison id, the JSON document (what every page renders) and the
resolved inputs it was computed from (so a comparison can be re-run with changes). A row is
written once, in one transaction, and never changed afterwards, except that inputs missing
from rows written before schema version 2 are filled in when the same inputs come again.

The schema is created and migrated on start when it is older than this code, step by step,
under a lock (SQLite: a write transaction; PostgreSQL: an advisory lock), so several app servers
may start at once. A current schema is only read: a store that cannot be written (a read-only
file or file system, a read-only replica) still opens, serves what it holds, and answers every
write with StoreReadOnly (503); a full disk answers StorageFull (507). can_write() tells which.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote, urlsplit

from .pipeline.errors import CoverdiffError

SCHEMA_VERSION = 4
# How long a writer waits for a lock held by another process, in seconds (SQLite: 1-60).
BUSY_TIMEOUT_S = 10.0
# How long a PostgreSQL connection attempt may take, in seconds (1-60).
PG_CONNECT_TIMEOUT_S = 10
# Idle PostgreSQL connections kept per store (per process), for reuse (0-100; a threaded
# server opens more while busy and closes the extra ones afterwards).
PG_IDLE_CONNECTIONS = 4
# Any number, the same in every app server: the advisory lock id that serialises migrations.
PG_MIGRATION_LOCK = 0x636F7665  # "cove"
# What the readiness probe writes (and rolls back) to learn whether the store takes a write: more
# than one page, so that a full disk shows even while a small row would still fit.
PROBE_BYTES = 65_536  # bytes (SQLite pages are 4,096)
# Free space below which /readyz reports a SQLite store as full: a comparison of two 100 KB articles
# stores 0.62 MB (a 423 KB document and 198 KB of inputs), and the probe write alone would fit in
# the space SQLite's WAL file already holds.
READY_MIN_FREE_BYTES = 1_000_000  # bytes
# SQLite primary result codes (the low byte of extended codes) and PostgreSQL SQLSTATEs that mean
# the store cannot take the write, whatever the request.
SQLITE_FULL, SQLITE_READONLY, SQLITE_CANTOPEN = 13, 8, 14
PG_DISK_FULL, PG_READ_ONLY = "53100", "25006"


class StorageFull(CoverdiffError):
    """The disk (or the database's size limit) is full: nothing new can be saved."""

    code = "storage_full"
    status = 507


class StoreReadOnly(CoverdiffError):
    """The database cannot be written (read-only file, file system or replica)."""

    code = "read_only"
    status = 503


FULL_MESSAGE = ("Storage is full: coverdiff cannot save new comparisons right now. "
                "Stored comparisons can still be read; try again later.")
READ_ONLY_MESSAGE = ("This coverdiff serves stored comparisons read-only: its database cannot be written, "
                     "so new comparisons cannot be saved right now.")

# Migrations: MIGRATIONS[v - 1] takes the schema from version v - 1 to v. Never edit one
# that has shipped; append a new one and bump SCHEMA_VERSION.
# Which comparison fetched which link when (links as inputs): "compare with the version of".
FETCHES_TABLE = ("CREATE TABLE IF NOT EXISTS fetches (url TEXT NOT NULL, id TEXT NOT NULL, side TEXT NOT NULL, "
                 "fetched_at TEXT NOT NULL, record TEXT NOT NULL, PRIMARY KEY (url, id, side))")
SQLITE_MIGRATIONS = (
    ["CREATE TABLE IF NOT EXISTS comparisons (id TEXT PRIMARY KEY, created REAL NOT NULL, document TEXT NOT NULL)"],
    ["ALTER TABLE comparisons ADD COLUMN inputs TEXT"],
    ["CREATE TABLE IF NOT EXISTS progress (id TEXT PRIMARY KEY, stage TEXT NOT NULL, fraction REAL NOT NULL, "
     "inputs TEXT, error TEXT, updated REAL NOT NULL)"],
    [FETCHES_TABLE],
)
PG_MIGRATIONS = (
    ["CREATE TABLE IF NOT EXISTS comparisons (id TEXT PRIMARY KEY, "
     "created DOUBLE PRECISION NOT NULL, document TEXT NOT NULL)"],
    ["ALTER TABLE comparisons ADD COLUMN IF NOT EXISTS inputs TEXT"],
    ["CREATE TABLE IF NOT EXISTS progress (id TEXT PRIMARY KEY, stage TEXT NOT NULL, "
     "fraction DOUBLE PRECISION NOT NULL, inputs TEXT, error TEXT, updated DOUBLE PRECISION NOT NULL)"],
    [FETCHES_TABLE],
)


def _progress(row) -> dict | None:
    if row is None:
        return None
    stage, fraction, inputs, error, updated = row
    return {"stage": stage, "fraction": fraction, "inputs": json.loads(inputs) if inputs else None,
            "error": error, "updated": updated}


def _dumps(value: dict) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


class SQLiteStore:
    """Comparisons as JSON text in one SQLite file (WAL, atomic writes)."""

    kind = "sqlite"

    def __init__(self, path: str | Path):
        self.path = str(path)
        self._local = threading.local()
        self.read_only = False  # set when only a read-only connection could be opened
        try:
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        except OSError:
            pass  # a read-only file system: the file may still be there to read
        if self._version(self._conn()) != SCHEMA_VERSION:
            with _sqlite_errors(), self._transaction() as conn:
                self._migrate(conn)

    def _version(self, conn: sqlite3.Connection) -> int:
        """The file's schema version, read without writing (0: a new file)."""
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        version = conn.execute("SELECT MAX(version) FROM schema_version").fetchone()[0] or 0 \
            if "schema_version" in tables else 0
        if version == 0 and "comparisons" in tables:
            version = 1  # a file from before versioning was enforced
        if version > SCHEMA_VERSION:
            raise RuntimeError(f"{self.path} has schema version {version}; this coverdiff knows {SCHEMA_VERSION}.")
        return version

    def _migrate(self, conn: sqlite3.Connection) -> None:
        conn.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
        version = self._version(conn)  # again, under the write lock: another server may have migrated
        for step in SQLITE_MIGRATIONS[version:]:
            for statement in step:
                conn.execute(statement)
        conn.execute("DELETE FROM schema_version")
        conn.execute("INSERT INTO schema_version VALUES (?)", (max(version, SCHEMA_VERSION),))

    def _conn(self) -> sqlite3.Connection:
        """This thread's connection (a new one after a fork: connections never cross processes)."""
        conn = getattr(self._local, "conn", None)
        if conn is None or self._local.pid != os.getpid():
            conn = self._connect()
            self._local.conn, self._local.pid = conn, os.getpid()
        return conn

    def _connect(self) -> sqlite3.Connection:
        """A read-write connection in WAL mode; a read-only one when the file cannot be written.
        On a read-only file system a WAL file cannot even be read without its -shm file, so the
        last resort opens it as immutable (nothing can change it there)."""
        try:
            conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=FULL")
            return conn
        except sqlite3.OperationalError as exc:
            if _sqlite_code(exc) not in (SQLITE_READONLY, SQLITE_CANTOPEN) or not Path(self.path).is_file():
                raise
        self.read_only = True
        uri = "file:" + quote(str(Path(self.path).resolve()))
        try:
            conn = sqlite3.connect(uri + "?mode=ro", uri=True, timeout=BUSY_TIMEOUT_S, isolation_level=None)
            conn.execute("SELECT 1 FROM sqlite_master").fetchall()
            return conn
        except sqlite3.OperationalError:
            return sqlite3.connect(uri + "?immutable=1", uri=True, isolation_level=None)

    def can_write(self) -> tuple[str, str]:
        """("writable", "") when a write of PROBE_BYTES goes through (rolled back), else
        ("full" | "read-only", the message a user reads)."""
        if self.read_only:
            return "read-only", READ_ONLY_MESSAGE
        if shutil.disk_usage(Path(self.path).parent).free < READY_MIN_FREE_BYTES:
            return "full", FULL_MESSAGE
        try:
            with _sqlite_errors(), self._transaction() as conn:
                conn.execute("INSERT INTO schema_version VALUES (zeroblob(?))", (PROBE_BYTES,))
                raise _Probed  # rolls the probe back
        except _Probed:
            return "writable", ""
        except StorageFull as exc:
            return "full", exc.message
        except StoreReadOnly as exc:
            return "read-only", exc.message

    def _transaction(self) -> _SQLiteTransaction:
        return _SQLiteTransaction(self._conn())

    def close(self) -> None:
        """Close this thread's connection (the store reconnects when used again)."""
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None

    def schema_version(self) -> int:
        return self._conn().execute("SELECT MAX(version) FROM schema_version").fetchone()[0]

    # Reads are single autocommit SELECTs: under WAL they see a consistent snapshot and,
    # unlike the write transactions (BEGIN IMMEDIATE), never wait for another worker.

    def get(self, cid: str) -> dict | None:
        row = self._conn().execute("SELECT document FROM comparisons WHERE id = ?", (cid,)).fetchone()
        return json.loads(row[0]) if row else None

    def inputs(self, cid: str) -> dict | None:
        """The resolved inputs a comparison was computed from, None when unknown."""
        row = self._conn().execute("SELECT inputs FROM comparisons WHERE id = ?", (cid,)).fetchone()
        return json.loads(row[0]) if row and row[0] else None

    def put(self, cid: str, document: dict, inputs: dict | None = None) -> bool:
        """Store a document; False when the id was already there (idempotent)."""
        blob, given = _dumps(document), _dumps(inputs) if inputs is not None else None
        if self.read_only:
            raise StoreReadOnly(READ_ONLY_MESSAGE)
        with _sqlite_errors(), self._transaction() as conn:
            cur = conn.execute(
                "INSERT OR IGNORE INTO comparisons (id, created, document, inputs) VALUES (?, ?, ?, ?)",
                (cid, time.time(), blob, given),
            )
            if cur.rowcount == 1:
                return True
            if given is not None:
                conn.execute("UPDATE comparisons SET inputs = ? WHERE id = ? AND inputs IS NULL", (given, cid))
            return False

    def count(self) -> int:
        return self._conn().execute("SELECT COUNT(*) FROM comparisons").fetchone()[0]

    def add_fetches(self, cid: str, fetches: list[tuple[str, dict]]) -> None:
        """Record the links a comparison's sides were fetched from: (side, fetch record)."""
        with self._transaction() as conn:
            conn.executemany("INSERT OR IGNORE INTO fetches (url, id, side, fetched_at, record) VALUES (?, ?, ?, ?, ?)",
                             [(r["url"], cid, side, r["fetched_at"], _dumps(r)) for side, r in fetches])

    def fetches(self, url: str) -> list[tuple[str, str, dict]]:
        """(comparison id, side, fetch record) of every stored fetch of `url`, oldest first."""
        rows = self._conn().execute(
            "SELECT id, side, record FROM fetches WHERE url = ? ORDER BY fetched_at, id, side", (url,)).fetchall()
        return [(cid, side, json.loads(record)) for cid, side, record in rows]

    def set_progress(self, cid: str, stage: str, fraction: float, inputs: dict | None = None,
                     error: str | None = None) -> None:
        """Record how far the computation of `cid` is (inputs kept from the first call on)."""
        given = _dumps(inputs) if inputs is not None else None
        with self._transaction() as conn:
            conn.execute(
                "INSERT INTO progress (id, stage, fraction, inputs, error, updated) VALUES (?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (id) DO UPDATE SET stage = excluded.stage, fraction = excluded.fraction, "
                "inputs = COALESCE(excluded.inputs, progress.inputs), error = excluded.error, "
                "updated = excluded.updated",
                (cid, stage, fraction, given, error, time.time()))

    def progress(self, cid: str) -> dict | None:
        """{stage, fraction, inputs, error, updated} of a computation under way, None if none."""
        row = self._conn().execute(
            "SELECT stage, fraction, inputs, error, updated FROM progress WHERE id = ?", (cid,)).fetchone()
        return _progress(row)


class _Probed(Exception):
    """Raised inside the readiness probe's transaction to roll it back."""


def _sqlite_code(exc: sqlite3.Error) -> int:
    return (getattr(exc, "sqlite_errorcode", 0) or 0) & 0xFF


@contextmanager
def _sqlite_errors():
    """A full disk or a read-only file as the store's own errors (the rest as they are)."""
    try:
        yield
    except sqlite3.Error as exc:
        code = _sqlite_code(exc)
        if code == SQLITE_FULL:
            raise StorageFull(FULL_MESSAGE) from exc
        if code in (SQLITE_READONLY, SQLITE_CANTOPEN):
            raise StoreReadOnly(READ_ONLY_MESSAGE) from exc
        raise


class _SQLiteTransaction:
    """`with` block = one write-locked transaction on a reused connection."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    def __enter__(self) -> sqlite3.Connection:
        self.conn.execute("BEGIN IMMEDIATE")
        return self.conn

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            try:
                self.conn.execute("COMMIT")
                return
            except BaseException:
                self._rollback()  # a failed COMMIT must not keep the write lock for good
                raise
        self._rollback()

    def _rollback(self) -> None:
        # SQLite rolls back by itself after some errors: a second ROLLBACK would mask the first.
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")


class PostgresStore:
    """The same table in PostgreSQL (psycopg 3), for several app servers sharing one store."""

    kind = "postgresql"

    def __init__(self, url: str):
        try:
            import psycopg
        except ImportError as exc:  # pragma: no cover - depends on the installation
            raise RuntimeError('A postgresql:// database needs psycopg: pip install "coverdiff[postgres]"') from exc
        self._psycopg = psycopg
        self.url = url
        self._lock = threading.Lock()
        self._idle: list = []  # connections not in use, at most PG_IDLE_CONNECTIONS
        self._pid = os.getpid()
        self._inherited: list = []  # a forked parent's connections: never used, never closed here
        with self._transaction() as cur:
            current = self._version(cur) == SCHEMA_VERSION
        if not current:
            with self._pg_errors(), self._transaction() as cur:
                self._migrate(cur)

    def _version(self, cur) -> int:
        cur.execute("SELECT to_regclass('schema_version') IS NOT NULL")
        version = 0
        if cur.fetchone()[0]:
            cur.execute("SELECT MAX(version) FROM schema_version")
            version = cur.fetchone()[0] or 0
        if version > SCHEMA_VERSION:
            raise RuntimeError(f"The database has schema version {version}; this coverdiff knows {SCHEMA_VERSION}.")
        return version

    def _migrate(self, cur) -> None:
        cur.execute("SELECT pg_advisory_xact_lock(%s)", (PG_MIGRATION_LOCK,))
        cur.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
        version = self._version(cur)
        for step in PG_MIGRATIONS[version:]:
            for statement in step:
                cur.execute(statement)
        cur.execute("DELETE FROM schema_version")
        cur.execute("INSERT INTO schema_version VALUES (%s)", (max(version, SCHEMA_VERSION),))

    def _take(self):
        """An idle connection, or a new one (never one a forked parent opened)."""
        with self._lock:
            if self._pid != os.getpid():
                self._inherited, self._idle, self._pid = self._inherited + self._idle, [], os.getpid()
            while self._idle:
                conn = self._idle.pop()
                if not (conn.closed or conn.broken):
                    return conn
        return self._psycopg.connect(self.url, autocommit=True, connect_timeout=PG_CONNECT_TIMEOUT_S)

    @contextmanager
    def _pg_errors(self):
        """A full disk or a read-only server as the store's own errors (the rest as they are)."""
        try:
            yield
        except self._psycopg.Error as exc:
            if exc.sqlstate == PG_DISK_FULL:
                raise StorageFull(FULL_MESSAGE) from exc
            if exc.sqlstate == PG_READ_ONLY:
                raise StoreReadOnly(READ_ONLY_MESSAGE) from exc
            raise

    def can_write(self) -> tuple[str, str]:
        """("writable", "") when a write goes through (rolled back), else ("full" | "read-only", why)."""
        try:
            with self._pg_errors(), self._transaction() as cur:
                cur.execute("INSERT INTO schema_version VALUES (%s)", (SCHEMA_VERSION,))
                raise _Probed
        except _Probed:
            return "writable", ""
        except StorageFull as exc:
            return "full", exc.message
        except StoreReadOnly as exc:
            return "read-only", exc.message

    def _give_back(self, conn) -> None:
        with self._lock:
            if not (conn.closed or conn.broken) and self._pid == os.getpid() and len(self._idle) < PG_IDLE_CONNECTIONS:
                self._idle.append(conn)
                return
        conn.close()

    def _transaction(self) -> _PostgresTransaction:
        return _PostgresTransaction(self)

    def close(self) -> None:
        """Close the idle connections (the store reconnects when used again)."""
        with self._lock:
            idle, self._idle = self._idle, []
        for conn in idle:
            conn.close()

    def schema_version(self) -> int:
        with self._transaction() as cur:
            cur.execute("SELECT MAX(version) FROM schema_version")
            return cur.fetchone()[0]

    def get(self, cid: str) -> dict | None:
        with self._transaction() as cur:
            cur.execute("SELECT document FROM comparisons WHERE id = %s", (cid,))
            row = cur.fetchone()
        return json.loads(row[0]) if row else None

    def inputs(self, cid: str) -> dict | None:
        with self._transaction() as cur:
            cur.execute("SELECT inputs FROM comparisons WHERE id = %s", (cid,))
            row = cur.fetchone()
        return json.loads(row[0]) if row and row[0] else None

    def put(self, cid: str, document: dict, inputs: dict | None = None) -> bool:
        blob, given = _dumps(document), _dumps(inputs) if inputs is not None else None
        with self._pg_errors(), self._transaction() as cur:
            cur.execute(
                "INSERT INTO comparisons (id, created, document, inputs) VALUES (%s, %s, %s, %s) "
                "ON CONFLICT (id) DO NOTHING",
                (cid, time.time(), blob, given),
            )
            if cur.rowcount == 1:
                return True
            if given is not None:
                cur.execute("UPDATE comparisons SET inputs = %s WHERE id = %s AND inputs IS NULL", (given, cid))
            return False

    def count(self) -> int:
        with self._transaction() as cur:
            cur.execute("SELECT COUNT(*) FROM comparisons")
            return cur.fetchone()[0]

    def add_fetches(self, cid: str, fetches: list[tuple[str, dict]]) -> None:
        with self._transaction() as cur:
            cur.executemany("INSERT INTO fetches (url, id, side, fetched_at, record) VALUES (%s, %s, %s, %s, %s) "
                            "ON CONFLICT DO NOTHING",
                            [(r["url"], cid, side, r["fetched_at"], _dumps(r)) for side, r in fetches])

    def fetches(self, url: str) -> list[tuple[str, str, dict]]:
        with self._transaction() as cur:
            cur.execute("SELECT id, side, record FROM fetches WHERE url = %s ORDER BY fetched_at, id, side", (url,))
            rows = cur.fetchall()
        return [(cid, side, json.loads(record)) for cid, side, record in rows]

    def set_progress(self, cid: str, stage: str, fraction: float, inputs: dict | None = None,
                     error: str | None = None) -> None:
        given = _dumps(inputs) if inputs is not None else None
        with self._transaction() as cur:
            cur.execute(
                "INSERT INTO progress (id, stage, fraction, inputs, error, updated) VALUES (%s, %s, %s, %s, %s, %s) "
                "ON CONFLICT (id) DO UPDATE SET stage = excluded.stage, fraction = excluded.fraction, "
                "inputs = COALESCE(excluded.inputs, progress.inputs), error = excluded.error, "
                "updated = excluded.updated",
                (cid, stage, fraction, given, error, time.time()))

    def progress(self, cid: str) -> dict | None:
        with self._transaction() as cur:
            cur.execute("SELECT stage, fraction, inputs, error, updated FROM progress WHERE id = %s", (cid,))
            return _progress(cur.fetchone())


class _PostgresTransaction:
    """`with` block = one transaction on a pooled connection, yielding a cursor."""

    def __init__(self, store: PostgresStore):
        self.store = store

    def __enter__(self):
        self.conn = self.store._take()
        try:
            self._tx = self.conn.transaction()
            self._tx.__enter__()
            self.cur = self.conn.cursor()
        except BaseException:
            self.store._give_back(self.conn)
            raise
        return self.cur

    def __exit__(self, exc_type, exc, tb):
        try:
            self.cur.close()
            return self._tx.__exit__(exc_type, exc, tb)
        finally:
            self.store._give_back(self.conn)


def open_store(url: str) -> SQLiteStore | PostgresStore:
    """A store from a database URL (postgresql://, sqlite:///path) or a plain SQLite file path."""
    scheme = urlsplit(url).scheme if "://" in url else ""
    if scheme in ("postgres", "postgresql"):
        return PostgresStore(url)
    if scheme == "sqlite":
        return SQLiteStore(url.removeprefix("sqlite:///"))  # sqlite:///rel/path, sqlite:////abs/path
    if scheme:
        raise ValueError(f"Unsupported database URL scheme '{scheme}': use postgresql:// or a SQLite file path.")
    return SQLiteStore(url)
