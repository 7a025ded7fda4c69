"""The app's settings, from one place.

Every setting has a default in DEFAULTS. An environment variable COVERDIFF_<NAME> overrides it
(Flask's `from_prefixed_env`: the value is read as JSON when it parses, so numbers are numbers,
and as a string otherwise), and a test's config overrides both. Settings derived from others
(Flask's request limits, the pipeline's Options) are computed here, once, after all three.
"""

from __future__ import annotations

from pathlib import Path

from .caching import RESPONSE_CACHE_BYTES, RESPONSE_CACHE_ENTRIES
from .limits import DEFAULT_RATE_LIMIT, DEFAULT_STORAGE
from .pipeline.types import Options
from .service import BACKGROUND_MIN_BYTES

MB = 1_000_000
ROOT = Path(__file__).resolve().parent.parent
# What a request body holds beyond its documents' text: multipart boundaries and part headers,
# the CSRF token, ten outlet labels (300 characters), ten links (2,048), the kinds: under 50 KB
# for the form of ten reports; JSON's escaped quotes and line breaks add about 1 % to ordinary
# text (the seed articles: 0.5 % and 2.0 %). 1 MB covers both for a 20 MB total.
REQUEST_OVERHEAD_BYTES = 1 * MB  # bytes

DEFAULTS = {
    # Where comparisons are stored: a SQLite file path or sqlite:/// URL, or postgresql://...
    # None: instance/coverdiff.sqlite3.
    "DATABASE": None,
    "SEEDS_DIR": ROOT / "seeds",
    "MAX_DOCUMENT_BYTES": 5 * MB,  # bytes per document (text, HTML or file); more is a 413
    # Bytes per request body; more is a 413. None: derived (request_limit), so that the documents
    # a request may carry always fit and an oversized total gets the total's own message.
    "MAX_REQUEST_BYTES": None,
    "MAX_TOTAL_BYTES": 20 * MB,  # bytes of all documents of one comparison of many together; more is a 413
    "MAX_PARAGRAPHS": Options.max_paragraphs,  # per document; more is a 413
    "DIFF_TIMEOUT_S": Options.diff_timeout_s,  # seconds per row's word diff; past it the row is coarser
    "COMPARE_TIMEOUT_S": Options.compare_timeout_s,  # seconds per comparison; past it rows are coarser
    "FRAME_ANCESTORS": "'self'",  # CSP sources that may frame /embed/<id>
    "CACHE_MAX_AGE": 365 * 24 * 3600,  # seconds a browser keeps an immutable page
    # Form comparisons with more input than this (bytes, both sides) run in the background while
    # the page shows their progress (service.BACKGROUND_MIN_BYTES says how it was set).
    "BACKGROUND_MIN_BYTES": BACKGROUND_MIN_BYTES,
    "PUBLIC_URL": None,  # e.g. "https://coverdiff.example.org": absolute URLs (oEmbed, canonical) use it
    "TRUSTED_HOSTS": None,  # a JSON list of host names; Flask answers 400 to any other Host
    "PROXY_HOPS": 0,  # proxies in front that set X-Forwarded-*: werkzeug's ProxyFix trusts this many
    "RATE_LIMIT": DEFAULT_RATE_LIMIT,  # comparisons a client may create (form and API), Flask-Limiter notation
    "RATE_LIMIT_STORAGE": DEFAULT_STORAGE,  # memory://, or redis://host:port/0 shared by several servers
    "RESPONSE_CACHE_BYTES": RESPONSE_CACHE_BYTES,  # rendered immutable responses kept per worker, bytes; 0: off
    "RESPONSE_CACHE_ENTRIES": RESPONSE_CACHE_ENTRIES,  # and at most this many of them
    # Links as inputs (webapp/sources/fetching.py): hosts, addresses or CIDRs fetched although
    # the address guard would refuse them (tests: "127.0.0.1"; intranets), commas or spaces.
    "FETCH_LINKS": True,  # False: links as inputs are refused (no outbound requests at all)
    "FETCH_ALLOW": "",
    "FETCH_CONNECT_TIMEOUT_S": 5.0,  # seconds to open a connection (and to look up a name)
    "FETCH_READ_TIMEOUT_S": 10.0,  # seconds of silence between two reads
    "FETCH_TOTAL_TIMEOUT_S": 20.0,  # seconds for a whole fetch, redirects included
}


def configure(config, instance_path: str, test_config: dict | None = None) -> None:
    """Fill `config` (a Flask Config) with the defaults, the environment, then `test_config`."""
    config.from_mapping(DEFAULTS)
    config.from_prefixed_env("COVERDIFF")
    if test_config:
        config.update(test_config)
    if not config["DATABASE"]:
        config["DATABASE"] = str(Path(instance_path) / "coverdiff.sqlite3")
    config["MAX_CONTENT_LENGTH"] = config["MAX_FORM_MEMORY_SIZE"] = request_limit(config)
    config["PIPELINE_OPTIONS"] = pipeline_options(config)


def request_limit(config) -> int:
    """MAX_REQUEST_BYTES when set, else the most a request's documents may be (the documents of
    a comparison of many together, MAX_TOTAL_BYTES, or the two of a pair, 2 x MAX_DOCUMENT_BYTES)
    plus REQUEST_OVERHEAD_BYTES. A smaller limit would refuse a body as "request too large"
    before its documents' own limits could say which one is over."""
    if config["MAX_REQUEST_BYTES"] is not None:
        return int(config["MAX_REQUEST_BYTES"])
    documents = max(int(config["MAX_TOTAL_BYTES"]), 2 * int(config["MAX_DOCUMENT_BYTES"]))
    return documents + REQUEST_OVERHEAD_BYTES


def pipeline_options(config) -> Options:
    """The server's pipeline Options (clients may change only what api.CLIENT_OPTIONS allows)."""
    return Options(diff_timeout_s=float(config["DIFF_TIMEOUT_S"]),
                   compare_timeout_s=float(config["COMPARE_TIMEOUT_S"]),
                   max_paragraphs=int(config["MAX_PARAGRAPHS"]))
