"""HTTP caching: stored comparisons are immutable, so their pages carry ETags and long lifetimes.

A comparison's id is a hash of its inputs, options and algorithm version, so whatever a GET
under that id returns (the page, each htmx fragment, the embed, the JSON document) never
changes for that URL and request. Such responses get

    ETag: "<hash of the body>"                 page and fragment differ, so their ETags do
    Cache-Control: public, max-age=..., immutable
    Vary: HX-Request                            (set by htmx.page_or_fragment; kept here)

and a request whose If-None-Match names that ETag gets 304. The rule is keyed on the route:
every GET endpoint with a `cid` in its URL, plus the few listed below. The home page shows
the seed comparison but is the app's front door, so it is revalidated on every use instead.

A deploy that changes templates changes the bytes but not the URL; browsers that hold an
immutable copy keep it until max-age runs out. Lower COVERDIFF_CACHE_MAX_AGE if that matters.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict

from flask import Flask, g, request

# Set on flask.g by code that puts per-session data (a CSRF token) in a response.
PERSONAL_FLAG = "coverdiff_personal"
# Rendered immutable responses kept per worker process, newest last.
RESPONSE_CACHE_BYTES = 64_000_000  # bytes of bodies per worker; 0 turns the cache off
# Request headers that change what an immutable URL returns (page or fragment).
VARYING_HEADERS = ("HX-Request", "HX-History-Restore-Request")

# Endpoints without a `cid` whose answer is a pure function of the URL.
IMMUTABLE_ENDPOINTS = frozenset({"embed.theme"})
# Endpoints that may be stored but must be revalidated (their content changes with deploys).
REVALIDATED_ENDPOINTS = frozenset({"views.home", "api.openapi"})
# oEmbed answers depend on the URL only, but may change when the comparison's layout does.
SHORT_LIVED_ENDPOINTS = {"embed.oembed": 86_400}  # seconds (1 day)


def is_immutable(endpoint: str | None, view_args: dict | None) -> bool:
    """True when a GET of this route is content-addressed."""
    return endpoint in IMMUTABLE_ENDPOINTS or (endpoint is not None and "cid" in (view_args or {}))


def etag_of(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()[:32]


class ResponseCache:
    """A bounded LRU of rendered bodies for content-addressed URLs: a stored
    comparison's page never changes, so each worker renders it once."""

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self.size = 0
        self.items: OrderedDict[tuple, tuple[bytes, list[tuple[str, str]], int]] = OrderedDict()
        self.lock = threading.Lock()

    @staticmethod
    def key() -> tuple:
        return (request.full_path, *(request.headers.get(h) == "true" for h in VARYING_HEADERS))

    def get(self, key: tuple):
        with self.lock:
            hit = self.items.get(key)
            if hit is not None:
                self.items.move_to_end(key)
            return hit

    def put(self, key: tuple, body: bytes, headers: list[tuple[str, str]], status: int) -> None:
        if len(body) > self.max_bytes:
            return
        with self.lock:
            if key in self.items:
                return
            self.items[key] = (body, headers, status)
            self.size += len(body)
            while self.size > self.max_bytes:
                _key, (old, _h, _s) = self.items.popitem(last=False)
                self.size -= len(old)


def register(app: Flask) -> None:
    max_age = int(app.config.get("CACHE_MAX_AGE", 31_536_000))
    cache = ResponseCache(int(app.config.get("RESPONSE_CACHE_BYTES", RESPONSE_CACHE_BYTES)))
    app.extensions["coverdiff.response_cache"] = cache

    @app.before_request
    def cached_response():
        if request.method != "GET" or not cache.max_bytes or not is_immutable(request.endpoint, request.view_args):
            return None
        hit = cache.get(cache.key())
        if hit is None:
            return None
        body, headers, status = hit
        response = app.response_class(body, status=status, headers=headers)
        response.headers["X-Coverdiff-Cache"] = "hit"
        return response.make_conditional(request)

    @app.after_request
    def cache_headers(response):
        if request.method not in ("GET", "HEAD") or response.status_code != 200 or response.is_streamed:
            return response
        if g.get(PERSONAL_FLAG) or "Set-Cookie" in response.headers or "cookie" in {v.lower() for v in response.vary}:
            response.headers["Cache-Control"] = "private, no-cache"  # a CSRF token: never shared or kept
            return response
        endpoint = request.endpoint
        if is_immutable(endpoint, request.view_args):
            policy = f"public, max-age={max_age}, immutable"
        elif endpoint in SHORT_LIVED_ENDPOINTS:
            policy = f"public, max-age={SHORT_LIVED_ENDPOINTS[endpoint]}"
        elif endpoint in REVALIDATED_ENDPOINTS:
            policy = "no-cache"
        else:
            return response
        if response.headers.get("X-Coverdiff-Cache") == "hit":
            return response
        response.headers["Cache-Control"] = policy
        body = response.get_data()
        response.set_etag(etag_of(body))
        if policy.endswith("immutable") and cache.max_bytes:
            cache.put(cache.key(), body, list(response.headers.items()), response.status_code)
        return response.make_conditional(request)
