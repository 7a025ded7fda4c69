"""Sanitize: keep the article body of a source, drop and record furniture.

HTML goes through BeautifulSoup (see htmlextract.py) and comes out as text
blocks; plain text is split into blocks. Both then pass the same block
rules (furniture.py), which also find the headline, byline and dateline.

A block is judged in its context. Prose paragraphs (BODY_MIN_WORDS words,
ending like a sentence) fall into parts of the page wherever BODY_GAP_BLOCKS
blocks (labels, headings, link lists) separate them; the body runs from the
first to the last paragraph of the part with the most prose no rule flags
(a lead or last paragraph about cookies, newsletters or copyright belongs to
it; a site's appeal to its reader after the last paragraph does not). Inside
the body a block is not removed for the words it contains (a WORDS or APPEAL
rule, furniture.py) when it reads as a sentence; a widget-shaped one (no
sentence end) goes, marked unsure. A "Related"/"Tags" label after the body
starts the tail of teasers. In plain text, which has no markup to bound the
article, blocks after the body that do not end like a sentence are labels and
teaser headlines in any language, and sentences more than BODY_GAP_BLOCKS
blocks away from it, outside a part of more than STRAY_MAX_PARAGRAPHS
paragraphs, are a widget's text (cookie notice, newsletter pitch).

Confidence. Every removed block carries how sure the removal is, 0..1:
- 1.0 when the markup says so (<nav>, <footer>, <aside>, hidden) or the block
  is the headline again; 0.95 for an ARIA role; 0.9 for a class or id word,
  a whole-block label, and blocks outside the article's element (0.5 when such
  a block is a long prose paragraph: the element may be the wrong one);
  0.85 for link lists inside it, a short box around a form or buttons, and
  byline, credit and date shapes; 0.8 for a widget's words at the page's
  edges; 0.75 for the tail of teasers and labels after the body; 0.7 for a
  kicker before the body or text the page's JSON-LD replaced;
- 0.5 for a rule's match between body paragraphs, a prose paragraph swept
  into the tail and a stray sentence far from the body: the blocks the rules
  are least sure of.
Removals below UNSURE_BELOW are "unsure": the view shows them in place,
dimmed, as possibly page furniture, with one click to keep them.
"""

from __future__ import annotations

import re
from dataclasses import replace

from . import furniture
from .errors import EmptyInput
from .types import Extract, Removed, Source

# Blocks past this share of the document may start a teaser tail ("Related").
TAIL_START_MIN = 0.3  # fraction of blocks, 0..1
# A block with at least this many words that reads as prose starts the body.
BODY_MIN_WORDS = 12  # words
# Leading short blocks that do not end like a sentence are headline/kicker.
HEADLINE_MAX_WORDS = 30  # words

# Removals less sure than this are shown in place as "possibly page furniture".
UNSURE_BELOW = 0.6  # confidence, 0..1; the 0.5 cases of the docstring fall below it, nothing else
# (set from the rules' own confidences, not from an eval: the dev sets mark no removal unsure)
TITLE_CONFIDENCE = 1.0  # the block is the page's headline again
LABEL_CONFIDENCE = 0.9  # the whole block is a known label
SHAPE_CONFIDENCE = 0.85  # a byline, credit, caption or date stamp
WORDS_CONFIDENCE = 0.8  # a widget's words outside the body
TAIL_CONFIDENCE = 0.75  # a block of the teaser tail after a "Related" label
LEAD_CONFIDENCE = 0.7  # a short block before the body (kicker, standfirst)
IN_BODY_CONFIDENCE = 0.5  # a rule's match between body paragraphs
TAIL_PROSE_CONFIDENCE = 0.5  # a prose paragraph in the teaser tail
# Prose paragraphs this many blocks apart (labels, headings, teasers between them)
# belong to different parts of the page; the body is the part with the most prose.
BODY_GAP_BLOCKS = 4  # blocks; a subheading, a caption and an ad label (3) stay inside (dev
# F1 0.9327 at 3, 4 and 6; Zyte 0.9826, 0.9824, 0.9831; the plain-text topical pages need <= 7)
# A sentence more than BODY_GAP_BLOCKS blocks after the body (before it, in plain
# text), outside any part of more than this many paragraphs, is a widget's or
# teaser's text: a cookie notice, a newsletter pitch, an author bio.
STRAY_MAX_PARAGRAPHS = 2  # paragraphs
STRAY_CONFIDENCE = 0.5  # such a paragraph reads as prose: unsure
# A short heading right before a removed link list is that list's label ("Mehr zum
# Thema", "Lesen Sie auch"), in any language.
LIST_LABEL_CONFIDENCE = 0.8
RULE_CONFIDENCE = {furniture.LABEL: LABEL_CONFIDENCE, furniture.SHAPE: SHAPE_CONFIDENCE,
                   furniture.WORDS: WORDS_CONFIDENCE, furniture.APPEAL: WORDS_CONFIDENCE}

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


