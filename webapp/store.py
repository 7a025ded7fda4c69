"""Comparisons stored by id: SQLite by default, PostgreSQL by URL. Nothing else touches the DB.

Both stores keep, per comparison id, the JSON document (what every page renders) and the
resolved inputs it was computed from (so a comparison can be re-run with changes). A row is
written once, in one transaction, and never changed afterwards, except that inputs missing
from rows written before schema version 2 are filled in when the same inputs come again.

The schema is created and migrated on start, step by step, under a lock (SQLite: a write
transaction; PostgreSQL: an advisory lock), so several app servers may start at once.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

SCHEMA_VERSION = 3
# How long a writer waits for a lock held by another process, in seconds (SQLite: 1-60).
BUSY_TIMEOUT_S = 10.0
# How long a PostgreSQL connection attempt may take, in seconds (1-60).
PG_CONNECT_TIMEOUT_S = 10
# Idle PostgreSQL connections kept per store (per process), for reuse (0-100; a threaded
# server opens more while busy and closes the extra ones afterwards).
PG_IDLE_CONNECTIONS = 4
# Any number, the same in every app server: the advisory lock id that serialises migrations.
PG_MIGRATION_LOCK = 0x636F7665  # "cove"

# Migrations: MIGRATIONS[v - 1] takes the schema from version v - 1 to v. Never edit one
# that has shipped; append a new one and bump SCHEMA_VERSION.
SQLITE_MIGRATIONS = (
    ["CREATE TABLE IF NOT EXISTS comparisons (id TEXT PRIMARY KEY, created REAL NOT NULL, document TEXT NOT NULL)"],
    ["ALTER TABLE comparisons ADD COLUMN inputs TEXT"],
    ["CREATE TABLE IF NOT EXISTS progress (id TEXT PRIMARY KEY, stage TEXT NOT NULL, fraction REAL NOT NULL, "
     "inputs TEXT, error TEXT, updated REAL NOT NULL)"],
)
PG_MIGRATIONS = (
    ["CREATE TABLE IF NOT EXISTS comparisons (id TEXT PRIMARY KEY, "
     "created DOUBLE PRECISION NOT NULL, document TEXT NOT NULL)"],
    ["ALTER TABLE comparisons ADD COLUMN IF NOT EXISTS inputs TEXT"],
    ["CREATE TABLE IF NOT EXISTS progress (id TEXT PRIMARY KEY, stage TEXT NOT NULL, "
     "fraction DOUBLE PRECISION NOT NULL, inputs TEXT, error TEXT, updated DOUBLE PRECISION NOT NULL)"],
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
        Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        with self._transaction() as conn:
            conn.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
            row = conn.execute("SELECT MAX(version) FROM schema_version").fetchone()
            version = row[0] or 0
            if version == 0 and conn.execute(
                    "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'comparisons'").fetchone():
                version = 1  # a file from before versioning was enforced
            if version > SCHEMA_VERSION:
                raise RuntimeError(f"{self.path} has schema version {version}; this coverdiff knows {SCHEMA_VERSION}.")
            for step in SQLITE_MIGRATIONS[version:]:
                for statement in step:
                    conn.execute(statement)
            conn.execute("DELETE FROM schema_version")
            conn.execute("INSERT INTO schema_version VALUES (?)", (max(version, SCHEMA_VERSION),))

    def _conn(self) -> sqlite3.Connection:
        """This thread's connection (a new one after a fork: connections never cross processes)."""
        conn = getattr(self._local, "conn", None)
        if conn is None or self._local.pid != os.getpid():
            conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=FULL")
            self._local.conn, self._local.pid = conn, os.getpid()
        return conn

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
        with self._transaction() as conn:
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
            cur.execute("SELECT pg_advisory_xact_lock(%s)", (PG_MIGRATION_LOCK,))
            cur.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
            cur.execute("SELECT MAX(version) FROM schema_version")
            version = cur.fetchone()[0] or 0
            if version > SCHEMA_VERSION:
                raise RuntimeError(f"The database has schema version {version}; this coverdiff knows {SCHEMA_VERSION}.")
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
        with self._transaction() as cur:
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
