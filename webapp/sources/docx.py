"""Word (.docx) to HTML with mammoth, after the archive is checked without unpacking it.

The ZIP central directory says how large every member unpacks to; the parts that
are read (everything but images and embedded files) must fit in the document
limit together, or the file is refused before anything is decompressed. zipfile
stops a member at its declared size (and fails its CRC), so a directory that
lies cannot unpack more than it declared.

mammoth converts the body (headings, paragraphs, lists, tables) and skips the
running headers and footers; their text is put in <header>/<footer> elements so
the sanitizer lists it as removed page furniture, with that reason. Images are
never decoded (`convert_image` returns no picture).

Cost, measured here (2 cores, shared): mammoth turns 2.7 MB of document.xml (15,000
paragraphs, 1.5 MB of text) into HTML in 6.8 s, so a file at the 5 MB limit takes
about 13 s; it cannot be interrupted, which is why the limit is checked first.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from html import escape
from xml.etree import ElementTree

import mammoth

from ..pipeline.decode import check_size
from .errors import DamagedFile, ExpandsTooLarge, UnsupportedFormat

# A Word document has 10-40 parts; python-docx writes 13, Word ~20 plus one per image.
MAX_MEMBERS = 2_000  # ZIP entries; more is refused unread
BODY = "word/document.xml"
# Members never read as text: pictures and embedded objects (mammoth is told not to open them).
UNREAD_PREFIXES = ("word/media/", "word/embeddings/")
# Word's own title styles as headings (mammoth's default map leaves them paragraphs).
STYLE_MAP = "p[style-name='Title'] => h1:fresh\np[style-name='Subtitle'] => h2:fresh"
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def to_html(data: bytes, limit: int) -> str:
    """The document's HTML, or DamagedFile / ExpandsTooLarge / UnsupportedFormat saying why not."""
    check_size(len(data), limit)
    archive = _open(data)
    _check_expansion(archive, limit)
    running = _running_texts(archive)
    try:  # mammoth raises whatever its XML walk meets in a damaged file: every failure is the file's
        result = mammoth.convert_to_html(io.BytesIO(data), style_map=STYLE_MAP,
                                         convert_image=mammoth.images.img_element(_no_image))
    except Exception as exc:
        raise DamagedFile(f"The .docx file could not be read ({type(exc).__name__}); it may be damaged.") from exc
    header = "".join(f"<header><p>{escape(t)}</p></header>" for t in running["header"])
    footer = "".join(f"<footer><p>{escape(t)}</p></footer>" for t in running["footer"])
    return f"<!DOCTYPE html><html><body>{header}<article>{result.value}</article>{footer}</body></html>"


def _open(data: bytes) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as exc:
        raise DamagedFile("The .docx file is damaged or truncated: it is not a readable ZIP archive.") from exc
    names = set(archive.namelist())
    if len(names) > MAX_MEMBERS:
        raise ExpandsTooLarge(f"The .docx file has {len(names)} parts; a Word document has at most {MAX_MEMBERS}.")
    if BODY not in names:
        raise UnsupportedFormat("The file is a ZIP archive but not a Word document (it has no word/document.xml): "
                                "save it as .docx, .pdf or .txt.")
    return archive


def _check_expansion(archive: zipfile.ZipFile, limit: int) -> None:
    """Refuse, from the central directory alone, an archive whose read parts unpack past `limit`."""
    expanded = sum(info.file_size for info in archive.infolist() if not info.filename.startswith(UNREAD_PREFIXES))
    if expanded > limit:
        raise ExpandsTooLarge(f"The .docx file unpacks to {expanded / 1e6:.1f} MB of text and markup; "
                              f"the limit is {limit / 1e6:g} MB per document.")


def _running_texts(archive: zipfile.ZipFile) -> dict[str, list[str]]:
    """Distinct paragraph texts of the headers and footers (word/header1.xml, ...)."""
    found: dict[str, list[str]] = {"header": [], "footer": []}
    for name in sorted(archive.namelist()):
        part = name.removeprefix("word/").split(".")[0].rstrip("0123456789")
        if name.startswith("word/") and name.endswith(".xml") and part in found:
            for text in _paragraph_texts(archive, name):
                if text not in found[part]:
                    found[part].append(text)
    return found


def _paragraph_texts(archive: zipfile.ZipFile, name: str) -> list[str]:
    try:
        root = ElementTree.fromstring(archive.read(name))
    except (ElementTree.ParseError, zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError) as exc:
        raise DamagedFile(f"The .docx file is damaged: its part {name} cannot be read.") from exc
    texts = ("".join(t.text or "" for t in p.iter(f"{_W}t")).strip() for p in root.iter(f"{_W}p"))
    return [t for t in texts if t]


def _no_image(image) -> dict:
    return {"alt": image.alt_text} if image.alt_text else {}
