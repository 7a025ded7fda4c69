"""Shared passages: runs of five or more words that both documents contain.

Words are compared casefolded and NFC-normalised; typography (quotes,
dashes, spaces) is never part of a word, so it never breaks a passage. A
passage is a run of words found contiguously in one paragraph of each side
(never spliced from two places), as long as it can be made. The stats list
the left side's original wording of each passage, longest first, without
passages that are part of a longer listed one.

A passage counts only when it carries content: at least one of its words is
neither a function word of either side's language (lang.function_lemmas, the
word or its lemma) nor common in the comparison (in more than COMMON_SHARE of
the paragraphs compared, as pronouns and auxiliaries are in any language):
"she said that she had" is what any two reports may share by chance.

A paragraph both sides have verbatim (twins) is one passage, whole. The runs
are looked for between the other, changed, paragraphs of the two sides: text
moved from one paragraph into another changes both, so moves are found there;
what a twin would add is only text that one side repeats elsewhere.
"""

from __future__ import annotations

import heapq
import operator
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import accumulate, chain, compress, islice, repeat

from .budget import NO_DEADLINE, Deadline
from .lang import Lemmas, function_lemmas, language
from .text import equal_in_order

# Shortest run of words, after typography folding, that counts as shared.
MIN_PASSAGE_WORDS = 5  # words
# Passages listed in the stats, longest first.
MAX_PASSAGES = 50  # passages
# Up to this many runs are collapsed and sorted at once; more are collapsed lazily.
EAGER_RUNS = 16  # runs
# Left-side places tried when extending a match (repeated boilerplate has many).
MAX_OCCURRENCES = 8  # places
# A word is common in a comparison, and carries no content by itself, when it is in more than
# COMMON_SHARE of the paragraphs compared and in at least COMMON_MIN_PARAGRAPHS of them (a word
# in the two paragraphs that share it and nowhere else is not common, however few paragraphs
# there are). The same quarter as align.LINK_CONTENT_IDF. make eval: the shared quotes of the
# seed pair, of the 30 ecbplus-align pairs and of the 36 synthetic "all" cases are unchanged;
# without the length test below, 3 synthetic quotes went ("to scissor switch keyboards in",
# "Kong, pricing its shares at a"). tests/unit/test_quotes.py: "she said that she had".
COMMON_SHARE = 0.25  # 0..1 of the paragraphs compared
COMMON_MIN_PARAGRAPHS = 3  # paragraphs
# ... and when it is shorter than COMMON_LENGTH of the comparison's mean word (frequent words
# are short in any language written with spaces, function words the shortest; a story's own
# frequent words, "keyboards", "shares", "patch", are not), the mean taken over its first
# LENGTH_SAMPLE_WORDS words. make eval: at 1.0 "patch" (5 letters, mean 5.18, in 11 of 40
# ecbplus sentences) was no reason for a link about a software patch; at 0.8 it is again.
COMMON_LENGTH = 0.8  # 0..1 of the mean word length
LENGTH_SAMPLE_WORDS = 2_000  # words

_WORD = re.compile(r"\w+", re.UNICODE)
_WORD_SPLIT = re.compile(r"(\w+)", re.UNICODE)  # split() keeps the words, between the rest
# A word character outside ASCII: without one, every word is ASCII.
_WIDE_WORD_CHAR = re.compile(r"[^\W\x00-\x7f]", re.UNICODE)


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
    if _ascii_words(text):
        return [(m.group(), m.start(), m.end()) for m in _WORD.finditer(text.lower())]
    return [(unicodedata.normalize("NFC", m.group()).casefold(), m.start(), m.end()) for m in _WORD.finditer(text)]


def _ascii_words(text: str) -> bool:
    """Whether every word of text is ASCII: then NFC leaves words alone, casefold() is
    lower(), and lower() of the whole text keeps every offset (outside words only
    typography, which has no case, is not ASCII)."""
    return text.isascii() or not _WIDE_WORD_CHAR.search(text)


