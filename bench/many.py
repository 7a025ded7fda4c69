"""Comparisons of many documents (issue #17): time and peak RSS, printed, never asserted.

    python -m bench.many            # 10 x 20 KB, 5 x 1 MB, and cost against total size for N = 3, 5, 10
    python -m bench.many --quick    # without the 5 x 1 MB case

Each case is one base document of bench/generate.py's synthetic news text and N perturbed
copies of it (generate.perturb: edited, deleted, inserted, moved paragraphs), as plain text.
Wall time is what the targets are judged on; the process's CPU time is printed beside it, since
on a shared machine the two differ. Timed in a fresh spawned interpreter (its peak RSS is its
own), in process, end to end: every document sanitized and segmented, the facts of every
pair, the stats and shared quotes (service.compute_many), then the JSON document written
out (serialize_many + json.dumps).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import platform
import random
import time

from . import generate
from .cases import peak_rss_mb

# Targets of issue #17: (documents, bytes per document) -> seconds end to end.
TARGETS = {(10, 20_000): 1.0, (5, 1_000_000): 10.0}
SCALING_SIZES = (20_000, 100_000)  # bytes per document, for the cost-against-total-size table
SCALING_COUNTS = (3, 5, 10)  # documents


def documents(n: int, size: int, seed: int = generate.DEFAULT_SEED) -> list[str]:
    rng = random.Random(f"coverdiff-bench-many:{seed}:{n}:{size}")
    base = generate.document(rng, size)
    return [generate.as_text(base)] + [generate.as_text(generate.perturb(rng, base)[0]) for _ in range(n - 1)]


def run(n: int, size: int) -> dict:
    """One case, in this process (a fresh one: see measure)."""
    from webapp import service
    from webapp.pipeline import Source

    texts = documents(n, size)
    started, cpu = time.perf_counter(), time.process_time()
    stored = service.compute_many([Source(t, "text") for t in texts])
    blob = json.dumps(service.document_many(stored), ensure_ascii=False)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    return {"n": n, "size": size, "total": sum(len(t.encode()) for t in texts), "seconds": seconds, "cpu": cpu,
            "facts": len(stored.comparison.facts), "json_bytes": len(blob), "rss_mb": peak_rss_mb()}


def _child(n: int, size: int, queue) -> None:
    queue.put(run(n, size))


def measure(n: int, size: int) -> dict:
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    proc = ctx.Process(target=_child, args=(n, size, queue))
    proc.start()
    result = queue.get()
    proc.join()
    return result


def _row(r: dict) -> str:
    target = TARGETS.get((r["n"], r["size"]))
    verdict = "" if target is None else f"  target <= {target:g} s: {'PASS' if r['seconds'] <= target else 'FAIL'}"
    per_mb = r["cpu"] / (r["total"] / 1e6)
    return (f"  {r['n']:>3} x {r['size'] / 1000:>6.0f} KB  total {r['total'] / 1e6:>6.2f} MB  {r['seconds']:>7.2f} s"
            f" (CPU {r['cpu']:>6.2f} s)"
            f"  {per_mb:>5.2f} CPU s/MB  {r['facts']:>6} facts  peak RSS {r['rss_mb']:>6.0f} MB{verdict}")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m bench.many", description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="without the 5 x 1 MB case")
    args = ap.parse_args(argv)
    machine = platform.processor() or platform.machine()
    print(f"== many documents (issue #17), {machine}, python {platform.python_version()}")
    print("  targets:")
    for n, size in TARGETS:
        if args.quick and size >= 1_000_000:
            continue
        print(_row(measure(n, size)))
    print("  cost against total size (CPU s/MB should stay flat as the total grows, for each N):")
    for n in SCALING_COUNTS:
        for size in SCALING_SIZES:
            print(_row(measure(n, size)))


if __name__ == "__main__":
    main()
