"""What an HTML page says about its article: headline, byline, date, outlet,
and the article text itself when JSON-LD carries it (`articleBody`)."""

from __future__ import annotations

import json

from bs4 import BeautifulSoup, Tag

from .text import collapse_spaces

# Metadata values are cut to this length (a runaway meta tag is not a title).
META_MAX_CHARS = 300  # characters
# JSON-LD @type values that describe an article.
ARTICLE_TYPES = frozenset(
    "Article NewsArticle ReportageNewsArticle AnalysisNewsArticle OpinionNewsArticle BlogPosting "
    "LiveBlogPosting ScholarlyArticle TechArticle Report WebPage".split()
)
TITLE_META = ("og:title", "twitter:title", "title", "dc.title")
AUTHOR_META = ("author", "article:author", "byl", "dc.creator", "sailthru.author", "parsely-author")
DATE_META = ("article:published_time", "datePublished", "date", "pubdate", "publish-date",
             "dc.date", "dc.date.issued", "sailthru.date", "parsely-pub-date", "og:published_time")
OUTLET_META = ("og:site_name", "application-name", "publisher", "twitter:site")


def read_metadata(soup: BeautifulSoup, tags: list[Tag] | None = None) -> tuple[dict, str | None]:
    """Metadata fields (title, byline, dateline, outlet) and the JSON-LD article body.

    `tags` is every element of the page in document order (one walk, shared
    with the caller; searching a 100,000-deep page again costs seconds)."""
    tags = tags if tags is not None else list(soup.find_all(True))
    ld = json_ld_article(tags)
    meta = {
        "title": _title(soup, tags, ld),
        "byline": _meta(tags, AUTHOR_META) or _ld_name(ld.get("author")) or _itemprop(tags, "author"),
        "dateline": _meta(tags, DATE_META) or _ld_str(ld.get("datePublished")) or _time(tags),
        "outlet": _meta(tags, OUTLET_META) or _ld_name(ld.get("publisher")),
    }
    meta = {k: collapse_spaces(str(v))[:META_MAX_CHARS] for k, v in meta.items() if v}
    body = ld.get("articleBody")
    return meta, body if isinstance(body, str) else None


def _first(tags: list[Tag], name: str, **attrs) -> Tag | None:
    for tag in tags:
        if tag.name == name and all(tag.get(k) is not None for k in attrs):
            return tag
    return None


def _meta(tags: list[Tag], names: tuple[str, ...]) -> str | None:
    wanted = {n.lower(): i for i, n in enumerate(names)}
    found: dict[int, str] = {}
    for tag in (t for t in tags if t.name == "meta"):
        key = str(tag.get("property") or tag.get("name") or tag.get("itemprop") or "").lower()
        content = str(tag.get("content") or "").strip()
        if key in wanted and content and not content.startswith("http"):
            found.setdefault(wanted[key], content)
    return found[min(found)] if found else None


def _title(soup: BeautifulSoup, tags: list[Tag], ld: dict) -> str | None:
    h1 = _first(tags, "h1")
    if h1 is not None and h1.get_text(strip=True):
        return h1.get_text(" ")
    return _meta(tags, TITLE_META) or _ld_str(ld.get("headline")) or (
        soup.title.get_text() if soup.title and soup.title.get_text(strip=True) else None)


def _itemprop(tags: list[Tag], name: str) -> str | None:
    tag = next((t for t in tags if t.get("itemprop") == name), None)
    if tag is None:
        return None
    inner = tag.find(attrs={"itemprop": "name"}) if isinstance(tag, Tag) else None
    text = (inner or tag).get_text(" ", strip=True)
    return text if 0 < len(text.split()) <= 10 else None


def _time(tags: list[Tag]) -> str | None:
    tag = _first(tags, "time", datetime=True)
    return str(tag["datetime"]) if tag is not None else None


def json_ld_article(tags: list[Tag]) -> dict:
    """The JSON-LD item that carries the article's body, else the first that
    describes an article, or {}."""
    articles = []
    for script in (t for t in tags if t.name == "script" and t.get("type") == "application/ld+json"):
        try:
            data = json.loads(script.string or "")
        except (ValueError, TypeError, RecursionError):
            continue
        for item in _ld_items(data):
            if isinstance(item, dict) and isinstance(item.get("articleBody"), str):
                return item
            if isinstance(item, dict) and _ld_type(item) & ARTICLE_TYPES:
                articles.append(item)
    return articles[0] if articles else {}


def _ld_type(item: dict) -> set[str]:
    kind = item.get("@type")
    return {str(k) for k in kind} if isinstance(kind, list) else {str(kind)}


def _ld_items(data) -> list:
    items = data if isinstance(data, list) else [data]
    out = []
    for item in items:
        if isinstance(item, dict) and isinstance(item.get("@graph"), list):
            out.extend(item["@graph"])
        else:
            out.append(item)
    return out


def _ld_name(value) -> str | None:
    if isinstance(value, list):
        names = [_ld_name(v) for v in value]
        return ", ".join(n for n in names if n) or None
    if isinstance(value, dict):
        value = value.get("name")
    return value if isinstance(value, str) and value.strip() else None


def _ld_str(value) -> str | None:
    return value if isinstance(value, str) and value.strip() else None
