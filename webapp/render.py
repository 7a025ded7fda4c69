"""The one place that marks HTML safe: diff ops become <ins>/<del>/<mark> markup.

Every piece of source text is escaped here before it is wrapped; nothing
from a source reaches the page as markup.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from .pipeline.types import DiffOp

PARAGRAPH_JOIN = "\n\n"  # how the pipeline joins the paragraphs of one row side
# A run of text both sides share counts as a "shared passage" worth marking in a
# reworded (related) row when it has at least this many words (2-8; lower marks noise).
SHARED_PASSAGE_MIN_WORDS = 3

# How one side of a row is marked:
#   "diff"   text only on this side in <del> (left) or <ins> (right): the word diff;
#   "shared" long runs both sides share in <mark>, the rest plain: for reworded rows,
#            where a word diff marks nearly everything;
#   "plain"  nothing marked (identical or one-sided rows).
MARK_MODES = ("diff", "shared", "plain")


def side_html(ops: list[dict] | tuple[DiffOp, ...], side: str, mark: bool | str = True) -> list[Markup]:
    """HTML of one side of a row, one Markup per paragraph.

    `side` is "left" (equal + delete ops) or "right" (equal + insert ops).
    `mark` is one of MARK_MODES (True means "diff", False "plain").
    """
    mode = mark if isinstance(mark, str) else ("diff" if mark else "plain")
    if mode not in MARK_MODES:
        raise ValueError(f"unknown mark mode {mode!r}")
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
            if mode == "diff" and name == own and piece.strip():
                paragraphs[-1].append(_wrap(tag, "hl", label, piece))
            elif mode == "shared" and name == "equal" and len(piece.split()) >= SHARED_PASSAGE_MIN_WORDS:
                paragraphs[-1].append(_wrap("mark", "shared", "shared", piece))
            else:
                paragraphs[-1].append(str(escape(piece)))
    return [Markup("".join(p)) for p in paragraphs]


def _wrap(tag: str, css_class: str, label: str, piece: str) -> str:
    """`piece` escaped in <tag>, with its meaning in words for screen readers.

    Leading and trailing spaces stay outside the element so underlines and
    backgrounds cover words only.
    """
    core = piece.strip()
    head, tail = piece[: len(piece) - len(piece.lstrip())], piece[len(piece.rstrip()):]
    return (f'{escape(head)}<{tag} class="{css_class}"><span class="sr-only">[{label}: </span>{escape(core)}'
            f'<span class="sr-only">]</span></{tag}>{escape(tail)}')


def _fields(op) -> tuple[str, str, str | None]:
    if isinstance(op, DiffOp):
        return op.op, op.text, op.right_text
    return op["op"], op["text"], op.get("right_text")


def own_stylesheet(css: str) -> Markup:
    """Our own stylesheet, inlined in exported files (never source text)."""
    return Markup(css.replace("</", "<\\/"))