def word_keys(text: str) -> list[str]:
    """The comparison keys of `word_spans`, without the offsets."""
    if _ascii_words(text):
        return _WORD.findall(text.lower())
    return [unicodedata.normalize("NFC", w).casefold() for w in _WORD.findall(text)]


def _grams(toks: list[str], n: int):
    """Every run of n consecutive tokens, as tuples, in order."""
    return zip(*(toks[i:] for i in range(n)), strict=False)


Place = tuple[int, int]  # (paragraph, word)


class GramIndex:
    """Where each run of n words occurs in a list of paragraphs, earliest first.

    A run's first place lives in one dict, and only runs that occur again get
    a list of every place. With `most`, places after the first `most` of a run
    are left out. Past `deadline`, the paragraphs not yet indexed are left out.
    Every run is indexed, not only those the other side has: telling which those
    are took a set of the other side's runs and a look-up per run, more than the
    dict insertions it spared (1 MB pair edited in every paragraph: index 280 -> 115 ms,
    the plain 1 MB pair 36 -> 18 ms)."""

    def __init__(self, paragraphs: list[list[str]], n: int, most: int | None = None,
                 deadline: Deadline = NO_DEADLINE):
        self.first: dict[tuple[str, ...], Place] = {}
        self.more: dict[tuple[str, ...], list[Place]] = {}
        self.most = most
        for p, toks in deadline.until(enumerate(paragraphs)):
            self._add_each(p, _grams(toks, n))

    def _add_each(self, p: int, grams) -> None:
        """The runs of paragraph p, in order: each run's place set in `first` unless it has one
        already, in C loops; only a run seen before takes a Python call (_add)."""
        grams = list(grams)
        places = list(zip(repeat(p), range(len(grams)), strict=False))  # repeat: endless
        kept = map(self.first.setdefault, grams, places)  # a run's place, unless it has one already
        for gram, place in compress(zip(grams, places, strict=True), map(operator.is_not, kept, places)):
            self._add(gram, place)

    def _add(self, gram: tuple[str, ...], place: Place) -> None:
        """Another place of a run already in `first`."""
        places = self.more.get(gram)
        if places is None:
            self.more[gram] = [self.first[gram], place]
        elif self.most is None or len(places) < self.most:
            places.append(place)

    def get(self, gram: tuple[str, ...]) -> list[Place] | None:
        places = self.more.get(gram)
        if places is not None:
            return places
        place = self.first.get(gram)
        return None if place is None else [place]


def matches(left: list[list[str]], right: list[list[str]], min_words: int,
            deadline: Deadline = NO_DEADLINE) -> list[Match]:
    """Maximal runs of at least `min_words` words present in both token lists (those found in the
    right paragraphs searched before the deadline passed)."""
    # The first MAX_OCCURRENCES places and one more (a run's own place may be among them) are all ever tried.
    where = GramIndex(left, min_words, most=MAX_OCCURRENCES + 1, deadline=deadline)
    out: list[Match] = []
    for q, toks in enumerate(right):
        if deadline.expired():
            break
        reached = 0  # end of the furthest match so far: later starts must pass it
        ends: dict[tuple[int, int], int] = {}  # (left paragraph, at - k) -> where that run ends in toks
        for k, gram in enumerate(_grams(toks, min_words)):
            if reached >= len(toks):  # no later start can pass the end of the paragraph
                break
            if k + min_words <= reached and gram not in where.more:
                continue  # inside the last match and found once: only its own continuation
            places = where.get(gram)
            if not places:
                continue
            if k < reached:  # inside a match: its own continuation is no news
                last = out[-1]
                own = (last.left, last.left_at + k - last.right_at)
                # own is in the list at most once: the first MAX_OCCURRENCES others are in its head
                places = [place for place in places[:MAX_OCCURRENCES + 1] if place != own]
                if not places:
                    continue
            best = _longest(left, toks, k, places, min_words, ends)
            if best and k + best[1] > reached:
                out.append(Match(best[0][0], best[0][1], q, k, best[1]))
                reached = k + best[1]
    return out


