"""What an HTML page says about its article: headline, byline, date, outlet,
and the article text itself when JSON-LD carries it (`articleBody`).

The outlet is what the page says it is: og:site_name, then the JSON-LD
publisher's name, then other site-name meta tags, then the host of the page's
own address (og:url, else the canonical link). sanitize.py guesses from the
text only when the page says nothing. The headline is the first of <h1>,
og:title, twitter:title, JSON-LD headline and <title> that is not the site's
name, with a " | Site" or " - Site" end cut off.
"""

from __future__ import annotations

import json
import re

from bs4 import BeautifulSoup, Tag

from .density import normalize
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
OUTLET_META = ("og:site_name",)
# Site-name meta tags less sure than og:site_name and JSON-LD publisher (after both).
OUTLET_META_FALLBACK = ("application-name", "publisher", "twitter:site")
URL_META = ("og:url", "twitter:url")
_HOST = re.compile(r"^https?://(?:www\.)?([^/:?#\s]+)", re.IGNORECASE)
# Between a headline and the site's name at the end of a <title>: "Headline | Site".
_TITLE_SEPARATORS = (" | ", " - ", " \u2013 ", " \u2014 ", " :: ", " \u00b7 ")


def read_metadata(soup: BeautifulSoup, tags: list[Tag] | None = None) -> tuple[dict, str | None]:
    """Metadata fields (title, byline, dateline, outlet) and the JSON-LD article body.

    `tags` is every element of the page in document order (one walk, shared
    with the caller; searching a 100,000-deep page again costs seconds)."""
    tags = tags if tags is not None else list(soup.find_all(True))
    ld = json_ld_article(tags)
    outlet = outlet_name(tags, ld)
    meta = {
        "title": _title(soup, tags, ld, outlet),
        "byline": _meta(tags, AUTHOR_META) or _ld_name(ld.get("author")) or _itemprop(tags, "author"),
        "dateline": _meta(tags, DATE_META) or _ld_str(ld.get("datePublished")) or _time(tags),
        "outlet": outlet,
    }
    meta = {k: collapse_spaces(str(v))[:META_MAX_CHARS] for k, v in meta.items() if v}
    body = ld.get("articleBody")
    return meta, body if isinstance(body, str) else None


def stated_headlines(soup: BeautifulSoup, tags: list[Tag]) -> frozenset[str]:
    """The headline as the page's meta tags and <title> state it, words only and lower case
    (density.normalize): what tells the article's <h1> from a site's logo."""
    found = [str(t.get("content") or "") for t in tags if t.name == "meta"
             and str(t.get("property") or t.get("name") or "").lower() in TITLE_META]
    if soup.title:
        found.append(soup.title.get_text())
    return frozenset(n for n in map(normalize, found) if n)


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


def outlet_name(tags: list[Tag], ld: dict) -> str | None:
    """The site's name as the page states it (module docstring), or None."""
    named = _meta(tags, OUTLET_META) or _ld_name(ld.get("publisher")) or _meta(tags, OUTLET_META_FALLBACK)
    if named:
        return named.lstrip("@").strip() or None
    return page_host(tags)


def page_host(tags: list[Tag]) -> str | None:
    """The host of the page's own address (og:url, else <link rel=canonical>), without www."""
    urls = [str(t.get("content") or "") for t in tags if t.name == "meta"
            and str(t.get("property") or t.get("name") or "").lower() in URL_META]
    urls += [str(t.get("href") or "") for t in tags if t.name == "link" and "canonical" in (t.get("rel") or ())]
    for url in urls:
        match = _HOST.match(url.strip())
        if match:
            return match[1].lower()
    return None


def _title(soup: BeautifulSoup, tags: list[Tag], ld: dict, outlet: str | None) -> str | None:
    """The first headline candidate that is not the site's name (module docstring)."""
    h1s = [t.get_text(" ") for t in tags if t.name == "h1"]
    page_title = soup.title.get_text() if soup.title else None
    for candidate in (*h1s[:3], _meta(tags, TITLE_META), _ld_str(ld.get("headline")), page_title):
        title = _without_site(candidate or "", outlet)
        if title:
            return title
    return None


def _without_site(title: str, outlet: str | None) -> str | None:
    """The title without a " | Site" end (or "Site | " start); None when it is empty or only the site's name."""
    title = collapse_spaces(title)
    if not outlet:
        return title or None
    site = _site_key(outlet)
    for separator in _TITLE_SEPARATORS:
        head, _, tail = title.rpartition(separator)
        if head and _site_key(tail) == site:
            title = head.strip()
            break
        head, _, tail = title.partition(separator)
        if tail and _site_key(head) == site:
            title = tail.strip()
            break
    return None if not title or _site_key(title) == site else title


def _site_key(name: str) -> str:
    """A site's name compared without case, spaces, punctuation or a domain ending ("Example News.com")."""
    key = re.sub(r"\W+", "", name.casefold())
    return re.sub(r"(com|org|net|co\w{0,3}|de|fr|es|pl|it)$", "", key) if "." in name else key


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
