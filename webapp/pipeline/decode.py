"""Bytes to text: BOM, declared charset, UTF-8, then detection (pure, no I/O).

The order follows the HTML standard's encoding sniffing: a byte-order mark
wins; then a charset the document declares (<meta charset>, the http-equiv
content type, an XML declaration), except that a page declared as Latin-1
but written in valid UTF-8 is read as UTF-8 (the common mislabel); then
UTF-8; then statistical detection (charset-normalizer). Binary files and
bytes no encoding explains raise Undecodable with a message a user can act on.
"""

from __future__ import annotations

import codecs
import re

from .errors import TooLarge, Undecodable

# Share of control characters (other than tab/newline/CR/FF/ESC) above which
# the input is taken for a binary file, not text.
BINARY_CONTROL_SHARE = 0.01  # fraction of the sniffed bytes, 0..1
# How many leading bytes are sniffed for binary content and declarations.
SNIFF_BYTES = 8192  # bytes; a <meta charset> belongs in the first 1024 (HTML standard)
# UTF-16 without a BOM: share of NUL bytes at odd (LE) or even (BE) offsets.
UTF16_NUL_SHARE = 0.4  # fraction of the byte pairs, 0..1 (ASCII text in UTF-16 gives ~1.0)

# Bytes that are UTF-8 but for a few invalid sequences are read as UTF-8 with U+FFFD for those,
# as browsers read a page declared UTF-8; legacy text in windows-1252 has (almost) every non-ASCII
# byte invalid as UTF-8, so a share this low only happens in damaged UTF-8.
UTF8_MAX_INVALID_SHARE = 0.01  # invalid sequences per non-ASCII character decoded, 0..1

