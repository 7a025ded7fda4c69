"""CSRF protection for the HTML forms: Flask-WTF's CSRF tokens, plus an Origin check.

Each form view calls `check` first. A form post whose `Origin` header names another site is
refused (403, CrossSite: browsers send Origin on every cross-site POST), then one without this
session's token (400, ExpiredForm), in the form field `csrf_token` (what the templates and htmx
send) or the `X-CSRFToken` header; the view shows the form again with the error. Tokens are
Flask-WTF's (maintained, signed with SECRET_KEY, bound to the session cookie, and on https the
Referer is checked too); the session cookie is SameSite=Lax, HttpOnly, and Secure behind https
(security.py). The JSON API needs neither: it accepts only application/json bodies, which a
cross-site HTML form cannot send, and answers no CORS preflight.

SECRET_KEY comes from COVERDIFF_SECRET_KEY; without it every worker on the machine shares a
key file in the instance folder, created once: written whole to a temporary file and then
linked into place, so a worker that loses the race reads the winner's complete key, never
an empty or partial file.
"""

from __future__ import annotations

import os
import secrets
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

from flask import Flask, current_app, g, request
from flask_wtf.csrf import CSRFError, CSRFProtect, generate_csrf

from . import urls
from .errors import CoverdiffError, ExpiredForm

FIELD = "csrf_token"
KEY_BYTES = 32  # random bytes of a generated SECRET_KEY
EXPIRED = "This form has expired or did not come from coverdiff; reload the page and send it again."

protect = CSRFProtect()


class CrossSite(CoverdiffError):
    """A form post that another site's page sent (its Origin is not this app)."""

    code = "cross_site"
    status = 403


def token() -> str:
    """The session's token for a form (sets the session cookie on first use).
    The response that carries it is personal: caching.py never stores it."""
    g.coverdiff_personal = True
    return generate_csrf()


def check(form) -> None:
    """Refuse a form post from another site (CrossSite) or without this session's token
    (ExpiredForm). `form` is the request's parsed fields, which Flask-WTF reads itself."""
    if not current_app.config.get("WTF_CSRF_ENABLED", True):
        return
    origin = request.headers.get("Origin")
    if origin is not None and not is_own_origin(origin):
        raise CrossSite(f"This form was sent from another site ({origin[:100]}); "
                        "coverdiff accepts forms from its own pages only.")
    try:
        protect.protect()
    except CSRFError:
        raise ExpiredForm(EXPIRED) from None


def is_own_origin(origin: str) -> bool:
    """True when `origin` is this app as readers reach it: PUBLIC_URL's scheme and host when
    configured; else the request's host, whatever the scheme (behind a proxy that ends TLS and
    is not configured, the app sees http while the browser says https)."""
    sent = urlsplit(origin.lower())
    base = urls.public_url()
    if base:
        own = urlsplit(base.lower())
        return (sent.scheme, sent.netloc) == (own.scheme, own.netloc)
    return sent.scheme in ("http", "https") and sent.netloc == request.host.lower()


def secret_key(app: Flask) -> str:
    """The key file in the instance folder that every worker on this machine shares."""
    path = Path(app.instance_path) / "secret_key"
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        _create_once(path, secrets.token_hex(KEY_BYTES))
    key = path.read_text().strip()
    if not key:
        raise RuntimeError(f"{path} is empty: delete it (a new key is made) or set COVERDIFF_SECRET_KEY.")
    return key


def _create_once(path: Path, key: str) -> None:
    """Write `key` to a temporary file, fsync it, and link it to `path` unless another
    process got there first (os.link never replaces: every worker keeps one key)."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".secret_key.")
    try:
        with os.fdopen(fd, "w") as f:
            f.write(key)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o600)
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass  # another worker's complete key is in place
    finally:
        os.unlink(tmp)


def register(app: Flask) -> None:
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = secret_key(app)
    app.config["SESSION_COOKIE_SAMESITE"] = app.config.get("SESSION_COOKIE_SAMESITE") or "Lax"
    app.config.setdefault("WTF_CSRF_TIME_LIMIT", None)  # valid as long as the session, like the form
    app.config.setdefault("WTF_CSRF_ENABLED", app.config.get("CSRF_ENABLED", True))
    app.config["WTF_CSRF_CHECK_DEFAULT"] = False  # the form views call check(), which shows the form again
    protect.init_app(app)
    app.jinja_env.globals["csrf_token"] = token
    app.context_processor(lambda: {"csrf_token": token})  # Flask-WTF's own processor would win otherwise
