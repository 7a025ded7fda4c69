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


def side_html(ops: tuple[DiffOp, ...], side: str, mark: bool | str = True,
              quotes: list[list[tuple[int, int]]] | None = None) -> list[Markup]:
    """HTML of one side of a row, one Markup per paragraph.

    `side` is "left" (equal + delete ops) or "right" (equal + insert ops).
    `mark` is one of MARK_MODES (True means "diff", False "plain").
    `quotes[k]` are (start, end) character spans of the side's k-th paragraph
    that the other article also contains word for word (passages of five or
    more words; see pipeline/quotes.py for where they are looked for): they are
    wrapped in <mark class="quote">.
    """
    mode = mark if isinstance(mark, str) else ("diff" if mark else "plain")
    if mode not in MARK_MODES:
        raise ValueError(f"unknown mark mode {mode!r}")
    own, quotes = ("delete" if side == "left" else "insert"), quotes or ()
    paragraphs: list[list[str]] = [[]]
    offset = 0
    for op in ops:
        name, text, right_text = op.op, op.text, op.right_text
        if name != own and name != "equal":
            continue
        if right_text is not None and side == "right" and name == "equal":
            text = right_text
        for k, piece in enumerate(text.split(PARAGRAPH_JOIN)):
            if k:
                paragraphs.append([])
                offset = 0
            spans = quotes[len(paragraphs) - 1] if len(paragraphs) <= len(quotes) else ()
            html = paragraphs[-1]
            for sub, quoted in _split_at_spans(piece, offset, spans):
                html.append(_piece_html(sub, name == own, quoted, mode, side))
            offset += len(piece)
    return [Markup("".join(p)) for p in paragraphs]


def sides_alike(ops: tuple[DiffOp, ...]) -> bool:
    """True when both sides of `ops` read the same (equal ops only, no right-side variant):
    then side_html gives the same HTML for either side, given the same quotes."""
    return all(op.op == "equal" and op.right_text is None for op in ops)


def _split_at_spans(piece: str, offset: int, spans) -> list[tuple[str, bool]]:
    """`piece` (starting at `offset` in its paragraph) cut where quote spans begin and end,
    each part with whether a span covers it."""
    size = len(piece)
    if not spans:
        return [(piece, False)] if piece else []
    cuts = {0, size}
    for start, end in spans:
        if 0 < start - offset < size:
            cuts.add(start - offset)
        if 0 < end - offset < size:
            cuts.add(end - offset)
    out, a = [], 0
    for b in sorted(cuts)[1:]:  # a < b: every part is non-empty
        out.append((piece[a:b], _covered(offset + (a + b) / 2, spans)))
        a = b
    return out


def _covered(at: float, spans) -> bool:
    for start, end in spans:
        if start <= at < end:
            return True
    return False


def _piece_html(piece: str, only_here: bool, quoted: bool, mode: str, side: str) -> str:
    if not quoted:
        if mode == "diff" and only_here and not piece.isspace():
            return _wrap(*_own_tag(side), piece)
        if mode == "shared" and not only_here and len(piece.split()) >= SHARED_PASSAGE_MIN_WORDS:
            return _wrap("mark", "shared", "shared", piece)
        return escape(piece)
    if piece.isspace():
        return escape(piece)
    # <mark> itself is announced as highlighted: no words are added for screen readers.
    core = piece.strip()
    inner = _wrap(*_own_tag(side), core) if mode == "diff" and only_here else escape(core)
    head, tail = _edges(piece, core)
    return f'{head}<mark class="quote">{inner}</mark>{tail}'


def _own_tag(side: str) -> tuple[str, str, str]:
    """Element, class and spoken label of text only on `side`."""
    return ("del", "hl", "only left") if side == "left" else ("ins", "hl", "only right")


def _wrap(tag: str, css_class: str, label: str, piece: str) -> str:
    """`piece` escaped in <tag>, with its meaning in words for screen readers.

    Leading and trailing spaces stay outside the element so underlines and
    backgrounds cover words only.
    """
    core = piece.strip()
    head, tail = _edges(piece, core)
    return (f'{head}<{tag} class="{css_class}"><span class="sr-only">[{label}: </span>{escape(core)}'
            f'<span class="sr-only">]</span></{tag}>{tail}')


def _edges(piece: str, core: str) -> tuple[str, str]:
    """The spaces before and after `core` (`piece` stripped), escaped."""
    if len(core) == len(piece):
        return "", ""
    start = len(piece) - len(piece.lstrip())
    head, tail = piece[:start], piece[start + len(core):]
    return (escape(head) if head else ""), (escape(tail) if tail else "")


def own_stylesheet(css: str) -> Markup:
    """Our own stylesheet, inlined in exported files (never source text)."""
    return Markup(css.replace("</", "<\\/"))
