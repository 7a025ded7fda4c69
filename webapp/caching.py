"""HTTP caching: stored comparisons are immutable, so their pages carry ETags and long lifetimes.

A comparison's id is a hash of its inputs, options and algorithm version, so whatever a GET
under that id returns (the page, each htmx fragment, the embed, the JSON document) never
changes for that URL and request. Such responses get

    ETag: "<hash of the body>"                 page and fragment differ, so their ETags do
    Cache-Control: public, max-age=..., immutable
    Vary: HX-Request, HX-History-Restore-Request   (set by htmx.page_or_fragment)

and a request whose If-None-Match names that ETag gets 304. The rule is keyed on the route:
every GET endpoint with a `cid` in its URL, plus the few listed below. The home page shows
the seed comparison but is the app's front door, so it is revalidated on every use instead.

Each worker also keeps rendered responses in memory (ResponseCache), keyed on exactly what a
response depends on, so that a query string can only make as many entries as there are
different answers:
- the endpoint and its URL values, the two htmx request headers, and the host when no
  PUBLIC_URL is configured (absolute URLs then come from the request's Host, see urls.py);
- of the query, only the parameters the view read (recorded by TrackedArgs), with the first
  value when the view read one value: unknown parameters and repeated keys change nothing;
- no entry at all for URL values or read parameters that are not in canonical form (non-ASCII,
  digits with leading zeros, over MAX_VALUE_CHARS): "/rows/١" and "/rows/01" are answered, not kept;
- equal bodies are kept once (by ETag), whatever the number of URLs that produced them.
Every entry is accounted with its key, headers and a measured per-entry overhead, and both the
bytes and the number of entries are bounded.

A deploy that changes templates changes the bytes but not the URL; browsers that hold an
immutable copy keep it until max-age runs out. Lower COVERDIFF_CACHE_MAX_AGE if that matters.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict

from flask import Flask, Request, g, request
from werkzeug.datastructures import ImmutableMultiDict

from . import urls

# Set on flask.g by code that puts per-session data (a CSRF token) in a response.
PERSONAL_FLAG = "coverdiff_personal"
# Rendered immutable responses kept per worker process, newest last.
RESPONSE_CACHE_BYTES = 64_000_000  # accounted bytes per worker (bodies, keys, headers); 0 turns the cache off
RESPONSE_CACHE_ENTRIES = 5_000  # entries per worker, 1..100,000
# Python objects around one entry (key tuple, header list, OrderedDict slot), in bytes: tracemalloc
# measured 1,749 bytes per theme.css entry in all (2,000 entries), 1,470 beyond its body, key and header text.
ENTRY_OVERHEAD_BYTES = 1_600
# A URL value or read query value longer than this is answered but never kept (an id is 16-64).
MAX_VALUE_CHARS = 200  # characters
# Request headers that change what an immutable URL returns (page or fragment).
VARYING_HEADERS = ("HX-Request", "HX-History-Restore-Request")

# Endpoints without a `cid` whose answer is a pure function of the URL.
IMMUTABLE_ENDPOINTS = frozenset({"embed.theme"})
# Endpoints that may be stored but must be revalidated (their content changes with deploys).
REVALIDATED_ENDPOINTS = frozenset({"views.home", "api.openapi"})
# oEmbed answers depend on the URL only, but may change when the comparison's layout does.
SHORT_LIVED_ENDPOINTS = {"embed.oembed": 86_400}  # seconds (1 day)

ALL = "*"  # "every parameter" in a record of reads


class TrackedArgs(ImmutableMultiDict):
    """request.args that records which parameters the view read, and whether one value or all."""

    def _note(self, name: str, every: bool = False) -> None:
        reads = self.__dict__.setdefault("_reads", {})
        reads[name] = reads.get(name, False) or every

    def __getitem__(self, key):
        self._note(key)
        return super().__getitem__(key)

    def get(self, key, default=None, type=None):  # noqa: A002 - werkzeug's signature
        self._note(key)
        return super().get(key, default, type)

    def getlist(self, key, type=None):  # noqa: A002
        self._note(key, every=True)
        return super().getlist(key, type)

    def __contains__(self, key):
        self._note(key)
        return super().__contains__(key)

    def __iter__(self):
        self._note(ALL)
        return super().__iter__()

    def keys(self):
        self._note(ALL)
        return super().keys()

    def items(self, multi=False):
        self._note(ALL, every=multi)
        return super().items(multi)

    def values(self):
        self._note(ALL)
        return super().values()

    def lists(self):
        self._note(ALL, every=True)
        return super().lists()

    def to_dict(self, flat=True):
        self._note(ALL, every=not flat)
        return super().to_dict(flat)

    def reads(self) -> dict[str, bool]:
        return dict(self.__dict__.get("_reads", {}))

    def peek(self, name: str) -> list[str]:
        """All values of `name`, without recording a read."""
        return super().getlist(name)

    def names(self) -> list[str]:
        return list(super().keys())


class TrackingRequest(Request):
    parameter_storage_class = TrackedArgs


def is_immutable(endpoint: str | None, view_args: dict | None) -> bool:
    """True when a GET of this route is content-addressed."""
    return endpoint in IMMUTABLE_ENDPOINTS or (endpoint is not None and "cid" in (view_args or {}))


def etag_of(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()[:32]


def canonical(value: str) -> bool:
    """A value that no other spelling of the same request shares."""
    if len(value) > MAX_VALUE_CHARS or not value.isascii():
        return False
    return not (value[:1] == "0" and len(value) > 1 and value.isdigit())


def query_part(args: TrackedArgs, reads: dict[str, bool]) -> tuple | None:
    """The read parameters' values ((name, values), ...) sorted; None when one is not canonical."""
    names = sorted(set(args.names()) if ALL in reads else {n for n in reads if n != ALL})
    every = reads.get(ALL, False)
    part = []
    for name in names:
        values = args.peek(name)
        values = values if (every or reads.get(name)) else values[:1]
        if not canonical(name) or not all(canonical(v) for v in values):
            return None
        part.append((name, tuple(values)))
    return tuple(part)


