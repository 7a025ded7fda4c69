"""Shared passages: runs of five or more words that both documents contain."""

from __future__ import annotations

from .text import normalize, words

# Shortest run of words, after typography folding, that counts as shared.
MIN_PASSAGE_WORDS = 5  # words
# Passages listed in the stats, longest first.
MAX_PASSAGES = 50  # passages


def shared_passages(left: list[str], right: list[str], min_words: int = MIN_PASSAGE_WORDS) -> tuple[str, ...]:
    """Maximal word runs (within a paragraph) present in both documents."""
    runs = shared_runs([words(normalize(t)) for t in left], [words(normalize(t)) for t in right], min_words)
    return runs[:MAX_PASSAGES]


def shared_runs(left: list[list[str]], right: list[list[str]], min_words: int) -> tuple[str, ...]:
    """Maximal runs of at least `min_words` tokens found in both token lists,
    longest first (ties in text order)."""
    grams = {g for toks in left for g in _grams(toks, min_words)}
    found: dict[str, None] = {}
    for toks in right:
        covered = [False] * len(toks)
        for start, gram in enumerate(_grams(toks, min_words)):
            if gram in grams:
                covered[start:start + min_words] = [True] * min_words
        for run in _runs(toks, covered):
            found.setdefault(run)
    return tuple(sorted(found, key=lambda run: (-len(run), run)))


def _grams(toks: list[str], n: int) -> list[tuple[str, ...]]:
    return [tuple(toks[k:k + n]) for k in range(len(toks) - n + 1)]


def _runs(toks: list[str], covered: list[bool]) -> list[str]:
    runs, current = [], []
    for tok, hit in zip(toks, covered, strict=True):
        if hit:
            current.append(tok)
        elif current:
            runs.append(" ".join(current))
            current = []
    if current:
        runs.append(" ".join(current))
    return runs
