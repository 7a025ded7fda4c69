"""Parse requests: form fields, uploads and JSON bodies into pipeline Sources, and the numbers
in URLs and forms. Everything a request says is checked here; a bad value is a typed 4xx."""

from __future__ import annotations

import re
from dataclasses import replace

from flask import current_app, request
from werkzeug.exceptions import RequestEntityTooLarge

from .errors import BadRequest, CoverdiffError, EmptyInput, NotFound, TooLarge, request_too_large
from .pipeline import Options, Source
from .pipeline.facts import MAX_DOCUMENTS, MIN_DOCUMENTS
from .uploads import file_source, kind_for

SIDES = ("left", "right")
_SURROGATE = re.compile("[\ud800-\udfff]")
TITLE_MAX_CHARS = 300  # characters of an optional title or outlet label
# Row positions and block indexes in URLs and forms: ASCII digits, at most this many
# (a billion rows is far past any document's paragraph limit).
INDEX_MAX_DIGITS = 9  # digits
# Options a client may set; the rest (time budgets, limits) are server config.
CLIENT_OPTIONS = {"ignore_typography": bool}


def submitted_form():
    """The request's form fields; TooLarge when the body is over the request limit."""
    try:
        return request.form
    except RequestEntityTooLarge:
        raise request_too_large(current_app.config["MAX_CONTENT_LENGTH"]) from None


def form_fields() -> dict:
    """The compare form's fields as sent (to show the form again), {} when unreadable."""
    try:
        form = request.form
    except RequestEntityTooLarge:
        return {}
    return {k: v for k, v in form.items() if k.endswith(("_text", "_title", "_label", "_kind", "_url"))}


def slot_count(value: str | None, default: int) -> int:
    """How many document slots a many-documents form shows: 2 to MAX_SLOTS."""
    if value is None:
        return default
    if not (value.isascii() and value.isdigit() and len(value) <= 2) or not MIN_DOCUMENTS <= int(value) <= MAX_SLOTS:
        raise BadRequest(f"A form has {MIN_DOCUMENTS} to {MAX_SLOTS} document slots.")
    return int(value)


def form_sources(form) -> tuple[Source, Source, dict]:
    """The two sources of the compare form (an uploaded file wins over a link, a link over
    pasted text), and how each side given as a link was fetched (side -> FetchRecord)."""
    fetched: dict = {}
    return _form_side(form, "left", fetched), _form_side(form, "right", fetched), fetched


def fetch_settings():
    """The app's fetch settings: the document limit, timeouts and allowlist (settings.py)."""
    from .sources import FetchSettings

    return FetchSettings.from_config(current_app.config)


def fetched_source(url: str, side: str, fetched: dict) -> Source:
    """The Source of a link, fetched behind the address guard; how, kept in `fetched[side]`."""
    from . import sources

    if not current_app.config["FETCH_LINKS"]:
        raise sources.UrlRefused("This server does not fetch links (COVERDIFF_FETCH_LINKS is off): paste the text.")
    result = sources.fetch(url.strip(), fetch_settings())
    fetched[side] = result.record()
    return sources.from_fetched(result, current_app.config["MAX_DOCUMENT_BYTES"])


def _form_side(form, side: str, fetched: dict) -> Source:
    limit = current_app.config["MAX_DOCUMENT_BYTES"]
    upload = request.files.get(f"{side}_file")
    url = form.get(f"{side}_url", "")
    if upload and upload.filename:
        upload.stream.seek(0, 2)  # werkzeug spooled the upload: its size is known before reading it
        check_size(f"The {side} document", upload.stream.tell(), limit)
        upload.stream.seek(0)
        source = file_source(upload.filename, upload.read(limit + 1), limit, form.get(f"{side}_kind"))
    elif url.strip():
        source = fetched_source(url, side, fetched)
    else:
        content = clean_text(form.get(f"{side}_text", ""))
        check_size(f"The {side} document", len(content.encode("utf-8")), limit)
        source = Source(content, kind_for(None, form.get(f"{side}_kind")))
    if not source.content.strip():
        raise EmptyInput(f"The {side} document is empty: paste text or HTML, give a link, or choose a file.")
    return Source(source.content, source.kind, _short(form.get(f"{side}_title")), _short(form.get(f"{side}_label")))


def check_size(what: str, size: int, limit: int) -> None:
    """TooLarge (413) naming the document (`what`, e.g. "The left document") and its real size
    when `size` bytes exceed `limit`."""
    if size > limit:
        raise TooLarge(f"{what} is {size / 1e6:.1f} MB; the limit is {limit / 1e6:g} MB per document.")


