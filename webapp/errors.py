"""One error hierarchy and the one place that turns errors into responses.

Every error a user can cause is a `CoverdiffError` (webapp/pipeline/errors.py): the pipeline's
own (empty, too large, undecodable, too many paragraphs) and the web layer's below. Each carries
its HTTP status, a short code and a message in words. `register` maps any of them, and
werkzeug's own HTTP errors (no such route, wrong method), to an HTML page, an htmx fragment or
JSON (`{"error": {"code", "message"}}` under /api/ and /oembed). Forms are the one exception by
design: a form view catches the error itself and re-renders the form with it (views.create).

Flask is imported inside the functions that answer requests, so the command line can raise and
catch these errors without loading the web stack.
"""

from __future__ import annotations

from .pipeline.errors import CoverdiffError, EmptyInput, TooLarge, TooManyParagraphs, Undecodable

__all__ = ["BadRequest", "CoverdiffError", "EmptyInput", "ExpiredForm", "NotFound", "TooLarge", "TooManyParagraphs",
           "Undecodable", "register"]

class BadRequest(CoverdiffError):
    """A malformed request: wrong content type, missing or ill-typed fields, bad parameters."""

    code = "bad_request"
    status = 400


class NotFound(CoverdiffError):
    """No such comparison, row, side or removed block."""

    code = "not_found"
    status = 404

    def __init__(self, message: str = "No comparison has this id."):
        super().__init__(message)


class ExpiredForm(CoverdiffError):
    """A form post without this session's CSRF token: forged, or from an expired page."""

    code = "csrf"
    status = 400


def wants_json() -> bool:
    from flask import request

    return request.path.startswith("/api/") or request.path == "/oembed"


def error_response(status: int, code: str, message: str, headers=None):
    """The error as JSON, an htmx fragment or a page, with `status`."""
    from flask import jsonify, make_response, render_template

    from .htmx import is_fragment_request

    if wants_json():
        response = make_response(jsonify({"error": {"code": code, "message": message}}), status)
    else:
        template = "errors/fragment.html" if is_fragment_request() else "errors/page.html"
        response = make_response(render_template(template, status=status, code=code, message=message), status)
    response.headers.extend(headers or ())
    return response


def register(app) -> None:
    from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

    @app.errorhandler(CoverdiffError)
    def input_error(exc: CoverdiffError):
        return error_response(exc.status, exc.code, exc.message)

    @app.errorhandler(RequestEntityTooLarge)
    def too_large(exc):
        """A body over MAX_CONTENT_LENGTH, refused by werkzeug before any view reads it."""
        return input_error(request_too_large(app.config["MAX_CONTENT_LENGTH"]))

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        """Routing errors (404, 405 with its Allow header) in the same shapes as ours."""
        headers = [(k, v) for k, v in exc.get_headers() if k.lower() != "content-type"]
        code = (exc.name or "error").lower().replace(" ", "_")
        return error_response(exc.code or 500, code, exc.description or exc.name, headers)

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):
        app.logger.exception("unexpected error")
        return error_response(500, "internal", "Something went wrong on our side.")


def request_too_large(limit: int) -> TooLarge:
    return TooLarge(f"The request is larger than the limit of {limit / 1e6:g} MB per request.")
