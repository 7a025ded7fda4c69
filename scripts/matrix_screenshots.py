"""Screenshots of a coverage matrix for the README: wide and narrow.

    .venv/bin/python scripts/matrix_screenshots.py [--out docs]

Serves the app on a free port with a throw-away store, creates the three-report matrix the
browser tests use (the two seeds and a digest of both) and writes docs/matrix-wide.png and
docs/matrix-narrow.png.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts.screenshots import NARROW, WIDE  # noqa: E402
from tests.e2e.conftest import CHROMIUM_ARGS, chromium_path  # noqa: E402
from tests.e2e.test_matrix import three_reports  # noqa: E402
from webapp import create_app  # noqa: E402

SHOTS = (("wide", WIDE), ("narrow", NARROW))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"DATABASE": str(Path(tmp) / "screens.sqlite3")})
        url = app.test_client().post("/api/comparisons", json=three_reports()).get_json()["url"]
        server = make_server("127.0.0.1", 0, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            shoot(f"http://127.0.0.1:{server.server_port}{url}", args.out)
        finally:
            server.shutdown()
            thread.join(timeout=10)
    return 0


def shoot(url: str, out: Path) -> None:
    with sync_playwright() as p:
        launch = {"args": CHROMIUM_ARGS}
        if chromium_path():
            launch["executable_path"] = chromium_path()
        browser = p.chromium.launch(**launch)
        try:
            for name, viewport in SHOTS:
                page = browser.new_page(viewport=viewport)
                page.goto(url)
                page.locator("[data-fact-index]").first.wait_for()
                path = out / f"matrix-{name}.png"
                page.screenshot(path=str(path))
                print(path)
                page.close()
        finally:
            browser.close()


if __name__ == "__main__":
    raise SystemExit(main())
