"""Extraction evaluation: coverdiff's sanitizer against real news pages.

Reads ../shared/data/ (never copied into the repository; see its README):
- zyte-article-extraction-benchmark: 4-gram-shingle precision, recall and F1
  of coverdiff beside every baseline extractor's output on the same pages;
- trafilatura-eval: snippet precision, recall and F1 (must-have snippets found,
  furniture snippets found), for coverdiff and for trafilatura when installed;
plus the median and maximum sanitizing time per page.

`python -m tests.eval.extraction -v` also prints per-page scores.
"""

from __future__ import annotations

import json
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from webapp.pipeline import Source, document
from webapp.pipeline.errors import CoverdiffError

REPO_ROOT = Path(__file__).resolve().parents[2]
DATA = REPO_ROOT.parent / "shared" / "data"
ZYTE = DATA / "zyte-article-extraction-benchmark"
TRAF = DATA / "trafilatura-eval"
SHINGLE = 4  # tokens per shingle, the benchmark's own figure
TARGETS = {"Zyte F1": 0.97, "trafilatura-eval F1": 0.93}  # issue #3
MAX_SECONDS_PER_PAGE = 1.0  # issue #3
_TOKEN = re.compile(r"\w+")
_SPACE = re.compile(r"\s+")


def coverdiff_text(html: str) -> str:
    """Coverdiff's extracted text: paragraphs joined by blank lines."""
    try:
        return "\n\n".join(p.text for p in document(Source(html, kind="html")).paragraphs)
    except CoverdiffError:
        return ""


def shingles(text: str) -> Counter:
    tokens = _TOKEN.findall(text)
    if len(tokens) < SHINGLE:
        return Counter([tuple(tokens)]) if tokens else Counter()
    return Counter(tuple(tokens[i:i + SHINGLE]) for i in range(len(tokens) - SHINGLE + 1))


def page_counts(truth: str, pred: str) -> tuple[float, float, float]:
    """tp, fp, fn of one page as shares of tp + fp + fn (the benchmark's way)."""
    t, p = shingles(truth), shingles(pred)
    tp, fp, fn = sum((t & p).values()), sum((p - t).values()), sum((t - p).values())
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def page_scores(truth: str, pred: str) -> tuple[float | None, float | None]:
    """Precision and recall of one page (None where undefined)."""
    tp, fp, fn = page_counts(truth, pred)
    if tp + fp + fn == 0:
        return 1.0, 1.0
    precision = tp / (tp + fp) if tp + fp > 0 else None
    recall = tp / (tp + fn) if tp + fn > 0 else None
    return precision, recall


def prf(truths: dict[str, str], preds: dict[str, str]) -> tuple[float, float, float]:
    """Mean precision, mean recall and their harmonic mean over pages."""
    precisions, recalls = [], []
    for key, truth in truths.items():
        precision, recall = page_scores(truth, preds.get(key, ""))
        if precision is not None:
            precisions.append(precision)
        if recall is not None:
            recalls.append(recall)
    p = statistics.fmean(precisions) if precisions else 0.0
    r = statistics.fmean(recalls) if recalls else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def timed(extractor: Callable[[str], str], pages: dict[str, str]) -> tuple[dict[str, str], list[float]]:
    outputs, times = {}, []
    for key, html in pages.items():
        start = time.perf_counter()
        outputs[key] = extractor(html)
        times.append(time.perf_counter() - start)
    return outputs, times


def _read(path: Path) -> str:
    return path.read_bytes().decode("utf-8", errors="replace")


