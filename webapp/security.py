"""Response headers every page carries: a strict CSP and friends.

Framing: only the embed (blueprint `embed`, `/embed/...`) may be framed by other sites, by
the sources in FRAME_ANCESTORS (COVERDIFF_FRAME_ANCESTORS, e.g. "https://cms.example.com
https://*.example.org"; default "'self'"). Every other page says `frame-ancestors 'self'`
(and X-Frame-Options: SAMEORIGIN for old browsers): the full pages carry the compare form
and navigation, and nothing gains from framing them elsewhere (clickjacking).
"""

from __future__ import annotations

import re

from flask import Flask, request

# One CSP source expression allowed in frame-ancestors: 'self' | 'none' | scheme: |
# scheme://host[:port][/path] with a leading "*." wildcard allowed in the host, or "*".
_SOURCE = re.compile(
    r"""^(?:'self'|'none'|\*|[a-z][a-z0-9+.-]*:|
        (?:[a-z][a-z0-9+.-]*://)?(?:\*\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)*(?::(?:\d{1,5}|\*))?(?:/[^\s;,']*)?)$""",
    re.IGNORECASE | re.VERBOSE)


def frame_ancestors_sources(value: str | list[str] | tuple[str, ...]) -> str:
    """The configured frame-ancestors sources, checked, as one CSP source list."""
    tokens = value.split() if isinstance(value, str) else [t for v in value for t in str(v).split()]
    if not tokens:
        return "'none'"
    bad = [t for t in tokens if not _SOURCE.match(t)]
    if bad:
        raise ValueError(f"FRAME_ANCESTORS: not a CSP source expression: {', '.join(bad)}")
    if "'none'" in tokens and len(tokens) > 1:
        raise ValueError("FRAME_ANCESTORS: 'none' cannot be combined with other sources")
    return " ".join(tokens)


def content_security_policy(frame_ancestors: str) -> str:
    """No inline script or style, no eval, nothing from other origins."""
    return "; ".join([
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "form-action 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        f"frame-ancestors {frame_ancestors}",
    ])


def is_embed_request() -> bool:
    return (request.blueprint or "") == "embed"


def register(app: Flask) -> None:
    page_csp = content_security_policy("'self'")
    embed_csp = content_security_policy(frame_ancestors_sources(app.config["FRAME_ANCESTORS"]))

    @app.after_request
    def headers(response):
        if is_embed_request():
            response.headers.setdefault("Content-Security-Policy", embed_csp)
        else:
            response.headers.setdefault("Content-Security-Policy", page_csp)
            response.headers.setdefault("X-Frame-Options", "SAMEORIGIN")
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "strict-origin-when-cross-origin"
        return response
