"""Bytes to text: BOM, declared charset, UTF-8, then detection (pure, no I/O)."""

from __future__ import annotations

import codecs
import re

from .errors import TooLarge, Undecodable

# Share of control characters (other than tab/newline/CR/FF) above which the
# input is taken for a binary file, not text.
BINARY_CONTROL_SHARE = 0.01  # fraction of the first 8 KB, 0..1
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_DECLARED = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)|<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""",
    re.IGNORECASE)


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
    if _looks_binary(data):
        raise Undecodable("The file looks binary (control bytes), not text or HTML.")
    declared = _declared(data)
    if declared:
        try:
            return data.decode(declared)
        except (LookupError, UnicodeDecodeError):
            pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return _detect(data)


def _strict(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise Undecodable(f"The file starts with a {encoding} byte-order mark but is not valid {encoding}.") from exc


def _looks_binary(data: bytes) -> bool:
    head = data[:8192]
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    return bool(head) and controls / len(head) > BINARY_CONTROL_SHARE


def _declared(data: bytes) -> str | None:
    match = _DECLARED.search(data[:4096])
    if not match:
        return None
    name = (match.group(1) or match.group(2)).decode("ascii", "ignore")
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _detect(data: bytes) -> str:
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise Undecodable("The file's encoding could not be recognised; save it as UTF-8 and try again.")
    return str(best)
