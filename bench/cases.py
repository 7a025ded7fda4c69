"""What runs inside one measured subprocess: coverdiff, difflib or an all-pairs aligner.

Each case runs in a fresh spawned interpreter, so its peak RSS
(resource.getrusage(RUSAGE_SELF).ru_maxrss) is that case's own. Inputs come
from files written by the parent; results go back as a plain dict.
"""

from __future__ import annotations

import cProfile
import difflib
import importlib
import io
import json
import pstats
import resource
import statistics
import tempfile
import time
from pathlib import Path

# Pipeline stages timed exclusively (a stage's time excludes stages called inside it).
# (module, attribute, stage); attributes missing after a refactor are skipped.
STAGES = (
    ("webapp.pipeline.sanitize", "sanitize", "sanitize"),
    ("webapp.pipeline.segment", "segment", "segment"),
    ("webapp.pipeline.align", "align", "align"),
    ("webapp.pipeline", "diff_rows", "diff"),
    ("webapp.pipeline.quotes", "find", "quotes"),
    ("webapp.pipeline", "stats", "stats"),
)
STAGE_ORDER = ("sanitize", "segment", "align", "diff", "quotes", "stats", "serialize", "render")
# Timed inclusively, wherever they are called from (a hotspot watch list).
PROBES = (
    ("webapp.pipeline.quotes", "matches", "quotes.matches"),
    ("webapp.pipeline.htmlextract", "drop_furniture", "htmlextract.drop_furniture"),
)
WARM_UP = ("The minister said on Monday that talks would resume.\n\nPrices rose 4 percent in May.",
           "The minister said on Tuesday that talks would resume soon.\n\nPrices rose 5 percent in May.")


