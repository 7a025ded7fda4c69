"""The one place that decides between a full page and an htmx fragment."""

from __future__ import annotations

from flask import make_response, render_template, request


def is_fragment_request() -> bool:
    """True for htmx requests, except history restores (they need the page)."""
    return (request.headers.get("HX-Request") == "true"
            and request.headers.get("HX-History-Restore-Request") != "true")


def page_or_fragment(page: str, fragment: str, status: int = 200, **context):
    """Render `fragment` for htmx requests and `page` otherwise; Vary on both headers that decide."""
    template = fragment if is_fragment_request() else page
    response = make_response(render_template(template, **context), status)
    response.vary.update(("HX-Request", "HX-History-Restore-Request"))  # both decide page or fragment
    return response
