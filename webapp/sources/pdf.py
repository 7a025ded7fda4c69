"""PDF to HTML paragraphs with pypdf: running headers, footers and page numbers set apart.

1. Open with pypdf under limits (pypdf.apply_configuration): each decoded stream and
   all decoding together are bounded by the document limit, the page tree by
   MAX_PAGES, and no external decoder is run. Encrypted files open only when they
   need no password; a file without a text layer (a scan) is refused in words.
2. Read each page in pypdf's layout mode, which writes text where it stands: lines
   top to bottom, vertical gaps as blank lines, indentation as leading spaces.
3. Lines repeated at the top or bottom edge of most pages (digits ignored, so
   "Page 3 of 9" repeats) and lone page numbers at an edge are furniture: they go
   into <header>/<footer> elements, which the sanitizer records as removed with
   the reasons "header" and "footer".
4. Text columns are read one after the other: a gutter is a band of layout columns
   blank on (nearly) every line with text on both sides; a line that crosses it (a
   headline over the columns) is kept whole and starts a new band of columns.
5. Paragraphs are rebuilt from lines (a blank line, a first-line indent, or a short
   line ending a sentence ends one), across page breaks (a paragraph whose last
   line is full or does not end a sentence goes on on the next page) and across
   hyphenated line ends.
"""

from __future__ import annotations

import io
import logging
import re
import time
from collections import Counter
from html import escape

import pypdf
from pypdf.errors import DependencyError, FileNotDecryptedError, LimitReachedError

from ..pipeline.decode import check_size
from ..pipeline.errors import CoverdiffError
from .errors import DamagedFile, EncryptedFile, ExpandsTooLarge, NoTextLayer

MAX_PAGES = 2_000  # pages; 5 MB of text is ~1,700 pages of 3 KB (a dense news page holds 3-6 KB)
# Decoded streams together may hold this many times the document limit: a content stream
# spends 1-4 bytes of operators and positions per byte of text (fpdf2 ~1.5, Word exports ~3-4).
DECODED_PER_DOCUMENT_BYTE = 4  # bytes of decoded streams per byte of the document limit
READ_BUDGET_S = 10.0  # seconds of pypdf work per file, checked between pages
NO_TEXT_MIN_CHARS = 20  # non-space characters besides running furniture; fewer means no text layer
EDGE_LINES = 2  # lines at the top and at the bottom of a page that may be running furniture
RUNNING_MIN_SHARE = 0.5  # a line at an edge of at least this share of pages (and two) repeats, 0..1
INDENT_MIN_CHARS = 2  # layout columns of extra indent that start a paragraph
GUTTER_MIN_CHARS = 3  # layout columns of blank between two text columns (a word space is 1, sometimes 2)
# A gutter is blank on all but this share of the text lines (a headline across the columns) ...
GUTTER_SPAN_SHARE = 0.1  # fraction of the page's text lines, 0..1
# ... and has text on both sides on at least this share of them.
COLUMN_MIN_SHARE = 0.2  # fraction of the page's text lines, 0..1
MARGIN_MIN_SHARE = 0.1  # share of a page's text lines that start at its left margin, 0..1
SHORT_LINE_SHARE = 0.8  # a line shorter than this share of the page's full lines may end a paragraph, 0..1

# pypdf logs a warning for every object it recovers: thousands of lines for one hostile file.
logging.getLogger("pypdf").setLevel(logging.ERROR)

_PAGE_NUMBER = re.compile(r"^[-\u2013\u2014\s]*(page\s*)?\d{1,4}(\s*(/|of)\s*\d{1,4})?[-\u2013\u2014\s]*$", re.I)
_DIGITS = re.compile(r"\d+")
_SENTENCE_END = re.compile(r"[.!?:;\"'\u201d\u2019)\]]$")
_HYPHEN_END = re.compile(r"(\w+)-$")
_LOWER_START = re.compile(r"^[a-z\u00df-\u00ff]")


def to_html(data: bytes, limit: int) -> str:
    """The PDF's text as an HTML page, or a typed error that says why it cannot be read."""
    check_size(len(data), limit)
    if b"%PDF-" not in data[:1024]:
        raise DamagedFile("The file is not a PDF (it does not start with %PDF-).")
    work = DECODED_PER_DOCUMENT_BYTE * limit
    with pypdf.apply_configuration(
            zlib_maximum_output_length=limit, lzw_maximum_output_length=limit,
            run_length_maximum_output_length=limit, brotli_maximum_output_length=limit,
            array_based_stream_maximum_output_length=limit, jbig2dec_binary=None,
            stream_decoding_work_maximum_length=work, page_tree_maximum_entries=MAX_PAGES + 1):
        pages, title = _read_pages(data, limit)
    header, body, footer = split_furniture(pages)
    if sum(len(line.strip()) for page in body for line in page) < NO_TEXT_MIN_CHARS:  # page numbers are no text
        raise NoTextLayer("The PDF has no text layer (it looks like a scan or images of text): "
                          "run it through text recognition (OCR) first, or paste its text.")
    return _html(title, header, paragraphs([c for lines in body for c in columns(lines)]), footer)


