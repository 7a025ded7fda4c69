"""CSRF protection for the HTML form: a per-session token, checked on every form POST.

The token lives in Flask's signed session cookie and in a hidden form field;
each form view calls `check` first, and a POST whose field does not match is
refused (400, ExpiredForm) with the form shown again. The
JSON API needs no token: it accepts only application/json bodies, which a
cross-site HTML form cannot send, and answers no CORS preflight unless
configured to.
"""

from __future__ import annotations

import hmac
import os
import secrets
from pathlib import Path

from flask import Flask, current_app, g, session

from .errors import ExpiredForm

FIELD = "csrf_token"
TOKEN_BYTES = 32  # random bytes per session token
def token() -> str:
    """The session's token, created on first use (sets the session cookie).
    The response that carries it is personal: caching.py never stores it."""
    g.coverdiff_personal = True
    if FIELD not in session:
        session[FIELD] = secrets.token_urlsafe(TOKEN_BYTES)
    return session[FIELD]


def secret_key(app: Flask) -> str:
    """COVERDIFF_SECRET_KEY, else a key file in the instance folder that every
    worker on this machine shares (created once, atomically)."""
    configured = os.environ.get("COVERDIFF_SECRET_KEY")
    if configured:
        return configured
    path = Path(app.instance_path) / "secret_key"
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as f:
        f.write(secrets.token_hex(32))
    return path.read_text().strip()


def register(app: Flask) -> None:
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = secret_key(app)
    app.config["SESSION_COOKIE_SAMESITE"] = app.config.get("SESSION_COOKIE_SAMESITE") or "Lax"
    app.jinja_env.globals["csrf_token"] = token


def check(form) -> None:
    """Refuse a form (the request's parsed form fields) whose token is not this session's."""
    if not current_app.config.get("CSRF_ENABLED", True):
        return
    sent, expected = form.get(FIELD, ""), session.get(FIELD, "")
    if not expected or not hmac.compare_digest(sent, expected):
        raise ExpiredForm("This form has expired or did not come from coverdiff; reload the page and send it again.")
