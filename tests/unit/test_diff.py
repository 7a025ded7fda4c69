"""Diff: word level, round trip, typography is not a change by default."""

from hypothesis import given, settings
from hypothesis import strategies as st

from webapp.pipeline.diff import diff_texts, rebuild


def ops_of(left, right, **kw):
    ops, _coarse = diff_texts(left, right, **kw)
    return ops


def test_word_level_no_character_zigzag():
    ops = ops_of("The cat sat on the mat.", "The dog sat on the mat.")
    assert [(o.op, o.text) for o in ops] == [("equal", "The "), ("delete", "cat"), ("insert", "dog"),
                                             ("equal", " sat on the mat.")]


def test_typography_is_not_a_change_by_default():
    ops = ops_of("He said \"no\" - twice", "He said \u201cno\u201d \u2013 twice")
    assert [o.op for o in ops] == ["equal"]
    assert rebuild(ops) == ("He said \"no\" - twice", "He said \u201cno\u201d \u2013 twice")


def test_typography_counts_when_asked():
    ops = ops_of("\"no\"", "\u201cno\u201d", ignore_typography=False)
    assert {"insert", "delete"} <= {o.op for o in ops}


def test_identical_and_empty_sides():
    assert [o.op for o in ops_of("same", "same")] == ["equal"]
    assert [(o.op, o.text) for o in ops_of("", "new")] == [("insert", "new")]
    assert [(o.op, o.text) for o in ops_of("old", "")] == [("delete", "old")]
    assert ops_of("", "") == ()


text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200)


@settings(max_examples=300, deadline=None)
@given(text, text, st.booleans())
def test_ops_rebuild_both_texts(left, right, ignore):
    assert rebuild(ops_of(left, right, ignore_typography=ignore)) == (left, right)
