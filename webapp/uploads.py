"""Files as pipeline Sources: the rules for what kind a file is, for the form and the command line.

No Flask here: the command line reads files with the same rules as the upload form.
"""

from __future__ import annotations

from .pipeline import Source
from .pipeline.types import SourceKind

HTML_SUFFIXES = (".html", ".htm", ".xhtml")
TEXT_SUFFIXES = (".txt", ".md")


def kind_for(filename: str | None, requested: str | None = None) -> SourceKind:
    """The kind the user chose ("text" or "html"), else the file name's, else "auto" (detected)."""
    if requested in ("text", "html"):
        return requested
    name = (filename or "").lower()
    if name.endswith(HTML_SUFFIXES):
        return "html"
    if name.endswith(TEXT_SUFFIXES):
        return "text"
    return "auto"


def file_source(filename: str | None, data: bytes, limit: int, requested: str | None = None) -> Source:
    """An uploaded or named file's bytes as a Source: text and HTML decoded, .docx and .pdf
    read by webapp/sources (TooLarge past `limit` bytes, Undecodable, the sources' 415/422s)."""
    from . import sources

    return sources.from_upload(filename, data, limit, requested)
