"""Whole processes, timed side by side: what a user of `coverdiff compare` waits for.

Each command runs as its own process, started and waited for by this one, `runs` times;
its wall time includes the interpreter's start and every import. Peak RSS is the child's
own (os.wait4's ru_maxrss; the parent that forks it stays small, so its share is below
any figure printed here).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

# difflib's HtmlDiff as a whole process on the paragraphs coverdiff extracted (a JSON file
# [left paragraphs, right paragraphs]), writing its page where coverdiff writes its own.
DIFFLIB_SCRIPT = (
    "import difflib, json, sys\n"
    "left, right = json.load(open(sys.argv[1], encoding='utf-8'))\n"
    "open(sys.argv[2], 'w', encoding='utf-8').write(difflib.HtmlDiff().make_file(left, right))\n"
)


def coverdiff_command() -> list[str]:
    """The installed `coverdiff` script next to this interpreter (what `pip install` puts on PATH)."""
    script = Path(sys.executable).with_name("coverdiff")
    return [str(script)] if script.exists() else [sys.executable, "-m", "webapp"]


def timed(argv: list[str], runs: int, timeout: float = 600.0) -> dict:
    """Wall time of each run of `argv` and the largest peak RSS of them; ok False on failure."""
    times, peak = [], 0.0
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = start + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                proc.kill()
                proc.wait()
                return {"ok": False, "error": f"timeout after {timeout:g} s"}
            time.sleep(0.002)
        times.append(time.perf_counter() - start)
        proc.returncode = os.waitstatus_to_exitcode(status)
        error = proc.stderr.read().decode(errors="replace")
        proc.stderr.close()
        if proc.returncode != 0:
            return {"ok": False, "error": f"exit {proc.returncode}: {error.strip()[-200:]}"}
        peak = max(peak, usage.ru_maxrss / 1024)  # Linux: KiB
    return {"ok": True, "total_s": times, "peak_rss_mb": peak}


# The whole-process runs lift the command line's per-file limit (5 MB, as the web form) so the
# 5 MB pair, a few bytes over it as HTML, is measured too.
MAX_BYTES = 20_000_000  # bytes


def compare_html(left: str, right: str, out: str, runs: int) -> dict:
    """`coverdiff compare LEFT RIGHT --format html -o OUT --max-bytes MAX_BYTES`."""
    return timed([*coverdiff_command(), "compare", left, right, "--format", "html", "-o", out,
                  "--max-bytes", str(MAX_BYTES)], runs)


def difflib_html(paragraphs: str, out: str, runs: int) -> dict:
    """A process running difflib.HtmlDiff().make_file on the same paragraphs."""
    return timed([sys.executable, "-c", DIFFLIB_SCRIPT, paragraphs, out], runs)


def help_text(runs: int) -> dict:
    """`coverdiff --help`: the command line's start-up."""
    return timed([*coverdiff_command(), "--help"], runs)
