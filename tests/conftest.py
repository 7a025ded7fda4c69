"""Fixtures shared by every test layer: the app, its client and the seeds."""

from __future__ import annotations

from pathlib import Path

import pytest

from webapp import create_app
from webapp.pipeline import Source

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
REUTERS, CNN = SEEDS[0], SEEDS[1]


@pytest.fixture
def app(tmp_path):
    return create_app({"TESTING": True, "DATABASE": str(tmp_path / "test.sqlite3")})


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture(scope="session")
def seed_sources() -> tuple[Source, Source]:
    return Source(REUTERS.read_text(encoding="utf-8")), Source(CNN.read_text(encoding="utf-8"))


def pytest_terminal_summary(terminalreporter):
    """Print what the hostile-input suite tried and saw (issue: counts printed)."""
    from tests.hostile import REPORT

    if REPORT:
        terminalreporter.section("hostile-input suite")
        for key in sorted(REPORT):
            terminalreporter.write_line(f"{key}: {REPORT[key]}")
