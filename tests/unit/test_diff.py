"""Diff: word level, round trip, typography is not a change by default."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from webapp.pipeline import diff as diff_module
from webapp.pipeline.diff import diff_texts


@pytest.fixture(autouse=True, scope="module", params=["python", "fast"])
def backend(request):
    """Every test here runs on both diff_main builds: pure Python and C++."""
    if request.param == "fast":
        assert diff_module._fast is not None, "fast-diff-match-patch is a dependency"
    previous, diff_module.BACKEND = diff_module.BACKEND, request.param
    yield request.param
    diff_module.BACKEND = previous


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


def test_rewording_reads_as_phrase_replacements_keeping_shared_numbers():
    ops = ops_of("Governor Maria Lopez said inflation of 7.2% was still far above the target of 2%.",
                 "Governor Maria Lopez said that inflation, at 7.2%, remained well above the 2% target.")
    assert ("delete", " was still far") in [(o.op, o.text) for o in ops]
    assert ("insert", ", remained well") in [(o.op, o.text) for o in ops]
    assert ("equal", " 7.2%") in [(o.op, o.text) for o in ops]


def test_disjoint_texts_are_one_delete_and_one_insert_around_shared_spaces():
    ops = ops_of("alpha beta gamma", "delta epsilon zeta")
    assert [o.op for o in ops] == ["delete", "insert"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from("the a mayor said 12 bridge Monday council , . \u201c".split() + [" "]), max_size=80),
       st.lists(st.sampled_from("the a mayor said 12 bridge Tuesday vote , . \"".split() + [" "]), max_size=80))
def test_both_builds_give_the_same_ops(left, right):
    left, right = " ".join(left), " ".join(right)
    previous = diff_module.BACKEND
    try:
        diff_module.BACKEND = "python"
        slow = diff_texts(left, right, timeout_s=0)
        diff_module.BACKEND = "fast"
        fast = diff_texts(left, right, timeout_s=0)
    finally:
        diff_module.BACKEND = previous
    assert slow == fast


def test_more_distinct_tokens_than_code_points_give_a_coarse_but_complete_diff(monkeypatch):
    # Each distinct token is one code point; a text of a million distinct words once ran out
    # (chr() arg not in range). Starting the code points near the top reproduces it small.
    import webapp.pipeline.diff as diff_module
    monkeypatch.setattr(diff_module, "_FIRST_CODEPOINT", 0x10FFF0)  # room for 16 tokens
    left = " ".join(f"w{k}" for k in range(20))
    right = " ".join(f"v{k}" for k in range(20))
    ops, coarse = diff_texts(left, right)
    assert coarse and rebuild(ops) == (left, right)
    assert rebuild(diff_texts("a b c", "a b d")[0]) == ("a b c", "a b d")  # few tokens: a word diff still
    assert not diff_texts("a b c", "a b d")[1]


def test_many_distinct_tokens_past_the_surrogates_diff_exactly():
    left = " ".join(f"w{k}" for k in range(60_000))
    right = left.replace("w59998", "changed")
    ops, coarse = diff_texts(left, right, timeout_s=0)
    assert rebuild(ops) == (left, right)
    assert [op.text for op in ops if op.op != "equal"] == ["w59998", "changed"]


def rebuild(ops) -> tuple[str, str]:
    """The two texts a list of ops says it was made from (equal ops carry the right's characters)."""
    left = "".join(op.text for op in ops if op.op != "insert")
    right = "".join((op.right_text if op.right_text is not None else op.text) for op in ops if op.op != "delete")
    return left, right