def _read_pages(data: bytes, limit: int) -> tuple[list[list[str]], str | None]:
    """Layout lines of every page, and the document title; pypdf's failures in words."""
    deadline = time.monotonic() + READ_BUDGET_S
    try:  # pypdf raises many types on a hostile file (and a RecursionError on deep nesting): all the file's
        reader = pypdf.PdfReader(io.BytesIO(data))
        _decrypt(reader)
        count = len(reader.pages)
        if count > MAX_PAGES:
            raise ExpandsTooLarge(f"The PDF has {count} pages; the limit is {MAX_PAGES}.")
        pages, size = [], 0
        for page in reader.pages:
            text = page.extract_text(extraction_mode="layout")
            size += len(" ".join(text.split()).encode("utf-8"))  # the text, not the layout's padding
            check_size(size, limit)
            if time.monotonic() > deadline:
                raise ExpandsTooLarge(f"The PDF takes longer than {READ_BUDGET_S:g} s to read; it is refused.")
            pages.append(text.split("\n"))
        return pages, _title(reader)
    except CoverdiffError:
        raise
    except LimitReachedError as exc:
        raise ExpandsTooLarge(f"The PDF is refused: it unpacks past the limits for one document ({exc}).") from exc
    except Exception as exc:
        raise DamagedFile(f"The PDF is damaged or truncated and cannot be read ({type(exc).__name__}).") from exc


def _decrypt(reader: pypdf.PdfReader) -> None:
    """Open a PDF encrypted with an empty user password (permissions only); refuse others."""
    if not reader.is_encrypted:
        return
    try:
        opened = reader.decrypt("")
    except (DependencyError, NotImplementedError, FileNotDecryptedError) as exc:
        raise EncryptedFile("The PDF is encrypted with a method this server does not open: "
                            "save it without encryption or paste its text.") from exc
    if not opened:
        raise EncryptedFile("The PDF is password-protected: remove the password or paste its text.")


def _title(reader: pypdf.PdfReader) -> str | None:
    meta = reader.metadata
    title = " ".join(str(meta.title or "").split()) if meta else ""
    return title or None


def split_furniture(pages: list[list[str]]) -> tuple[list[str], list[list[str]], list[str]]:
    """(header texts, page lines without furniture, footer texts): repeated edge lines
    and lone page numbers at a page's edge are furniture, each text listed once."""
    pages = [_trimmed(lines) for lines in pages]
    repeated = _repeated_edges(pages)
    header, footer, body = [], [], []
    for lines in pages:
        content = [i for i, line in enumerate(lines) if line.strip()]
        top, bottom = set(content[:EDGE_LINES]), set(content[-EDGE_LINES:])
        kept = []
        for i, line in enumerate(lines):
            text = " ".join(line.split())
            edge = i in top or i in bottom
            if edge and (_key(text) in repeated or _PAGE_NUMBER.match(text)):
                side = header if i in top and i not in bottom or i < len(lines) / 2 else footer
                if text not in side:
                    side.append(text)
            else:
                kept.append(line)
        body.append(_trimmed(kept))
    return header, body, footer


def _repeated_edges(pages: list[list[str]]) -> set[str]:
    counts: Counter[str] = Counter()
    for lines in pages:
        content = [" ".join(line.split()) for line in lines if line.strip()]
        counts.update({_key(t) for t in content[:EDGE_LINES] + content[-EDGE_LINES:]})
    needed = max(2, RUNNING_MIN_SHARE * len(pages))
    return {key for key, n in counts.items() if n >= needed}


def _key(text: str) -> str:
    return _DIGITS.sub("#", text.lower())


def _trimmed(lines: list[str]) -> list[str]:
    """Lines without the blank lines above the first and below the last text."""
    content = [i for i, line in enumerate(lines) if line.strip()]
    return lines[content[0]:content[-1] + 1] if content else []


def columns(lines: list[str]) -> list[list[str]]:
    """The page's lines as text columns, read left column first (one list when it has one).
    Each column's lines keep their layout positions (the columns to their left blanked)."""
    gutters = _gutters(lines)
    if not gutters:
        return [lines]
    out: list[list[str]] = []
    band: list[list[str]] = []
    for line in lines:
        pieces = _pieces(line, gutters)
        if pieces is None:  # crosses a gutter: a headline over the columns, a paragraph of its own
            out.extend(map(list, zip(*band, strict=True)) if band else [])
            out.append([line, ""])
            band = []
        else:
            band.append(pieces)
    out.extend(map(list, zip(*band, strict=True)) if band else [])
    return [c for c in out if any(x.strip() for x in c)]


