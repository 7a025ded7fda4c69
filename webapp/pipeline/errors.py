"""Typed errors the pipeline raises; webapp/errors.py maps them to responses."""

from __future__ import annotations


class CoverdiffError(Exception):
    """Base: a problem with the input that the user can fix (a 4xx)."""

    status = 400
    code = "bad_input"

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class EmptyInput(CoverdiffError):
    code = "empty_input"
    status = 422


class TooLarge(CoverdiffError):
    code = "too_large"
    status = 413


class Undecodable(CoverdiffError):
    code = "undecodable"
    status = 415


class TooManyParagraphs(CoverdiffError):
    code = "too_many_paragraphs"
    status = 413


class TooManyTags(CoverdiffError):
    code = "too_many_tags"
    status = 413