def _longest(left, toks, k, places, min_words, ends=None):
    """The left place where the run starting at right word k extends furthest.

    `ends` remembers where runs end: a place one word further along a run
    already measured from an earlier k ends where that run ends."""
    best = None
    for p, at in places[:MAX_OCCURRENCES]:
        diagonal = (p, at - k)
        end = ends.get(diagonal, -1) if ends is not None else -1
        if end >= k + min_words:
            n = end - k
        else:
            lp = left[p]
            n = _common_run(lp, at, toks, k, min_words, min(len(toks) - k, len(lp) - at))
            if ends is not None:
                ends[diagonal] = k + n
        if best is None or n > best[1]:
            best = ((p, at), n)
    return best


def _common_run(a: list[str], i: int, b: list[str], j: int, n: int, most: int) -> int:
    """Length of the common run of a[i:] and b[j:], known to be at least n and at
    most `most`: slices compared in growing steps (most runs end within a word
    or two of n), halved on a mismatch. The first word is compared alone: most runs end there."""
    if n >= most or a[i + n] != b[j + n]:
        return n
    n, step = n + 1, 2
    while n < most:
        m = min(step, most - n)
        if a[i + n:i + n + m] == b[j + n:j + n + m]:
            n += m
            step *= 2
        elif m == 1:
            break
        else:
            step = m // 2
    return n


def shared_runs(left: list[list[str]], right: list[list[str]], min_words: int, limit: int,
                keep=None) -> tuple[str, ...]:
    """The word runs of `matches` (those whose words `keep` accepts, if given), joined by
    spaces, longest first, sub-runs dropped."""
    runs = [left[m.left][m.left_at:m.left_at + m.length] for m in matches(left, right, min_words)]
    return _without_parts([" ".join(run) for run in runs if keep is None or keep(run)], limit)


class SmallWords:
    """The words of one comparison that carry no content (see the module's docstring): a
    function word of either side's language, or a word common among the n paragraphs
    compared (`df`: word -> paragraphs it is in) and shorter than `short` characters
    (COMMON_LENGTH of the mean word).
    A word carries no content when it, or its lemma in either side's language, is such."""

    def __init__(self, lemmas: Iterable[Lemmas], df, n: int, short: float):
        self.lemmas = tuple({id(m): m for m in lemmas}.values())
        self.function = frozenset().union(*(function_lemmas(m.lang) for m in self.lemmas))
        self.df, self.n, self.short = df, n, short
        self.verdicts: dict[str, bool] = {}  # word -> whether it carries content, once decided

    @classmethod
    def of(cls, left: list[str], right: list[str], paragraphs: list[list[str]], counted: set[str]) -> SmallWords:
        """For the paragraph texts of two documents, each side in its own language (a side too
        short to tell in the other's), with the words `counted` (the others are never common)
        counted among `paragraphs` (the word lists compared)."""
        lang_l, lang_r = language(left), language(right)
        lang_l, lang_r = lang_l or lang_r, lang_r or lang_l
        lemmas_l = Lemmas(lang_l)
        df: Counter[str] = Counter()
        compared = [toks for toks in paragraphs if toks]
        for toks in compared:
            df.update(counted.intersection(toks))
        return cls((lemmas_l, lemmas_l if lang_r == lang_l else Lemmas(lang_r)), df, len(compared),
                   COMMON_LENGTH * mean_length(compared))

    def common(self, word: str) -> bool:
        """Whether a word is in more than COMMON_SHARE of the paragraphs (and at least
        COMMON_MIN_PARAGRAPHS) and short."""
        c = self.df[word]
        return c >= COMMON_MIN_PARAGRAPHS and c > COMMON_SHARE * self.n and len(word) < self.short

    def content(self, word: str) -> bool:
        verdict = self.verdicts.get(word)
        if verdict is None:
            forms = {word, *(m.one(word) for m in self.lemmas)}
            verdict = self.verdicts[word] = not any(f in self.function or self.common(f) for f in forms)
        return verdict

    def carry_content(self, words: Iterable[str]) -> bool:
        """Whether any of the words carries content (stops at the first that does)."""
        return any(map(self.content, words))


