"""What the templates show: the rows of a stored comparison, filtered, chunked, with HTML cells.

A view is built from the typed `Stored` comparison and a `Links` (every URL the partials need,
built by the function it is given: `url_for` in a request, nothing in an exported file), so the
partials render the same under the app, the embed and the export, and nobody rewrites a view
after it is built.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property

from .pipeline import UNSURE_BELOW
from .pipeline.types import ComparedRow, Document, Removed, Span
from .render import side_html, sides_alike
from .service import Stored, Version
from .sources.record import FetchRecord

# Filter name -> (label, row kinds shown). Order is the order of the 1-5 keyboard shortcuts.
FILTERS: dict[str, tuple[str, frozenset[str]]] = {
    "all": ("All", frozenset({"same", "edited", "related", "left_only", "right_only"})),
    "shared": ("Shared", frozenset({"same", "edited", "related"})),
    "changed": ("Changed", frozenset({"edited", "related"})),
    "left": ("Only left", frozenset({"left_only"})),
    "right": ("Only right", frozenset({"right_only"})),
}
KIND_MARKS = {"same": "=", "edited": "≈", "related": "~", "left_only": "◀", "right_only": "▶"}
KIND_LABELS = {
    "same": "Same", "edited": "Edited", "related": "Related",
    "left_only": "Only left", "right_only": "Only right",
}
SIDES = ("left", "right")
# Rows rendered with the page, and per chunk loaded as the reader scrolls (rows; 50-1000).
# 100 rows fill several screens and render in 30-100 ms even on a busy 2-core server, so
# the first rows of a 2,000-row comparison show at once and scrolling rarely waits.
CHUNK_ROWS = 100
# How a row's cells are marked when collapsed (render.MARK_MODES); expanded rows always
# show the full word diff. Reworded rows differ in nearly every word, so their collapsed
# form marks the passages both sides share instead of every changed word.
COLLAPSED_MARKING = {"same": "plain", "edited": "diff", "related": "shared",
                     "left_only": "plain", "right_only": "plain"}
# From this many filtered rows on, rows off screen skip layout (CSS content-visibility, class
# "long"): each chunk's swap otherwise lays out every row loaded so far. Below it layout is cheap.
LONG_MIN_ROWS = 200  # rows
# Row kinds whose cells carry no shared-passage marks (see row_view).
QUIET_PASSAGE_KINDS = frozenset({"same", "edited"})
# Runs of at least this many consecutive identical paragraphs collapse into one line that
# expands in place: on a near-identical pair they would bury the few edits (rows; 2-10).
SAME_RUN_MIN = 3  # rows
# Two documents "may not be about the same event" when they share no passage and each has
# less than this share of its text covered by the other (0..1; the seed pair, one event told
# by two outlets, covers 0.5-0.6 each way).
UNRELATED_MAX_COVERED = 0.10
# Longest title used as a column's label when the outlets cannot tell the columns apart.
LABEL_MAX_CHARS = 40  # characters; longer titles are cut at a word with an ellipsis
# A reason shown in a row's detail quotes at most this many words of the text, then "…".
REASON_MAX_WORDS = 12  # words
# Reasons are shown in this order: what a reviewer checks first.
REASON_ORDER = {"number": 0, "name": 1, "quote": 2, "passage": 3, "term": 4}
REASON_LABELS = {"passage": "Shared passage", "quote": "Shared quote", "number": "Number", "name": "Name",
                 "term": "Term"}


def requested_filter(args) -> str:
    """The row filter a request asks for (?show=); anything unknown means all rows."""
    show = args.get("show", "all")
    return show if show in FILTERS else "all"


def no_url(endpoint: str, **values) -> None:
    """The URL builder of an exported file: it links nowhere."""
    return None


@dataclass(frozen=True)
class Links:
    """Every URL the partials of one comparison link to.

    `build(endpoint, **values)` makes a URL (Flask's `url_for`, or `no_url`). An endpoint of
    None leaves that interaction out (the embed has no row detail or removed panels).
    """

    cid: str
    build: Callable[..., str | None] = no_url
    page: str | None = "views.comparison"
    row: str | None = "views.row"
    chunk: str | None = "views.rows_chunk"
    removed: str | None = "views.removed"
    restore: str | None = "views.restore"
    same_run: str | None = "views.same_run"
    versions: str | None = "views.compare_versions"

    def url(self, endpoint: str | None, show: str = "all", **params) -> str | None:
        if endpoint is None:
            return None
        values = {"show": show if show != "all" else None, **params}  # show first, as every link spells it
        return self.build(endpoint, cid=self.cid, **{k: v for k, v in values.items() if v is not None})


@dataclass(frozen=True)
class Cell:
    index: int
    html: object  # Markup from render.side_html


@dataclass(frozen=True)
class MovedNote:
    """Where a moved row's right paragraph sits on the right side: after (or before) `neighbour`."""

    paragraph: int  # 0-based right paragraph index of the moved row
    neighbour: int  # 0-based right paragraph it follows (or precedes when `before`)
    row: int  # row index holding `neighbour`
    before: bool
    link: str  # in-page link to `row`
    url: str | None  # `row` expanded, any filter; None where not offered


@dataclass(frozen=True)
class AlsoNote:
    """A paragraph of this row that reports what a paragraph of the other side in another row
    does too (a Link): "also in CNN ¶ 7", linking to that row."""

    side: str  # the side of this row's paragraph
    other: int  # 0-based paragraph index on the other side
    row: int  # the row holding `other`
    link: str  # in-page link to `row`
    url: str | None  # `row` expanded, any filter; None where not offered


@dataclass(frozen=True)
class RowView:
    index: int
    kind: str
    label: str
    shape: str  # Row.shape: one, split, merge, group
    left: tuple[Cell, ...]
    right: tuple[Cell, ...]
    similarity: float
    moved: bool
    reasons: tuple[str, ...]
    moved_note: MovedNote | None
    expanded: bool
    # The toggle's target: this row collapsed when expanded, else expanded; None where not offered.
    toggle_url: str | None
    also: tuple[AlsoNote, ...] = ()  # this row's paragraphs reported in other rows too
    texts: tuple[str, ...] = ()  # the row's paragraph texts, left first: where reasons are quoted from

    @property
    def shape_label(self) -> str:
        """What a split or merge did, in words ("Split into 2"); "" for one paragraph a side."""
        n_left, n_right = len(self.left), len(self.right)
        return {"split": f"Split into {n_right}", "merge": f"Merged from {n_left}",
                "group": f"Grouped: {n_left} and {n_right} paragraphs"}.get(self.shape, "")

    is_run = False  # a row, not a SameRun

    def numbers(self, side: str) -> str:
        """The 1-based paragraph numbers of `side` in this row, e.g. "4, 7"."""
        return ", ".join(str(c.index + 1) for c in (self.left if side == "left" else self.right))

    @property
    def reason_items(self) -> list[tuple[str, str]]:
        """(label, value) of each reason this row matched on, names and numbers first, each
        quoted as the row's text writes it (e.g. ("Name", "Kursk")), REASON_MAX_WORDS at most."""
        items = []
        for reason in sorted(self.reasons, key=lambda r: REASON_ORDER.get(r.partition(": ")[0], len(REASON_ORDER))):
            key, _sep, value = reason.partition(": ")
            if not value:
                items.append(("", reason))
                continue
            item = (REASON_LABELS.get(key, key.capitalize()), _quoted(value, self.texts, number=key == "number"))
            if item not in items:  # "4" and "500" both quote "4,500"
                items.append(item)
        return items


@dataclass(frozen=True)
class SameRun:
    """Consecutive rows whose paragraphs both sides have word for word, shown as one line."""

    first: int  # row index of the first row of the run
    last: int  # row index of the last
    count: int  # rows in the run
    url: str  # the run's rows, expanded in place (a page: the comparison with the run open)
    is_run = True


@dataclass(frozen=True)
class Unsure:
    """A removed block the sanitizer was not sure of, shown dimmed where it stood."""

    side: str
    index: int  # its place in that side's removed list (what "keep" puts back)
    block: Removed


@dataclass(frozen=True)
class ComparisonView:
    """One state of a comparison's page: filter, the rows rendered, what is open."""

    stored: Stored
    links: Links
    show: str = "all"
    shown: tuple[int, ...] = ()  # indexes of the rows rendered, in order
    start: int = 0  # position, among the filtered rows, of the first row rendered
    total: int = 0  # filtered rows in all
    expanded: int | None = None  # row index shown with its detail
    focus: int | None = None  # row index a single-row fragment shows
    removed_open: tuple[str, ...] = ()  # sides whose removed-content panel is open
    keep: int | None = None  # removed block of the open panel the reader asked to keep
    open_run: int | None = None  # first row of a run of identical rows the reader opened
    versions: tuple[Version, ...] = ()  # earlier fetches of the sides' links (service.versions)

    filters = FILTERS  # class attributes, not fields: the same for every view
    unrelated_max_covered = UNRELATED_MAX_COVERED

    @property
    def id(self) -> str:
        return self.stored.id

    @property
    def stats(self):
        return self.stored.comparison.stats

    def side(self, side: str) -> Document:
        """The document shown on `side`."""
        return self.stored.document(side)

    def dateline(self, side: str) -> tuple[str, str | None] | None:
        """(what to show, ISO date or None) of a side's dateline: a stored ISO date reads as
        "31 October 2024, 12:00 UTC" (with the ISO value for <time>), a place as it is."""
        value = self.side(side).dateline
        if not value:
            return None
        try:
            when = datetime.fromisoformat(value.strip())
        except ValueError:
            return value, None
        shown = f"{when.day} {when:%B %Y}"
        if (when.hour, when.minute) != (0, 0) or "T" in value:
            zone = when.tzname() if when.tzinfo else ""
            shown += f", {when:%H:%M}" + (f" {'UTC' if zone in ('UTC', 'UTC+00:00') else zone}" if zone else "")
        return shown, value.strip()

    def covered(self, side: str) -> float:
        return self.stats.left_covered if side == "left" else self.stats.right_covered

    @cached_property
    def rows(self) -> list[RowView | SameRun]:
        """The rendered rows, built on first use (a single-row fragment never builds them),
        with runs of SAME_RUN_MIN or more identical rows as one SameRun each."""
        out: list[RowView | SameRun] = []
        for run in self._runs():
            if len(run) >= SAME_RUN_MIN and run[0] != self.open_run and self.links.same_run:
                url = self.links.url(self.links.same_run, self.show, n=run[0], to=run[-1])
                out.append(SameRun(run[0], run[-1], len(run), url))
            else:
                out.extend(self._row(index) for index in run)
        return out

    def rows_through(self, last: int) -> list[RowView]:
        """The shown rows up to row index `last`, each on its own (an opened run)."""
        return [self._row(index) for index in self.shown if index <= last]

    def _runs(self) -> list[list[int]]:
        """The shown rows cut into runs: consecutive quiet rows together, every other row alone."""
        runs: list[list[int]] = []
        after_quiet = False
        for index in self.shown:
            quiet = self._quiet(index)
            if quiet and after_quiet:
                runs[-1].append(index)
            else:
                runs.append([index])
            after_quiet = quiet
        return runs

    def _quiet(self, index: int) -> bool:
        """A row that may collapse into a run: identical paragraphs, in place, nothing open in it."""
        row = self.stored.comparison.rows[index].row
        return (row.kind == "same" and not row.moved and index not in (self.expanded, self.focus)
                and not self.unsure_before(index) and not self.unsure_after(index))

    @property
    def focus_row(self) -> RowView | None:
        return None if self.focus is None else self._row(self.focus)

    @cached_property
    def _right_rows(self) -> dict[int, int]:
        return {j: index for index, r in enumerate(self.stored.comparison.rows) for j in r.row.right}

    @cached_property
    def _left_rows(self) -> dict[int, int]:
        return {i: index for index, r in enumerate(self.stored.comparison.rows) for i in r.row.left}

    @cached_property
    def _links(self) -> dict[int, list[tuple[str, int, int]]]:
        """Row index -> (side, other paragraph, its row) of every cross-row link from that row."""
        out: dict[int, list[tuple[str, int, int]]] = {}
        for link in self.stored.comparison.links:
            here, there = self._left_rows.get(link.left), self._right_rows.get(link.right)
            if here is None or there is None or here == there:
                continue
            out.setdefault(here, []).append(("left", link.right, there))
            out.setdefault(there, []).append(("right", link.left, here))
        return out

    def _row(self, index: int) -> RowView:
        expanded = index == self.expanded
        toggle = self.collapse_url(index) if expanded else self.row_url(index)
        also = tuple(AlsoNote(side, other, row, self.row_link(row), self.row_url(row, show="all"))
                     for side, other, row in sorted(set(self._links.get(index, ()))))
        compared = self.stored.comparison.rows[index]
        texts = tuple(self.stored.comparison.left.paragraphs[i].text for i in compared.row.left) + tuple(
            self.stored.comparison.right.paragraphs[j].text for j in compared.row.right)
        return row_view(index, compared, expanded, toggle, self._moved_note(compared), also, texts)

    def _moved_note(self, compared: ComparedRow) -> MovedNote | None:
        """Rows follow the left article's order; a moved row's right paragraph sits elsewhere
        on the right. Name the right paragraph it follows there (or precedes, when first)."""
        row = compared.row
        if not row.moved or not row.right:
            return None
        paragraph = min(row.right)
        before = paragraph == 0
        neighbour = max(row.right) + 1 if before else paragraph - 1
        if neighbour not in self._right_rows:
            return None
        target = self._right_rows[neighbour]
        return MovedNote(paragraph, neighbour, target, before, self.row_link(target),
                         self.row_url(target, show="all"))

    def unsure_before(self, index: int) -> list[Unsure]:
        """Unsure removals that stood before row `index`'s first paragraph on either side."""
        return self._unsure[0].get(index, [])

    def unsure_after(self, index: int) -> list[Unsure]:
        """Unsure removals that stood after the last paragraph, shown after its row."""
        return self._unsure[1].get(index, [])

    @cached_property
    def _unsure(self) -> tuple[dict[int, list[Unsure]], dict[int, list[Unsure]]]:
        """({row: removals shown before it}, {row: removals shown after it}); all rows only."""
        before: dict[int, list[Unsure]] = {}
        after: dict[int, list[Unsure]] = {}
        if self.show != "all":
            return before, after
        rows = self.stored.comparison.rows
        for side in SIDES:
            row_of = {p: k for k, r in enumerate(rows) for p in (r.row.left if side == "left" else r.row.right)}
            last = len(self.side(side).paragraphs)
            for k, block in enumerate(self.side(side).removed):
                if block.confidence >= UNSURE_BELOW or block.position is None:
                    continue
                at, where = (block.position, before) if block.position < last else (last - 1, after)
                if at in row_of:
                    where.setdefault(row_of[at], []).append(Unsure(side, k, block))
        return before, after

    @property
    def filter_counts(self) -> dict[str, int]:
        counts = self.stats.counts
        return {key: sum(counts.get(k, 0) for k in kinds) for key, (_label, kinds) in self.filters.items()}

    @property
    def next_start(self) -> int | None:
        """Position of the next chunk to load, None when every filtered row is rendered."""
        end = self.start + len(self.shown)
        return end if end < self.total else None

    @property
    def next_end(self) -> int:
        """Position after the last row of the next chunk."""
        return min((self.next_start or 0) + CHUNK_ROWS, self.total)

    def side_name(self, side: str) -> str:
        """The column's label: its outlet, unless both columns would read the same."""
        return self._names[0 if side == "left" else 1]

    @cached_property
    def _names(self) -> tuple[str, str]:
        """Outlets when both are known and differ, else titles when they differ, else the
        outlet on one side and "Left"/"Right": the two columns never carry the same label."""
        left, right = self.side("left"), self.side("right")
        for a, b in ((left.outlet, right.outlet), (_short(left.title), _short(right.title))):
            if a and b and a.casefold() != b.casefold():
                return a, b
        a, b = left.outlet or "Left", right.outlet or "Right"
        return (a, b) if a.casefold() != b.casefold() else ("Left", "Right")

    @cached_property
    def left_name(self) -> str:
        """side_name("left"), found once for every row that shows it."""
        return self.side_name("left")

    @cached_property
    def right_name(self) -> str:
        return self.side_name("right")

    @property
    def long(self) -> bool:
        return self.total >= LONG_MIN_ROWS

    @property
    def unrelated(self) -> bool:
        """True when the two documents share almost nothing: perhaps not the same event."""
        stats = self.stats
        return (not stats.shared_quotes and stats.left_covered < UNRELATED_MAX_COVERED
                and stats.right_covered < UNRELATED_MAX_COVERED)

    # URLs: None where the Links leave that interaction out (or build none: the exported file).
    def url(self, show: str | None = None) -> str | None:
        """The comparison with filter `show` (default: the current one)."""
        return self.links.url(self.links.page, show or self.show)

    def row_url(self, index: int, show: str | None = None) -> str | None:
        """Row `index` expanded into its detail (a page, or the row alone for htmx)."""
        return self.links.url(self.links.row, show or self.show, n=index)

    def collapse_url(self, index: int) -> str | None:
        """Row `index` without its detail (what the collapse link swaps in)."""
        return self.links.url(self.links.row, self.show, n=index, expand=0)

    def chunk_url(self, start: int) -> str | None:
        """The filtered rows from position `start`, CHUNK_ROWS of them."""
        return self.links.url(self.links.chunk, self.show, start=start)

    def removed_url(self, side: str, hide: bool = False) -> str | None:
        """The removed-content panel of `side`, open (or closed with `hide`)."""
        return self.links.url(self.links.removed, self.show, side=side, hide=1 if hide else None)

    def keep_url(self, side: str, index: int) -> str | None:
        """The removed panel of `side` with block `index` to put back (htmx: put back at once)."""
        if self.links.restore is None:
            return None
        return self.links.url(self.links.removed, self.show, side=side, keep=index)

    def restore_url(self) -> str | None:
        """Where a removed block is put back (a POST); None where that is not offered."""
        return self.links.url(self.links.restore)

    def fetch(self, side: str) -> FetchRecord | None:
        """How `side` was fetched, None when it was not given as a link."""
        return self.stored.fetch(side)

    def versions_of(self, side: str) -> list[Version]:
        """Earlier fetches of `side`'s link, each offered as "compare with the version of"."""
        return [v for v in self.versions if v.side == side]

    def versions_url(self) -> str | None:
        """Where two fetches of one link are compared (a POST); None where that is not offered."""
        return self.links.url(self.links.versions)

    def row_link(self, index: int) -> str:
        """In-page link to row `index` (app.js follows row_url when the row is not loaded)."""
        return f"#row-{index}"


def comparison_view(stored: Stored, links: Links, show: str = "all", start: int = 0,
                    expanded: int | None = None, removed_open: tuple[str, ...] = (),
                    focus: int | None = None, every_row: bool = False, keep: int | None = None,
                    run: tuple[int, int] | None = None, versions: tuple[Version, ...] = ()) -> ComparisonView:
    """The rows of `stored` shown by filter `show`, CHUNK_ROWS of them (or `every_row`) from position `start`.

    With `expanded`, that row is shown with its detail and the rendered rows reach it.
    `focus` names the row a single-row fragment shows. With `run` (first, last row index),
    those rows are shown open, from the first on. Rows are built when first used.
    """
    kinds = FILTERS[show][1]
    shown = [index for index, r in enumerate(stored.comparison.rows) if r.row.kind in kinds]
    if run is not None:
        start = shown.index(run[0])
    end = len(shown) if every_row else start + CHUNK_ROWS
    if expanded in shown:
        end = max(end, shown.index(expanded) + 1)
    return ComparisonView(stored, links, show, tuple(shown[start:end]), start, len(shown),
                          expanded, focus, removed_open, keep, run[0] if run else None, versions)


def row_view(index: int, compared: ComparedRow, expanded: bool = False, toggle_url: str | None = None,
             moved_note: MovedNote | None = None, also: tuple[AlsoNote, ...] = (),
             texts: tuple[str, ...] = ()) -> RowView:
    row = compared.row
    mode = "diff" if expanded and row.left and row.right else COLLAPSED_MARKING[row.kind]
    # Shared-passage marks only where they tell something: not in identical paragraphs, nor in
    # an edited pair, whose word diff already shows all that differs (the edits stay loudest).
    shared = () if row.kind in QUIET_PASSAGE_KINDS else compared.shared
    left_quotes, right_quotes = _quotes(shared, "left", row.left), _quotes(shared, "right", row.right)
    left = side_html(compared.diff, "left", mode, left_quotes) if row.left else []
    if left and row.right and left_quotes == right_quotes and sides_alike(compared.diff):
        right = left  # the same text with the same quotes (most "same" rows): rendered once
    else:
        right = side_html(compared.diff, "right", mode, right_quotes) if row.right else []
    return RowView(
        index=index, kind=row.kind, label=KIND_LABELS[row.kind], shape=row.shape,
        left=_cells(row.left, left), right=_cells(row.right, right),
        similarity=row.similarity, moved=row.moved, reasons=row.reasons,
        moved_note=moved_note, expanded=expanded, toggle_url=toggle_url, also=also, texts=texts,
    )


def _quoted(value: str, texts: tuple[str, ...], number: bool = False) -> str:
    """`value` (the aligner's folded words) as the first of `texts` that has it writes it,
    case and punctuation kept, cut to REASON_MAX_WORDS with an ellipsis; as given when no text
    has those words in that order (a lemma, say). A `number` is quoted whole ("4" of "4,500")."""
    words = value.split()
    core = r"\W+".join(map(re.escape, words))
    if number:
        core = r"(?:\d+[.,])*" + core + r"(?:[.,]\d+)*"
    pattern = re.compile(r"(?<!\w)" + core + r"(?!\w)", re.IGNORECASE)
    found = next((m.group(0) for m in map(pattern.search, texts) if m), value)
    shown = found.split()
    return " ".join(shown[:REASON_MAX_WORDS]) + ("…" if len(shown) > REASON_MAX_WORDS else "")


def _short(title: str | None) -> str | None:
    """A title short enough for a column label, cut at a word with an ellipsis."""
    if not title or len(title) <= LABEL_MAX_CHARS:
        return title
    return title[:LABEL_MAX_CHARS].rsplit(" ", 1)[0].rstrip(",;:-–— ") + "…"


def _cells(paragraphs: tuple[int, ...], html: list) -> tuple[Cell, ...]:
    """One cell per paragraph of a side, with its HTML (side_html gives one per paragraph)."""
    if len(paragraphs) != len(html):
        raise ValueError(f"{len(paragraphs)} paragraphs, {len(html)} rendered")
    return tuple(map(Cell, paragraphs, html))


def _quotes(shared: tuple[Span, ...], side: str, paragraphs: tuple[int, ...]) -> list[list[tuple[int, int]]]:
    """Per paragraph of `side` in the row, the spans of it that the other article also has."""
    spans: dict[int, list[tuple[int, int]]] = {}
    for s in shared:
        if s.side == side:
            spans.setdefault(s.paragraph, []).append((s.start, s.end))
    return [spans.get(p, []) for p in paragraphs]
