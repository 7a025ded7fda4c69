"""Main-content extraction from an HTML page with BeautifulSoup.

1. Read metadata (headline, byline, date, outlet, JSON-LD articleBody).
2. Drop elements that never hold article text (scripts, forms, nav, asides,
   hidden elements, elements whose class or id name a widget); record the
   visible ones with a reason.
3. Cut the rest of the page into text blocks (htmlblocks.py) and keep the
   blocks of the element that holds the most prose (density.py); record the
   blocks outside it and the link lists inside it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bs4 import BeautifulSoup, NavigableString, Tag

from . import furniture
from .density import PROSE_MIN_CHARS, best_root, normalize, usable_reference
from .htmlblocks import _NON_TEXT, Block, all_tags, iter_blocks, parse
from .metadata import read_metadata, stated_headlines
from .text import collapse_spaces
from .types import Removed

# Elements that never carry article text; dropped without a record. <rt> and <rp> are a
# ruby's reading aid (the kana over a kanji), not words of the text.
SILENT_TAGS = (
    "script", "style", "noscript", "template", "svg", "math", "canvas", "object",
    "embed", "video", "audio", "picture", "img", "source", "link", "meta", "head",
    "input", "select", "textarea", "button", "option", "rt", "rp",
)
# Structural page furniture, dropped and recorded with this reason.
STRUCTURAL_FURNITURE = {
    "nav": "navigation", "header": "header", "footer": "footer", "aside": "related-links",
    "form": "form", "iframe": "embed", "figcaption": "caption", "dialog": "popup",
}
# Words in class/id/role attributes that name a widget, with the reason.
# Matched against whole words of the attribute (split on - _ space and case).
CLASS_WORDS = {
    "cookie": "cookie-notice", "cookies": "cookie-notice", "consent": "cookie-notice",
    "gdpr": "cookie-notice", "newsletter": "newsletter", "subscribe": "newsletter",
    "signup": "newsletter", "paywall": "newsletter", "related": "related-links",
    "recommended": "related-links", "recommendations": "related-links",
    "trending": "related-links", "popular": "related-links", "ad": "advertisement", "ads": "advertisement",
    "advert": "advertisement", "advertisement": "advertisement", "sponsor": "advertisement",
    "sponsored": "advertisement", "promo": "advertisement",
    "share": "navigation", "sharing": "navigation", "social": "navigation",
    "breadcrumb": "navigation", "breadcrumbs": "navigation", "menu": "navigation",
    "navbar": "navigation", "nav": "navigation", "navigation": "navigation",
    "sidebar": "related-links", "comments": "comments", "comment": "comments",
    "caption": "caption", "credit": "caption", "byline": "byline", "author": "byline",
    "tags": "tags", "tag": "tags", "topics": "tags", "banner": "advertisement",
    "modal": "popup", "popup": "popup", "overlay": "popup", "tooltip": "popup", "popover": "popup",
    "hovercard": "popup", "rollover": "popup", "toolbar": "navigation",
    "masthead": "header", "footer": "footer", "header": "header",
}
ROLE_FURNITURE = {
    "navigation": "navigation", "banner": "header", "contentinfo": "footer",
    "complementary": "related-links", "search": "navigation", "dialog": "popup",
    "alert": "popup",
}
# Inside the article, a block with more of its text in links than this is a
# list of other stories; outside it, such a block is navigation.
KEEP_MAX_LINK_DENSITY = 0.5  # fraction of the block's characters, 0..1
# A paragraph of at least this many words that ends like a sentence may have this
# much of its text in links (linked names, sources) and still be prose: teaser
# headlines do not end in a full stop.
LINKED_PROSE_MIN_WORDS = 12  # words (sanitize.BODY_MIN_WORDS)
LINKED_PROSE_MAX_LINK_DENSITY = 0.8  # fraction of the block's characters, 0..1; Polish dev
# pages F1 0.897 at 0.8 (0.877 at 0.65, 0.897 at 0.9), all dev pages 0.9250 (0.9243 at 0.9)
# When the page's own JSON-LD articleBody has more than 1/this share more words
# than the extracted text (script-rendered pages), the articleBody is the text.
FALLBACK_SHARE = 0.5  # fraction of the articleBody's words, 0..1
# An element holding more than this share of the page's prose is never
# dropped by its class name (a "main-share-wrapper" may wrap the article).
PROTECT_SHARE = 0.5  # fraction of all prose characters, 0..1

# How sure each kind of HTML removal is, 0..1 (sanitize.py's docstring: how they combine).
MARKUP_CONFIDENCE = 1.0  # <nav>, <footer>, <aside>, hidden: the page says what the element is
ROLE_CONFIDENCE = 0.95  # an ARIA role says it
CLASS_CONFIDENCE = 0.9  # a word of the class or id names a widget
OUTSIDE_CONFIDENCE = 0.9  # a label, link list or short block outside the article's element
OUTSIDE_PROSE_CONFIDENCE = 0.5  # a prose paragraph outside it: the choice of element may be wrong
LINK_LIST_CONFIDENCE = 0.85  # a link-dense block inside the article's element
REPLACED_CONFIDENCE = 0.7  # page text the page's own JSON-LD articleBody replaced
AFTER_REFERENCE_CONFIDENCE = 0.7  # prose after the last paragraph the articleBody holds
# The articleBody is taken to hold the article when it holds this many of its paragraphs.
REFERENCE_MIN_PARAGRAPHS = 3  # paragraphs
# A form's box (heading, pitch, form or buttons: a newsletter box, a cookie banner, a
# comment box) is the control's nearest ancestors, up to this many levels, while they
# hold at most this many words.
FORM_TAGS = frozenset(("form", "button", "input", "select", "textarea"))
FORM_BOX_MAX_LEVELS = 3  # levels above the <form>
FORM_BOX_MAX_WORDS = 40  # words; a pitch is a heading and a sentence or two (dev F1 0.9327
# at 25 and 40, 0.9323 at 60; Zyte 0.9824 at each)
FORM_BOX_CONFIDENCE = 0.85  # a short box around a form
# A paragraph of at least this many words in the article's header (a <header> whose <h1> is
# the headline the meta tags state) is its standfirst, kept; a kicker or byline is shorter.
STANDFIRST_MIN_WORDS = 12  # words (sanitize.BODY_MIN_WORDS); dev F1 0.9401 at 6 and 12, 0.9397
# at 20; Zyte 0.9823, 0.9824, 0.9824 (Zyte's truth leaves standfirsts out, trafilatura's keeps them)
# Where a page without an <h1> puts its headline.
HEADLINE_TAGS = ("h1", "h2", "h3")
# A headline of at least this many words matches a longer stated title it starts
# ("Budget passes | City Times"); a one-word logo does not.
HEADLINE_MATCH_MIN_WORDS = 3  # words
# After the article's last prose paragraph, blocks of at most this many words that do not
# end like a sentence, outside that paragraph's parent, are labels, buttons and teasers.
TRAILING_LABEL_MAX_WORDS = 20  # words; dev F1 0.9447 at 8, 0.9450 at 12, 0.9461 at 20 and 40
# (0.9439 without the rule); Zyte 0.9826 at each (0.9827 without)
TRAILING_LABEL_CONFIDENCE = 0.75
# Items of a list or table at the article's end are its content (steps, specifications).
LIST_ITEM_TAGS = frozenset(("li", "dt", "dd", "td", "th"))
# A block outside the article's element with at least this many characters and
# few links reads as prose (density.PROSE_MIN_CHARS is the shortest paragraph).
OUTSIDE_PROSE_MIN_CHARS = 200  # characters

_LINES = re.compile(r"\s*\n\s*")
# A class name with a hash in it was made by a CSS tool, not chosen by a person: its
# words are accidents. A hash is a run of letters and digits of at least HASH_MIN_CHARS
# with at least two letters after its first digit ("z4kqwb", "1tcxgp3"; not "sidebar2020",
# "300x250" or "post-27529").
HASH_MIN_CHARS = 6  # characters
# In a BEM name ("Report__Section--Ads") what follows "--" is a variant of the element, not
# what it is: a section of a report that carries ads is still the report.
BEM_MODIFIER = "--"
_ALNUM_RUN = re.compile(r"[A-Za-z0-9]+")
_WORD_SPLIT = re.compile(r"[^a-z0-9]+")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")


@dataclass
class Page:
    blocks: list[str]
    removed: list[Removed] = field(default_factory=list)
    meta: dict = field(default_factory=dict)
    # Each block's place among the article element's blocks, link lists included: how
    # far apart two blocks were on the page (sanitize.BODY_GAP_BLOCKS); one more entry
    # at the end is the number of those blocks.
    places: list[int] = field(default_factory=list)


def extract(html: str) -> Page:
    """The article blocks, removals and metadata of an HTML page."""
    soup = parse(html)
    tags = all_tags(soup)
    meta, article_body = read_metadata(soup, tags)
    removed: list[Removed] = []
    drop_furniture(soup, tags, removed, stated_headlines(soup, tags))
    top = soup.body or soup
    blocks = list(iter_blocks(top))
    reference = usable_reference(article_body)
    root, after = best_root(top, blocks, reference)
    kept, places = keep_article(blocks, root, removed, after)
    if reference and _words(kept) < FALLBACK_SHARE * len(reference.split()):
        removed.extend(Removed(text, "boilerplate", confidence=REPLACED_CONFIDENCE) for text in kept)
        kept = reference_blocks(article_body or "")
        places = list(range(len(kept) + 1))
    elif reference:
        kept, places = after_reference(kept, places, reference, removed)
    return Page(blocks=kept, removed=removed, meta=meta, places=places)


def after_reference(kept: list[str], places: list[int], reference: str,
                    removed: list[Removed]) -> tuple[list[str], list[int]]:
    """When the page's JSON-LD articleBody holds the article's paragraphs, the blocks after
    the last of them that it does not hold are not the article (teasers, appeals)."""
    found = [i for i, text in enumerate(kept) if len(text) >= PROSE_MIN_CHARS and normalize(text) in reference]
    if len(found) < REFERENCE_MIN_PARAGRAPHS:
        return kept, places
    end = found[-1] + 1
    removed.extend(Removed(text, "boilerplate", confidence=AFTER_REFERENCE_CONFIDENCE) for text in kept[end:]
                   if len(text) >= PROSE_MIN_CHARS and normalize(text) not in reference)
    tail = [i for i in range(end, len(kept)) if len(kept[i]) < PROSE_MIN_CHARS or normalize(kept[i]) in reference]
    keep = list(range(end)) + tail
    return [kept[i] for i in keep], [places[i] for i in keep] + [places[-1]]


def keep_article(blocks: list[Block], root: Tag, removed: list[Removed],
                 after: list[Tag] = ()) -> tuple[list[str], list[int]]:
    """Texts of the blocks inside `root`, but not inside `after`, that are not link lists,
    with their places (Page.places); record the rest."""
    inside = {id(root), *(id(t) for t in all_tags(root))}
    inside -= {id(t) for tag in after for t in (tag, *all_tags(tag))}
    kept, places, place, owners = [], [], 0, []
    for block in blocks:
        if id(block.owner) not in inside:
            removed.append(Removed(block.text, outside_reason(block), confidence=outside_confidence(block)))
            continue
        if reason := link_reason(block):
            removed.append(Removed(block.text, reason, confidence=LINK_LIST_CONFIDENCE))
        else:
            kept.append(block.text)
            places.append(place)
            owners.append(block.owner)
        place += 1
    places.append(place)
    end = trailing_labels(kept, owners)
    removed.extend(Removed(kept[i], "related-links" if places[i + 1] - places[i] > 1 else "boilerplate",
                           confidence=TRAILING_LABEL_CONFIDENCE) for i in range(end, len(kept)))
    return kept[:end], [*places[:end], places[end]]  # the labels after the text were no link list


def trailing_labels(texts: list[str], owners: list[Tag]) -> int:
    """Where the labels after the article's last prose paragraph start (len(texts) when none):
    short blocks (TRAILING_LABEL_MAX_WORDS) that do not end like a sentence, in other
    containers than that paragraph's siblings ("Print", "Permalink", a link list's heading).
    A sign-off written as one more paragraph beside the others stays, and so do list items."""
    last = next((i for i in range(len(texts) - 1, -1, -1) if len(texts[i].split()) >= LINKED_PROSE_MIN_WORDS
                 and furniture.looks_like_sentence(texts[i])), None)
    end = len(texts)
    while last is not None and end - 1 > last and not (
            len(texts[end - 1].split()) > TRAILING_LABEL_MAX_WORDS or furniture.looks_like_sentence(texts[end - 1])
            or is_sibling_paragraph(owners[end - 1], owners[last]) or owners[end - 1].name in LIST_ITEM_TAGS):
        end -= 1
    return end


def is_sibling_paragraph(tag: Tag, paragraph: Tag) -> bool:
    """Whether `tag` is a paragraph of the same element as `paragraph` (a sign-off, a last line)."""
    return tag.name == paragraph.name and tag.parent is paragraph.parent


def reference_blocks(text: str) -> list[str]:
    """Paragraphs of a JSON-LD articleBody (plain text or markup)."""
    if "<" in text:
        return [b.text for b in iter_blocks(parse(text))]
    return [b for b in (collapse_spaces(line) for line in _LINES.split(text)) if b]


def _words(texts: list[str]) -> int:
    return sum(len(t.split()) for t in texts)


def outside_reason(block: Block) -> str:
    """Why a block outside the article container was left out."""
    return "navigation" if block.link_density > KEEP_MAX_LINK_DENSITY else "boilerplate"


def outside_confidence(block: Block) -> float:
    """A prose paragraph outside the article's element is an unsure removal."""
    prose = len(block.text) >= OUTSIDE_PROSE_MIN_CHARS and block.link_density <= KEEP_MAX_LINK_DENSITY
    return OUTSIDE_PROSE_CONFIDENCE if prose else OUTSIDE_CONFIDENCE


