"""What the templates show: rows of a stored comparison, filtered, with HTML cells."""

from __future__ import annotations

from dataclasses import dataclass, field

from .render import side_html

# Filter name -> (label, row kinds shown).
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


@dataclass
class Cell:
    index: int
    html: object  # Markup from render.side_html


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
    moved_note: str = ""


@dataclass
class ComparisonView:
    id: str
    document: dict
    show: str
    rows: list[RowView] = field(default_factory=list)
    filters: dict = field(default_factory=lambda: FILTERS)

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

    def side_name(self, side: str) -> str:
        doc = self.document[side]
        return doc.get("outlet") or ("Left" if side == "left" else "Right")


def comparison_view(document: dict, show: str = "all") -> ComparisonView:
    view = ComparisonView(id=document["id"], document=document, show=show)
    kinds = FILTERS[show][1]
    for index, row in enumerate(document["rows"]):
        if row["kind"] in kinds:
            view.rows.append(row_view(index, row))
    return view


def row_view(index: int, row: dict) -> RowView:
    mark = row["kind"] not in ("left_only", "right_only", "same")
    left = side_html(row["diff"], "left", mark) if row["left"] else []
    right = side_html(row["diff"], "right", mark) if row["right"] else []
    note = ""
    if row["moved"] and row["right"]:
        note = f"Moved: ¶ {row['right'][0] + 1} on the right comes earlier or later there"
    return RowView(
        index=index, kind=row["kind"], label=KIND_LABELS[row["kind"]],
        left=[Cell(i, h) for i, h in zip(row["left"], left, strict=True)],
        right=[Cell(j, h) for j, h in zip(row["right"], right, strict=True)],
        similarity=row["similarity"], moved=row["moved"], reasons=row["reasons"], moved_note=note,
    )