def peak_rss_mb() -> float:
    """This process's peak RSS in MB. VmHWM, not ru_maxrss: Linux carries ru_maxrss over
    fork and exec, so a spawned child would report at least its parent's RSS."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024  # kB
    except (OSError, ValueError, IndexError):
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


class StageClock:
    """Exclusive time per stage, via wrappers patched onto the modules."""

    def __init__(self) -> None:
        self.totals: dict[str, float] = {}
        self.probes: dict[str, float] = {}
        self._stack: list[list[float]] = []  # [start, time spent in nested stages]

    def install(self) -> None:
        for module, attr, name in STAGES:
            self._patch(module, attr, self._stage(name))
        for module, attr, name in PROBES:
            self._patch(module, attr, self._probe(name))

    @staticmethod
    def _patch(module: str, attr: str, wrap) -> None:
        try:
            mod = importlib.import_module(module)
        except ImportError:
            return
        fn = getattr(mod, attr, None)
        if callable(fn):
            setattr(mod, attr, wrap(fn))

    def _stage(self, name: str):
        def wrap(fn):
            def timed(*args, **kwargs):
                self._stack.append([time.perf_counter(), 0.0])
                try:
                    return fn(*args, **kwargs)
                finally:
                    start, nested = self._stack.pop()
                    spent = time.perf_counter() - start
                    self.totals[name] = self.totals.get(name, 0.0) + spent - nested
                    if self._stack:
                        self._stack[-1][1] += spent
            return timed
        return wrap

    def _probe(self, name: str):
        def wrap(fn):
            def timed(*args, **kwargs):
                start = time.perf_counter()
                try:
                    return fn(*args, **kwargs)
                finally:
                    self.probes[name] = self.probes.get(name, 0.0) + time.perf_counter() - start
            return timed
        return wrap

    def timed(self, name: str, fn, *args):
        return self._stage(name)(fn)(*args)

    def reset(self) -> None:
        self.totals, self.probes = {}, {}


def _median_dicts(dicts: list[dict[str, float]]) -> dict[str, float]:
    keys = sorted({k for d in dicts for k in d})
    return {k: statistics.median(d.get(k, 0.0) for d in dicts) for k in keys}


def coverdiff_case(spec: dict) -> dict:
    """Pipeline + full render `runs` times; optionally Flask GET /c/<id> and a cProfile."""
    from webapp.export import standalone_html
    from webapp.pipeline import Source, compare
    from webapp.serialize import from_dict, to_dict
    from webapp.service import Stored

    clock = StageClock()
    clock.install()
    left = Path(spec["left"]).read_text(encoding="utf-8")
    right = Path(spec["right"]).read_text(encoding="utf-8")
    kind = spec["kind"]
    baseline = peak_rss_mb()
    # Warm-up on a tiny pair: lazy imports, regex and template compilation are not what we measure.
    warm = (Source(WARM_UP[0], "text"), Source(WARM_UP[1], "text"))
    standalone_html(Stored("warm-up", compare(*warm)))
    pipeline_s, render_s, stages, probes = [], [], [], []
    comparison = None
    for _ in range(spec["runs"]):
        clock.reset()
        t0 = time.perf_counter()
        comparison = compare(Source(left, kind), Source(right, kind))
        t1 = time.perf_counter()
        page = clock.timed("render", standalone_html, Stored("bench", comparison))  # what the CLI does
        t2 = time.perf_counter()
        # What the web app adds: the JSON document stored, and read back as a Comparison (not in total_s).
        clock.timed("serialize", from_dict, clock.timed("serialize", to_dict, "bench", comparison))
        pipeline_s.append(t1 - t0)
        render_s.append(t2 - t1)
        stages.append(dict(clock.totals))
        probes.append(dict(clock.probes))
    peak = peak_rss_mb()
    result = {
        "pipeline_s": pipeline_s, "render_s": render_s,
        "total_s": [a + b for a, b in zip(pipeline_s, render_s, strict=True)],
        "stages": _median_dicts(stages), "probes": _median_dicts(probes),
        "peak_rss_mb": peak, "baseline_rss_mb": baseline,
        "paragraphs": [len(comparison.left.paragraphs), len(comparison.right.paragraphs)],
        "rows": dict(comparison.stats.counts), "coarse": comparison.stats.coarse,
        "page_bytes": len(page.encode("utf-8")),
    }
    if spec.get("paragraphs_out"):  # difflib gets exactly the paragraphs coverdiff extracted
        Path(spec["paragraphs_out"]).write_text(
            json.dumps([comparison.left.texts, comparison.right.texts]), encoding="utf-8")
    if spec.get("flask_runs"):
        result["flask_get_s"] = _flask_get(Source(left, kind), Source(right, kind), spec["flask_runs"])
    if spec.get("profile_out"):
        result["profile"] = _profile(left, right, kind, spec["profile_out"])
    return result


def _flask_get(left, right, runs: int) -> list[float]:
    """GET /c/<id> of a stored comparison through the Flask test client."""
    from webapp import create_app, service

    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"DATABASE": str(Path(tmp) / "bench.sqlite3"), "TESTING": True})
        with app.app_context():
            cid = service.create(app.extensions["coverdiff.store"], left, right).id
        client = app.test_client()
        client.get(f"/c/{cid}")  # warm the template cache
        times = []
        for _ in range(runs):
            t0 = time.perf_counter()
            response = client.get(f"/c/{cid}")
            times.append(time.perf_counter() - t0)
            if response.status_code != 200:
                raise RuntimeError(f"GET /c/{cid} answered {response.status_code}")
        return times


def _profile(left: str, right: str, kind: str, out: str, top: int = 25) -> dict:
    """cProfile of one pipeline + render run: the file and the top functions by own time."""
    from webapp.export import standalone_html
    from webapp.pipeline import Source, compare
    from webapp.service import Stored

    profiler = cProfile.Profile()
    profiler.enable()
    standalone_html(Stored("bench", compare(Source(left, kind), Source(right, kind))))
    profiler.disable()
    profiler.dump_stats(out)
    text = io.StringIO()
    stats = pstats.Stats(profiler, stream=text)
    stats.sort_stats("tottime").print_stats(top)
    stats.sort_stats("cumulative").print_stats(top)
    return {"path": out, "text": text.getvalue()}


def difflib_case(spec: dict) -> dict:
    """difflib.HtmlDiff().make_file on the extracted paragraphs, one paragraph per line."""
    left, right = json.loads(Path(spec["paragraphs"]).read_text(encoding="utf-8"))
    difflib.HtmlDiff().make_file(WARM_UP[0].split("\n\n"), WARM_UP[1].split("\n\n"))  # warm-up, as above
    times = []
    for _ in range(spec["runs"]):
        t0 = time.perf_counter()
        page = difflib.HtmlDiff().make_file(left, right)
        times.append(time.perf_counter() - t0)
    return {"total_s": times, "peak_rss_mb": peak_rss_mb(), "page_bytes": len(page.encode("utf-8"))}


def allpairs_case(spec: dict) -> dict:
    """Every left paragraph scored against every right one; the best partner kept."""
    left, right = json.loads(Path(spec["paragraphs"]).read_text(encoding="utf-8"))
    t0 = time.perf_counter()
    if spec["method"] == "jaccard":
        lsets = [frozenset(p.lower().split()) for p in left]
        rsets = [frozenset(p.lower().split()) for p in right]
        best = []
        for a in lsets:
            scores = [len(a & b) / (len(a | b) or 1) for b in rsets]
            best.append(max(range(len(scores)), key=scores.__getitem__) if scores else None)
    else:  # SequenceMatcher ratio over word lists
        lwords = [p.split() for p in left]
        rwords = [p.split() for p in right]
        matcher = difflib.SequenceMatcher(autojunk=False)
        best = []
        for a in lwords:
            matcher.set_seq2(a)
            top, top_j = -1.0, None
            for j, b in enumerate(rwords):
                matcher.set_seq1(b)
                score = matcher.ratio()
                if score > top:
                    top, top_j = score, j
            best.append(top_j)
    return {"total_s": [time.perf_counter() - t0], "peak_rss_mb": peak_rss_mb(), "pairs": len(left) * len(right)}


CASES = {"coverdiff": coverdiff_case, "difflib": difflib_case, "allpairs": allpairs_case}


def run_case(name: str, spec: dict, queue) -> None:
    """Subprocess entry point: the result dict, or the error, on the queue."""
    try:
        queue.put({"ok": True, **CASES[name](spec)})
    except BaseException as exc:  # report any failure to the parent
        queue.put({"ok": False, "error": f"{type(exc).__name__}: {exc}"})
