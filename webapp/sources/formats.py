"""Which reader a file or a fetched answer goes to, and text decoding with an HTTP charset.

Formats: 'text' (.txt, .md), 'html' (.html, .htm, .xhtml), 'docx' (Word, through
mammoth to HTML) and 'pdf' (pypdf's text layer, rebuilt as HTML paragraphs). Word
and PDF come out as HTML, so the same sanitizer reads them as it reads web pages.
A file's first bytes win over its name: a PDF saved as .txt is read as a PDF.
"""

from __future__ import annotations

import codecs

from ..pipeline import Source
from ..pipeline.decode import decode
from .errors import UnsupportedFormat

# File name endings and the format each is read as.
SUFFIXES = {
    ".txt": "text", ".md": "text", ".text": "text",
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".docx": "docx", ".pdf": "pdf",
}
ACCEPT = ",".join(SUFFIXES)  # for <input type=file accept=...>
# Charset labels that mean windows-1252 (HTML standard's label table, as codecs names them).
_WINDOWS_1252 = frozenset(("latin-1", "iso8859-1", "ascii", "cp1252"))
_BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def format_of(filename: str | None, data: bytes) -> str:
    """'text', 'html', 'docx', 'pdf' or 'auto' (decoded, then detected as text or HTML)."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    suffix = "." + filename.rsplit(".", 1)[-1].lower() if filename and "." in filename else ""
    if data.startswith(b"PK\x03\x04") and suffix in ("", ".docx", ".zip"):
        return "docx"
    if suffix in (".doc", ".odt", ".rtf", ".pages"):
        raise UnsupportedFormat(f"{suffix} files are not read: save the document as .docx, .pdf or .txt.")
    return SUFFIXES.get(suffix, "auto")


def read(data: bytes, fmt: str, limit: int, charset: str | None = None) -> Source:
    """A pipeline Source from bytes in format `fmt` (see format_of); `charset` from HTTP."""
    if fmt == "docx":
        from . import docx  # mammoth is imported only when a Word file arrives

        return Source(docx.to_html(data, limit), "html")
    if fmt == "pdf":
        from . import pdf  # pypdf (46 ms of imports) only when a PDF arrives

        return Source(pdf.to_html(data, limit), "html")
    return Source(decode_text(data, limit, charset), fmt if fmt in ("text", "html") else "auto")


def decode_text(data: bytes, limit: int, charset: str | None = None) -> str:
    """Bytes to text as for uploads (pipeline.decode), except that a charset the
    HTTP answer names comes before the document's own declaration, after a BOM
    (HTML standard order). Latin-1 labels read as windows-1252; a Latin-1 label
    on valid UTF-8 with non-ASCII bytes (a common server default) reads as UTF-8."""
    text = decode(data, limit)  # also refuses binary files and known non-text formats
    encoding = _http_encoding(charset, data)
    if encoding and not data.startswith(_BOMS):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            pass  # the label was wrong: what the bytes say stands
    return text


def _http_encoding(charset: str | None, data: bytes) -> str | None:
    if not charset:
        return None
    try:
        name = codecs.lookup(charset.strip().strip("\"'")).name
    except LookupError:
        return None
    if name in _WINDOWS_1252:
        try:
            data.decode("utf-8")
            return "utf-8" if not data.isascii() else "cp1252"
        except UnicodeDecodeError:
            return "cp1252"
    return name
