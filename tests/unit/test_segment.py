import pytest

from webapp.pipeline.errors import EmptyInput, TooManyParagraphs
from webapp.pipeline.segment import segment
from webapp.pipeline.types import Extract


def test_paragraphs_are_numbered_in_order():
    doc = segment(Extract(blocks=("a", "b", "c")), max_paragraphs=10)
    assert [(p.index, p.text) for p in doc.paragraphs] == [(0, "a"), (1, "b"), (2, "c")]


def test_no_blocks_is_an_error():
    with pytest.raises(EmptyInput):
        segment(Extract(blocks=()), max_paragraphs=10)


def test_too_many_paragraphs_is_an_error_that_says_the_limit():
    with pytest.raises(TooManyParagraphs, match="limit is 2"):
        segment(Extract(blocks=("a", "b", "c")), max_paragraphs=2)
