"""Response headers every page carries: a strict CSP and friends."""

from __future__ import annotations

from flask import Flask


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


def register(app: Flask) -> None:
    csp = content_security_policy(app.config["FRAME_ANCESTORS"])

    @app.after_request
    def headers(response):
        response.headers.setdefault("Content-Security-Policy", csp)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "strict-origin-when-cross-origin"
        return response