def _pieces(line: str, gutters: list[tuple[int, int]]) -> list[str] | None:
    """The line cut where it leaves each column (a blank run in the gutter); None when text crosses one."""
    cuts = []
    for a, b in gutters:
        cut = next((i for i in range(a, b + 1) if not line[i:i + GUTTER_MIN_CHARS].strip()), None)
        if cut is None:
            return None
        cuts.append(cut)
    starts = [0, *cuts]
    ends = [*cuts, len(line)]
    return [" " * start + line[start:end] for start, end in zip(starts, ends, strict=True)]


def _gutters(lines: list[str]) -> list[tuple[int, int]]:
    """[start, end) bands of layout columns that separate text columns."""
    text = [line for line in lines if line.strip()]
    width = max((len(line) for line in text), default=0)
    occupied = [0] * width
    for line in text:
        for i, ch in enumerate(line):
            if ch != " ":
                occupied[i] += 1
    allowed = GUTTER_SPAN_SHARE * len(text)
    runs, start = [], None
    for i, count in enumerate(occupied + [len(text) + 1]):
        if count <= allowed and start is None:
            start = i
        elif count > allowed and start is not None:
            if i - start >= GUTTER_MIN_CHARS and start > 0 and i < width:
                runs.append((start, i))
            start = None
    both = [(a, b) for a, b in runs
            if sum(bool(line[:a].strip()) and bool(line[b:].strip()) for line in text) >= COLUMN_MIN_SHARE * len(text)]
    return both


def paragraphs(pages: list[list[str]]) -> list[str]:
    """Paragraph texts of the pages' lines. A page's first paragraph goes on from the
    last one before it unless that one ended (with a sentence, on a short line) or the
    page starts with a first-line indent."""
    out: list[str] = []
    ended = True
    for lines in pages:
        page, page_ended = _page_paragraphs(lines)
        if page and not ended and not _starts_indented(lines):
            out[-1] = _join(out[-1], page.pop(0))
        out.extend(page)
        ended = page_ended if page or not out else ended
    vocabulary = _hyphenated_words(out)
    return [_dehyphenate(p, vocabulary) for p in out]


def _page_paragraphs(lines: list[str]) -> tuple[list[str], bool]:
    """The page's paragraphs, and whether its last one ends on the page."""
    full = _full_width(lines)
    margin = _body_margin(lines)
    out, current, ended = [], "", True
    for line in lines:
        text = " ".join(line.split())
        if not text:
            ended = True
            continue
        indented = _indent(line) >= margin + INDENT_MIN_CHARS
        if current and (ended or indented):
            out.append(current)
            current = ""
        current = _join(current, text) if current else text
        ended = len(line.rstrip()) < SHORT_LINE_SHARE * full and bool(_SENTENCE_END.search(text))
    if current:
        out.append(current)
    return out, ended


def _starts_indented(lines: list[str]) -> bool:
    first = next((line for line in lines if line.strip()), "")
    return _indent(first) >= _body_margin(lines) + INDENT_MIN_CHARS


def _full_width(lines: list[str]) -> int:
    widths = sorted(len(line.rstrip()) for line in lines if line.strip())
    return widths[int(0.9 * (len(widths) - 1))] if widths else 0


def _body_margin(lines: list[str]) -> int:
    """Where the page's lines start: the leftmost start that MARGIN_MIN_SHARE of the lines
    (and two) share. Not the most common start: a page of one-line paragraphs makes that
    the indented one. Not the leftmost line: one number hanging in the margin would make
    every line look indented."""
    counts = Counter(_indent(line) for line in lines if line.strip())
    needed = max(2, MARGIN_MIN_SHARE * sum(counts.values()))
    shared = [indent for indent, n in counts.items() if n >= needed]
    return min(shared or counts or [0])


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def _join(before: str, after: str) -> str:
    """Two line texts as one: a hyphen at a line end is kept for now (\u00ad marks it)."""
    if _HYPHEN_END.search(before) and _LOWER_START.match(after):
        return before[:-1] + "\u00ad" + after
    return f"{before} {after}"


def _hyphenated_words(texts: list[str]) -> set[str]:
    """Words written with a hyphen inside a line somewhere in the document ('well-known')."""
    return {w.lower() for t in texts for w in re.findall(r"\w+-\w+", t)}


def _dehyphenate(text: str, vocabulary: set[str]) -> str:
    """A line-end hyphen is dropped ('inter-national' -> 'international') unless the
    document writes the hyphenated word elsewhere, which keeps it ('well-known')."""
    def one(match: re.Match) -> str:
        word = f"{match[1]}-{match[2]}"
        return word if word.lower() in vocabulary else match[1] + match[2]
    return re.sub(r"(\w+)\u00ad(\w+)", one, text)


def _html(title: str | None, header: list[str], body: list[str], footer: list[str]) -> str:
    head = f"<head><title>{escape(title)}</title></head>" if title else ""
    parts = [f"<header><p>{escape(t)}</p></header>" for t in header]
    parts.append("<article>" + "".join(f"<p>{escape(p)}</p>" for p in body) + "</article>")
    parts += [f"<footer><p>{escape(t)}</p></footer>" for t in footer]
    return f"<!DOCTYPE html><html>{head}<body>{''.join(parts)}</body></html>"
