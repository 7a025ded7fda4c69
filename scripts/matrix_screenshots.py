"""Screenshots of a coverage matrix for the README: wide and narrow.

    .venv/bin/python scripts/matrix_screenshots.py [--out docs]

Serves the app on a free port with a throw-away store, creates the three-report matrix the
browser tests use (the two seeds and a digest of both) and writes docs/matrix-wide.png and
docs/matrix-narrow.png; docs/matrix-progress.png is the page of a comparison of ten reports
part way through its pairs (recorded in the store as its background thread records it).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts.screenshots import NARROW, WIDE, served, shoot  # noqa: E402
from tests.e2e.test_matrix import three_reports  # noqa: E402

PROGRESS_ID = "d440d440d440d440d440"  # no comparison: only its progress is recorded


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    with served() as (app, base):
        url = base + app.test_client().post("/api/comparisons", json=three_reports()).get_json()["url"]
        facts = "[data-fact-index]"
        inputs = {"documents": [{"content": f"Report {k}."} for k in range(10)], "options": {}}
        app.extensions["coverdiff.store"].set_progress(PROGRESS_ID, "aligning 17/45", 0.4, inputs=inputs)
        shoot([(url, args.out / "matrix-wide.png", WIDE, "light", facts),
               (url, args.out / "matrix-narrow.png", NARROW, "light", facts),
               (f"{base}/m/{PROGRESS_ID}", args.out / "matrix-progress.png", WIDE, "light",
                "[data-testid=pairs-done]")])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
