"""Comparisons stored by id: SQLite by default. Nothing else touches the DB."""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from pathlib import Path

SCHEMA_VERSION = 1
# How long a writer waits for a lock held by another process, in seconds.
BUSY_TIMEOUT_S = 10.0

_SCHEMA = """
CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS comparisons (
    id TEXT PRIMARY KEY,
    created REAL NOT NULL,
    document TEXT NOT NULL
);
"""


class SQLiteStore:
    """Comparisons as JSON documents in one SQLite file (WAL, atomic writes)."""

    def __init__(self, path: str | Path):
        self.path = str(path)
        self._local = threading.local()
        Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        conn = self._connect().conn
        conn.executescript(_SCHEMA)
        with self._connect() as conn:
            if conn.execute("SELECT COUNT(*) FROM schema_version").fetchone()[0] == 0:
                conn.execute("INSERT INTO schema_version VALUES (?)", (SCHEMA_VERSION,))

    def _connect(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=FULL")
            self._local.conn = conn
        return _Transaction(conn)

    def get(self, cid: str) -> dict | None:
        with self._connect() as conn:
            row = conn.execute("SELECT document FROM comparisons WHERE id = ?", (cid,)).fetchone()
        return json.loads(row[0]) if row else None

    def put(self, cid: str, document: dict) -> bool:
        """Store a document; False when the id was already there (idempotent)."""
        blob = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
        with self._connect() as conn:
            cur = conn.execute(
                "INSERT OR IGNORE INTO comparisons (id, created, document) VALUES (?, ?, ?)",
                (cid, time.time(), blob),
            )
            return cur.rowcount == 1

    def count(self) -> int:
        with self._connect() as conn:
            return conn.execute("SELECT COUNT(*) FROM comparisons").fetchone()[0]


class _Transaction:
    """`with` block = one transaction on a reused connection."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    def __enter__(self) -> sqlite3.Connection:
        self.conn.execute("BEGIN IMMEDIATE")
        return self.conn

    def __exit__(self, exc_type, exc, tb) -> None:
        self.conn.execute("ROLLBACK" if exc_type else "COMMIT")


def open_store(url: str) -> SQLiteStore:
    """A store from a database URL or a plain SQLite file path."""
    if url.startswith("sqlite:///"):
        url = url[len("sqlite:///"):]
    return SQLiteStore(url)
