"""Shared passages: runs of five or more words that both documents contain.

Words are compared casefolded and NFC-normalised; typography (quotes,
dashes, spaces) is never part of a word, so it never breaks a passage. A
passage is a run of words found contiguously in one paragraph of each side
(never spliced from two places), as long as it can be made. The stats list
the left side's original wording of each passage, longest first, without
passages that are part of a longer listed one.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass

# Shortest run of words, after typography folding, that counts as shared.
MIN_PASSAGE_WORDS = 5  # words
# Passages listed in the stats, longest first.
MAX_PASSAGES = 50  # passages
# Left-side places tried when extending a match (repeated boilerplate has many).
MAX_OCCURRENCES = 8  # places

_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class Match:
    """A run of `length` words at word `left_at` of left paragraph `left`
    and word `right_at` of right paragraph `right`."""

    left: int
    left_at: int
    right: int
    right_at: int
    length: int


def word_spans(text: str) -> list[tuple[str, int, int]]:
    """(comparison key, start, end) of every word of an original text."""
    return [(unicodedata.normalize("NFC", m.group()).casefold(), m.start(), m.end()) for m in _WORD.finditer(text)]


def matches(left: list[list[str]], right: list[list[str]], min_words: int) -> list[Match]:
    """Maximal runs of at least `min_words` words present in both token lists."""
    where: dict[tuple[str, ...], list[tuple[int, int]]] = defaultdict(list)
    for p, toks in enumerate(left):
        for k in range(len(toks) - min_words + 1):
            where[tuple(toks[k:k + min_words])].append((p, k))
    out: list[Match] = []
    for q, toks in enumerate(right):
        reached = 0  # end of the furthest match so far: later starts must pass it
        for k in range(len(toks) - min_words + 1):
            places = where.get(tuple(toks[k:k + min_words]), ())
            if k < reached:  # inside a match: its own continuation is no news
                last = out[-1]
                places = [(p, at) for p, at in places if (p, at) != (last.left, last.left_at + k - last.right_at)]
            best = _longest(left, toks, k, places, min_words)
            if best and k + best[1] > reached:
                out.append(Match(best[0][0], best[0][1], q, k, best[1]))
                reached = k + best[1]
    return out


def _longest(left, toks, k, places, min_words):
    """The left place where the run starting at right word k extends furthest."""
    best = None
    for p, at in list(places)[:MAX_OCCURRENCES]:
        n = min_words
        while k + n < len(toks) and at + n < len(left[p]) and left[p][at + n] == toks[k + n]:
            n += 1
        if best is None or n > best[1]:
            best = ((p, at), n)
    return best


def shared_runs(left: list[list[str]], right: list[list[str]], min_words: int, limit: int) -> tuple[str, ...]:
    """The word runs of `matches`, joined by spaces, longest first, sub-runs dropped."""
    runs = [" ".join(left[m.left][m.left_at:m.left_at + m.length]) for m in matches(left, right, min_words)]
    return _without_parts(runs, limit)


def shared_passages(left: list[str], right: list[str], min_words: int = MIN_PASSAGE_WORDS) -> tuple[str, ...]:
    """Passages both documents contain, in the left side's original wording."""
    lspans, rspans = _spans(left), _spans(right)
    texts = []
    for m in matches(_keys(lspans), _keys(rspans), min_words):
        spans = lspans[m.left][m.left_at:m.left_at + m.length]
        texts.append(" ".join(left[m.left][spans[0][1]:spans[-1][2]].split()))
    return _without_parts(texts, MAX_PASSAGES)


def _spans(texts: list[str]) -> list[list[tuple[str, int, int]]]:
    return [word_spans(t) for t in texts]


def _keys(spans: list[list[tuple[str, int, int]]]) -> list[list[str]]:
    return [[w for w, _s, _e in s] for s in spans]


def passage_spans(left: list[str], right: list[str], min_words: int = MIN_PASSAGE_WORDS
                  ) -> tuple[dict[int, list[tuple[int, int]]], dict[int, list[tuple[int, int]]]]:
    """Character spans of shared passages per paragraph index, for each side."""
    lspans, rspans = _spans(left), _spans(right)
    found = matches(_keys(lspans), _keys(rspans), min_words)
    out: tuple[dict, dict] = (defaultdict(list), defaultdict(list))
    for m in found:
        for side, spans, para, at in ((0, lspans, m.left, m.left_at), (1, rspans, m.right, m.right_at)):
            words_ = spans[para][at:at + m.length]
            out[side][para].append((words_[0][1], words_[-1][2]))
    return {p: _union(s) for p, s in out[0].items()}, {p: _union(s) for p, s in out[1].items()}


def _union(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted, overlapping spans merged."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _without_parts(runs: list[str], limit: int) -> tuple[str, ...]:
    """Up to `limit` distinct runs, longest first (ties alphabetical), minus any
    run found word for word inside a longer kept one (case- and punctuation-blind)."""
    kept: list[tuple[str, str]] = []
    for run in sorted(set(runs), key=lambda r: (-len(r), r)):
        key = f" {' '.join(w for w, _s, _e in word_spans(run))} "
        if not any(key in longer for _r, longer in kept):
            kept.append((run, key))
            if len(kept) == limit:
                break
    return tuple(run for run, _key in kept)