def link_reason(block: Block) -> str | None:
    """Inside the article, a block that is mostly links is a list of other stories;
    a sentence-long paragraph whose names are links is prose (LINKED_PROSE_MAX_LINK_DENSITY)."""
    density = block.link_density
    if density <= min(KEEP_MAX_LINK_DENSITY, LINKED_PROSE_MAX_LINK_DENSITY):
        return None  # under both limits (most paragraphs have no link): no words to count
    limit = KEEP_MAX_LINK_DENSITY
    if len(block.text.split()) >= LINKED_PROSE_MIN_WORDS and furniture.looks_like_sentence(block.text):
        limit = LINKED_PROSE_MAX_LINK_DENSITY
    return "related-links" if density > limit else None


def drop_furniture(soup: BeautifulSoup, tags: list[Tag], removed: list[Removed],
                   headlines: frozenset[str] = frozenset()) -> None:
    """Remove elements that are never article text; record the visible ones.
    `tags` is every element of the page, in document order; `headlines` the headline as
    the page's meta tags state it (metadata.stated_headlines)."""
    boxes = form_boxes(tags)
    for tag in tags:
        if tag.name in SILENT_TAGS:
            tag.extract()
    total = sum(len(p.get_text()) for p in tags if p.name == "p") or 1
    stack: list[Tag] = [soup]
    while stack:  # iterative: a dropped element's subtree is never visited
        tag = stack.pop()
        found = boxes.get(id(tag)) or (furniture_element_reason(tag) if tag is not soup else None)
        if found is None or prose_chars(tag) > PROTECT_SHARE * total or holds_headline(tag, found, headlines):
            stack.extend(child for child in reversed(tag.contents) if isinstance(child, Tag))
            continue
        if tag.name == "header" and holds_stated_headline(tag, headlines):
            lift_standfirst(tag)
        text = collapse_spaces(tag.get_text(" "))
        if text:
            removed.append(Removed(text, found[0], confidence=found[1]))
        tag.decompose()


