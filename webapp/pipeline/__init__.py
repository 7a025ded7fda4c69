"""coverdiff's pure pipeline: sanitize -> segment -> align -> diff -> stats.

No Flask, no request, no file or network I/O here (tests/unit/test_purity.py).
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from . import align, budget, diff, quotes, sanitize, segment
from .budget import NO_DEADLINE, Deadline
from .errors import CoverdiffError
from .sanitize import UNSURE_BELOW
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

if TYPE_CHECKING:
    from .facts import ManyComparison

# Bump when a change to any stage changes results: it is part of every id.
ALGORITHM_VERSION = "9"

__all__ = ["ALGORITHM_VERSION", "MANY_STAGES", "STAGES", "UNSURE_BELOW", "CoverdiffError", "ManyComparison", "Options",
           "Source", "compare", "compare_many", "document"]


def __getattr__(name: str):
    """ManyComparison, from facts.py, imported when first asked for: comparing two documents
    needs none of facts.py (with serialize_many, 70 million instructions of every
    `coverdiff compare` of two files, 6% of the seed pair's whole process)."""
    if name == "ManyComparison":
        from .facts import ManyComparison

        return ManyComparison
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def document(source: Source, options: Options | None = None, verdicts: dict | None = None,
             deadline: Deadline = NO_DEADLINE) -> Document:
    """Sanitize and segment one source (`verdicts`: see sanitize.sanitize)."""
    options = options or Options()
    budget.check_tag_count(source.content, source.kind, options.max_paragraphs)
    doc = segment.segment(sanitize.sanitize(source, verdicts), options.max_paragraphs)
    deadline.check("reading the documents")
    return doc


# The stages a caller is told about (`progress`), with the share of the whole work done when
# each starts: from make bench's time per stage at 1 MB (sanitize ~10%, quotes and align ~50%).
STAGES = (("sanitizing", 0.0), ("aligning", 0.1), ("diffing", 0.6))


def compare(left: Source, right: Source, options: Options | None = None, progress=None,
            deadline: Deadline | None = None) -> Comparison:
    """The whole pipeline: two sources in, an aligned, diffed comparison out, within one time
    budget (budget.py). `progress(stage, fraction)`, when given, is called as each of STAGES starts."""
    options = options or Options()
    deadline = deadline or Deadline.after(options.compare_timeout_s)
    report = progress or (lambda stage, fraction: None)
    report(*STAGES[0])
    verdicts: dict = {}  # furniture verdicts, shared: two reports often share most blocks
    ldoc, rdoc = (with_headline(document(s, options, verdicts, deadline)) for s in (left, right))
    report(*STAGES[1])
    shared = quotes.find(ldoc.texts, rdoc.texts, deadline=deadline)
    alignment = align.align(ldoc, rdoc, shared, deadline)
    report(*STAGES[2])
    rows = diff_rows(ldoc, rdoc, alignment, options, deadline)
    rows = with_shared_spans(rows, shared.left, shared.right)
    return Comparison(ldoc, rdoc, rows, stats(ldoc, rdoc, rows, shared.passages, shared.cut), options,
                      alignment.links)


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


# The stages of a comparison of many, with the share of the work done when each starts: from
# make bench's 5 x 1 MB case (reading ~10 %, the pairwise comparisons ~80 %, grouping the rest).
MANY_STAGES = (("sanitizing", 0.0), ("aligning", 0.1), ("grouping", 0.9))


def compare_many(sources: list[Source] | tuple[Source, ...], options: Options | None = None,
                 progress=None, deadline: Deadline | None = None) -> ManyComparison:
    """The pipeline for 2 to 10 reports of one event: each document, then its facts (facts.py),
    within one time budget, options.compare_timeout_s, as for a pair: past it, OverBudget (503).
    `progress(stage, fraction, pairs)`, when given, is called as each of MANY_STAGES starts and
    after each pair of documents is compared (`pairs`: (done, total) while aligning, else None)."""
    from . import facts

    options = options or Options()
    if not facts.MIN_DOCUMENTS <= len(sources) <= facts.MAX_DOCUMENTS:
        raise CoverdiffError(f"Compare {facts.MIN_DOCUMENTS} to {facts.MAX_DOCUMENTS} documents, not {len(sources)}.")
    deadline = deadline or Deadline.after(options.compare_timeout_s)
    report = progress or (lambda stage, fraction, pairs: None)
    (reading, _at), (aligning, start), (grouping, end) = MANY_STAGES
    report(reading, 0.0, None)
    verdicts: dict = {}  # furniture verdicts, shared: reports of one event often share most blocks
    docs = tuple(_numbered(k, s, options, verdicts, deadline) for k, s in enumerate(sources))
    report(aligning, start, (0, len(docs) * (len(docs) - 1) // 2))
    compared = facts.pairwise(docs, lambda done, total: report(aligning, start + (end - start) * done / total,
                                                               (done, total)), deadline)
    report(grouping, end, None)
    found = facts.group(docs, compared)
    return facts.ManyComparison(docs, found, facts.stats(docs, found, compared), options)


def _numbered(k: int, source: Source, options: Options, verdicts: dict, deadline: Deadline = NO_DEADLINE) -> Document:
    """Document k of many, its headline compared as the pair view compares it (with_headline);
    an error in it says which one it is."""
    try:
        return with_headline(document(source, options, verdicts, deadline))
    except CoverdiffError as exc:
        raise type(exc)(f"Document {k + 1}: {exc.message}") from None


def diff_rows(ldoc: Document, rdoc: Document, alignment: Alignment, options: Options,
              deadline: Deadline = NO_DEADLINE) -> tuple[ComparedRow, ...]:
    """Word diff of every row, within the per-pair and per-comparison budgets."""
    out = []
    for row in alignment.rows:
        left, right = _joined(ldoc, row.left), _joined(rdoc, row.right)
        over_budget = deadline.expired() and left != right
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


def stats(ldoc: Document, rdoc: Document, rows: tuple[ComparedRow, ...], shared_quotes: tuple[str, ...],
          shared_cut: bool = False) -> Stats:
    """Counts per row kind, coverage of each side and the shared passages quotes.find gave
    (`shared_cut`: the search stopped at the time budget, so the result is coarse)."""
    counts = {kind: 0 for kind in ROW_KINDS}
    for r in rows:
        counts[r.row.kind] += 1
    return Stats(
        counts=counts,
        left_covered=_covered(ldoc, {i for r in rows if r.row.right for i in r.row.left}),
        right_covered=_covered(rdoc, {j for r in rows if r.row.left for j in r.row.right}),
        shared_quotes=shared_quotes,
        coarse=shared_cut or any(r.coarse for r in rows),
    )


def _covered(doc: Document, paired: set[int]) -> float:
    total = sum(len(p.text) for p in doc.paragraphs) or 1
    return round(sum(len(doc.paragraphs[i].text) for i in paired) / total, 3)
