"""What the templates show: rows of a stored comparison, filtered, chunked, with HTML cells.

Every URL a partial needs comes from here (`ComparisonView.url` and friends), so the
partials render without a request (the exported file) and under another blueprint
(the embed sets `endpoint` and the other endpoint names on its view).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from flask import has_request_context, url_for

from .render import side_html, sides_alike

# Filter name -> (label, row kinds shown). Order is the order of the 1-5 keyboard shortcuts.
FILTERS: dict[str, tuple[str, frozenset[str]]] = {
    "all": ("All", frozenset({"same", "edited", "related", "left_only", "right_only"})),
    "shared": ("Shared", frozenset({"same", "edited", "related"})),
    "changed": ("Changed", frozenset({"edited", "related"})),
    "left": ("Only left", frozenset({"left_only"})),
    "right": ("Only right", frozenset({"right_only"})),
}
def requested_filter(args) -> str:
    """The row filter a request asks for (?show=); anything unknown means all rows."""
    show = args.get("show", "all")
    return show if show in FILTERS else "all"


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
REASON_LABELS = {"passage": "Shared passage", "quote": "Shared quote", "number": "Number", "name": "Name",
                 "term": "Term"}


@dataclass
class Cell:
    index: int
    html: object  # Markup from render.side_html


@dataclass
class MovedNote:
    """Where a moved row's right paragraph sits on the right side: after (or before) `neighbour`."""

    paragraph: int  # 0-based right paragraph index of the moved row
    neighbour: int  # 0-based right paragraph it follows (or precedes when `before`)
    row: int  # row index holding `neighbour`
    before: bool = False
    link: str = ""  # in-page link to `row` (ComparisonView.row_link)
    url: str | None = None  # `row` expanded, any filter (ComparisonView.row_url); None where not offered


@dataclass
class RowView:
    index: int
    kind: str
    label: str
    left: list[Cell]
    right: list[Cell]
    similarity: float
    moved: bool
    reasons: list[str]
    moved_note: MovedNote | None = None
    expanded: bool = False
    # The toggle's target: this row collapsed when expanded, else expanded (ComparisonView
    # urls); None where the toggle is not offered.
    toggle_url: str | None = None

    def numbers(self, side: str) -> str:
        """The 1-based paragraph numbers of `side` in this row, e.g. "4, 7"."""
        return ", ".join(str(c.index + 1) for c in (self.left if side == "left" else self.right))

    @property
    def reason_items(self) -> list[tuple[str, str]]:
        """(label, value) of each reason this row matched on, e.g. ("Name", "kursk")."""
        items = []
        for reason in self.reasons:
            key, _sep, value = reason.partition(": ")
            items.append((REASON_LABELS.get(key, key.capitalize()), value) if value else ("", reason))
        return items


@dataclass
class ComparisonView:
    id: str
    document: dict
    show: str
    filters: dict = field(default_factory=lambda: FILTERS)
    shown: list[int] = field(default_factory=list)  # indexes of the rows rendered, in order
    start: int = 0  # position, among the filtered rows, of the first row rendered
    total: int = 0  # filtered rows in all
    expanded: int | None = None  # row index shown with its detail
    focus: int | None = None  # row index a single-row fragment shows
    removed_open: tuple[str, ...] = ()  # sides whose removed-content panel is open
    # Endpoints of the URLs in the partials; another blueprint (the embed) may set its own,
    # or None to leave that interaction out.
    endpoint: str | None = "views.comparison"
    row_endpoint: str | None = "views.row"
    chunk_endpoint: str | None = "views.rows_chunk"
    removed_endpoint: str | None = "views.removed"
    restore_endpoint: str | None = "views.restore"

    @cached_property
    def rows(self) -> list[RowView]:
        """The rendered rows, built on first use (a single-row fragment never builds them)."""
        return [self._row(index) for index in self.shown]

    @property
    def focus_row(self) -> RowView | None:
        return None if self.focus is None else self._row(self.focus)

    @cached_property
    def _right_rows(self) -> dict[int, int]:
        return _row_of_right_paragraph(self.document["rows"])

    def _row(self, index: int) -> RowView:
        """Row `index` with its URLs, found here once rather than by each row's template."""
        row = row_view(index, self.document["rows"][index], self._right_rows, index == self.expanded)
        note = row.moved_note
        if note:
            note.link = self.row_link(note.row)
        if has_request_context():  # outside one (the exported file) every URL is None
            row.toggle_url = self.collapse_url(index) if row.expanded else self.row_url(index)
            if note:
                note.url = self.row_url(note.row, show="all")
        return row

    @property
    def left(self) -> dict:
        return self.document["left"]

    @property
    def right(self) -> dict:
        return self.document["right"]

    @property
    def stats(self) -> dict:
        return self.document["stats"]

    @property
    def filter_counts(self) -> dict[str, int]:
        counts = self.stats["counts"]
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
        doc = self.document[side]
        return doc.get("outlet") or ("Left" if side == "left" else "Right")

    @cached_property
    def left_name(self) -> str:
        """side_name("left"), found once for every row that shows it."""
        return self.side_name("left")

    @cached_property
    def right_name(self) -> str:
        return self.side_name("right")

    # URLs: None outside a request (the exported file) or when the endpoint is None.
    def _url(self, endpoint: str | None, **params) -> str | None:
        if endpoint is None or not has_request_context():
            return None
        if params.get("show") == "all":
            del params["show"]
        return url_for(endpoint, cid=self.id, **{k: v for k, v in params.items() if v is not None})

    def url(self, show: str | None = None) -> str | None:
        """The comparison with filter `show` (default: the current one)."""
        return self._url(self.endpoint, show=show or self.show)

    def row_url(self, index: int, show: str | None = None) -> str | None:
        """Row `index` expanded into its detail (a page, or the row alone for htmx)."""
        return self._url(self.row_endpoint, n=index, show=show or self.show)

    def collapse_url(self, index: int) -> str | None:
        """Row `index` without its detail (what the collapse link swaps in)."""
        return self._url(self.row_endpoint, n=index, show=self.show, expand=0)

    def chunk_url(self, start: int) -> str | None:
        """The filtered rows from position `start`, CHUNK_ROWS of them."""
        return self._url(self.chunk_endpoint, show=self.show, start=start)

    def removed_url(self, side: str, hide: bool = False) -> str | None:
        """The removed-content panel of `side`, open (or closed with `hide`)."""
        return self._url(self.removed_endpoint, side=side, show=self.show, hide=1 if hide else None)

    def restore_url(self) -> str | None:
        """Where a removed block is put back (a POST); None where that is not offered."""
        return self._url(self.restore_endpoint)

    def row_link(self, index: int) -> str:
        """In-page link to row `index` (app.js follows row_url when the row is not loaded)."""
        return f"#row-{index}"


