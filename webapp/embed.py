"""The embeddable comparison: /embed/<id> (chrome-less, for iframes), its theme, and oEmbed.

Theme: a CMS passes colours as query parameters from THEME_PROPERTIES (e.g.
/embed/<id>?accent=%23cc0000&bg=%23fffff0). The CSP forbids inline styles, so the page links a
generated stylesheet, /embed/theme.css?<the same parameters>, that sets the matching --cd-*
custom properties of static/app.css. Only hex colours are accepted; anything else is a 400.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

from flask import Blueprint, Response, has_request_context, request, url_for
from markupsafe import escape

from . import inputs, service, views
from .errors import BadRequest, NotFound
from .htmx import page_or_fragment
from .service import Stored, app_store
from .urls import external_url, public_host
from .viewmodel import FILTERS, Links, comparison_view, requested_filter

bp = Blueprint("embed", __name__)

# Query parameter -> the custom property of static/app.css it sets.
THEME_PROPERTIES = {
    "bg": "--cd-bg", "fg": "--cd-fg", "muted": "--cd-muted", "border": "--cd-border",
    "surface": "--cd-surface", "accent": "--cd-accent", "focus": "--cd-focus",
    "left": "--cd-left", "left-bg": "--cd-left-bg", "right": "--cd-right", "right-bg": "--cd-right-bg",
    "shared": "--cd-shared", "shared-bg": "--cd-shared-bg", "shared-mark": "--cd-shared-mark",
    "current": "--cd-current",
}
HEX_COLOUR = re.compile(r"#(?:[0-9a-fA-F]{3,4}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})")
# oEmbed frame size in CSS pixels when the consumer sets no maximum (the loader resizes
# frames to their content; oEmbed consumers without it show this much and scroll).
OEMBED_WIDTH, OEMBED_HEIGHT = 960, 720
OEMBED_MIN = 100  # smallest maxwidth/maxheight honoured, in pixels
OEMBED_MAX_DIGITS = 6  # digits of maxwidth/maxheight: larger sizes are capped at the default anyway
COMPARISON_PATH = re.compile(r"/(c|m)/([0-9a-f]{8,64})/?")  # a pair, or a comparison of many
# Embed endpoints whose links keep the theme of the page they are built on.
EMBED_PAGES = frozenset({"embed.view", "embed.rows_chunk", "embed.row", "embed.same_run", "embed.removed",
                         "embed.matrix"})



def theme_from(args) -> dict[str, str]:
    """The theme parameters of a request, checked: {name: "#rrggbb"}; 400 on a bad value."""
    theme = {}
    for name in THEME_PROPERTIES:
        value = args.get(name)
        if value is None:
            continue
        if not HEX_COLOUR.fullmatch(value):
            raise BadRequest(f"Theme colour '{name}' must be a hex colour like #0072b2.")
        theme[name] = value.lower()
    return theme


@bp.url_defaults
def keep_theme(endpoint: str, values: dict) -> None:
    """URLs to embed pages built while serving one (filter links) keep its theme."""
    if has_request_context() and request.blueprint == "embed" and endpoint in EMBED_PAGES:
        for name, value in theme_from(request.args).items():
            values.setdefault(name, value)


def embed_links(cid: str) -> Links:
    """Every URL of the embed points back into the embed. Putting a removed block back is left
    out: it posts a form, and a cross-site frame gets no session cookie to carry its token."""
    return Links(cid, url_for, page="embed.view", chunk="embed.rows_chunk", row="embed.row",
                 removed="embed.removed", same_run="embed.same_run", restore=None)


def embed_view(stored: Stored, show: str, start: int = 0):
    """The comparison's view model with every URL pointing back into the embed."""
    return comparison_view(stored, embed_links(stored.id), show, start=start)



@bp.get("/embed/<cid>")
def view(cid: str):
    """A comparison without the site's chrome, for iframes; htmx filter requests get the rows panel."""
    view = embed_view(service.load(app_store(), cid), requested_filter(request.args))
    return page_or_fragment("pages/embed.html", "partials/rows_panel.html", view=view, theme_url=_theme_url())


@bp.get("/embed/<cid>/rows")
def rows_chunk(cid: str):
    """The next chunk of filtered rows from ?start=, loaded as the reader scrolls."""
    start = inputs.row_position(request.args.get("start", "0"))
    view = embed_view(service.load(app_store(), cid), requested_filter(request.args), start)
    if view.start and view.start >= view.total:
        raise NotFound(f"There is no row {view.start + 1} here.")
    return page_or_fragment("pages/embed.html", "partials/rows_chunk.html", view=view, theme_url=_theme_url())


@bp.get("/embed/<cid>/rows/<n>")
def row(cid: str, n: str):
    """Row n with its word diff, similarity and reasons, inside the embed."""
    return views.row_response(cid, n, embed_links, "pages/embed.html", theme_url=_theme_url())