def holds_stated_headline(tag: Tag, headlines: frozenset[str], levels: tuple[str, ...] = ("h1",)) -> bool:
    """Whether an element's first heading of `levels` is the headline the page's meta tags
    state (not a site's logo)."""
    heading = tag.find(levels)
    if heading is None:
        return False
    text = normalize(heading.get_text(" "))
    return bool(text) and any(same_headline(text, h) for h in headlines)


def same_headline(a: str, b: str) -> bool:
    """Two normalized headlines are one when equal, or when the longer starts with the shorter
    of at least HEADLINE_MATCH_MIN_WORDS words (a title with the site's name after it)."""
    short, long_ = sorted((a, b), key=len)
    return a == b or (long_.startswith(short + " ") and len(short.split()) >= HEADLINE_MATCH_MIN_WORDS)


def lift_standfirst(header: Tag) -> None:
    """The article's own header keeps its standfirst: its paragraphs of STANDFIRST_MIN_WORDS
    (a standfirst need not end in a full stop) move out before it, in order; the kicker,
    byline and date stay in it and go with it."""
    for p in header.find_all("p"):
        text = collapse_spaces(p.get_text(" "))
        if len(text.split()) >= STANDFIRST_MIN_WORDS:
            header.insert_before(p.extract())


def form_boxes(tags: list[Tag]) -> dict[int, tuple[str, float]]:
    """The short boxes around forms and buttons (FORM_BOX_MAX_WORDS), by id, with a reason
    from their text."""
    boxes: dict[int, tuple[str, float]] = {}
    for form in (t for t in tags if is_control(t)):
        box, node = None, form.parent
        for _ in range(FORM_BOX_MAX_LEVELS):
            if node is None or node.name in ("body", "html", "article", "main"):
                break
            if id(node) in boxes or more_words_than(node, FORM_BOX_MAX_WORDS):
                break
            box, node = node, node.parent
        if box is not None:
            reason = furniture.furniture_reason(collapse_spaces(box.get_text(" "))) or "form"
            boxes[id(box)] = (reason, FORM_BOX_CONFIDENCE)
    return boxes