def comparison_view(document: dict, show: str = "all", start: int = 0, expanded: int | None = None,
                    removed_open: tuple[str, ...] = (), focus: int | None = None) -> ComparisonView:
    """The rows of `document` shown by filter `show`, CHUNK_ROWS of them from position `start`.

    With `expanded`, that row is shown with its detail and the rendered rows reach it.
    `focus` names the row a single-row fragment shows. Rows are built when first used.
    """
    kinds = FILTERS[show][1]
    shown = [index for index, row in enumerate(document["rows"]) if row["kind"] in kinds]
    end = start + CHUNK_ROWS
    if expanded in shown:
        end = max(end, shown.index(expanded) + 1)
    return ComparisonView(id=document["id"], document=document, show=show, shown=shown[start:end], start=start,
                          total=len(shown), expanded=expanded, focus=focus, removed_open=removed_open)


def row_view(index: int, row: dict, right_rows: dict[int, int] | None = None, expanded: bool = False) -> RowView:
    mode = "diff" if expanded and row["left"] and row["right"] else COLLAPSED_MARKING.get(row["kind"], "diff")
    quotes = _quotes(row)
    left = side_html(row["diff"], "left", mode, quotes["left"]) if row["left"] else []
    if left and row["right"] and quotes["left"] == quotes["right"] and sides_alike(row["diff"]):
        right = left  # the same text with the same quotes (most "same" rows): rendered once
    else:
        right = side_html(row["diff"], "right", mode, quotes["right"]) if row["right"] else []
    return RowView(
        index=index, kind=row["kind"], label=KIND_LABELS[row["kind"]],
        left=_cells(row["left"], left), right=_cells(row["right"], right),
        similarity=row["similarity"], moved=row["moved"], reasons=row["reasons"],
        moved_note=_moved_note(row, right_rows or {}), expanded=expanded,
    )


def _cells(paragraphs: list[int], html: list) -> list[Cell]:
    """One cell per paragraph of a side, with its HTML (side_html gives one per paragraph)."""
    if len(paragraphs) != len(html):
        raise ValueError(f"{len(paragraphs)} paragraphs, {len(html)} rendered")
    return list(map(Cell, paragraphs, html))


def _quotes(row: dict) -> dict[str, list[list[tuple[int, int]]]]:
    """Per side, per paragraph of that side in the row, the spans the other article also has."""
    spans: dict[tuple[str, int], list[tuple[int, int]]] = {}
    for s in row.get("shared", ()):
        place = (s["side"], s["paragraph"])
        if place in spans:
            spans[place].append((s["start"], s["end"]))
        else:
            spans[place] = [(s["start"], s["end"])]
    return {"left": [spans.get(("left", p), []) for p in row["left"]],
            "right": [spans.get(("right", p), []) for p in row["right"]]}


def _row_of_right_paragraph(rows: list[dict]) -> dict[int, int]:
    return {j: index for index, row in enumerate(rows) for j in row["right"]}


def _moved_note(row: dict, right_rows: dict[int, int]) -> MovedNote | None:
    """Rows follow the left article's order; a moved row's right paragraph sits elsewhere
    on the right. Name the right paragraph it follows there (or precedes, when first)."""
    if not row["moved"] or not row["right"]:
        return None
    paragraph = min(row["right"])
    before = paragraph == 0
    neighbour = max(row["right"]) + 1 if before else paragraph - 1
    if neighbour not in right_rows:
        return None
    return MovedNote(paragraph=paragraph, neighbour=neighbour, row=right_rows[neighbour], before=before)