def many_form_sources(form) -> list[Source]:
    """The documents of the many-documents form: each filled slot (doc<k>_file, else doc<k>_url,
    else doc<k>_text, with its kind and outlet label), then each file of the several-files
    input. Blank slots are skipped; an uploaded file or fetched page that is empty is refused, as
    are fewer than 2 or more than 10 documents and a total over MAX_TOTAL_BYTES."""
    limit = current_app.config["MAX_DOCUMENT_BYTES"]
    links = {k: url for k in range(MAX_SLOTS) if (url := form.get(f"doc{k}_url", "").strip())
             and not (request.files.get(f"doc{k}_file") and request.files[f"doc{k}_file"].filename)}
    fetched = fetched_sources(links)
    sources = []
    for k in range(MAX_SLOTS):
        upload, text = request.files.get(f"doc{k}_file"), clean_text(form.get(f"doc{k}_text", ""))
        if upload and upload.filename:
            source = file_source(upload.filename, upload.read(limit + 1), limit, form.get(f"doc{k}_kind"))
            _not_empty(source, f"The file {_short(upload.filename)} (document {k + 1})")
        elif k in fetched:
            source = _not_empty(fetched[k], f"The page at the link of document {k + 1}")
        elif text.strip():
            check_size(f"Document {k + 1}", len(text.encode("utf-8")), limit)
            source = Source(text, kind_for(None, form.get(f"doc{k}_kind")))
        else:
            continue
        sources.append(Source(source.content, source.kind, None, _short(form.get(f"doc{k}_label"))))
    for upload in request.files.getlist("files"):
        if upload.filename:
            source = file_source(upload.filename, upload.read(limit + 1), limit)
            sources.append(_not_empty(source, f"The file {_short(upload.filename)}"))
    if not MIN_DOCUMENTS <= len(sources) <= MAX_DOCUMENTS:
        raise BadRequest(f"Give {MIN_DOCUMENTS} to {MAX_DOCUMENTS} documents to compare; this form had {len(sources)}.")
    check_total(sources)
    return sources


def fetched_sources(links: dict[int, str]) -> dict[int, Source]:
    """The Source of each link (document index -> URL), fetched behind the address guard, all at
    once: each fetch has FETCH_TOTAL_TIMEOUT_S, so ten slow links take one fetch's time, not ten
    (inside the worker's timeout). An error names the first document whose link failed."""
    if not links:
        return {}
    from concurrent.futures import ThreadPoolExecutor

    from . import sources

    if not current_app.config["FETCH_LINKS"]:
        raise sources.UrlRefused("This server does not fetch links (COVERDIFF_FETCH_LINKS is off): paste the text.")
    settings, limit = fetch_settings(), current_app.config["MAX_DOCUMENT_BYTES"]

    def read(url: str) -> Source:
        return sources.from_fetched(sources.fetch(url, settings), limit)

    with ThreadPoolExecutor(max_workers=len(links)) as pool:
        futures = {k: pool.submit(read, url) for k, url in sorted(links.items())}
    out = {}
    for k, future in futures.items():
        try:
            out[k] = future.result()
        except CoverdiffError as exc:
            raise type(exc)(f"Document {k + 1}: {exc.message}") from None
    return out


MAX_SLOTS = MAX_DOCUMENTS  # document slots the many-documents form may send


def _not_empty(source: Source, what: str) -> Source:
    if not source.content.strip():
        raise EmptyInput(f"{what} is empty.")
    return source


def clean_text(text: str) -> str:
    """Text as the pipeline takes it: surrogate pairs joined, lone surrogates
    (JSON allows them, UTF-8 does not) replaced by U+FFFD, NUL bytes dropped."""
    if _SURROGATE.search(text):
        text = text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return text.replace("\x00", "")


def _short(value) -> str | None:
    """A form's optional title or label: whitespace collapsed, cut to TITLE_MAX_CHARS."""
    if not isinstance(value, str) or not value.strip():
        return None
    return " ".join(clean_text(value).split())[:TITLE_MAX_CHARS]


def json_body() -> dict:
    """An API create request's JSON object."""
    if not request.is_json:
        raise BadRequest("Send the comparison as JSON with Content-Type: application/json.")
    try:
        body = request.get_json(silent=True)
    except RecursionError:
        raise BadRequest("The JSON body is nested too deeply.") from None
    if not isinstance(body, dict):
        raise BadRequest("The request body must be a JSON object with 'left' and 'right', or 'documents'.")
    return body


def json_options(body: dict) -> Options:
    options = body.get("options", {})  # harden: "" or [] is no object either, refused below
    if not isinstance(options, dict):
        raise BadRequest("'options' must be an object.")
    return options_from(options)


