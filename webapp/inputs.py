"""Parse requests into pipeline Sources: form fields, uploads and JSON bodies."""

from __future__ import annotations

import re

from flask import current_app, request

from .errors import ApiError
from .pipeline import Source
from .pipeline.decode import check_size, decode
from .pipeline.errors import EmptyInput

SIDES = ("left", "right")
KINDS = ("auto", "text", "html")
_SURROGATE = re.compile("[\ud800-\udfff]")
TITLE_MAX_CHARS = 300  # characters of an optional title or outlet label


def form_sources() -> tuple[Source, Source]:
    """The two sources of the compare form: an uploaded file wins over pasted text."""
    return tuple(_form_side(side) for side in SIDES)


def _form_side(side: str) -> Source:
    limit = current_app.config["MAX_DOCUMENT_BYTES"]
    upload = request.files.get(f"{side}_file")
    if upload and upload.filename:
        content = decode(upload.read(limit + 1), limit)
        kind = _kind(request.form.get(f"{side}_kind"), upload.filename)
    else:
        content = clean_text(request.form.get(f"{side}_text", ""))
        check_size(len(content.encode("utf-8")), limit)
        kind = _kind(request.form.get(f"{side}_kind"))
    if not content.strip():
        raise EmptyInput(f"The {side} document is empty: paste text or HTML, or choose a file.")
    return Source(content, kind, _short(request.form.get(f"{side}_title")), _short(request.form.get(f"{side}_label")))


def clean_text(text: str) -> str:
    """Text as the pipeline takes it: surrogate pairs joined, lone surrogates
    (JSON allows them, UTF-8 does not) replaced by U+FFFD, NUL bytes dropped."""
    if _SURROGATE.search(text):
        text = text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return text.replace("\x00", "")


def _kind(value: str | None, filename: str | None = None) -> str:
    if value in ("text", "html"):
        return value
    if filename and filename.lower().endswith((".html", ".htm", ".xhtml")):
        return "html"
    if filename and filename.lower().endswith((".txt", ".md")):
        return "text"
    return "auto"


def _short(value) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return None
    return " ".join(value.split())[:TITLE_MAX_CHARS]


def json_sources() -> tuple[Source, Source, dict]:
    """Sources of an API create request: {"left": {"text"|"html": str, ...}, ...}."""
    if not request.is_json:
        raise ApiError("Send the comparison as JSON with Content-Type: application/json.")
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise ApiError("The request body must be a JSON object with 'left' and 'right'.")
    options = body.get("options", {})  # "" or [] is no object either: refused below
    if not isinstance(options, dict):
        raise ApiError("'options' must be an object.")
    return _json_side(body, "left"), _json_side(body, "right"), options


def _json_side(body: dict, side: str) -> Source:
    spec = body.get(side)
    if not isinstance(spec, dict):
        raise ApiError(f"'{side}' must be an object with a 'text' or 'html' string.")
    has_text, has_html = isinstance(spec.get("text"), str), isinstance(spec.get("html"), str)
    if has_text == has_html:
        raise ApiError(f"'{side}' needs exactly one of 'text' or 'html' (a string).")
    content = clean_text(spec["text"] if has_text else spec["html"])
    check_size(len(content.encode("utf-8")), current_app.config["MAX_DOCUMENT_BYTES"])
    if not content.strip():
        raise EmptyInput(f"The {side} document is empty.")
    return Source(content, "text" if has_text else "html", _label(spec, side, "title"), _label(spec, side, "source"))


def _label(spec: dict, side: str, name: str) -> str | None:
    """An API title or source: a string of at most TITLE_MAX_CHARS, or absent/null; else a 400."""
    value = spec.get(name)
    if value is not None and (not isinstance(value, str) or len(value) > TITLE_MAX_CHARS):
        raise ApiError(f"'{side}.{name}' must be a string of at most {TITLE_MAX_CHARS} characters.")
    return _short(value)
