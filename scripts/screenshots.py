"""Screenshots of the seed comparison for the README: light, dark and narrow.

    .venv/bin/python scripts/screenshots.py [--out docs]

Serves the app on a free port with a throw-away store, opens it in Chromium
(Debian's /usr/bin/chromium when present, like the browser tests) and writes
docs/screenshot-light.png, docs/screenshot-dark.png and docs/screenshot-narrow.png.
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

from tests.e2e.conftest import CHROMIUM_ARGS, chromium_path  # noqa: E402
from webapp import create_app  # noqa: E402

WIDE = {"width": 1280, "height": 1500}  # CSS pixels: a laptop screen, tall enough for several rows
NARROW = {"width": 390, "height": 1500}  # CSS pixels: a phone held upright
SHOTS = (("light", WIDE, "light"), ("dark", WIDE, "dark"), ("narrow", NARROW, "light"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"DATABASE": str(Path(tmp) / "screens.sqlite3")})
        server = make_server("127.0.0.1", 0, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            shoot(f"http://127.0.0.1:{server.server_port}/", args.out)
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
            for name, viewport, scheme in SHOTS:
                page = browser.new_page(viewport=viewport, color_scheme=scheme)
                page.goto(url)
                page.locator("[data-row-index]").first.wait_for()
                path = out / f"screenshot-{name}.png"
                page.screenshot(path=str(path))
                print(path)
                page.close()
        finally:
            browser.close()


if __name__ == "__main__":
    raise SystemExit(main())
