"""One place that turns errors into responses: HTML page, htmx fragment or JSON."""

from __future__ import annotations

import logging

from flask import Flask, jsonify, render_template, request
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from .htmx import is_fragment_request, page_or_fragment
from .pipeline.errors import CoverdiffError
from .service import NotFound

log = logging.getLogger(__name__)


class ApiError(CoverdiffError):
    """A malformed API request (wrong content type, missing fields)."""

    code = "bad_request"
    status = 400


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.path == "/oembed"


def error_response(status: int, code: str, message: str):
    if wants_json():
        return jsonify({"error": {"code": code, "message": message}}), status
    template = "errors/fragment.html" if is_fragment_request() else "errors/page.html"
    response = render_template(template, status=status, code=code, message=message)
    return response, status


def form_error(status: int, message: str):
    """The compare form again, filled as it was sent, with the error in words."""
    try:
        form = {k: v for k, v in request.form.items() if k.endswith(("_text", "_title", "_label", "_kind"))}
    except RequestEntityTooLarge:
        form = {}
    response = page_or_fragment("pages/new.html", "partials/form.html", status=status, form=form, error=message)
    if is_fragment_request():
        response.headers["HX-Retarget"] = "#compare-form"
        response.headers["HX-Reswap"] = "outerHTML"
    return response


def register(app: Flask) -> None:
    @app.errorhandler(CoverdiffError)
    def input_error(exc: CoverdiffError):
        if request.endpoint == "views.create":
            return form_error(exc.status, exc.message)
        return error_response(exc.status, exc.code, exc.message)

    @app.errorhandler(NotFound)
    def not_found(exc: NotFound):
        return error_response(404, "not_found", "No comparison has this id.")

    @app.errorhandler(RequestEntityTooLarge)
    def too_large(exc):
        limit = app.config["MAX_CONTENT_LENGTH"]
        message = f"The request is larger than the limit of {limit / 1e6:g} MB per request."
        if request.endpoint == "views.create":
            return form_error(413, message)
        return error_response(413, "too_large", message)

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        body, status = error_response(exc.code or 500, exc.name.lower().replace(" ", "_"), exc.description or exc.name)
        allow = getattr(exc, "valid_methods", None)  # 405: RFC 9110 wants Allow
        return body, status, {"Allow": ", ".join(allow)} if allow else {}

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):
        log.exception("unexpected error")
        return error_response(500, "internal", "Something went wrong on our side.")
