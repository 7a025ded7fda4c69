"""Segment: the sanitized blocks become numbered paragraphs; sentences on demand."""

from __future__ import annotations

import re

from .errors import EmptyInput, TooManyParagraphs
from .types import Document, Extract, Paragraph

# A sentence ends at . ! ? (optionally closed by quotes or brackets) followed
# by whitespace and an upper-case letter, digit or opening quote.
_SENTENCE_BOUNDARY = re.compile(
    r"(?:(?<=[.!?])|(?<=[.!?][\"'\u201d\u2019)\]]))\s+"
    r"(?=[\"'\u201c\u2018(\[]?[A-Z0-9\u00C0-\u024F\u0400-\u04FF])")


def segment(extract: Extract, max_paragraphs: int) -> Document:
    """Number the kept blocks as paragraphs."""
    if not extract.blocks:
        raise EmptyInput("No article text was found in the document after removing page furniture.")
    if len(extract.blocks) > max_paragraphs:
        raise TooManyParagraphs(
            f"The document has {len(extract.blocks):,} paragraphs; the limit is {max_paragraphs:,}."
        )
    paragraphs = tuple(Paragraph(i, text) for i, text in enumerate(extract.blocks))
    return Document(
        paragraphs=paragraphs,
        removed=extract.removed,
        title=extract.title,
        byline=extract.byline,
        dateline=extract.dateline,
        outlet=extract.outlet,
        kind=extract.kind,
    )


def sentences(text: str) -> list[str]:
    """Split a paragraph into sentences; they concatenate back with spaces."""
    parts = _SENTENCE_BOUNDARY.split(text)
    return [p.strip() for p in parts if p.strip()]
