"""Hostile-input suite: counts gathered by the tests, printed at the end of the run."""

REPORT: dict[str, int] = {}


def count(key: str, n: int = 1) -> None:
    REPORT[key] = REPORT.get(key, 0) + n
