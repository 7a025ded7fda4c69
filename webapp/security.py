"""Response headers every page carries: a strict CSP and friends.

Framing: only the embed (blueprint `embed`, `/embed/...`) may be framed by other sites, by
the sources in FRAME_ANCESTORS (COVERDIFF_FRAME_ANCESTORS, e.g. "https://cms.example.com
https://*.example.org"; default "'self'"). Every other page says `frame-ancestors 'self'`
(and X-Frame-Options: SAMEORIGIN for old browsers): the full pages carry the compare form
and navigation, and nothing gains from framing them elsewhere (clickjacking).

Transport (configuration, read once at start):
- PUBLIC_URL (COVERDIFF_PUBLIC_URL) is where readers reach the app; absolute URLs come from it
  (urls.py). When it is https, the session cookie gets `Secure` and every response carries
  `Strict-Transport-Security`.
- TRUSTED_HOSTS (COVERDIFF_TRUSTED_HOSTS='["coverdiff.example.org"]'): Flask answers 400 to any
  other Host header.
- PROXY_HOPS (COVERDIFF_PROXY_HOPS=1): the number of reverse proxies in front of the app, whose
  X-Forwarded-For/-Proto/-Host werkzeug's ProxyFix then trusts (client address for the rate
  limits, scheme and host for url_for). Unset, forwarded headers are ignored: anyone can send them.
"""

from __future__ import annotations

import re

from flask import Flask, request
from werkzeug.exceptions import SecurityError
from werkzeug.middleware.proxy_fix import ProxyFix

from . import urls

# Strict-Transport-Security lifetime when PUBLIC_URL is https: one year, the preload lists' minimum.
HSTS_MAX_AGE_S = 31_536_000  # seconds

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


def configure_transport(app: Flask) -> None:
    """PUBLIC_URL checked, Secure cookies behind https, ProxyFix only when proxies are configured."""
    urls.check_public_url(app.config.get("PUBLIC_URL"))
    if str(app.config.get("PUBLIC_URL") or "").startswith("https://"):
        app.config["SESSION_COOKIE_SECURE"] = True
    hops = int(app.config.get("PROXY_HOPS") or 0)
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops)
    app.jinja_env.globals["external_url"] = urls.external_url

    @app.errorhandler(SecurityError)
    def untrusted_host(exc):
        """A Host outside TRUSTED_HOSTS: 400 in plain text (no URL can be built for that host)."""
        return app.response_class("400 Bad Request: this server does not answer for that host name.\n",
                                  status=400, mimetype="text/plain")


def register(app: Flask) -> None:
    configure_transport(app)
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
        if urls.is_https():
            response.headers["Strict-Transport-Security"] = f"max-age={HSTS_MAX_AGE_S}"
        return response
