"""Rate limits on creating comparisons, per client address (Flask-Limiter).

Creating a comparison is the one expensive thing a client can ask for (seconds of CPU for a
large pair), so POST /compare, POST /c/<id>/restore, POST /many and POST /api/comparisons share one limit
per client address: RATE_LIMIT (env COVERDIFF_RATE_LIMIT, a limits string such as
"30/minute" or "200/hour;30/minute"; "" turns it off). Reading stored comparisons is not
limited: it is cheap and cached.

The counters live in RATE_LIMIT_STORAGE (env COVERDIFF_RATE_LIMIT_STORAGE): memory:// by
default, which counts per worker process; redis://host:6379 (or any storage the `limits`
package knows) shares them between the workers and servers that point at it.

The client address is the connection's peer; behind a reverse proxy set PROXY_HOPS
(security.py) so that it is the address the proxy saw, not the proxy's own.

Over the limit: 429 with Retry-After (seconds) and a message that says the limit, as JSON
for the API and as the form with its error for the HTML form.

What is counted: a request that could start a comparison. The checks that cost nothing and
that a forged request fails come first, and a request they refuse gets its own answer and
uses none of the client's quota: a form post from another site (403) or without this
session's token (400), an API request whose body is not JSON (400). Else another site's page
could spend a visitor's quota with forged posts from the visitor's browser, and a visitor with
an expired form would read "too many" instead of "reload the page". Flooding is no cheaper
that way: such a refusal costs less than counting it. Everything after (fetching links,
reading uploads, comparing) is counted, before it starts.
"""

from __future__ import annotations

import math
import time
from functools import wraps

from flask import Flask, request
from flask_limiter import Limiter
from flask_limiter.errors import RateLimitExceeded
from flask_limiter.util import get_remote_address
from werkzeug.exceptions import HTTPException

from . import csrf
from .errors import CoverdiffError

# New comparisons per client address (issue 14: 30/minute). One large comparison takes seconds
# of a worker, so 30 a minute from one address already keeps a worker of 2 cores busy.
DEFAULT_RATE_LIMIT = "30/minute"
DEFAULT_STORAGE = "memory://"
# The endpoints that create a comparison; they share one counter.
CREATING_ENDPOINTS = ("views.create", "views.restore", "matrix.create", "api.create")
JSON_ENDPOINTS = ("api.create",)  # the others are HTML forms, with a CSRF token


def register(app: Flask) -> None:
    rate = app.config["RATE_LIMIT"]
    app.config.setdefault("RATELIMIT_ENABLED", bool(rate))
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", True)
    limiter = Limiter(get_remote_address, app=app, storage_uri=app.config["RATE_LIMIT_STORAGE"],
                      retry_after="delta-seconds", key_prefix="coverdiff")
    app.extensions["coverdiff.limiter"] = limiter
    if rate:
        shared = limiter.shared_limit(rate, scope="create", error_message=_message)
        for endpoint in CREATING_ENDPOINTS:
            view = app.view_functions[endpoint]
            app.view_functions[endpoint] = _genuine_first(endpoint, view, shared(view))

    @app.errorhandler(RateLimitExceeded)
    def too_many(exc: RateLimitExceeded):
        from .errors import error_response
        from .views import form_with_error

        if request.endpoint == "views.create":
            return form_with_error(RateLimited(exc.description))
        return error_response(429, RateLimited.code, exc.description)


def _genuine_first(endpoint: str, view, limited):
    """The view, counted against the limit only when the request is genuine (see above); a
    request that is not goes to the view uncounted, which refuses it with its own answer."""

    @wraps(view)
    def run(*args, **kwargs):
        return (limited if _genuine(endpoint) else view)(*args, **kwargs)
    return run


def _genuine(endpoint: str) -> bool:
    """An API request with a JSON body; a form post from this site with this session's token."""
    if endpoint in JSON_ENDPOINTS:
        return request.is_json
    try:
        csrf.check(request.form)
    except (CoverdiffError, HTTPException):  # refused, or a body too large to read: the view says which
        return False
    return True


class RateLimited(CoverdiffError):
    """Too many new comparisons from one client address."""

    code = "rate_limited"
    status = 429


def _message() -> str:
    from flask import current_app

    limiter: Limiter = current_app.extensions["coverdiff.limiter"]
    current = limiter.current_limit
    wait = max(1, math.ceil(current.reset_at - time.time())) if current else 60
    limit = current.limit if current else None
    said = f"{limit.amount} per {limit.multiples if limit.multiples > 1 else ''} {limit.GRANULARITY.name}".replace(
        "  ", " ") if limit else current_app.config["RATE_LIMIT"]
    return (f"Too many new comparisons from your address: the limit is {said}. "
            f"Try again in {wait} seconds; stored comparisons stay readable meanwhile.")