def is_control(tag: Tag) -> bool:
    """A form's field or a button: a form element, an element with role="button", or one
    other than a link that runs a script when clicked (a rating's stars, a close box)."""
    return tag.name in FORM_TAGS or tag.get("role") == "button" or (
        tag.name != "a" and tag.get("onclick") is not None)


def more_words_than(tag: Tag, limit: int) -> bool:
    """Whether an element's text has more than `limit` words, reading no further than needed."""
    count = 0
    for node in tag.descendants:
        if isinstance(node, NavigableString) and not isinstance(node, _NON_TEXT):
            count += len(node.split())
            if count > limit:
                return True
    return False


def furniture_element_reason(tag: Tag) -> tuple[str, float] | None:
    """Why an element is furniture, from its name, role, class and id, and how sure that is."""
    if tag.name in STRUCTURAL_FURNITURE:
        return STRUCTURAL_FURNITURE[tag.name], MARKUP_CONFIDENCE
    attrs = tag.attrs
    if not attrs:  # most elements of a page (its paragraphs) have no attributes to read
        return None
    if attrs.get("hidden") is not None or attrs.get("aria-hidden") == "true":
        return "hidden", MARKUP_CONFIDENCE
    style = str(attrs.get("style", "")).replace(" ", "").lower()
    if "display:none" in style or "visibility:hidden" in style:
        return "hidden", MARKUP_CONFIDENCE
    role = str(attrs.get("role", "")).lower()
    if role in ROLE_FURNITURE:
        return ROLE_FURNITURE[role], ROLE_CONFIDENCE
    if tag.name in ("body", "html", "article", "main"):
        return None
    for word in class_words(tag):
        if word in CLASS_WORDS:
            return CLASS_WORDS[word], CLASS_CONFIDENCE
    return None


