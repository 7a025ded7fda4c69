#!/usr/bin/env bash
# A Chromium for the browser tests: $COVERDIFF_CHROMIUM, else Debian's
# /usr/bin/chromium (installed with apt when we are root), else Playwright's
# own download (`playwright install chromium`) where that is reachable.
set -euo pipefail
BIN="${1:-.venv/bin}"
if [ -n "${COVERDIFF_CHROMIUM:-}" ] && [ -x "$COVERDIFF_CHROMIUM" ]; then exit 0; fi
if [ -x /usr/bin/chromium ]; then exit 0; fi
if command -v apt-get >/dev/null && { [ "$(id -u)" -eq 0 ] || command -v sudo >/dev/null; }; then
  "$(dirname "$0")/system-deps.sh" chromium && exit 0
fi
"$BIN/playwright" install chromium