# windows-1252 wins detection when its "chaos" (mess ratio) is this close to the best.
PREFER_1252_MARGIN = 0.05  # charset-normalizer chaos units, 0..1

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# File signatures of formats people upload by mistake, with their names.
_MAGIC = (
    (b"%PDF-", "a PDF document"), (b"PK\x03\x04", "a ZIP archive (or a .docx/.odt file)"),
    (b"\x89PNG", "a PNG image"), (b"GIF8", "a GIF image"), (b"\xff\xd8\xff", "a JPEG image"),
    (b"\xd0\xcf\x11\xe0", "an old Microsoft Office document"), (b"\x1f\x8b", "a gzip archive"),
    (b"{\\rtf", "an RTF document"),
)
_DECLARED = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)|<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""",
    re.IGNORECASE)
# Declared names that mean windows-1252 (HTML standard label table).
_WINDOWS_1252 = frozenset(("latin-1", "iso8859-1", "ascii", "cp1252"))
_ASCII_COMPATIBLE_NOT = frozenset(("utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be"))
# The encodings of the WHATWG Encoding Standard, by Python codec name (what codecs.lookup gives for
# their labels; cp874 is windows-874). A declared charset outside them is ignored, as browsers do:
# Python also knows codecs that are no document encoding (punycode and idna raise UnicodeError on
# ordinary markup; utf-7 and unicode_escape turn "+ADw-" or "\u003c" into "<").
_DOCUMENT_ENCODINGS = frozenset((
    "utf-8", "cp866", "iso8859-2", "iso8859-3", "iso8859-4", "iso8859-5", "iso8859-6", "iso8859-7",
    "iso8859-8", "iso8859-10", "iso8859-13", "iso8859-14", "iso8859-15", "iso8859-16", "koi8-r", "koi8-u",
    "mac-roman", "mac-cyrillic", "cp874", "cp1250", "cp1251", "cp1252", "cp1253", "cp1254", "cp1255",
    "cp1256", "cp1257", "cp1258", "gbk", "gb18030", "big5", "euc_jp", "iso2022_jp", "shift_jis", "euc_kr",
    *_WINDOWS_1252, *_ASCII_COMPATIBLE_NOT,
))


def check_size(size: int, limit: int, what: str = "document") -> None:
    """Raise TooLarge when `size` bytes exceed `limit`."""
    if size > limit:
        raise TooLarge(f"The {what} is {size / 1e6:.1f} MB; the limit is {limit / 1e6:g} MB per {what}.")


def decode(data: bytes, limit: int | None = None) -> str:
    """Decode uploaded bytes, or raise Undecodable with a reason."""
    if limit is not None:
        check_size(len(data), limit)
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _strict(data[len(bom):], encoding)
    _reject_known_formats(data)
    utf16 = _utf16_without_bom(data)
    if utf16:
        return _strict(data, utf16)
    _reject_binary(data)
    declared = declared_encoding(data)
    if declared:
        text = _try(data, declared)
        if text is not None:
            return text
    text = _try(data, "utf-8")
    if text is None:
        text = _damaged_utf8(data)
    return text if text is not None else _detect(data)


def declared_encoding(data: bytes) -> str | None:
    """The encoding the document declares in its first bytes, normalised;
    Latin-1 labels read as windows-1252, and a declared Latin-1 page that is
    valid UTF-8 (with non-ASCII bytes) as UTF-8."""
    match = _DECLARED.search(data[:SNIFF_BYTES])
    if not match:
        return None
    name = (match.group(1) or match.group(2)).decode("ascii", "ignore")
    try:
        name = codecs.lookup(name).name
    except LookupError:
        return None
    if name not in _DOCUMENT_ENCODINGS:
        return None
    if name in _ASCII_COMPATIBLE_NOT:  # the declaration itself was read as ASCII
        return "utf-8"
    if name in _WINDOWS_1252:
        return "utf-8" if _is_utf8_with_non_ascii(data) else "cp1252"
    return name


def _try(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (LookupError, UnicodeError):  # UnicodeError: codecs such as punycode raise the base class
        return None


def _damaged_utf8(data: bytes) -> str | None:
    """UTF-8 with U+FFFD for its few invalid sequences, when the rest is valid UTF-8 (see
    UTF8_MAX_INVALID_SHARE); None when the bytes do not look like UTF-8."""
    text = data.decode("utf-8", "replace")
    invalid = text.count("\ufffd") - data.count("\ufffd".encode())
    non_ascii = len(text) - len(text.encode("ascii", "ignore")) - invalid
    return text if non_ascii and invalid <= non_ascii * UTF8_MAX_INVALID_SHARE else None


def _strict(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise Undecodable(f"The file looks like {encoding} text but is not valid {encoding}.") from exc


def _is_utf8_with_non_ascii(data: bytes) -> bool:
    return not data.isascii() and _try(data, "utf-8") is not None


def _utf16_without_bom(data: bytes) -> str | None:
    """utf-16-le/-be when the bytes look like mostly-ASCII UTF-16 text."""
    head = data[:SNIFF_BYTES]
    pairs = len(head) // 2
    if pairs < 2 or len(data) % 2:
        return None
    if head[1::2].count(0) / pairs >= UTF16_NUL_SHARE and head[0::2].count(0) == 0:
        return "utf-16-le"
    if head[0::2].count(0) / pairs >= UTF16_NUL_SHARE and head[1::2].count(0) == 0:
        return "utf-16-be"
    return None


def _reject_known_formats(data: bytes) -> None:
    for magic, name in _MAGIC:
        if data.startswith(magic):
            raise Undecodable(f"The file is {name}, not text or HTML: paste its text or save it as .txt or .html.")


def _reject_binary(data: bytes) -> None:
    head = data[:SNIFF_BYTES]
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13, 27))
    if b"\x00" in head or (head and controls / len(head) > BINARY_CONTROL_SHARE):
        raise Undecodable("The file looks binary (control bytes), not text or HTML.")


def _detect(data: bytes) -> str:
    """The detector's best guess; windows-1252 (the web's default legacy
    encoding) when it reads the bytes about as cleanly as the best guess. charset-normalizer is
    imported here: only bytes that are no UTF-8 need it, and importing it cost every
    `coverdiff compare` 80 million instructions (about 10 ms)."""
    from charset_normalizer import from_bytes

    matches = list(from_bytes(data))
    if not matches:
        raise Undecodable("The file's encoding could not be recognised; save it as UTF-8 and try again.")
    least = min(m.chaos for m in matches)
    for match in matches:
        if match.encoding == "cp1252" and match.chaos <= least + PREFER_1252_MARGIN:
            return str(match)
    return str(min(matches, key=lambda m: m.chaos))