def is_generated(name: str) -> bool:
    """Whether a class or id holds a tool's hash (HASH_MIN_CHARS)."""
    for run in _ALNUM_RUN.findall(name):
        digit = next((i for i, c in enumerate(run) if c.isdigit()), None)
        if len(run) >= HASH_MIN_CHARS and digit is not None and sum(c.isalpha() for c in run[digit:]) >= 2:
            return True
    return False


def class_words(tag: Tag) -> list[str]:
    """Words of an element's class and id attributes, lower case; names a tool generated
    ("tagStyle_z4kqwb", a style's hash) and BEM modifiers say nothing about the element."""
    classes = tag.get("class") or []
    if isinstance(classes, str):
        classes = [classes]
    names = [c.split(BEM_MODIFIER)[0] for c in (*classes, str(tag.get("id") or "")) if not is_generated(c)]
    return [w for w in _WORD_SPLIT.split(_CAMEL.sub(" ", " ".join(names)).lower()) if w]


def holds_headline(tag: Tag, found: tuple[str, float], headlines: frozenset[str] = frozenset()) -> bool:
    """A class name's or role's verdict does not drop the element that holds the page's headline
    (a blog's article element is classed "post tag-news category-sport"): its <h1>, or the
    first heading (HEADLINE_TAGS) when it is the headline the meta tags state."""
    if found[1] < MARKUP_CONFIDENCE and tag.find("h1") is not None:
        return True
    return found[1] < MARKUP_CONFIDENCE and holds_stated_headline(
        tag, headlines, HEADLINE_TAGS)


def prose_chars(tag: Tag) -> int:
    """Characters of prose paragraphs inside an element."""
    return sum(len(p.get_text()) for p in tag.find_all("p"))
