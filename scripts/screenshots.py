"""Screenshots for the README: the seed comparison light, dark and narrow, a near-identical
pair (runs of identical paragraphs collapsed) and the progress page of a long comparison.

    .venv/bin/python scripts/screenshots.py [--out docs]

Serves the app on a free port with a throw-away store, opens it in Chromium
(Debian's /usr/bin/chromium when present, like the browser tests) and writes
docs/screenshot-{light,dark,narrow,near-identical,progress}.png.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import threading
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.e2e.conftest import CHROMIUM_ARGS, chromium_path  # noqa: E402
from webapp import create_app  # noqa: E402

WIDE = {"width": 1280, "height": 1500}  # CSS pixels: a laptop screen, tall enough for several rows
NARROW = {"width": 390, "height": 1500}  # CSS pixels: a phone held upright
SHORT = {"width": 1280, "height": 800}  # CSS pixels: a laptop screen
PROGRESS_ID = "5c4ee05c4ee05c4ee05c"  # a comparison "being computed": only its progress is recorded


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    with served() as (app, base):
        app.extensions["coverdiff.store"].set_progress(PROGRESS_ID, "aligning", 0.1)
        near = near_identical(app)
        rows, out = "[data-row-index]", args.out
        shoot([(f"{base}/", out / "screenshot-light.png", WIDE, "light", rows),
               (f"{base}/", out / "screenshot-dark.png", WIDE, "dark", rows),
               (f"{base}/", out / "screenshot-narrow.png", NARROW, "light", rows),
               (f"{base}{near}", out / "screenshot-near-identical.png", SHORT, "light", "[data-testid=same-run]"),
               (f"{base}/c/{PROGRESS_ID}", out / "screenshot-progress.png", SHORT, "light", "[data-testid=progress]")])
    return 0


@contextmanager
def served():
    """(the app, its base URL) served on a free loopback port with a throw-away store."""
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"DATABASE": str(Path(tmp) / "screens.sqlite3")})
        server = make_server("127.0.0.1", 0, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield app, f"http://127.0.0.1:{server.server_port}"
        finally:
            server.shutdown()
            thread.join(timeout=10)


def near_identical(app) -> str:
    """A pair of twelve paragraphs that differ in one word: its comparison's address."""
    paras = [f"Paragraph {n}: the board met on Monday and approved budget line {n * 3} without debate."
             for n in range(12)]
    edited = [*paras]
    edited[5] = edited[5].replace("Monday", "Tuesday")
    body = {"left": {"text": "\n\n".join(paras), "source": "Wire"},
            "right": {"text": "\n\n".join(edited), "source": "Gazette"}}
    return app.test_client().post("/api/comparisons", json=body).get_json()["url"]


def shoot(shots) -> None:
    """Each (url, png path, viewport, colour scheme, selector that shows it is ready), in one browser."""
    with sync_playwright() as p:
        launch = {"args": CHROMIUM_ARGS}
        if chromium_path():
            launch["executable_path"] = chromium_path()
        browser = p.chromium.launch(**launch)
        try:
            for url, path, viewport, scheme, ready in shots:
                page = browser.new_page(viewport=viewport, color_scheme=scheme)
                page.goto(url)
                page.locator(ready).first.wait_for()
                page.screenshot(path=str(path))
                print(path)
                page.close()
        finally:
            browser.close()


if __name__ == "__main__":
    raise SystemExit(main())
