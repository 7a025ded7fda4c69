"""Frozen dataclasses passed between the pipeline stages.

Data flows one way: Source -> Extract (sanitize) -> Document (segment)
-> Alignment (align) -> Comparison (diff + stats).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

SourceKind = Literal["auto", "text", "html"]
RowKind = Literal["same", "edited", "related", "left_only", "right_only"]
RowShape = Literal["one", "split", "merge", "group"]
OpName = Literal["equal", "insert", "delete"]

ROW_KINDS: tuple[RowKind, ...] = ("same", "edited", "related", "left_only", "right_only")


@dataclass(frozen=True)
class Options:
    """Everything that changes a comparison's result (and so its id)."""

    ignore_typography: bool = True  # curly/straight quotes, dashes, NBSP are not changes
    diff_timeout_s: float = 0.5  # per-pair diff budget in seconds (0 = unlimited)
    compare_timeout_s: float = 20.0  # whole-comparison diff budget in seconds
    max_paragraphs: int = 20_000  # per document; more is an InputError


@dataclass(frozen=True)
class Source:
    """One raw input: pasted text, pasted HTML or a decoded file."""

    content: str
    kind: SourceKind = "auto"
    title: str | None = None
    label: str | None = None  # the outlet, e.g. "Reuters"
    keep: tuple[str, ...] = ()  # removed blocks the user put back (exact texts)


@dataclass(frozen=True)
class Removed:
    """A block the sanitizer dropped, and why."""

    text: str
    reason: str
    # Kept blocks before it, when known (to put it back in place); not part of equality.
    position: int | None = field(default=None, compare=False)
    # How sure the sanitizer is that this is furniture, 0..1 (sanitize.py says how it is set).
    confidence: float = field(default=1.0, compare=False)


@dataclass(frozen=True)
class Extract:
    """What sanitize keeps: text blocks in reading order plus metadata."""

    blocks: tuple[str, ...]
    removed: tuple[Removed, ...] = ()
    title: str | None = None
    byline: str | None = None
    dateline: str | None = None
    outlet: str | None = None
    kind: Literal["text", "html"] = "text"


@dataclass(frozen=True)
class Paragraph:
    index: int
    text: str  # original characters, whitespace collapsed


@dataclass(frozen=True)
class Document:
    paragraphs: tuple[Paragraph, ...]
    removed: tuple[Removed, ...] = ()
    title: str | None = None
    byline: str | None = None
    dateline: str | None = None
    outlet: str | None = None
    kind: Literal["text", "html"] = "text"

    @property
    def texts(self) -> list[str]:
        return [p.text for p in self.paragraphs]


@dataclass(frozen=True)
class Row:
    """One aligned row: paragraph indexes of each side and why they match."""

    kind: RowKind
    left: tuple[int, ...]
    right: tuple[int, ...]
    similarity: float = 0.0
    moved: bool = False
    reasons: tuple[str, ...] = ()  # shared names, numbers and quoted words

    @property
    def shape(self) -> RowShape:
        """"one" paragraph a side (or one side only), a "split" of one left paragraph into
        several, a "merge" of several into one right paragraph, or a "group" of several each."""
        if len(self.left) <= 1 and len(self.right) <= 1:
            return "one"
        if len(self.left) == 1:
            return "split"
        return "merge" if len(self.right) == 1 else "group"


@dataclass(frozen=True)
class Link:
    """Paragraphs of two different rows that report the same thing (a fact one side
    spreads over several paragraphs)."""

    left: int  # paragraph index on the left
    right: int  # paragraph index on the right
    similarity: float  # weighted cosine of the two paragraphs, 0..1
    reasons: tuple[str, ...] = ()  # shared passages, names, numbers, terms


@dataclass(frozen=True)
class Alignment:
    rows: tuple[Row, ...]
    links: tuple[Link, ...] = ()


@dataclass(frozen=True)
class DiffOp:
    """One diff op. For an `equal` op whose right-hand original differs only
    typographically, `right_text` holds the right side's characters."""

    op: OpName
    text: str
    right_text: str | None = None


@dataclass(frozen=True)
class Span:
    """Characters [start, end) of one paragraph's original text."""

    side: Literal["left", "right"]
    paragraph: int  # paragraph index on that side
    start: int
    end: int


@dataclass(frozen=True)
class ComparedRow:
    row: Row
    diff: tuple[DiffOp, ...]
    coarse: bool = False  # True when a time budget cut the diff short
    # Where this row's paragraphs hold a passage of 5+ words that the other
    # document also contains (anywhere, not only in this row), in text order.
    shared: tuple[Span, ...] = ()


@dataclass(frozen=True)
class Stats:
    counts: dict[str, int]
    left_covered: float  # share of the left text the right side also covers, 0..1
    right_covered: float
    shared_quotes: tuple[str, ...] = ()
    coarse: bool = False


@dataclass(frozen=True)
class Comparison:
    left: Document
    right: Document
    rows: tuple[ComparedRow, ...]
    stats: Stats
    options: Options = field(default_factory=Options)
    links: tuple[Link, ...] = ()  # related paragraphs in different rows
