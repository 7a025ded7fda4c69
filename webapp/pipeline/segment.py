"""Segment: the sanitized blocks become numbered paragraphs."""

from __future__ import annotations

from .errors import EmptyInput, TooManyParagraphs
from .types import Document, Extract, Paragraph


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