@bp.get("/embed/<cid>/same/<n>")
def same_run(cid: str, n: str):
    """A run of identical paragraphs opened in place, inside the embed."""
    return views.same_run_response(cid, n, embed_links, "pages/embed.html", theme_url=_theme_url())


@bp.get("/embed/<cid>/removed")
def removed(cid: str):
    """What sanitizing removed from one side, inside the embed (listed, without putting back)."""
    return views.removed_response(cid, embed_links, "pages/embed.html", theme_url=_theme_url())


def _theme_url() -> str | None:
    """The generated stylesheet of this request's theme parameters, None without any."""
    theme = theme_from(request.args)
    return url_for("embed.theme", **theme) if theme else None


@bp.get("/embed/m/<cid>")
def matrix(cid: str):
    """A comparison of many without the site's chrome (webapp/matrix.py renders it)."""
    from .matrix import embed_page

    return embed_page(cid, _theme_url())


@bp.get("/embed/theme.css")
def theme():
    """A stylesheet setting the allowlisted --cd-* custom properties from the query."""
    unknown = sorted(set(request.args) - set(THEME_PROPERTIES))
    if unknown:
        raise BadRequest(f"Unknown theme parameter(s): {', '.join(unknown)[:200]}.")
    rules = "".join(f"{THEME_PROPERTIES[k]}:{v};" for k, v in theme_from(request.args).items())
    return Response(f":root{{{rules}}}\n", mimetype="text/css")


@bp.get("/oembed")
def oembed():
    """oEmbed provider (https://oembed.com) for this host's /c/<id> URLs: a "rich" iframe."""
    if request.args.get("format", "json") != "json":
        raise NotImplementedFormat("Only format=json is supported.")
    url = request.args.get("url", "")
    kind, cid = _own_comparison(url)
    width = _bounded("maxwidth", OEMBED_WIDTH)
    height = _bounded("maxheight", OEMBED_HEIGHT)
    if kind == "m":
        many = service.load_many(app_store(), cid)
        src = external_url("embed.matrix", cid=cid)
        title = f"Who reports what: {len(many.comparison.documents)} reports"
    else:
        stored = service.load(app_store(), cid)
        src = external_url("embed.view", cid=cid, **_passed_on(url))
        title = f"{_name(stored, 'left')} vs {_name(stored, 'right')}"
    loader = external_url("static", filename="embed.js")
    # Responsive: as wide as the host's column, up to `width`; the loader then fits its height.
    html = (f'<iframe src="{escape(src)}" width="{width}" height="{height}" title="{escape(title)}" '
            f'style="display:block;width:100%;max-width:{width}px;height:{height}px;border:0" '
            f'data-coverdiff-embed loading="lazy"></iframe>'
            f'<script src="{escape(loader)}" async></script>')
    return {
        "type": "rich", "version": "1.0", "title": title,
        "provider_name": "coverdiff", "provider_url": external_url("views.home"),
        "html": html, "width": width, "height": height,
        "cache_age": 86_400,
    }


def _passed_on(url: str) -> dict[str, str]:
    """The comparison address's ?show= and theme parameters, checked, for the iframe (as the
    loader passes them): an address that asks for a filter or colours gets them embedded."""
    query = parse_qs(urlsplit(url).query)
    passed = {name: values[0] for name, values in query.items() if name in THEME_PROPERTIES}
    passed = theme_from(passed)
    show = query.get("show", ["all"])[0]
    if show in FILTERS and show != "all":
        passed["show"] = show
    return passed


def _own_comparison(url: str) -> tuple[str, str]:
    """("c", id) of a /c/<id> URL or ("m", id) of a /m/<id> URL on this host; a JSON 4xx for anything else."""
    if not url:
        raise BadRequest("Pass the comparison's address as ?url=https://…/c/<id>.")
    try:
        parts = urlsplit(url)
        netloc = parts.netloc.lower()
    except ValueError:  # e.g. an unclosed IPv6 bracket: "http://[::1"
        raise BadRequest("The url is not a valid address.") from None
    if parts.scheme not in ("http", "https") or netloc != public_host().lower():
        raise NotFound(f"Only comparisons on {public_host()} are embeddable here.")  # oEmbed says: 404
    match = COMPARISON_PATH.fullmatch(parts.path)
    if not match:
        raise NotFound("The address is not a comparison (/c/<id> or /m/<id>).")
    return match.group(1), match.group(2)


class NotImplementedFormat(BadRequest):
    """oEmbed's format=xml: this provider answers JSON only (oEmbed says: 501)."""

    code = "not_implemented"
    status = 501


def _bounded(name: str, default: int) -> int:
    value = request.args.get(name)
    if value is None:
        return default
    if not (value.isascii() and value.isdigit()) or len(value) > OEMBED_MAX_DIGITS or int(value) < OEMBED_MIN:
        raise BadRequest(f"'{name}' must be a whole number of pixels, at least {OEMBED_MIN}.")
    return min(default, int(value))


def _name(stored: Stored, side: str) -> str:
    doc = stored.document(side)
    return doc.outlet or doc.title or side.capitalize()
