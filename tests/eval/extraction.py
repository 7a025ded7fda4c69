"""Extraction evaluation: coverdiff's sanitizer against real news pages.

Reads ../shared/data/ (never copied into the repository; see its README):
- zyte-article-extraction-benchmark: 4-gram-shingle precision, recall and F1
  of coverdiff beside every baseline extractor's output on the same pages;
- trafilatura-eval: snippet precision, recall and F1 (must-have snippets found,
  furniture snippets found) on the 445 pages of evaldata-dev.json, overall and
  per language (its `_lang`), beside the figures issue #13 quotes for other
  extractors on the same pages (quoted, not run here), and on the 25 pages of
  evaldata-subset.json (the earlier target), for trafilatura too when installed
  (pages are read as UTF-8, or like an upload when they are not: _read_page);
- the topical-furniture articles of tests/resources/topical/ (stories ABOUT cookies,
  newsletters, ads, copyright and sharing, written for the tests, with furniture around them):
  the share of their body paragraphs kept and of furniture paragraphs left, as text and HTML;
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
from webapp.pipeline.decode import decode
from webapp.pipeline.errors import CoverdiffError

REPO_ROOT = Path(__file__).resolve().parents[2]
DATA = REPO_ROOT.parent / "shared" / "data"
ZYTE = DATA / "zyte-article-extraction-benchmark"
TRAF = DATA / "trafilatura-eval"
SHINGLE = 4  # tokens per shingle, the benchmark's own figure
TARGETS = {"Zyte F1": 0.98, "trafilatura-eval dev F1": 0.945}  # issue #13
# No language with at least this many dev pages may score below LANGUAGE_F1_MIN.
LANGUAGE_MIN_PAGES = 9  # pages; issue #13
LANGUAGE_F1_MIN = 0.90  # snippet F1; issue #13
MAX_SECONDS_PER_PAGE = 1.0  # issue #3
TOPICAL = REPO_ROOT / "tests" / "resources" / "topical"  # the project's own articles, issue #13
# Snippet F1 on evaldata-dev.json as issue #13 quotes it (measured elsewhere, not run here).
DEV_REFERENCE_F1 = {"trafilatura 2.3.1": 0.927, "readability-lxml": 0.875, "jusText": 0.842,
                    "newspaper4k": 0.829, "coverdiff before #13": 0.904}
# A page with at most this share of undecodable UTF-8 is UTF-8 with a stray byte.
UTF8_BAD_SHARE = 0.0001  # fraction of characters; windows-1252 German pages have 0.001-0.01
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


def _read_page(path: Path) -> str:
    """A page in UTF-8, where a few bad bytes (UTF8_BAD_SHARE) are replaced; else as the
    app reads an uploaded file (BOM, declared charset, detection): some dev pages are
    windows-1252, and read as UTF-8 their umlauts would be lost."""
    data = path.read_bytes()
    text = data.decode("utf-8", errors="replace")
    if text.count("\ufffd") <= UTF8_BAD_SHARE * len(text):
        return text
    try:
        return decode(data)
    except CoverdiffError:
        return text


def zyte(verbose: bool) -> tuple[float, list[float]]:
    truth = {k: v["articleBody"] for k, v in json.loads(_read(ZYTE / "ground-truth.json")).items()}
    pages = {k: _read_page(ZYTE / "html" / f"{k}.html") for k in truth if (ZYTE / "html" / f"{k}.html").exists()}
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


def trafilatura_eval(verbose: bool) -> tuple[dict[str, float], list[float]]:
    """evaldata-dev.json overall and per language, then its 25-page subset."""
    evaldata = json.loads(_read(TRAF / "evaldata-dev.json"))
    evaldata = {u: e for u, e in evaldata.items() if (TRAF / "html" / e["file"]).exists()}
    pages = {u: _read_page(TRAF / "html" / e["file"]) for u, e in evaldata.items()}
    ours, times = timed(coverdiff_text, pages)
    print(f"trafilatura-eval dev, {len(pages)} pages (snippets that must / must not appear)")
    print(f"  {'extractor':<24} {'precision':>9} {'recall':>7} {'F1':>7}")
    p, r, f = snippet_prf(ours, evaldata)
    print(f"  {'coverdiff':<24} {p:9.3f} {r:7.3f} {f:7.3f} <")
    for name, figure in DEV_REFERENCE_F1.items():
        print(f"  {name:<24} {'':>9} {'':>7} {figure:7.3f}  (quoted in issue #13, not run here)")
    scores = {"trafilatura-eval dev F1": f, **language_report(ours, evaldata)}
    subset = json.loads(_read(TRAF / "evaldata-subset.json"))
    subset = {u: e for u, e in subset.items() if u in ours}
    print(f"trafilatura-eval subset, {len(subset)} of those pages")
    extractors = [("coverdiff", ours)]
    other = trafilatura_extract()
    if other is not None:
        extractors.append(("trafilatura", {u: other(pages[u]) for u in subset}))
    for name, outputs in extractors:
        p, r, f = snippet_prf(outputs, subset)
        print(f"  {name:<24} {p:9.3f} {r:7.3f} {f:7.3f}")
    if verbose:
        for url, entry in evaldata.items():
            tp, fp, fn = snippet_counts(ours[url], entry)
            if fp or fn:
                print(f"    {entry['_lang']} {entry['file']}: tp={tp} fp={fp} fn={fn}")
    return scores, times


def language_report(outputs: dict[str, str], evaldata: dict) -> dict[str, float]:
    """Print snippet P/R/F1 per language; return F1 of the languages with enough pages."""
    langs: dict[str, dict] = {}
    for url, entry in evaldata.items():
        langs.setdefault(entry.get("_lang", "?"), {})[url] = entry
    print(f"  per language:  {'lang':<6} {'pages':>5} {'precision':>9} {'recall':>7} {'F1':>7}")
    scores = {}
    for lang, entries in sorted(langs.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        p, r, f = snippet_prf(outputs, entries)
        print(f"  {'':<14} {lang:<6} {len(entries):5d} {p:9.3f} {r:7.3f} {f:7.3f}")
        if len(entries) >= LANGUAGE_MIN_PAGES:
            scores[f"dev {lang} F1"] = f
    return scores


def topical() -> bool:
    """Body paragraphs kept and furniture paragraphs left in the topical-furniture articles;
    True when every body paragraph stays (issue #13: 100%)."""
    slugs = sorted(p.name.removesuffix(".body.txt") for p in TOPICAL.glob("*.body.txt"))
    print(f"topical-furniture articles, {len(slugs)} stories about cookies, newsletters, ads, copyright, sharing")
    print(f"  {'input':<8} {'body paragraphs kept':>22} {'furniture paragraphs left':>27}")
    ok = True
    for kind in ("txt", "html"):
        kept = total = left = 0
        for slug in slugs:
            body = [p.strip() for p in _read(TOPICAL / f"{slug}.body.txt").split("\n\n") if p.strip()]
            page = _read(TOPICAL / f"{slug}.{kind}")
            texts = document(Source(page, "text" if kind == "txt" else "html")).texts
            kept += sum(1 for p in body if p in texts)
            total += len(body)
            left += sum(1 for t in texts if t not in body)
        print(f"  {kind:<8} {f'{kept:,} of {total:,} ({kept / total:.0%})':>22} {left:>27,}")
        ok = ok and kept == total
    return ok


def main(verbose: bool = False) -> bool:
    """Print every extraction score; True when the targets are met."""
    print("== Extraction ==")
    if not ZYTE.is_dir() and not TRAF.is_dir():
        print(f"skipped: evaluation data {DATA} not found")
        return False
    times: list[float] = []
    scores: dict[str, float] = {}
    if ZYTE.is_dir():
        scores["Zyte F1"], page_times = zyte(verbose)
        times += page_times
    else:
        print(f"skipped: {ZYTE} not found")
    if TRAF.is_dir():
        traf_scores, page_times = trafilatura_eval(verbose)
        scores.update(traf_scores)
        times += page_times
    else:
        print(f"skipped: {TRAF} not found")
    if not times:
        return False
    print(f"time per page (coverdiff sanitize+segment): median {statistics.median(times) * 1000:.0f} ms, "
          f"max {max(times) * 1000:.0f} ms over {len(times)} pages")
    topical_ok = topical()
    languages = [k for k in scores if k.startswith("dev ")]
    met = topical_ok and (all(scores.get(k, 0.0) >= v for k, v in TARGETS.items())
           and all(scores[k] >= LANGUAGE_F1_MIN for k in languages) and max(times) <= MAX_SECONDS_PER_PAGE)
    wanted = ", ".join(f"{k} >= {v}" for k, v in TARGETS.items())
    print(f"== extraction targets ({wanted}, every language of >= {LANGUAGE_MIN_PAGES} pages >= "
          f"{LANGUAGE_F1_MIN}, every page under {MAX_SECONDS_PER_PAGE:g} s, every topical body paragraph kept): {'met' if met else 'NOT met'}")
    return met


if __name__ == "__main__":
    main(verbose="-v" in sys.argv[1:])
