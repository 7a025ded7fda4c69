"""Sanitize: keep the article body of a source, drop and record furniture.

HTML goes through BeautifulSoup (see htmlextract.py) and comes out as text
blocks; plain text is split into blocks. Both then pass the same block
rules (furniture.py), which also find the headline, byline and dateline.
"""

from __future__ import annotations

import re
from dataclasses import replace

from . import furniture, htmlextract
from .errors import EmptyInput
from .types import Extract, Removed, Source

# Blocks past this share of the document may start a teaser tail ("Related").
TAIL_START_MIN = 0.3  # fraction of blocks, 0..1
# A block with at least this many words that reads as prose starts the body.
BODY_MIN_WORDS = 12  # words
# Leading short blocks that do not end like a sentence are headline/kicker.
HEADLINE_MAX_WORDS = 30  # words

# Unicode full case folding turns one character into at most three ("\u0390" -> "\u03b9\u0308\u0301").
CASEFOLD_MAX_GROWTH = 3  # characters per character

_HTML_HINT = re.compile(
    r"<(!doctype|html|head|body|p|div|article|main|section|span|a|br|h[1-6]|ul|li|table|script|style)\b",
    re.IGNORECASE)
_DATELINE = re.compile(
    r"^(?P<place>[A-Z][A-Z.'\- ]{2,40}(?:,\s*[A-Z][\w.\- ]{1,30})?)\s*"
    r"\((?P<outlet>[^)]{2,30})\)\s*[-\u2013\u2014:]")
_BY = re.compile(r"^(by|written by)\s+", re.IGNORECASE)
_CREDIT_OUTLET = re.compile(r"^([A-Z][\w&.]{1,20})['\u2019]s\b.*\bcontributed\b")
_BLANK_LINE = re.compile(r"\n[ \t\u00a0]*\n")


def detect_kind(content: str) -> str:
    """'html' when the content looks like markup, else 'text'."""
    head = content[:4096]
    return "html" if len(_HTML_HINT.findall(head)) >= 2 or head.lstrip().startswith("<") else "text"


def sanitize(source: Source, verdicts: dict[str, str | None] | None = None) -> Extract:
    """Turn a source into the article's text blocks, metadata and removals.

    `verdicts` (block text -> furniture reason or None) is read and filled in:
    sanitizing both reports with one dict judges a block they share once."""
    if not source.content or not source.content.strip():
        raise EmptyInput("The document is empty: paste some text or HTML.")
    kind = source.kind if source.kind != "auto" else detect_kind(source.content)
    if kind == "html":
        page = htmlextract.extract(source.content)
        blocks, removed, meta = page.blocks, list(page.removed), dict(page.meta)
    else:
        blocks, removed, meta = split_blocks(source.content), [], {}
    extract = filter_blocks(blocks, removed, meta, kind, {} if verdicts is None else verdicts)
    if source.keep:
        extract = restore(extract, source.keep)
    if source.title:
        extract = replace(extract, title=source.title)
    if source.label:
        extract = replace(extract, outlet=source.label)
    return extract


def restore(extract: Extract, keep: tuple[str, ...]) -> Extract:
    """Put the removed blocks a user asked for back where they were (at the
    end when their place is unknown, as for whole HTML elements)."""
    wanted = set(keep)
    back = [r for r in extract.removed if r.text in wanted]
    if not back:
        return extract
    blocks = list(extract.blocks)
    end = len(blocks)
    for offset, r in enumerate(sorted(back, key=lambda r: end if r.position is None else r.position)):
        at = end if r.position is None else r.position
        blocks.insert(min(at + offset, len(blocks)), r.text)
    removed = tuple(r for r in extract.removed if r.text not in wanted)
    return replace(extract, blocks=tuple(blocks), removed=removed)


def split_blocks(text: str) -> list[str]:
    """Paragraph blocks of plain text: blank lines, else single newlines."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    parts = _BLANK_LINE.split(text) if _BLANK_LINE.search(text) else text.split("\n")
    blocks = [" ".join(p.split()) for p in parts]  # collapse_spaces, newlines included
    return [b for b in blocks if b]


def filter_blocks(blocks: list[str], removed: list[Removed], meta: dict, kind: str,
                  verdicts: dict[str, str | None]) -> Extract:
    """Apply the furniture rules block by block; find headline, byline, dateline."""
    kept: list[str] = []
    in_tail = after_label = False
    total = len(blocks)
    has_body = any(_is_body(b) for b in blocks)
    for i, block in enumerate(blocks):
        if block not in verdicts:
            verdicts[block] = furniture.furniture_reason(block)
        reason = verdicts[block]
        if not in_tail and furniture.starts_tail(reason) and kept and i >= total * TAIL_START_MIN:
            in_tail = True
        if in_tail:
            reason = reason or "related-links"
        elif reason is None and after_label and not furniture.looks_like_sentence(block):
            reason = "related-links"  # the teaser under a "Read more" label
        elif reason is None and not kept and has_body:
            reason = _lead_reason(block, meta, kind)
        if reason is None and meta.get("title") and _same_text(block, meta["title"]):
            reason = "title"
        after_label = furniture.starts_tail(reason)
        if reason is None:
            kept.append(block)
            continue
        if reason == "byline":
            _read_byline(block, meta)
        removed.append(Removed(block, reason, position=len(kept)))
    _find_dateline(kept, meta)
    return Extract(blocks=tuple(kept), removed=tuple(removed), kind=kind, **meta)


def _is_body(block: str) -> bool:
    return furniture.word_count(block) >= BODY_MIN_WORDS and furniture.looks_like_sentence(block)


def _lead_reason(block: str, meta: dict, kind: str) -> str | None:
    """Before the body starts, a short non-sentence block is headline or kicker."""
    words = furniture.word_count(block)
    if words > HEADLINE_MAX_WORDS or furniture.looks_like_sentence(block):
        return None
    if not meta.get("title") and words >= 3:
        meta["title"] = block
        return "title"
    if words <= 4:
        return "boilerplate"
    # In plain text any other heading-like block before the body is a standfirst:
    # keeping it would make sanitize not idempotent (a second pass would take it
    # for the headline). HTML marks its headline, so there such blocks stay.
    return "standfirst" if kind == "text" else None


def _read_byline(block: str, meta: dict) -> None:
    """Byline from "By ..." lines; outlet from "CNN's X contributed" credits."""
    if not meta.get("byline") and _BY.match(block):
        meta["byline"] = _BY.sub("", block)
    credit = _CREDIT_OUTLET.match(block)
    if credit and not meta.get("outlet"):
        meta["outlet"] = credit[1]


def _find_dateline(kept: list[str], meta: dict) -> None:
    if not kept:
        return
    match = _DATELINE.match(kept[0])
    if match:
        meta["dateline"] = meta.get("dateline") or match["place"].strip().title()
        meta["outlet"] = meta.get("outlet") or match["outlet"].strip()


def _same_text(a: str, b: str) -> bool:
    a, b = a.strip(), b.strip()
    if len(a) > CASEFOLD_MAX_GROWTH * len(b) or len(b) > CASEFOLD_MAX_GROWTH * len(a):
        return False  # too long to fold into the other (most blocks against a title)
    return a.casefold() == b.casefold()