def sanitize(source: Source, verdicts: dict[str, Verdict] | None = None) -> Extract:
    """Turn a source into the article's text blocks, metadata and removals.

    `verdicts` (block text -> furniture.verdict, or None) is read and filled in:
    sanitizing both reports with one dict judges a block they share once."""
    if not source.content or not source.content.strip():
        raise EmptyInput("The document is empty: paste some text or HTML.")
    kind = source.kind if source.kind != "auto" else detect_kind(source.content)
    if kind == "html":
        from . import htmlextract  # BeautifulSoup: 86 ms of imports a plain-text comparison never needs

        page = htmlextract.extract(source.content)
        blocks, removed, meta, places = page.blocks, list(page.removed), dict(page.meta), page.places
    else:
        blocks, removed, meta = split_blocks(source.content), [], {}
        places = list(range(len(blocks) + 1))
    extract = filter_blocks(blocks, removed, meta, kind, {} if verdicts is None else verdicts, places)
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


Verdict = tuple[str, str] | None  # (reason, kind of rule) from furniture.verdict
_TOPIC_RULES = (furniture.WORDS, furniture.APPEAL)  # a paragraph may match these and be prose


def filter_blocks(blocks: list[str], removed: list[Removed], meta: dict, kind: str,
                  verdicts: dict[str, Verdict], places: list[int] | None = None) -> Extract:
    """Apply the furniture rules block by block in context; find headline, byline, dateline.
    `places`: each block's place on its page and the page's number of blocks
    (htmlextract.Page.places; default: the blocks' indexes)."""
    words = [furniture.word_count(block) for block in blocks]  # once: splitting is most of the rules' cost
    found = [_verdict(block, n, verdicts) for block, n in zip(blocks, words, strict=True)]
    places = places if places is not None else list(range(len(blocks) + 1))
    tail = _tail_start(blocks, words, found)
    first, last, stray = _body_span(blocks, words, found, tail, kind, places)
    kept: list[str] = []
    after_label = False
    for i, block in enumerate(blocks):
        reason, confidence = _judge(block, words[i], found[i], i >= tail, first <= i <= last)
        if i in stray:
            reason, confidence = "boilerplate", STRAY_CONFIDENCE
        elif reason is None:
            reason, confidence = _place_reason(block, words[i], kind, i > last >= first,
                                               places[i + 1] - places[i] > 1)
        if reason is None and after_label and not furniture.looks_like_sentence(block):
            reason, confidence = "related-links", TAIL_CONFIDENCE  # the teaser under a "Read more" label
        elif reason is None and not kept and first <= last:
            reason, confidence = _lead_reason(block, words[i], meta, kind), LEAD_CONFIDENCE
        if reason is None and meta.get("title") and _same_text(block, meta["title"]):
            reason, confidence = "title", TITLE_CONFIDENCE
        after_label = found[i] is not None and furniture.starts_tail(found[i][0])
        if reason is None:
            kept.append(block)
            continue
        if reason == "byline":
            _read_byline(block, meta)
        removed.append(Removed(block, reason, position=len(kept), confidence=confidence))
    _find_dateline(kept, meta)
    return Extract(blocks=tuple(kept), removed=tuple(removed), kind=kind, **meta)


def _verdict(block: str, n: int, verdicts: dict[str, Verdict]) -> Verdict:
    if block not in verdicts:
        verdicts[block] = furniture.verdict(block, n)
    return verdicts[block]


def _judge(block: str, n: int, verdict: Verdict, in_tail: bool, in_body: bool) -> tuple[str | None, float]:
    """A block's reason and confidence from its verdict and where it sits (`n`: its words)."""
    if in_tail:
        if verdict:
            return verdict[0], min(RULE_CONFIDENCE[verdict[1]], TAIL_CONFIDENCE)
        return "related-links", TAIL_PROSE_CONFIDENCE if _is_body(block, n) else TAIL_CONFIDENCE
    if verdict is None:
        return None, 1.0
    reason, rule = verdict
    if in_body and rule in _TOPIC_RULES:
        if furniture.looks_like_sentence(block):
            return None, 1.0  # a body paragraph is not furniture for the words it contains
        return reason, IN_BODY_CONFIDENCE
    return reason, RULE_CONFIDENCE[rule]


