"""Main-content extraction from an HTML page with BeautifulSoup.

1. Read metadata (headline, byline, date, outlet) from meta tags and JSON-LD.
2. Drop elements that never hold article text (scripts, forms, nav, asides,
   elements whose class or id name a widget) and record the visible ones.
3. Score containers by the prose they hold (readability-style: long
   paragraphs with few links) and keep the best one plus its prose siblings.
4. Walk the kept tree iteratively (no recursion: pages can nest 100,000 deep)
   and emit one text block per block-level element.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from bs4 import BeautifulSoup, Comment, NavigableString, Tag
from bs4.element import CData, Declaration, Doctype, ProcessingInstruction

from .text import collapse_spaces
from .types import Removed

# Elements that never carry article text; dropped without a record.
SILENT_TAGS = (
    "script", "style", "noscript", "template", "svg", "math", "canvas", "object",
    "embed", "video", "audio", "picture", "img", "source", "link", "meta", "head",
    "input", "select", "textarea", "button", "option",
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
    "trending": "related-links", "popular": "related-links", "outbrain": "advertisement",
    "taboola": "advertisement", "ad": "advertisement", "ads": "advertisement",
    "advert": "advertisement", "advertisement": "advertisement", "sponsor": "advertisement",
    "sponsored": "advertisement", "promo": "advertisement", "dfp": "advertisement",
    "share": "navigation", "sharing": "navigation", "social": "navigation",
    "breadcrumb": "navigation", "breadcrumbs": "navigation", "menu": "navigation",
    "navbar": "navigation", "nav": "navigation", "navigation": "navigation",
    "sidebar": "related-links", "comments": "comments", "comment": "comments",
    "caption": "caption", "credit": "caption", "byline": "byline", "author": "byline",
    "tags": "tags", "tag": "tags", "topics": "tags", "banner": "advertisement",
    "modal": "popup", "popup": "popup", "overlay": "popup", "toolbar": "navigation",
    "masthead": "header", "footer": "footer", "header": "header",
}
ROLE_FURNITURE = {
    "navigation": "navigation", "banner": "header", "contentinfo": "footer",
    "complementary": "related-links", "search": "navigation", "dialog": "popup",
    "alert": "popup",
}
# Block-level elements: each starts a new text block.
BLOCK_TAGS = frozenset(
    "p div section article main h1 h2 h3 h4 h5 h6 li ul ol dl dt dd blockquote pre "
    "table tr td th figure address center hr body html".split()
)
PROSE_TAGS = ("p", "pre", "blockquote", "li", "h2", "h3", "h4", "td", "dd")
# A paragraph counts toward its container's score from this many characters.
MIN_PROSE_CHARS = 25  # characters
# Siblings of the best container join it when their score is this share of it.
SIBLING_SHARE = 0.2  # fraction of the best score, 0..1
# An element holding more than this share of the page's prose is never
# dropped by its class name (a "main-share-wrapper" may wrap the article).
PROTECT_SHARE = 0.5  # fraction of all prose characters, 0..1

_NON_TEXT = (Comment, CData, Declaration, Doctype, ProcessingInstruction)
_WORD_SPLIT = re.compile(r"[^a-z0-9]+")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_PARA_BREAK = re.compile(r"\n\s*\n")


@dataclass
class Page:
    blocks: list[str]
    removed: list[Removed] = field(default_factory=list)
    meta: dict = field(default_factory=dict)


def extract(html: str) -> Page:
    """The article blocks, removals and metadata of an HTML page."""
    soup = BeautifulSoup(html, "lxml")
    meta = read_metadata(soup)
    removed: list[Removed] = []
    drop_furniture(soup, removed)
    root = best_container(soup)
    blocks = [b for b in iter_blocks(root)]
    return Page(blocks=blocks, removed=removed, meta=meta)


def read_metadata(soup: BeautifulSoup) -> dict:
    """Headline, byline, date and outlet from meta tags, JSON-LD and the page."""
    def meta_content(*names: str) -> str | None:
        for name in names:
            tag = soup.find("meta", attrs={"property": name}) or soup.find("meta", attrs={"name": name})
            if tag and tag.get("content", "").strip():
                return collapse_spaces(tag["content"])
        return None

    ld = _json_ld_article(soup)
    h1 = soup.find("h1")
    title = (
        (collapse_spaces(h1.get_text(" ")) if h1 and h1.get_text(strip=True) else None)
        or meta_content("og:title", "twitter:title")
        or (ld or {}).get("headline")
        or (collapse_spaces(soup.title.get_text()) if soup.title and soup.title.string else None)
    )
    byline = meta_content("author", "article:author", "byl") or _ld_author(ld)
    date = meta_content("article:published_time", "datePublished", "date", "pubdate")
    date = date or (ld or {}).get("datePublished")
    outlet = meta_content("og:site_name", "application-name")
    meta = {"title": title, "byline": byline, "dateline": date, "outlet": outlet}
    return {k: str(v)[:300] for k, v in meta.items() if v}


def _json_ld_article(soup: BeautifulSoup) -> dict | None:
    for script in soup.find_all("script", attrs={"type": "application/ld+json"}):
        try:
            data = json.loads(script.string or "")
        except (ValueError, TypeError, RecursionError):
            continue
        for item in _ld_items(data):
            if isinstance(item, dict) and ("articleBody" in item or "headline" in item):
                return item
    return None


def _ld_items(data) -> list:
    if isinstance(data, list):
        return data
    if isinstance(data, dict) and isinstance(data.get("@graph"), list):
        return data["@graph"]
    return [data]


def _ld_author(ld: dict | None) -> str | None:
    author = (ld or {}).get("author")
    if isinstance(author, list):
        author = author[0] if author else None
    if isinstance(author, dict):
        author = author.get("name")
    return author if isinstance(author, str) else None


def drop_furniture(soup: BeautifulSoup, removed: list[Removed]) -> None:
    """Remove elements that are never article text; record the visible ones."""
    for tag in soup.find_all(SILENT_TAGS):
        tag.decompose()
    total = prose_chars(soup) or 1
    for tag in soup.find_all(True):
        if tag.decomposed or tag.parent is None:
            continue
        reason = furniture_element_reason(tag)
        if reason is None or prose_chars(tag) > PROTECT_SHARE * total:
            continue
        text = collapse_spaces(tag.get_text(" "))
        if text:
            removed.append(Removed(text, reason))
        tag.decompose()


def furniture_element_reason(tag: Tag) -> str | None:
    """Why an element is furniture, from its name, role, class and id."""
    if tag.name in STRUCTURAL_FURNITURE:
        return STRUCTURAL_FURNITURE[tag.name]
    attrs = tag.attrs or {}
    if attrs.get("hidden") is not None or attrs.get("aria-hidden") == "true":
        return "hidden"
    style = str(attrs.get("style", "")).replace(" ", "").lower()
    if "display:none" in style or "visibility:hidden" in style:
        return "hidden"
    role = str(attrs.get("role", "")).lower()
    if role in ROLE_FURNITURE:
        return ROLE_FURNITURE[role]
    if tag.name in ("body", "html", "article", "main"):
        return None
    for word in class_words(tag):
        if word in CLASS_WORDS:
            return CLASS_WORDS[word]
    return None


def class_words(tag: Tag) -> list[str]:
    """Words of an element's class and id attributes, lower case."""
    classes = tag.get("class") or []
    if isinstance(classes, str):
        classes = [classes]
    raw = " ".join([*classes, str(tag.get("id") or "")])
    return [w for w in _WORD_SPLIT.split(_CAMEL.sub(" ", raw).lower()) if w]


