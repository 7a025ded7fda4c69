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


def side_html(ops: list[dict] | tuple[DiffOp, ...], side: str, mark: bool | str = True,
              quotes: list[list[tuple[int, int]]] | None = None) -> list[Markup]:
    """HTML of one side of a row, one Markup per paragraph.

    `side` is "left" (equal + delete ops) or "right" (equal + insert ops).
    `mark` is one of MARK_MODES (True means "diff", False "plain").
    `quotes[k]` are (start, end) character spans of the side's k-th paragraph
    that the other article also contains word for word (passages of five or
    more words, wherever they are there): they are wrapped in <mark class="quote">.
    """
    mode = mark if isinstance(mark, str) else ("diff" if mark else "plain")
    if mode not in MARK_MODES:
        raise ValueError(f"unknown mark mode {mode!r}")
    own = "delete" if side == "left" else "insert"
    paragraphs: list[list[str]] = [[]]
    offset = 0
    for op in ops:
        name, text, right_text = _fields(op)
        if name not in ("equal", own):
            continue
        if side == "right" and name == "equal" and right_text is not None:
            text = right_text
        for k, piece in enumerate(text.split(PARAGRAPH_JOIN)):
            if k:
                paragraphs.append([])
                offset = 0
            spans = quotes[len(paragraphs) - 1] if quotes and len(paragraphs) <= len(quotes) else ()
            for sub, quoted in _split_at_spans(piece, offset, spans):
                paragraphs[-1].append(_piece_html(sub, name == own, quoted, mode, side))
            offset += len(piece)
    return [Markup("".join(p)) for p in paragraphs]


def _split_at_spans(piece: str, offset: int, spans) -> list[tuple[str, bool]]:
    """`piece` (starting at `offset` in its paragraph) cut where quote spans begin and end."""
    cuts = {0, len(piece)}
    for start, end in spans:
        for at in (start - offset, end - offset):
            if 0 < at < len(piece):
                cuts.add(at)
    bounds = sorted(cuts)
    out = []
    for a, b in zip(bounds, bounds[1:], strict=False):
        middle = offset + (a + b) / 2
        out.append((piece[a:b], any(start <= middle < end for start, end in spans)))
    return [(sub, quoted) for sub, quoted in out if sub]


def _piece_html(piece: str, only_here: bool, quoted: bool, mode: str, side: str) -> str:
    if quoted and piece.strip():
        core = piece.strip()
        head, tail = piece[: len(piece) - len(piece.lstrip())], piece[len(piece.rstrip()):]
        # <mark> itself is announced as highlighted: no words are added for screen readers.
        inner = _piece_html(core, only_here, False, mode, side) if mode == "diff" and only_here else escape(core)
        return f'{escape(head)}<mark class="quote">{inner}</mark>{escape(tail)}'
    tag, label = ("del", "only left") if side == "left" else ("ins", "only right")
    if mode == "diff" and only_here and piece.strip():
        return _wrap(tag, "hl", label, piece)
    if mode == "shared" and not only_here and len(piece.split()) >= SHARED_PASSAGE_MIN_WORDS:
        return _wrap("mark", "shared", "shared", piece)
    return str(escape(piece))


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
