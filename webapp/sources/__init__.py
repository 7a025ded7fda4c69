"""Sources: turn what a user gives (a file, a link) into pipeline `Source`s.

The I/O side of coverdiff's input; `webapp/pipeline/` never imports it.

    from webapp import sources
    source = sources.from_upload("release.pdf", data, limit)          # .txt .md .html .docx .pdf
    fetched = sources.fetch("https://example.org/story", settings)    # behind the address guard
    source = sources.from_fetched(fetched, limit)

Every refusal is a typed CoverdiffError (sources/errors.py) with a 4xx status
and a message that says what was refused and why.
"""

from __future__ import annotations

from ..pipeline import Source
from .errors import (
    DamagedFile,
    EncryptedFile,
    ExpandsTooLarge,
    FetchFailed,
    InvalidUrl,
    NoTextLayer,
    UnsupportedFormat,
    UrlRefused,
)
from .formats import ACCEPT, format_of, read
from .record import FetchRecord

# The HTTP client (httpx, 74 ms of imports) loads when a link is first checked or fetched, not
# with every command that reads a file: these names come from their modules on first use.
_LAZY = {"Fetched": "fetching", "Fetcher": "fetching", "FetchSettings": "fetching", "HttpFetcher": "fetching",
         "fetch": "fetching", "Allowlist": "guard", "check_url": "guard"}


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(f"{__name__}.{_LAZY[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

__all__ = [
    "ACCEPT", "Allowlist", "DamagedFile", "EncryptedFile", "ExpandsTooLarge", "FetchFailed", "FetchRecord",
    "FetchSettings", "Fetched", "Fetcher", "HttpFetcher", "InvalidUrl", "NoTextLayer", "UnsupportedFormat",
    "UrlRefused", "check_url", "fetch", "from_fetched", "from_upload",
]


def from_upload(filename: str | None, data: bytes, limit: int, kind: str | None = None) -> Source:
    """The Source of an uploaded file: its format from its first bytes, else its name.
    `kind` ("text" or "html", the user's choice) overrides the name for text files;
    Word and PDF files are always read as what they are."""
    fmt = format_of(filename, data)
    if kind in ("text", "html") and fmt not in ("docx", "pdf"):
        fmt = kind
    return read(data, fmt, limit)


def from_fetched(fetched, limit: int | None = None) -> Source:
    """The Source of a fetched answer, read by its content type (HTTP charset first for text);
    `limit` (bytes, the document limit; by default FetchSettings') bounds what a PDF or Word
    file may unpack to."""
    if limit is None:
        from .fetching import FetchSettings

        limit = FetchSettings.max_bytes
    return read(fetched.data, fetched.format, limit, fetched.charset)
