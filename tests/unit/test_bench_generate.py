"""The benchmark's pair generator: deterministic, and perturbed by the requested shares.

A smoke check of bench/generate.py only; no timing is ever asserted.
"""

from collections import Counter

import pytest

from bench.generate import SHARES, as_html, as_text, make_pair, perturb, render


def test_same_seed_same_text():
    a, b = make_pair("10KB", seed=3), make_pair("10KB", seed=3)
    assert render(a, "text") == render(b, "text")
    assert render(a, "html") == render(b, "html")
    assert a.counts == b.counts


def test_other_seed_other_text():
    assert as_text(make_pair("10KB", seed=1).left) != as_text(make_pair("10KB", seed=2).left)


def test_size_is_about_the_target():
    pair = make_pair("100KB")
    size = len(as_text(pair.left).encode("utf-8"))
    assert 100_000 <= size <= 102_000


@pytest.mark.parametrize("size", ["10KB", "100KB"])
def test_perturbation_counts_match_the_shares(size):
    pair = make_pair(size)
    n = len(pair.left)
    assert pair.counts == {k: round(share * n) for k, share in SHARES.items()}
    assert pair.counts["edited"] > 0 and pair.counts["moved"] > 0
    left, right = Counter(pair.left), Counter(pair.right)
    unchanged = sum((left & right).values())  # kept as is, moved included
    assert unchanged == n - pair.counts["edited"] - pair.counts["deleted"]
    assert len(pair.right) == n - pair.counts["deleted"] + pair.counts["inserted"]


def test_moved_paragraphs_change_order():
    pair = make_pair("100KB")
    kept = [p for p in pair.right if p in set(pair.left)]
    positions = [pair.left.index(p) for p in kept]
    assert positions != sorted(positions)


def test_perturb_with_explicit_shares():
    import random

    paras = [f"Paragraph number {i} says something about the {i}th event." for i in range(200)]
    right, counts = perturb(random.Random("x"), paras, {"edited": 0.1, "deleted": 0.05, "inserted": 0.05,
                                                          "moved": 0.1})
    assert counts == {"edited": 20, "deleted": 10, "inserted": 10, "moved": 20}
    assert len(right) == 200
    assert len(set(paras) - set(right)) == 30  # edited + deleted no longer appear verbatim


def test_html_page_has_furniture_around_the_article():
    page = as_html(["First paragraph & more.", "Second one."], "A title")
    for marker in ("<nav", "<header", "cookie-banner", "share-bar", "<aside", "<footer", "<script", "<article"):
        assert marker in page
    assert "<p>First paragraph &amp; more.</p>" in page
