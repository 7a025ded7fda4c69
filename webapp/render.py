"""The one place that marks HTML safe: diff ops become <ins>/<del> markup.

Every piece of source text is escaped here before it is wrapped; nothing
from a source reaches the page as markup.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from .pipeline.types import DiffOp

PARAGRAPH_JOIN = "\n\n"  # how the pipeline joins the paragraphs of one row side


def side_html(ops: list[dict] | tuple[DiffOp, ...], side: str, mark: bool = True) -> list[Markup]:
    """HTML of one side of a row, one Markup per paragraph.

    `side` is "left" (equal + delete ops) or "right" (equal + insert ops).
    With `mark`, text only on this side is wrapped in <del> (left) or <ins> (right).
    """
    own, tag, label = ("delete", "del", "only left") if side == "left" else ("insert", "ins", "only right")
    paragraphs: list[list[str]] = [[]]
    for op in ops:
        name, text, right_text = _fields(op)
        if name not in ("equal", own):
            continue
        if side == "right" and name == "equal" and right_text is not None:
            text = right_text
        pieces = text.split(PARAGRAPH_JOIN)
        for k, piece in enumerate(pieces):
            if k:
                paragraphs.append([])
            if not piece:
                continue
            if name == own and mark and piece.strip():
                paragraphs[-1].append(
                    f'<{tag} class="hl"><span class="sr-only">[{label}: </span>{escape(piece)}'
                    f'<span class="sr-only">]</span></{tag}>')
            else:
                paragraphs[-1].append(str(escape(piece)))
    return [Markup("".join(p)) for p in paragraphs]


def _fields(op) -> tuple[str, str, str | None]:
    if isinstance(op, DiffOp):
        return op.op, op.text, op.right_text
    return op["op"], op["text"], op.get("right_text")


def own_stylesheet(css: str) -> Markup:
    """Our own stylesheet, inlined in exported files (never source text)."""
    return Markup(css.replace("</", "<\\/"))