Spans = dict[int, list[tuple[int, int]]]


@dataclass(frozen=True)
class Shared:
    """What two documents share: the passages for the stats, per paragraph
    of each side the character spans of every passage it holds, and the
    (left, right) paragraph pairs that hold one (twins left out)."""

    passages: tuple[str, ...]
    left: Spans
    right: Spans
    pairs: frozenset[tuple[int, int]] = frozenset()
    cut: bool = False  # the time budget ran out during the search: it may have stopped early


def find(left: list[str], right: list[str], min_words: int = MIN_PASSAGE_WORDS,
         deadline: Deadline = NO_DEADLINE, keys: WordKeys | None = None) -> Shared:
    """Shared passages and their spans, from one pass over both documents.

    A paragraph with the same text on both sides (twins, copies paired in order)
    shares all of itself with its twin; runs are searched for between the other
    paragraphs of each side. `keys`: the paragraphs' words, shared by the pairs of one
    comparison of many (else read here)."""
    twins = {q: p for p, q in equal_in_order(left, right)}  # right paragraph -> its left twin
    twin_left = set(twins.values())
    keys = WordKeys() if keys is None else keys
    lkeys = [[] if p in twin_left else keys[t] for p, t in deadline.until(enumerate(left))]
    rkeys = [[] if q in twins else keys[t] for q, t in deadline.until(enumerate(right))]
    found = matches(lkeys, rkeys, min_words, deadline)
    twinned = [(q, p) for q, p in twins.items() if _has_words(left[p], min_words)]
    if found or twinned:  # what carries content: only then are languages told and words counted
        small = SmallWords.of(left, right, lkeys + rkeys, {w for m in found for w in _words_of(lkeys, m)})
        found = [m for m in found if small.carry_content(_words_of(lkeys, m))]
        twinned = [(q, p) for q, p in twinned if small.carry_content(_keys(left[p]))]
    loff, roff = _Offsets(left), _Offsets(right)
    pairs = [(m.left, loff.span(m.left, m.left_at, m.length), m.right, roff.span(m.right, m.right_at, m.length))
             for m in deadline.until(found)]
    pairs += [(p, span, q, span) for q, p in twinned for span in [_whole(left[p])]]
    spans: tuple[dict, dict] = (defaultdict(list), defaultdict(list))
    for p, lspan, q, rspan in pairs:
        spans[0][p].append(lspan)
        spans[1][q].append(rspan)
    texts = [left[p][start:end] for p, (start, end), _q, _r in pairs]
    return Shared(_without_parts(texts, MAX_PASSAGES),
                  {p: _union(s) for p, s in spans[0].items()}, {p: _union(s) for p, s in spans[1].items()},
                  frozenset((m.left, m.right) for m in found), cut=deadline.expired())


def mean_length(paragraphs: Iterable[Iterable[str]]) -> float:
    """Mean length in characters of the first LENGTH_SAMPLE_WORDS words of the paragraphs."""
    sample = list(islice(chain.from_iterable(paragraphs), LENGTH_SAMPLE_WORDS))
    return sum(map(len, sample)) / len(sample) if sample else 0.0


def _words_of(paragraphs: list[list[str]], m: Match) -> list[str]:
    """The words of a match, from the left paragraphs' word lists."""
    return paragraphs[m.left][m.left_at:m.left_at + m.length]


def _keys(text: str):
    """The comparison keys of word_keys, one by one (as far as they are read)."""
    if _ascii_words(text):
        return (m.group().lower() for m in _WORD.finditer(text))
    return (unicodedata.normalize("NFC", m.group()).casefold() for m in _WORD.finditer(text))