def zyte(verbose: bool) -> tuple[float, list[float]]:
    truth = {k: v["articleBody"] for k, v in json.loads(_read(ZYTE / "ground-truth.json")).items()}
    pages = {k: _read(ZYTE / "html" / f"{k}.html") for k in truth if (ZYTE / "html" / f"{k}.html").exists()}
    truth = {k: v for k, v in truth.items() if k in pages}
    ours, times = timed(coverdiff_text, pages)
    print(f"Zyte article-extraction benchmark, {len(pages)} pages (4-gram shingles)")
    print(f"  {'extractor':<18} {'precision':>9} {'recall':>7} {'F1':>7}")
    rows = [("coverdiff", prf(truth, ours))]
    for path in sorted((ZYTE / "baseline-outputs").glob("*.json")):
        output = json.loads(_read(path)).get("output", {})
        rows.append((path.stem, prf(truth, {k: (v or {}).get("articleBody") or "" for k, v in output.items()})))
    for name, (p, r, f) in sorted(rows, key=lambda row: -row[1][2]):
        mark = " <" if name == "coverdiff" else ""
        print(f"  {name:<18} {p:9.3f} {r:7.3f} {f:7.3f}{mark}")
    if verbose:
        for key in sorted(truth, key=lambda k: sum(page_scores(truth[k], ours[k]) or (0,))):
            p, r = page_scores(truth[key], ours[key])
            print(f"    {key[:16]} P={p if p is None else round(p, 3)} R={r if r is None else round(r, 3)}")
    return rows[0][1][2], times


def snippet_counts(text: str, entry: dict) -> tuple[int, int, int]:
    out = _SPACE.sub(" ", text).strip()
    found = [_SPACE.sub(" ", s).strip() in out for s in entry.get("with", [])]
    bad = sum(_SPACE.sub(" ", s).strip() in out for s in entry.get("without", []))
    return sum(found), bad, len(found) - sum(found)


def snippet_prf(outputs: dict[str, str], evaldata: dict) -> tuple[float, float, float]:
    tp = fp = fn = 0
    for url, entry in evaldata.items():
        a, b, c = snippet_counts(outputs.get(url, ""), entry)
        tp, fp, fn = tp + a, fp + b, fn + c
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def trafilatura_extract() -> Callable[[str], str] | None:
    try:
        import trafilatura
    except ImportError:
        return None
    return lambda html: trafilatura.extract(html) or ""


def trafilatura_eval(verbose: bool) -> tuple[float, list[float]]:
    evaldata = json.loads(_read(TRAF / "evaldata-subset.json"))
    evaldata = {u: e for u, e in evaldata.items() if (TRAF / "html" / e["file"]).exists()}
    pages = {u: _read(TRAF / "html" / e["file"]) for u, e in evaldata.items()}
    ours, times = timed(coverdiff_text, pages)
    print(f"trafilatura-eval, {len(pages)} pages (snippets that must / must not appear)")
    print(f"  {'extractor':<18} {'precision':>9} {'recall':>7} {'F1':>7}")
    extractors = [("coverdiff", ours)]
    other = trafilatura_extract()
    if other is not None:
        extractors.append(("trafilatura", {u: other(h) for u, h in pages.items()}))
    for name, outputs in extractors:
        p, r, f = snippet_prf(outputs, evaldata)
        print(f"  {name:<18} {p:9.3f} {r:7.3f} {f:7.3f}")
    if verbose:
        for url, entry in evaldata.items():
            tp, fp, fn = snippet_counts(ours[url], entry)
            if fp or fn:
                print(f"    {entry['file']}: tp={tp} fp={fp} fn={fn}")
    return snippet_prf(ours, evaldata)[2], times


def main(verbose: bool = False) -> None:
    print("== Extraction ==")
    if not ZYTE.is_dir() and not TRAF.is_dir():
        print(f"skipped: evaluation data {DATA} not found")
        return
    times: list[float] = []
    scores: dict[str, float] = {}
    for name, folder, run in (("Zyte F1", ZYTE, zyte), ("trafilatura-eval F1", TRAF, trafilatura_eval)):
        if folder.is_dir():
            scores[name], page_times = run(verbose)
            times += page_times
        else:
            print(f"skipped: {folder} not found")
    if times:
        print(f"time per page (coverdiff sanitize+segment): median {statistics.median(times) * 1000:.0f} ms, "
              f"max {max(times) * 1000:.0f} ms over {len(times)} pages")
        met = all(scores[k] >= v for k, v in TARGETS.items() if k in scores) and max(times) <= MAX_SECONDS_PER_PAGE
        wanted = ", ".join(f"{k} >= {v}" for k, v in TARGETS.items())
        print(f"== extraction targets ({wanted}, every page under {MAX_SECONDS_PER_PAGE:g} s): "
              f"{'met' if met else 'NOT met'}")


if __name__ == "__main__":
    main(verbose="-v" in sys.argv[1:])