def _tail_start(blocks: list[str], words: list[int], found: list[Verdict]) -> int:
    """Index of the "Related"/"Tags" label that starts the teaser tail (len(blocks) if none):
    past TAIL_START_MIN of the blocks, after at least one body paragraph."""
    seen_body = False
    for i, (block, n, verdict) in enumerate(zip(blocks, words, found, strict=True)):
        if verdict is None:
            seen_body = seen_body or _is_body(block, n)
        elif seen_body and furniture.starts_tail(verdict[0]) and i >= len(blocks) * TAIL_START_MIN:
            return i
    return len(blocks)


def _body_span(blocks: list[str], words: list[int], found: list[Verdict], end: int, kind: str,
               places: list[int]) -> tuple[int, int, set[int]]:
    """First and last index of the body (module docstring; first > last when there is none),
    and the stray blocks around it that are furniture."""
    prose = [i for i in range(end)
             if (found[i] is None or found[i][1] in _TOPIC_RULES) and _is_body(blocks[i], words[i])]
    if not any(found[i] is None for i in prose):
        return end, -1, set()
    clusters: list[list[int]] = [[prose[0]]]
    for i in prose[1:]:
        if places[i] - places[clusters[-1][-1]] - 1 >= BODY_GAP_BLOCKS:
            clusters.append([])
        clusters[-1].append(i)
    main = max(clusters, key=lambda c: sum(len(blocks[i]) for i in c if found[i] is None))
    while found[main[-1]] is not None and found[main[-1]][1] == furniture.APPEAL:
        main.pop()  # a site's appeal after the last paragraph is not the body
    first, last = main[0], main[-1]
    if kind != "text":  # in HTML the article's element already bounds the body
        return first, last, set()
    big = {i for c in clusters if len(c) > STRAY_MAX_PARAGRAPHS for i in c}
    far = [i for i in range(len(blocks)) if i not in big and found[i] is None and furniture.looks_like_sentence(
        blocks[i]) and (i - last > BODY_GAP_BLOCKS or first - i > BODY_GAP_BLOCKS)]
    return first, last, set(far)


def _place_reason(block: str, n: int, kind: str, after_body: bool, before_links: bool) -> tuple[str | None, float]:
    """Labels known by where they are: after the body of plain text, or before a link list."""
    if after_body and kind == "text" and _trailing_label(block, n):
        return "related-links", TAIL_CONFIDENCE
    if before_links and _list_label(block, n):
        return "related-links", LIST_LABEL_CONFIDENCE
    return None, 1.0


def _list_label(block: str, n: int) -> bool:
    """A short heading that is not a sentence: followed by a link list, it is that list's label."""
    return n <= furniture.LABEL_MAX_WORDS and not furniture.looks_like_sentence(block)


def _trailing_label(block: str, n: int) -> bool:
    return not furniture.looks_like_sentence(block) and n <= HEADLINE_MAX_WORDS


def _is_body(block: str, n: int) -> bool:
    """A prose paragraph: `n` (its words) at least BODY_MIN_WORDS, ending like a sentence."""
    return n >= BODY_MIN_WORDS and furniture.looks_like_sentence(block)


def _lead_reason(block: str, words: int, meta: dict, kind: str) -> str | None:
    """Before the body starts, a short non-sentence block (of `words` words) is headline or kicker."""
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
    """Place and wire outlet of a "WASHINGTON (Reuters) -" dateline. A wire service signs
    with one word (its short name); more words in the brackets name a source, not the outlet."""
    if not kept:
        return
    match = _DATELINE.match(kept[0])
    if match:
        meta["dateline"] = meta.get("dateline") or match["place"].strip().title()
        outlet = match["outlet"].strip()
        if len(outlet.split()) == 1:  # "PARIS (Reuters) -"; not "PARIS (Federal Reserve) -"
            meta["outlet"] = meta.get("outlet") or outlet


def _same_text(a: str, b: str) -> bool:
    a, b = a.strip(), b.strip()
    if len(a) > CASEFOLD_MAX_GROWTH * len(b) or len(b) > CASEFOLD_MAX_GROWTH * len(a):
        return False  # too long to fold into the other (most blocks against a title)
    return a.casefold() == b.casefold()

