"""Absolute URLs from configuration, never from the request's Host header.

A page's oEmbed discovery link, the embed's canonical link and the oEmbed answer's iframe and
script URLs are absolute. Built from the request's `Host` (and `X-Forwarded-Proto`), one request
with `Host: evil.example` would put links to evil.example into a response that the cache then
hands to every later reader. So:

- PUBLIC_URL (env COVERDIFF_PUBLIC_URL, e.g. "https://coverdiff.example.org": scheme, host and
  port only) is where readers reach the app: every absolute URL starts with it, followed by the
  route's path, and the request's Host is not used.
- Without it (development, tests), absolute URLs fall back to the request's host, and
  caching.py keys cached responses on that host, so a forged Host only reaches its sender.
  TRUSTED_HOSTS (env COVERDIFF_TRUSTED_HOSTS, a JSON list) makes Flask refuse other hosts (400).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, request, url_for


def public_url() -> str | None:
    """The configured public base URL without a trailing slash, None when not configured."""
    value = current_app.config.get("PUBLIC_URL")
    return str(value).rstrip("/") if value else None


def external_url(endpoint: str, **values) -> str:
    """An absolute URL for `endpoint`: PUBLIC_URL + the route's path (its query included)."""
    base = public_url()
    if base is None:
        return url_for(endpoint, _external=True, **values)
    return base + url_for(endpoint, **values)


def public_host() -> str:
    """host[:port] readers use to reach the app: PUBLIC_URL's, else the request's."""
    base = public_url()
    return urlsplit(base).netloc if base else request.host


def check_public_url(value: str | None) -> None:
    """Refuse a PUBLIC_URL that is not http(s)://host[:port] (at start, not per request). Paths come
    from the routes (a prefix the app is mounted under included), so the setting holds none."""
    if not value:
        return
    parts = urlsplit(str(value))
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.path not in ("", "/") \
            or parts.query or parts.fragment:
        raise ValueError(f"PUBLIC_URL must look like https://coverdiff.example.org, not {value!r}.")


def is_https() -> bool:
    """True when the configured public URL is https (cookies get Secure, responses HSTS)."""
    base = public_url()
    return bool(base) and base.startswith("https://")