def json_sources(body: dict) -> tuple[Source, Source, Options, dict]:
    """Sources, options and fetches (side -> FetchRecord) of an API create request:
    {"left": {"text"|"html"|"url": str, ...}, ...}."""
    fetched: dict = {}
    left, right = _json_side(body, "left", fetched), _json_side(body, "right", fetched)
    return left, right, json_options(body), fetched


def json_many_sources(body: dict) -> tuple[list[Source], Options]:
    """Sources and options of {"documents": [{"text"|"html": str, "title"?, "source"?}, ...]}:
    MIN_DOCUMENTS to MAX_DOCUMENTS of them, none empty, MAX_TOTAL_BYTES together at most."""
    specs = body.get("documents")
    if not isinstance(specs, list) or not MIN_DOCUMENTS <= len(specs) <= MAX_DOCUMENTS:
        got = len(specs) if isinstance(specs, list) else "not a list"
        raise BadRequest(f"'documents' must be a list of {MIN_DOCUMENTS} to {MAX_DOCUMENTS} documents ({got}).")
    sources = [_json_side({f"documents[{n}]": spec}, f"documents[{n}]") for n, spec in enumerate(specs)]
    check_total(sources)
    return sources, json_options(body)


def check_total(sources: list[Source]) -> None:
    """TooLarge when the documents together are over MAX_TOTAL_BYTES."""
    limit = int(current_app.config["MAX_TOTAL_BYTES"])
    total = sum(len(s.content.encode("utf-8")) for s in sources)
    if total > limit:
        raise TooLarge(f"The documents together are {_megabytes(total, limit)} MB, "
                       f"over the limit of {limit / 1e6:g} MB.")


def _megabytes(size: int, limit: int) -> str:
    """`size` in MB with one decimal, or as many more as tell it from `limit` (20.000001, not 20.0)."""
    for digits in range(1, 7):
        shown = f"{size / 1e6:.{digits}f}"
        if float(shown) != limit / 1e6:
            return shown
    return f"{size / 1e6:f}"


def _json_side(body: dict, side: str, fetched: dict | None = None) -> Source:
    """One side of an API request; a link ("url") only where `fetched` keeps how it was fetched."""
    spec = body.get(side)
    keys = ("text", "html", "url") if fetched is not None else ("text", "html")
    named = "'text' or 'html' (a string)" + (" or 'url' (a link)" if fetched is not None else "")
    if not isinstance(spec, dict):
        raise BadRequest(f"'{side}' must be an object with {named}.")
    given = [key for key in keys if isinstance(spec.get(key), str)]
    present = [key for key in keys if key in spec]
    if len(given) != 1 or present != given:  # harden: no {"text": {}}
        raise BadRequest(f"'{side}' needs exactly one of {named}.")
    if given == ["url"]:
        source = fetched_source(spec["url"], side, fetched)
        return replace(source, title=_label(spec, side, "title"), label=_label(spec, side, "source"))
    has_text = given == ["text"]
    content = clean_text(spec["text"] if has_text else spec["html"])
    check_size(f"The {side} document", len(content.encode("utf-8")), current_app.config["MAX_DOCUMENT_BYTES"])
    if not content.strip():
        raise EmptyInput(f"The {side} document is empty.")
    return Source(content, "text" if has_text else "html", _label(spec, side, "title"), _label(spec, side, "source"))


def _label(spec: dict, side: str, name: str) -> str | None:
    """An API side's optional title or source: a string of at most TITLE_MAX_CHARS, or refused."""
    value = spec.get(name)
    if value is None:
        return None
    if not isinstance(value, str) or len(value) > TITLE_MAX_CHARS:
        raise BadRequest(f"'{side}.{name}' must be a string of at most {TITLE_MAX_CHARS} characters.")
    return " ".join(clean_text(value).split()) or None


def options_from(requested: dict) -> Options:
    """The server's Options with the client's allowed choices applied."""
    changes = {}
    for key, value in requested.items():
        if key not in CLIENT_OPTIONS or not isinstance(value, CLIENT_OPTIONS[key]):
            raise BadRequest(f"Unknown or invalid option '{key}'; allowed: {', '.join(CLIENT_OPTIONS)}.")
        changes[key] = value
    return Options(**{**current_app.config["PIPELINE_OPTIONS"].__dict__, **changes})


def row_position(value: str) -> int:
    """A row number or position from a URL: ASCII digits only, else a 404 that says so."""
    if not (value.isascii() and value.isdigit()) or len(value) > INDEX_MAX_DIGITS:
        raise NotFound(f"There is no row {value[:20]} here.")
    return int(value)


def removed_index(value: str) -> int:
    """Which removed block a form puts back: ASCII digits only, else a 400 that says so."""
    if not (value.isascii() and value.isdigit()) or len(value) > INDEX_MAX_DIGITS:
        raise BadRequest("Say which removed block to put back: side=left|right and its index.")
    return int(value)
