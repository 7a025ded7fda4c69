"""coverdiff's pure pipeline: sanitize -> segment -> align -> diff -> stats.

No Flask, no request, no file or network I/O here (tests/unit/test_purity.py).
"""

from __future__ import annotations

import gc
import time
from contextlib import contextmanager
from dataclasses import replace

from . import align, diff, quotes, sanitize, segment
from .errors import CoverdiffError
from .types import (
    ROW_KINDS,
    Alignment,
    ComparedRow,
    Comparison,
    Document,
    Options,
    Paragraph,
    Source,
    Span,
    Stats,
)

# Bump when a change to any stage changes results: it is part of every id.
ALGORITHM_VERSION = "6"

__all__ = ["ALGORITHM_VERSION", "CoverdiffError", "Options", "Source", "collector_paused", "compare", "document"]


def document(source: Source, options: Options | None = None, verdicts: dict | None = None) -> Document:
    """Sanitize and segment one source (`verdicts`: see sanitize.sanitize)."""
    options = options or Options()
    return segment.segment(sanitize.sanitize(source, verdicts), options.max_paragraphs)


def compare(left: Source, right: Source, options: Options | None = None) -> Comparison:
    """The whole pipeline: two sources in, an aligned, diffed comparison out."""
    options = options or Options()
    verdicts: dict = {}  # furniture verdicts, shared: two reports often share most blocks
    ldoc, rdoc = (with_headline(document(s, options, verdicts)) for s in (left, right))
    with collector_paused():  # not while parsing: a parsed HTML page is cyclic garbage to free
        shared = quotes.find(ldoc.texts, rdoc.texts)
        alignment = align.align(ldoc, rdoc, shared)
        rows = diff_rows(ldoc, rdoc, alignment, options)
        rows = with_shared_spans(rows, shared.left, shared.right)
        return Comparison(ldoc, rdoc, rows, stats(ldoc, rdoc, rows, shared.passages), options, alignment.links)


def with_headline(doc: Document) -> Document:
    """The document with the headline sanitize took from its text back in place, as a
    paragraph: a report's headline states its main fact, so it is compared like the rest
    (ecbplus-align: 62 of its 131 same-fact pairs had a sentence that was no paragraph,
    mostly the headline; with headlines compared, 4)."""
    title = next((r for r in doc.removed if r.reason == "title"), None)
    if title is None:
        return doc
    at = min(title.position or 0, len(doc.paragraphs))
    texts = [*doc.texts[:at], title.text, *doc.texts[at:]]
    return replace(doc, paragraphs=tuple(Paragraph(i, t) for i, t in enumerate(texts)),
                   removed=tuple(r for r in doc.removed if r is not title))


@contextmanager
def collector_paused():
    """The cyclic garbage collector off while a stage builds many small, acyclic,
    long-lived containers (the stages after segmenting; the JSON document; the
    export): on 5 MB inputs its full passes took a quarter of the time and grew
    faster than the input."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def diff_rows(ldoc: Document, rdoc: Document, alignment: Alignment, options: Options) -> tuple[ComparedRow, ...]:
    """Word diff of every row, within the per-pair and per-comparison budgets."""
    deadline = time.monotonic() + options.compare_timeout_s
    out = []
    for row in alignment.rows:
        left, right = _joined(ldoc, row.left), _joined(rdoc, row.right)
        over_budget = time.monotonic() > deadline and left != right
        budget = 0.001 if over_budget else options.diff_timeout_s
        ops, coarse = diff.diff_texts(left, right, ignore_typography=options.ignore_typography, timeout_s=budget)
        out.append(ComparedRow(row, ops, coarse or over_budget))
    return tuple(out)


def _joined(doc: Document, indexes: tuple[int, ...]) -> str:
    """The text of a row's paragraphs on one side, as diffed and rendered."""
    if len(indexes) == 1:
        return doc.paragraphs[indexes[0]].text
    return "\n\n".join(doc.paragraphs[i].text for i in indexes)


def with_shared_spans(rows: tuple[ComparedRow, ...], left: dict, right: dict) -> tuple[ComparedRow, ...]:
    """Each row with the character spans of its paragraphs' shared passages."""
    out = []
    for r in rows:
        spans = [Span("left", i, a, b) for i in r.row.left for a, b in left.get(i, ())]
        spans += [Span("right", j, a, b) for j in r.row.right for a, b in right.get(j, ())]
        out.append(ComparedRow(r.row, r.diff, r.coarse, tuple(spans)) if spans else r)
    return tuple(out)


def stats(ldoc: Document, rdoc: Document, rows: tuple[ComparedRow, ...], shared_quotes: tuple[str, ...]) -> Stats:
    """Counts per row kind, coverage of each side and the shared passages quotes.find gave."""
    counts = {kind: 0 for kind in ROW_KINDS}
    for r in rows:
        counts[r.row.kind] += 1
    return Stats(
        counts=counts,
        left_covered=_covered(ldoc, {i for r in rows if r.row.right for i in r.row.left}),
        right_covered=_covered(rdoc, {j for r in rows if r.row.left for j in r.row.right}),
        shared_quotes=shared_quotes,
        coarse=any(r.coarse for r in rows),
    )


def _covered(doc: Document, paired: set[int]) -> float:
    total = sum(len(p.text) for p in doc.paragraphs) or 1
    return round(sum(len(doc.paragraphs[i].text) for i in paired) / total, 3)