class ResponseCache:
    """A bounded LRU of rendered responses for content-addressed URLs: a stored comparison's
    page never changes, so each worker renders it once. Bodies are shared between entries."""

    def __init__(self, max_bytes: int, max_entries: int = RESPONSE_CACHE_ENTRIES):
        self.max_bytes, self.max_entries = max_bytes, max_entries
        self.size = 0  # accounted bytes of entries and distinct bodies
        self.items: OrderedDict[tuple, tuple[str, list[tuple[str, str]], int, int]] = OrderedDict()
        self.bodies: dict[str, list] = {}  # etag -> [body, number of entries using it]
        self.reads: dict[str, dict[str, bool]] = {}  # endpoint -> every parameter its view was seen reading
        self.lock = threading.Lock()

    def key(self, reads: dict[str, bool] | None = None) -> tuple | None:
        """What this request's response depends on; None when it must not be kept."""
        reads = self.reads.get(request.endpoint, {}) if reads is None else reads
        view_args = tuple(sorted((k, str(v)) for k, v in (request.view_args or {}).items()))
        query = query_part(request.args, reads)
        if query is None or not all(canonical(v) for _k, v in view_args):
            return None
        host = None if urls.public_url() else request.host_url
        return (request.endpoint, view_args, query, host, *(request.headers.get(h) == "true" for h in VARYING_HEADERS))

    def get(self, key: tuple | None):
        if key is None:
            return None
        with self.lock:
            hit = self.items.get(key)
            if hit is None:
                return None
            self.items.move_to_end(key)
            etag, headers, status, _size = hit
            return self.bodies[etag][0], headers, status

    def learn(self, endpoint: str, reads: dict[str, bool]) -> dict[str, bool]:
        """The parameters this endpoint's views have read so far, this render's included."""
        with self.lock:
            known = dict(self.reads.get(endpoint, {}))
            for name, every in reads.items():
                known[name] = known.get(name, False) or every
            self.reads[endpoint] = known
            return known

    def put(self, key: tuple | None, body: bytes, headers: list[tuple[str, str]], status: int) -> None:
        if key is None:
            return
        size = ENTRY_OVERHEAD_BYTES + len(repr(key)) + sum(len(k) + len(v) for k, v in headers)
        with self.lock:
            if key in self.items or size + len(body) > self.max_bytes:
                return
            etag = etag_of(body)
            shared = self.bodies.setdefault(etag, [body, 0])
            if shared[1] == 0:
                self.size += len(body)
            shared[1] += 1
            self.items[key] = (etag, headers, status, size)
            self.size += size
            while self.size > self.max_bytes or len(self.items) > self.max_entries:
                self._evict_oldest()

    def _evict_oldest(self) -> None:
        _key, (etag, _h, _s, size) = self.items.popitem(last=False)
        self.size -= size
        shared = self.bodies[etag]
        shared[1] -= 1
        if shared[1] == 0:
            del self.bodies[etag]
            self.size -= len(shared[0])


def register(app: Flask) -> None:
    max_age = int(app.config["CACHE_MAX_AGE"])
    cache = ResponseCache(int(app.config["RESPONSE_CACHE_BYTES"]),
                          int(app.config["RESPONSE_CACHE_ENTRIES"]))
    app.extensions["coverdiff.response_cache"] = cache
    app.request_class = TrackingRequest

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
            reads = cache.learn(endpoint, request.args.reads())
            cache.put(cache.key(reads), body, list(response.headers.items()), response.status_code)
        return response.make_conditional(request)
