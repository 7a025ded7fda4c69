"""The one place that decides between a full page and an htmx fragment."""

from __future__ import annotations

from flask import make_response, redirect, render_template, request


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


def redirect_to(url: str, fragment_status: int = 200):
    """Send the browser to `url`: a 303 for a page, HX-Redirect for htmx (which would follow
    a redirect unseen inside the fragment and swap the whole page into it)."""
    if is_fragment_request():
        return "", fragment_status, {"HX-Redirect": url}
    return redirect(url, code=303)
