"""Typed errors of the source readers: each says what was refused and why.

All are CoverdiffErrors, so webapp/errors.py maps them to a 4xx page,
fragment or JSON like every other input problem. A document over the size
limit is the pipeline's TooLarge (413), as for pasted text.
"""

from __future__ import annotations

from ..pipeline.errors import CoverdiffError


class InvalidUrl(CoverdiffError):
    """The text given as a link is not a URL."""

    code = "invalid_url"
    status = 400


class UrlRefused(CoverdiffError):
    """A URL the address guard will not fetch: scheme, credentials or address."""

    code = "url_refused"
    status = 422


class FetchFailed(CoverdiffError):
    """The link could not be fetched: timeout, no connection, an error status, redirects."""

    code = "fetch_failed"
    status = 422


class UnsupportedFormat(CoverdiffError):
    """A file or response of a type coverdiff does not read."""

    code = "unsupported_format"
    status = 415


class DamagedFile(CoverdiffError):
    """A .docx or .pdf that cannot be read: truncated, corrupt or not what its name says."""

    code = "damaged_file"
    status = 422


class EncryptedFile(CoverdiffError):
    """A password-protected PDF."""

    code = "encrypted_file"
    status = 422


class NoTextLayer(CoverdiffError):
    """A PDF whose pages hold no text (a scan or images of text)."""

    code = "no_text_layer"
    status = 422


class ExpandsTooLarge(CoverdiffError):
    """A compressed file that would unpack past the document limit (or past the page limit)."""

    code = "expands_too_large"
    status = 422