def prose_chars(tag: Tag) -> int:
    """Characters of prose paragraphs inside an element."""
    return sum(len(p.get_text()) for p in tag.find_all("p"))


def best_container(soup: BeautifulSoup) -> Tag:
    """The element holding the article: the best-scored container and its
    prose siblings, or the body when no container holds prose."""
    scores: dict[int, float] = {}
    nodes: dict[int, Tag] = {}
    for para in soup.find_all(PROSE_TAGS):
        text = para.get_text(" ", strip=True)
        if len(text) < MIN_PROSE_CHARS:
            continue
        score = (1 + text.count(",") + min(len(text) // 100, 3)) * (1 - link_density(para))
        for depth, ancestor in enumerate(_ancestors(para, 2)):
            key = id(ancestor)
            nodes[key] = ancestor
            scores[key] = scores.get(key, 0.0) + score / (1 + depth)
    body = soup.body or soup
    if not scores:
        return body
    best = nodes[max(scores, key=scores.get)]
    return _with_siblings(best, scores)


def _ancestors(tag: Tag, depth: int) -> list[Tag]:
    out = []
    node = tag.parent
    while node is not None and len(out) < depth and isinstance(node, Tag):
        out.append(node)
        node = node.parent
    return out


def _with_siblings(best: Tag, scores: dict[int, float]) -> Tag:
    """Wrap the best container with siblings that hold prose too."""
    parent = best.parent
    if parent is None:
        return best
    threshold = scores[id(best)] * SIBLING_SHARE
    keep = []
    for sib in parent.children:
        if sib is best:
            keep.append(sib)
        elif isinstance(sib, Tag) and scores.get(id(sib), 0.0) >= threshold:
            keep.append(sib)
        elif isinstance(sib, Tag) and sib.name == "p" and len(sib.get_text()) > 80 and link_density(sib) < 0.25:
            keep.append(sib)
    if len(keep) == 1:
        return best
    wrapper = BeautifulSoup("<div></div>", "lxml").div
    for node in keep:
        wrapper.append(node.extract())
    return wrapper


def link_density(tag: Tag) -> float:
    text = len(tag.get_text())
    if not text:
        return 0.0
    linked = sum(len(a.get_text()) for a in tag.find_all("a"))
    return min(linked / text, 1.0)


_BREAK = object()


def iter_blocks(root: Tag):
    """Yield one whitespace-collapsed text block per block-level element."""
    buf: list[str] = []
    stack: list = [root]
    while stack:
        node = stack.pop()
        if node is _BREAK:
            yield from _flush(buf)
            continue
        if isinstance(node, NavigableString):
            if not isinstance(node, _NON_TEXT):
                buf.append(str(node))
            continue
        if not isinstance(node, Tag):
            continue
        if node.name == "br":
            buf.append("\n")
            continue
        if node.name in BLOCK_TAGS:
            yield from _flush(buf)
            stack.append(_BREAK)
        stack.extend(reversed(node.contents))
    yield from _flush(buf)


def _flush(buf: list[str]):
    text = "".join(buf)
    buf.clear()
    for part in _PARA_BREAK.split(text):
        block = collapse_spaces(" ".join(part.split()))
        if block:
            yield block
