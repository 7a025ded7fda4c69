"""Where the article is: the element whose blocks add up to the most prose.

Every text block gets a weight: prose (long, few links) counts for its
length, link lists and short labels count against. An element's score is the
sum over the blocks inside it, so the best element holds all the article's
paragraphs, even when they are spread over sibling containers, and as little
furniture as possible. When the page states its article text (JSON-LD
`articleBody`, often truncated or in markup), blocks found in it count extra.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from bs4 import Tag

from .htmlblocks import Block, all_tags, parse

# A block shorter than this is a label, date or button, not a paragraph.
PROSE_MIN_CHARS = 40  # characters (about 7 words; enough for a short quote)
# A block with more of its text inside links than this is navigation.
PROSE_MAX_LINK_DENSITY = 0.35  # fraction of the block's characters, 0..1
# How much a character of link-heavy text counts against its container,
# relative to a character of prose counting for it.
LINK_WEIGHT = 0.6  # 0..2; higher favours tighter containers
# How much a character of a short non-link block counts against: a little, since an
# article's own subheadings, ingredient lists and table cells are short too.
SHORT_WEIGHT = 0.05  # 0..1; dev F1 0.9432 at 0 and 0.05, 0.9428 at 0.1, 0.9417 at 0.2, 0.9381
# at 0.5; Zyte 0.9824 at each
# A reference text (JSON-LD articleBody) is used when it has this many words.
REFERENCE_MIN_WORDS = 50  # words
# Blocks of at least this many characters are looked up in the reference.
REFERENCE_MIN_CHARS = 20  # characters
# A block found in the reference weighs this many times its length.
REFERENCE_WEIGHT = 2.0  # 1..5

# When one child of the best element holds at least this share of its prose, the
# child's later siblings (a cookie notice's or a bio's paragraph, teasers) are not
# the article; earlier ones (headline, standfirst) stay.
DOMINANT_SHARE = 0.8  # fraction of the element's positive block weight, 0..1; evaldata-dev F1
# 0.9216 at 0.8 (0.9214 at 0.7, 0.9159 at 0.9; without the rule 0.9036), Zyte 0.982 at each

# Paragraph-level elements are never the article container themselves.
PARAGRAPH_TAGS = frozenset("p h1 h2 h3 h4 h5 h6 li dt dd blockquote pre figcaption a span b i em strong".split())

_NORM = re.compile(r"\W+")


def normalize(text: str) -> str:
    """Words only, lower case: how blocks are looked up in a reference."""
    return _NORM.sub(" ", text).strip().casefold()


def block_weight(block: Block, reference: str | None = None) -> float:
    """How much a block says "article here" (positive) or "furniture" (negative)."""
    n = len(block.text)
    if reference is not None and n >= REFERENCE_MIN_CHARS and normalize(block.text) in reference:
        return n * REFERENCE_WEIGHT
    if block.link_density > PROSE_MAX_LINK_DENSITY:
        return -n * LINK_WEIGHT
    if n >= PROSE_MIN_CHARS:
        return n * (1 - block.link_density)
    return -n * SHORT_WEIGHT


def usable_reference(text: str | None) -> str | None:
    """The normalized reference text, or None when it is too short to trust."""
    if text and "<" in text:
        text = parse(text).get_text(" ")
    if not text or len(text.split()) < REFERENCE_MIN_WORDS:
        return None
    return normalize(text)


def best_root(top: Tag, blocks: Iterable[Block], reference: str | None = None) -> tuple[Tag, list[Tag]]:
    """The element under `top` whose blocks weigh the most (deepest on ties), and the
    elements inside it that follow the article (DOMINANT_SHARE)."""
    own: dict[int, float] = {}
    prose: dict[int, float] = {}  # positive weight only: how much article text is inside
    for block in blocks:
        key, weight = id(block.owner), block_weight(block, reference)
        own[key] = own.get(key, 0.0) + weight
        prose[key] = prose.get(key, 0.0) + max(weight, 0.0)
    best, best_score = top, float("-inf")
    tags = [top, *all_tags(top)]
    for tag in reversed(tags):  # children come after their parent in document order
        score = own.get(id(tag), 0.0)
        if score > best_score and tag.name not in PARAGRAPH_TAGS:
            best, best_score = tag, score
        if tag is not top and tag.parent is not None:
            parent = id(tag.parent)
            own[parent] = own.get(parent, 0.0) + score
            prose[parent] = prose.get(parent, 0.0) + prose.get(id(tag), 0.0)
    return best, after_dominant(best, prose)


def after_dominant(tag: Tag, prose: dict[int, float]) -> list[Tag]:
    """While one child element holds DOMINANT_SHARE of an element's prose, descend into
    it; the siblings after it, at every level, are what follows the article."""
    after: list[Tag] = []
    while True:
        total = prose.get(id(tag), 0.0)
        children = [c for c in tag.children if isinstance(c, Tag)]
        child = max(children, key=lambda c: prose.get(id(c), 0.0), default=None)
        if child is None or child.name in PARAGRAPH_TAGS or total <= 0 or (
                prose.get(id(child), 0.0) < DOMINANT_SHARE * total):
            return after
        after.extend(children[children.index(child) + 1:])
        tag = child