class WordKeys(dict):
    """Paragraph text -> its word_keys, read when first asked for. Each distinct word is kept
    once, not once per place: 89 of the 288 MiB the search held for the 5 MB pair of
    bench/generate.py edited in every paragraph were copies of the same words. find makes one
    per search; facts.pairwise passes one to every pair, so each paragraph is read once (a
    document of 10 was read 9 times)."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: dict[str, str] = {}  # a word -> the first string seen of it

    def __missing__(self, text: str) -> list[str]:
        got = self[text] = _kept_once(word_keys(text), self.seen)
        return got


def _kept_once(keys: list[str], seen: dict[str, str]) -> list[str]:
    """keys with each word replaced by the first string seen of it."""
    return list(map(seen.setdefault, keys, keys))


class _Offsets:
    """Character offsets of the words of one side's paragraphs, found when first asked for."""

    def __init__(self, texts: list[str]):
        self.texts, self.bounds = texts, {}

    def span(self, para: int, at: int, length: int) -> tuple[int, int]:
        """Start and end of the run of `length` words from word `at` of paragraph `para`."""
        bounds = self.bounds.get(para)
        if bounds is None:
            bounds = self.bounds[para] = _word_bounds(self.texts[para])
        return bounds[2 * at], bounds[2 * (at + length) - 1]


def _has_words(text: str, n: int) -> bool:
    """Whether text has at least n words (stops looking at the n-th; linear in any text)."""
    return n <= 0 or sum(1 for _m in islice(_WORD.finditer(text), n)) == n


def _whole(text: str) -> tuple[int, int]:
    """Start of the first word and end of the last one ((0, 0) without words)."""
    first = _WORD.search(text)
    if first is None:
        return 0, 0
    return first.start(), len(text) - _WORD.search(text[::-1]).start()


def _word_bounds(text: str) -> list[int]:
    """Start and end offsets of every word of text, flat: word i is [2i, 2i+1]."""
    return list(accumulate(map(len, _WORD_SPLIT.split(text))))[:-1]


def _union(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted, overlapping spans merged."""
    if len(spans) == 1:  # most paragraphs: one passage, often the whole paragraph
        return spans
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _without_parts(runs: list[str], limit: int) -> tuple[str, ...]:
    """Up to `limit` distinct runs, whitespace collapsed, longest first (ties
    alphabetical), minus any run found word for word inside a longer kept one
    (case- and punctuation-blind)."""
    kept: list[tuple[str, str]] = []
    for run in _longest_first(runs):
        key = f" {' '.join(word_keys(run))} "
        if not any(key in longer for _r, longer in kept):
            kept.append((run, key))
            if len(kept) == limit:
                break
    return tuple(run for run, _key in kept)


def _longest_first(runs: list[str]):
    """The distinct runs with whitespace collapsed, longest first, ties alphabetical."""
    if len(runs) <= EAGER_RUNS:  # a row's reasons: sorting them all is cheaper than the heap
        return iter(sorted({" ".join(r.split()) for r in runs}, key=lambda r: (-len(r), r)))
    return _lazily_longest_first(runs)


def _lazily_longest_first(runs: list[str]):
    """_longest_first for many runs. Collapsing never lengthens a run, so runs are collapsed lazily in order of
    their raw length, and a collapsed run is given out once it is longer than
    any raw run not yet collapsed (only the first few are usually wanted)."""
    waiting: list[tuple[int, str]] = []
    last = None
    for raw in sorted(runs, key=len, reverse=True):
        while waiting and -waiting[0][0] > len(raw):
            last = yield from _next_new(waiting, last)
        run = " ".join(raw.split())
        heapq.heappush(waiting, (-len(run), run))
    while waiting:
        last = yield from _next_new(waiting, last)


def _next_new(waiting: list[tuple[int, str]], last: str | None):
    """Pop the next run; give it out unless it repeats the last one. Returns the run."""
    _negative_length, run = heapq.heappop(waiting)
    if run != last:
        yield run
    return run
