"""Align: pair paragraphs of two documents wherever they are.

1. Identical paragraphs pair by hash first: the same text, then, of the
   rest, the same text once typography and case are folded.
2. Every other paragraph becomes a weighted bag of lemmas (lang.py: each
   document's language is detected, inflected forms compare as one word):
   rare words weigh more (IDF over the paragraphs left over on both sides, or
   over all when few are left), numbers and capitalised names more still,
   words inside quotation marks too. Word order does not matter.
3. Candidates come from an inverted index over the words, skipping words so
   common that their posting lists would make the cost quadratic, plus the
   pairs that hold a shared passage of 5+ words (quotes.find).
4. Pairs are taken greedily, best first, one-to-one, where a shared passage
   outweighs a more similar pair without one (one_to_one); then a paragraph
   left over joins the group of the paragraph that contains most of it (a
   split or a merge), a group it shares a passage with first. Rows are ordered
   by the left side; right-only rows follow their right-hand predecessor; rows
   off the longest increasing run are `moved`.
5. Links: related paragraphs that ended up in different rows (a fact one side
   reports in one paragraph and the other spreads over several), bounded;
   related on all their words, or on their content words alone (the rarer
   words, where a one-line headline and a long lead that restates it share
   their names and rare words but not their many small ones). A link, like
   a shared passage, must rest on a word that carries content (quotes.SmallWords:
   not a function word, not a short word common in the comparison), and a
   reason is shown only if it carries one.
"""

from __future__ import annotations

import bisect
import math
import operator
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from itertools import chain, count, islice, repeat

from .budget import NO_DEADLINE, Deadline
from .lang import Lemmas, language
from .quotes import COMMON_LENGTH, Shared, SmallWords, mean_length, shared_runs
from .text import equal_in_order, fold_typography, normalize, words
from .types import Alignment, Document, Link, Row

# IDF is taken over the paragraphs left over after pairing by hash when there are at
# least this many of them, else over all: a word in 2 of 4 paragraphs is not rare news.
IDF_MIN_PARAGRAPHS = 50  # paragraphs, both sides together
# Weighted Dice similarity (on lemmas) at or above which two paragraphs may pair 1:1.
# make eval (rows + links): seed P/R 1.00/1.00 from 0.12 to 0.18, 0.71/1.00 at 0.10;
# ecbplus-align recall/lower bound 0.46/0.72 at 0.12, 0.41/0.75 at 0.15, 0.40/0.79 at
# 0.18, 0.47/0.66 at 0.08; the synthetic suites are flat from 0.12 to 0.15. On the 1 MB
# bench pair 0.12 pairs 25 random inserted/deleted paragraphs, 0.15 pairs 12.
RELATED_MIN = 0.12  # 0..1; below it paragraphs share only incidental words
# Share of a left-over paragraph's weight found in another paragraph for it
# to join that paragraph's row (a split or a merge).
CONTAIN_MIN = 0.55  # 0..1; make eval scores are unchanged from 0.45 to 0.65
# A paragraph joins a row only if the row's similarity grows by more than this.
ATTACH_GAIN = 0.0  # 0..1 of weighted Dice
# Unweighted word-bag Dice at or above which a row's kind is `edited`.
EDITED_MIN = 0.7  # 0..1; reworded coverage falls below, word edits above
# Words found in more than this many paragraphs of a side are not indexed
# (they still count in the similarity). Keeps candidate search near-linear.
INDEX_MAX_POSTINGS = 16  # paragraphs
# Candidates kept per paragraph, best first.
CANDIDATES_PER_PARAGRAPH = 8  # paragraphs
# Word pairs (bigrams) are features too: shared phrasing, not just vocabulary.
PAIR_WEIGHT = 0.5  # multiplier on a word pair's IDF, 0..2
# Weight multipliers for tokens that carry meaning in news text.
NUMBER_BOOST = 2.0  # tokens with a digit
NAME_BOOST = 1.6  # tokens written with a capital letter inside a sentence
QUOTE_BOOST = 1.3  # tokens inside quotation marks
# Most paragraphs of one side in one row (larger splits/merges are rare).
MAX_GROUP = 4  # paragraphs
# Passes of augmenting swaps after the greedy matching.
IMPROVE_ROUNDS = 3  # passes; each is linear in the candidate count
# Paragraphs in different rows are linked when their weighted cosine (shared weight over
# the geometric mean of the two totals) and the
# share of either one's weight found in the other reach these, and the link is at least
# LINK_RELATIVE as similar as either paragraph is to its own row (a paragraph whose row
# is a near copy is not linked to one that merely shares its topic). make eval, rows +
# links scored, RELATED_MIN 0.12: cosine 0.20 / relative 0.5 keeps the seed pair at
# P 1.00 R 1.00 with ecbplus-align recall 0.46 at lower bound 0.72; relative 0.3 gives
# ecbplus 0.49/0.72 but seed P 0.91, cosine 0.16 seed P 0.77 (Austin's aid and CNN's
# lead share only "Ukraine ... in the coming days"). The synthetic suites score rows:
# links there join paragraphs of one article that share a topic, not a source.
LINK_MIN_COSINE = 0.2  # 0..1
LINK_MIN_CONTAIN = 0.2  # 0..1 of a paragraph's weight; 0.3 loses a seed pair, 0.15 changes nothing
LINK_RELATIVE = 0.5  # 0..1 of the own row's cosine
# A short paragraph (a headline, a one-line fact) states one fact compactly, and how closely its
# own row matches says little about other paragraphs that report it: when either side of a
# candidate has at most LINK_SHORT_WORDS words, the link needs only LINK_RELATIVE_SHORT of the
# own rows' cosine. make eval: ecbplus-align recall 0.46 -> 0.49 at lower bound 0.72, seed pair
# P/R 1.00/1.00 and every synthetic suite unchanged; 15 words / 0.0 gives 0.49 at 0.71,
# 20 words / 0.2 and 12 words / 0.0 give 0.49 as well.
LINK_SHORT_WORDS = 15  # words
LINK_RELATIVE_SHORT = 0.3  # 0..1 of the own row's cosine
# Content words: the words (not word pairs) in at most a quarter of the paragraphs compared,
# IDF log(1 + n/df) >= log(5). In a short report every word is rare by count, and the function
# words a sentence is full of ("the", "be", "in") still weigh a fifth to a third as much as a
# name: a one-line headline and a long lead that restates it with many small words ("... it was
# a woman who was the first to cross the line ...: Elena Varga, a pilot in the harbour, took the
# rowing cup at Dunmore, and it was not until ...") fall below LINK_MIN_COSINE on all words.
# Measured on the content words alone, with the same containment and relative tests, they may
# link: the evidence is the names and rare words both state (tests/unit/test_align.py).
LINK_CONTENT_IDF = math.log(5)  # natural-log IDF; a word in at most n/4 of n paragraphs
# Weighted cosine over content words at which paragraphs in different rows are linked (with
# LINK_MIN_CONTAIN of either one's content weight, and the relative test on content cosines).
# make eval: ecbplus-align recall 0.49 -> 0.50 (64 -> 66 of 131 gold pairs), lower bound
# 0.73 -> 0.72, seed pair P/R 1.00/1.00 (one more link, a POSSIBLE pair), synthetic suites and
# facts unchanged (they score rows). Around it, recall stays 0.50 and the seed 1.00/1.00 for
# cosine 0.22 / 0.28 (lower bound 0.70 / 0.73) and for LINK_CONTENT_IDF log(4) / log(6) /
# log(9) (0.71 / 0.72 / 0.71); cosine 0.20 gives seed P 0.83 (Austin's aid "in the coming days"
# linked to CNN's lead). On content words alone, without the all-word route, recall is 0.39.
LINK_MIN_CONTENT_COSINE = 0.25  # 0..1
# Links kept per paragraph (best first) and in all: a 1 MB document has ~2,500 paragraphs.
MAX_LINKS_PER_PARAGRAPH = 3  # links
MAX_LINKS = 5_000  # links
# Reasons shown per row.
MAX_REASONS = 8  # items
# Shortest shared run of words given as a reason.
REASON_PASSAGE_WORDS = 3  # words
# Why a `same` row matched: nothing to pick out when every word is shared.
SAME_REASONS = ("the same text",)  # shown as "Matched because both have: the same text"
# Rarest words only: a word in half of all paragraphs has IDF log(3) = 1.1.
REASON_MIN_IDF = 1.5  # natural-log IDF

_QUOTED = re.compile(r'"([^"]{3,}?)"')
# A word written with a capital letter: not the first character, not after a sentence end.
# The lookahead first, cheapest: a capital ASCII letter or any other character (features
# tests isupper()) lets the rest be tried; on the 1 MB bench text 2x faster than the
# lookbehinds first, with the same matches.
_CAPITALISED = re.compile(r"(?=[A-Z\x80-\U0010ffff])\b(?<![.!?]\s)(?<!^)([^\W\d_][^\W_]*)", re.UNICODE)


# A paragraph's tokens are its lemmas (str) and its word pairs (int: Vocabulary.pairs). Memory,
# the 5 MB pair of bench/generate.py edited in every paragraph, held once the candidates are
# scored (tracemalloc): 660 MB with pairs as "a b" strings in a frozenset, every token again in a
# second frozenset, a weight per token and paragraph, and each paragraph's words as their own
# strings (163 + 106 + 104 + 76 MiB); 261 MB with pairs as shared ints in a tuple, one set fewer,
# pair weights kept once per pair (Weights.pair_weight) and each distinct word once. Same results.
Token = str | int

# Bits of a word pair's int given to its second lemma's number. 2**30 distinct lemmas is more
# than any document limit allows (5 MB holds at most 2.5 million words), and a pair below 2**60
# is a two-digit Python int (32 bytes, a pair string was 64).
PAIR_SHIFT = 30  # bits


class Vocabulary:
    """The words of one alignment kept once, and a number for each lemma, so that a word pair
    is one int (PAIR_SHIFT bits per lemma number): the same pair of lemmas, the same int,
    on either side, and never equal to a lemma (a str)."""

    def __init__(self) -> None:
        self.words: dict[str, str] = {}  # a word -> the first string seen of it
        self.ids: defaultdict[str, int] = defaultdict(count().__next__)  # lemma -> its number
        self.kept: dict[int, int] = {}  # a word pair -> the first int object made of it

    def pairs(self, lemmas: list[str]) -> tuple[int, ...]:
        """The distinct pairs of neighbouring lemmas, each as one int."""
        ids = list(map(self.ids.__getitem__, lemmas))
        if len(self.ids) > 1 << PAIR_SHIFT:
            raise OverflowError("more distinct words than a word pair's int can tell apart")
        pairs = set(map(operator.or_, map(operator.lshift, ids, repeat(PAIR_SHIFT)), ids[1:]))
        return tuple(map(self.kept.setdefault, pairs, pairs))


@dataclass(frozen=True, eq=False)  # eq=False: hashed by identity, a key of Weights' tables
class Features:
    """What a paragraph's text gives in one language, whatever it is compared with (its
    weights depend on the pair: Weights)."""

    pairs: tuple[int, ...]  # the distinct lemma pairs, as Vocabulary.pairs ints
    bag: dict[str, int]  # multiset of lemmas, for the `edited` test
    names: frozenset[str]
    numbers: frozenset[str]
    quoted: frozenset[str]
    key: str  # normalized text
    words: tuple[str, ...]  # normalized words in order (not lemmas), for shared passages

    @property
    def tokens(self):
        """Every token of the paragraph once: its lemmas and its lemma pairs."""
        return chain(self.bag, self.pairs)


def features(text: str, lemmas: Lemmas | None = None, vocabulary: Vocabulary | None = None) -> Features:
    """The lemmas of a paragraph's words and which of them are names, numbers, quotes
    (`vocabulary`: shared by every paragraph the result is compared with)."""
    folded = fold_typography(text)
    norm = normalize(folded)  # NFC of folded text folds nothing more
    lemma = lemmas if lemmas is not None else Lemmas(None)
    vocab = vocabulary if vocabulary is not None else Vocabulary()
    found = words(norm)
    surface = list(map(vocab.words.setdefault, found, found))
    toks = lemma.of(surface)
    bag = dict(Counter(toks))
    names = {m.casefold() for m in _CAPITALISED.findall(folded) if m[:1].isupper() and len(m) > 1}
    quoted = lemma.of([w for q in _QUOTED.findall(norm) for w in words(q)]) if '"' in norm else ()
    return Features(
        pairs=vocab.pairs(toks),
        bag=bag,
        names=frozenset(lemma.of(sorted(names))) & bag.keys(),
        numbers=frozenset(numbers(bag)),
        quoted=frozenset(quoted),
        key=norm,
        words=tuple(surface),
    )


def numbers(tokens) -> list[str]:
    """The tokens with a digit in them (a whole word: "7", "a1", "x3y")."""
    return [t for t in tokens if not t.isalpha() and any(map(str.isdecimal, t))]


class Corpus:
    """What align works out for a document alone, whatever it is compared with: its language,
    its paragraphs' features in a language (over one Vocabulary), their token counts. One per comparison:
    facts.pairwise passes one to every pair of a comparison of many, so each document is
    read once, not once per pair (10 x 20 KB: 9 times); align makes a fresh one for one pair.
    The features hold no weights (those depend on the pair: Weights), so results are the
    same either way. Keeps every document's features until dropped."""

    def __init__(self) -> None:
        self.vocabulary = Vocabulary()
        self.languages: dict[int, tuple[Document, str | None]] = {}  # id(document) -> it, its language
        self.lemmas: dict[str | None, Lemmas] = {}  # language -> its lemmas
        self.features: dict[tuple[str | None, str], Features] = {}  # (language, text) -> features
        # (id(document), language) -> it, the frequencies over its paragraphs
        self.counts: dict[tuple[int, str | None], tuple[Document, tuple[Counter[Token], int]]] = {}

    def language(self, document: Document) -> str | None:
        """The document's language (lang.language of its paragraphs), worked out once."""
        known = self.languages.get(id(document))
        if known is None or known[0] is not document:
            known = self.languages[id(document)] = (document, language(document.texts))
        return known[1]

    def lemmatizers(self, left: Document, right: Document) -> tuple[Lemmas, Lemmas]:
        """Each side's lemmas, in its own language (one object when both are in the same);
        a side too short to tell is taken to be in the other's language."""
        lang_l, lang_r = self.language(left), self.language(right)
        lang_l, lang_r = lang_l or lang_r, lang_r or lang_l
        return self.lemmas_of(lang_l), self.lemmas_of(lang_r)

    def lemmas_of(self, lang: str | None) -> Lemmas:
        lemmas = self.lemmas.get(lang)
        if lemmas is None:
            lemmas = self.lemmas[lang] = Lemmas(lang)
        return lemmas

    def of(self, text: str, lemmas: Lemmas) -> Features:
        """A paragraph's features in the language of `lemmas` (one of lemmas_of's), computed once
        per distinct text and language: paragraphs with the same text share one object."""
        key = (lemmas.lang, text)
        f = self.features.get(key)
        if f is None:
            f = self.features[key] = features(text, lemmas, self.vocabulary)
        return f

    def frequencies(self, document: Document, lemmas: Lemmas,
                    deadline: Deadline = NO_DEADLINE) -> tuple[Counter[Token], int]:
        """`frequencies` over all of the document's paragraphs (their features in the language of
        `lemmas`), counted once per document and language."""
        key = (id(document), lemmas.lang)
        known = self.counts.get(key)
        if known is None or known[0] is not document:
            feats = [self.of(p.text, lemmas) for p in document.paragraphs]
            known = self.counts[key] = (document, frequencies([feats], deadline))
        return known[1]


def leftover_features(left: Document, right: Document, lemmas: tuple[Lemmas, Lemmas], corpus: Corpus,
                      matched_l=frozenset(), matched_r=frozenset(), deadline: Deadline = NO_DEADLINE):
    """Features of the paragraphs not paired by hash (None for the others), from `corpus`.
    Past `deadline`: OverBudget."""
    return ([None if i in matched_l else corpus.of(p.text, lemmas[0])
             for i, p in deadline.checked(enumerate(left.paragraphs), ALIGNING)],
            [None if j in matched_r else corpus.of(p.text, lemmas[1])
             for j, p in deadline.checked(enumerate(right.paragraphs), ALIGNING)])


def frequencies(docs: list[list[Features | None]], deadline: Deadline = NO_DEADLINE) -> tuple[Counter[Token], int]:
    """In how many of the paragraphs (None: not compared) each token is, and how many there are."""
    # Paragraphs with the same text share one Features: its tokens are counted
    # once, in the counter of paragraphs found that many times.
    times: dict[int, list] = {}
    for feats in docs:
        for f in filter(None, feats):
            if id(f) in times:
                times[id(f)][1] += 1
            else:
                times[id(f)] = [f, 1]
    df: Counter[Token] = Counter()
    for f, k in deadline.checked(times.values(), ALIGNING):
        df.update(f.tokens if k == 1 else dict.fromkeys(f.tokens, k))
    return df, sum(k for _f, k in times.values())


class Weights:
    """IDF over the paragraphs compared (`frequencies`: df, n), with meaning boosts."""

    def __init__(self, df: Counter[Token], n: int):
        self.paragraphs = n
        # log(1 + n / c) for every token, in C loops: float n / int c is n / c exactly here
        self.idf = _Idf(zip(df, map(math.log, map((1.0).__add__, map(float(n).__truediv__, df.values()))),
                            strict=True))
        self.pair_weight = _PairWeight(self.idf)
        self.weighed: dict[Features, dict[str, float]] = {}  # a paragraph -> of(it)
        self.totals: dict[Features, float] = {}  # a paragraph -> total(it), filled in by of

    def of(self, f: Features) -> dict[str, float]:
        """Every lemma's weight in f (computed once per paragraph): its IDF, times
        NUMBER_BOOST for a number, else NAME_BOOST for a name; times QUOTE_BOOST inside
        quotation marks. A word pair's weight, its IDF times PAIR_WEIGHT, is the same in
        every paragraph: pair_weight holds it once."""
        w = self.weighed.get(f)
        if w is None:
            w = dict(zip(f.bag, map(self.idf.__getitem__, f.bag), strict=True))
            for t in f.numbers:
                w[t] *= NUMBER_BOOST
            for t in f.names - f.numbers:
                w[t] *= NAME_BOOST
            for t in f.quoted & f.bag.keys():
                w[t] *= QUOTE_BOOST
            self.weighed[f] = w
            self.totals[f] = math.fsum(chain(w.values(), map(self.pair_weight.__getitem__, f.pairs))) or 1e-9
        return w

    def total(self, f: Features) -> float:
        """The sum of every token's weight in f, word pairs included."""
        self.of(f)
        return self.totals[f]


class _Idf(dict):
    """token -> log(1 + paragraphs / paragraphs with the token); 1.0 for a token in no paragraph."""

    def __missing__(self, token: str) -> float:
        return 1.0


class _PairWeight(dict):
    """word pair -> its IDF times PAIR_WEIGHT, computed once: one float for every paragraph
    the pair is in (a float per pair and paragraph took 39 MiB of the 5 MB edited pair)."""

    def __init__(self, idf: _Idf):
        super().__init__()
        self.idf = idf

    def __missing__(self, pair: int) -> float:
        weight = self[pair] = self.idf[pair] * PAIR_WEIGHT
        return weight


ALIGNING = "aligning the paragraphs"  # what OverBudget says was being done


def align(left: Document, right: Document, shared: Shared | None = None,
          deadline: Deadline = NO_DEADLINE, corpus: Corpus | None = None) -> Alignment:
    """Rows pairing the paragraphs of two documents, and the links between rows.
    `shared` (quotes.find of the two documents) names the paragraph pairs that
    hold a passage of MIN_PASSAGE_WORDS+ words in common: strong evidence.
    Past `deadline` it raises OverBudget (checked between steps and per paragraph).
    `corpus`: what is known of each document alone, shared by the pairs of one comparison."""
    same = identical_pairs([p.text for p in left.paragraphs], [p.text for p in right.paragraphs])
    matched_l = {i for g in same for i in g[0]}
    matched_r = {j for g in same for j in g[1]}
    corpus = corpus or Corpus()
    lf, rf, weights = compared_features(left, right, matched_l, matched_r, corpus, deadline)
    scorer = Scorer(lf, rf, weights)
    quoted = {(i, j) for i, j in (shared.pairs if shared else ()) if i not in matched_l and j not in matched_r}
    cands = candidates(lf, rf, matched_l, matched_r, scorer, quoted, deadline)
    groups = one_to_one(cands, matched_l, matched_r, quoted)
    groups = attach_leftovers(groups, cands, matched_l, matched_r, len(lf), len(rf), scorer, quoted)
    deadline.check(ALIGNING)
    rows = [Row("same", tuple(li), tuple(rj), 1.0, False, SAME_REASONS) for li, rj in same]
    small = small_words(left, right, scorer, corpus)
    rows += [r for g in deadline.checked(groups, ALIGNING) for r in founded_rows(g, lf, rf, scorer, small)]
    return Alignment(rows=order_rows(rows, len(lf), len(rf)), links=links(groups, cands, scorer, small))


def small_words(left: Document, right: Document, scorer: Scorer, corpus: Corpus) -> SmallWords:
    """The words that carry no content in this comparison (quotes.SmallWords): function words
    of either side's language, and short lemmas common among the paragraphs compared (as the
    IDF counts them)."""
    compared = [f.words for f in chain(scorer.lf, scorer.rf) if f is not None]
    return SmallWords(corpus.lemmatizers(left, right), _ParagraphCounts(scorer.weights),
                      scorer.weights.paragraphs, COMMON_LENGTH * mean_length(compared))


class _ParagraphCounts(dict):
    """lemma -> the paragraphs it is in, from its IDF (0 for a word in none)."""

    def __init__(self, weights: Weights):
        super().__init__()
        self.weights = weights

    def __missing__(self, lemma: str) -> int:
        idf = self.weights.idf.get(lemma)
        count = self[lemma] = 0 if idf is None else round(self.weights.paragraphs / math.expm1(idf))
        return count


def compared_features(left: Document, right: Document, matched_l: set[int], matched_r: set[int],
                      corpus: Corpus, deadline: Deadline = NO_DEADLINE):
    """Features of the paragraphs left to compare (None for those paired by hash) and
    their weights. A word's rarity among the paragraphs left over is what tells their
    candidates apart; with too few of them to tell rarity, every paragraph counts."""
    left_over = len(left.paragraphs) - len(matched_l) + len(right.paragraphs) - len(matched_r)
    lemmas = corpus.lemmatizers(left, right) if left_over else (corpus.lemmas_of(None),) * 2
    if left_over >= IDF_MIN_PARAGRAPHS:
        lf, rf = leftover_features(left, right, lemmas, corpus, matched_l, matched_r, deadline)
        return lf, rf, Weights(*frequencies([lf, rf], deadline))
    al, ar = leftover_features(left, right, lemmas, corpus, deadline=deadline)
    lf = [None if i in matched_l else f for i, f in enumerate(al)]
    rf = [None if j in matched_r else f for j, f in enumerate(ar)]
    df_l, n_l = corpus.frequencies(left, lemmas[0], deadline)
    df_r, n_r = corpus.frequencies(right, lemmas[1], deadline)
    df = Counter(df_l)  # the sum of both documents' counts, theirs kept for their other pairs
    df.update(df_r)
    return lf, rf, Weights(df, n_l + n_r)


def identical_pairs(ltexts: list[str], rtexts: list[str]) -> list[tuple[list[int], list[int]]]:
    """Pairs of paragraphs with the same text, then, of the others, with the
    same text once typography and case are folded (each in order)."""
    pairs = exact_pairs(ltexts, rtexts)
    done_l, done_r = {i for (i,), _ in pairs}, {j for _, (j,) in pairs}
    rest_l = [i for i in range(len(ltexts)) if i not in done_l]
    rest_r = [j for j in range(len(rtexts)) if j not in done_r]
    folded = exact_pairs([normalize(ltexts[i]) for i in rest_l], [normalize(rtexts[j]) for j in rest_r])
    return pairs + [([rest_l[a]], [rest_r[b]]) for (a,), (b,) in folded]


def exact_pairs(lkeys: list[str], rkeys: list[str]) -> list[tuple[list[int], list[int]]]:
    """Pair paragraphs whose keys are identical, in order."""
    return [([i], [j]) for i, j in equal_in_order(lkeys, rkeys)]


class Scorer:
    """Weighted overlap between paragraphs (and groups of paragraphs)."""

    def __init__(self, lf: list[Features], rf: list[Features], weights: Weights):
        self.lf, self.rf, self.weights = lf, rf, weights
        self.dice_of_group: dict[tuple[tuple[int, ...], tuple[int, ...]], float] = {}
        self._pairs_of: tuple[Features | None, set[int]] = (None, set())  # the last `a` of shared, its pairs

    def shared(self, a: Features, b: Features) -> float:
        """Half the summed weights of the tokens a and b share (fills in both weights)."""
        wa, wb = self.weights.of(a), self.weights.of(b)
        common = list(wa.keys() & wb.keys())  # the lemmas both have
        if self._pairs_of[0] is not a:  # candidates scores one `a` against several b in a row
            self._pairs_of = (a, set(a.pairs))
        pairs = list(map(self.weights.pair_weight.__getitem__, self._pairs_of[1].intersection(b.pairs)))
        # fsum: order-free and exact, so halving the sum is halving each term
        return math.fsum(chain(map(operator.add, map(wa.__getitem__, common), map(wb.__getitem__, common)),
                               map(operator.add, pairs, pairs))) / 2

    def group_dice(self, li: list[int], rj: list[int]) -> float:
        """Weighted Dice of a group's left paragraphs taken together and its right ones
        (remembered: attach_leftovers asks for the same group once per offer)."""
        key = (tuple(sorted(li)), tuple(sorted(rj)))
        dice = self.dice_of_group.get(key)
        if dice is None:
            a = merge_features([self.lf[i] for i in key[0]])
            b = merge_features([self.rf[j] for j in key[1]])
            dice = self.dice_of_group[key] = 2 * self.shared(a, b) / (self.weights.total(a) + self.weights.total(b))
        return dice

    def gain(self, group, more_l: list[int], more_r: list[int]) -> float:
        """How much more similar a group gets with more paragraphs in it."""
        return self.group_dice(group[0] + more_l, group[1] + more_r) - self.group_dice(group[0], group[1])

    def pair(self, i: int, j: int) -> tuple[float, float, float]:
        """(dice, share of left i covered, share of right j covered); the dice is remembered
        as the group's (a row of one paragraph a side asks group_dice for it again)."""
        a, b = self.lf[i], self.rf[j]
        s = self.shared(a, b)  # fills in both totals
        ta, tb = self.weights.totals[a], self.weights.totals[b]
        dice = self.dice_of_group[((i,), (j,))] = 2 * s / (ta + tb)
        return dice, s / ta, s / tb


def candidates(lf, rf, matched_l, matched_r, scorer: Scorer, quoted: set[tuple[int, int]] = frozenset(),
               deadline: Deadline = NO_DEADLINE):
    """Scored candidate pairs (dice, cover_left, cover_right, i, j) from an index, and the
    pairs in `quoted` (they share a passage) that the index did not offer."""
    also: dict[int, list[int]] = defaultdict(list)
    for i, j in sorted(quoted):
        also[i].append(j)
    index: dict[str, list[int]] = defaultdict(list)
    for j, f in enumerate(rf):
        if j not in matched_r:
            for t in f.bag:  # words only: word pairs seldom find a partner words miss
                index[t].append(j)
    out = []
    for i, f in enumerate(lf):
        if i in matched_l:  # identical pairs gain nothing from more members
            continue
        deadline.check(ALIGNING)
        hits: dict[int, float] = defaultdict(float)
        for t in f.bag:  # in first-appearance order: the same sums whatever the hash seed
            posting = index.get(t)
            if posting and len(posting) <= INDEX_MAX_POSTINGS:
                w = scorer.weights.idf[t]
                for j in posting:
                    hits[j] += w
        best = [j for _h, j in sorted([(-h, j) for j, h in hits.items()])[:CANDIDATES_PER_PARAGRAPH]]
        for j in best + [j for j in also.get(i, ()) if j not in best]:
            dice, cl, cr = scorer.pair(i, j)
            out.append((dice, cl, cr, i, j))
    out.sort(reverse=True)
    return out


def greedy_pairs(cands, matched_l: set[int], matched_r: set[int]) -> dict[int, int]:
    """One-to-one pairs (left -> right), best similarity first, then improved by swaps."""
    pair_of_l: dict[int, int] = {}
    for dice, _cl, _cr, i, j in cands:
        if dice < RELATED_MIN:
            break
        if i in matched_l or j in matched_r:
            continue
        matched_l.add(i)
        matched_r.add(j)
        pair_of_l[i] = j
    improve_pairs(cands, pair_of_l, matched_l, matched_r)
    return pair_of_l


def one_to_one(cands, matched_l: set[int], matched_r: set[int], quoted: set[tuple[int, int]]):
    """The 1:1 pairs, where a passage both paragraphs hold outweighs a more similar
    pair without one: a paragraph paired without a passage, while a more similar
    paragraph it shares a passage with is paired elsewhere, leaves its pair to join
    that row later (attach_leftovers), and the pairing is redone without it."""
    pairs = greedy_pairs(cands, set(matched_l), set(matched_r))
    dice = {(i, j): d for d, _cl, _cr, i, j in cands}
    owner = {j: i for i, j in pairs.items()}
    quoting_l: dict[int, list[int]] = defaultdict(list)
    quoting_r: dict[int, list[int]] = defaultdict(list)
    for i, j in quoted:
        quoting_l[i].append(j)
        quoting_r[j].append(i)
    leaving_l = {i for i, j in pairs.items() if (i, j) not in quoted and any(
        m in owner and dice[(i, m)] > dice[(i, j)] for m in quoting_l.get(i, ()))}
    leaving_r = {j for i, j in pairs.items() if (i, j) not in quoted and any(
        k in pairs and dice[(k, j)] > dice[(i, j)] for k in quoting_r.get(j, ()))}
    if leaving_l or leaving_r:
        pairs = greedy_pairs(cands, matched_l | leaving_l, matched_r | leaving_r)
    matched_l |= set(pairs)
    matched_r |= set(pairs.values())
    return [([i], [j]) for i, j in pairs.items()]


def improve_pairs(cands, pair_of_l: dict[int, int], matched_l: set[int], matched_r: set[int]) -> None:
    """Augmenting swaps: an unmatched i takes j from k when k has another free
    partner and the total similarity grows (greedy is not optimal)."""
    score = {(i, j): dice for dice, _cl, _cr, i, j in cands if dice >= RELATED_MIN}
    by_left: dict[int, list[int]] = defaultdict(list)
    for i, j in score:
        by_left[i].append(j)
    owner = {j: i for i, j in pair_of_l.items()}
    for _round in range(IMPROVE_ROUNDS):
        changed = False
        for i in [i for i in by_left if i not in matched_l]:
            for j in sorted(by_left[i], key=lambda j: -score[(i, j)]):
                k = owner.get(j)
                if k is None:
                    continue
                free = [m for m in by_left[k] if m not in matched_r]
                if not free:
                    continue
                m = max(free, key=lambda m: score[(k, m)])
                if score[(i, j)] + score[(k, m)] > score[(k, j)]:
                    pair_of_l[i], pair_of_l[k] = j, m
                    owner[j], owner[m] = i, k
                    matched_l.add(i)
                    matched_r.add(m)
                    changed = True
                    break
        if not changed:
            return


def attach_leftovers(groups, cands, matched_l, matched_r, n_left: int, n_right: int, scorer: Scorer,
                     quoted: set[tuple[int, int]] = frozenset()):
    """An unmatched paragraph joins a row (a split or a merge) when most of
    its weight is in a paragraph of that row, or it is as similar to one as a
    1:1 pair would need to be; of such rows it joins the one whose similarity
    grows most, if any grows (so it fills a gap, not repeats what is there).
    Rows holding a passage it shares (`quoted`) are its only choices, if any offers one."""
    group_of = ({i: g for g in groups for i in g[0]}, {j: g for g in groups for j in g[1]})
    offers: dict[tuple[int, int], list[tuple[float, int]]] = defaultdict(list)
    for dice, cl, cr, i, j in cands:
        if i not in matched_l and j in matched_r and (cl >= CONTAIN_MIN or dice >= RELATED_MIN):
            offers[(0, i)].append((max(dice, cl), j))
        elif j not in matched_r and i in matched_l and (cr >= CONTAIN_MIN or dice >= RELATED_MIN):
            offers[(1, j)].append((max(dice, cr), i))
    for side, k in sorted(offers, key=lambda key: (-max(offers[key])[0], key)):
        partners = [m for _s, m in offers[(side, k)]]
        quoting = [m for m in partners if ((k, m) if side == 0 else (m, k)) in quoted]
        join_best_group(side, k, quoting or partners, group_of, scorer)
    matched_l |= set(group_of[0])
    matched_r |= set(group_of[1])
    groups += [([i], []) for i in range(n_left) if i not in matched_l]
    groups += [([], [j]) for j in range(n_right) if j not in matched_r]
    return [(sorted(g[0]), sorted(g[1])) for g in groups]


def join_best_group(side: int, k: int, partners: list[int], group_of, scorer: Scorer) -> None:
    """Put paragraph k of `side` (0 left, 1 right) into the partners' group it improves most."""
    best, best_gain = None, ATTACH_GAIN
    for m in sorted(partners):
        group = group_of[1 - side][m]
        if len(group[side]) >= MAX_GROUP:
            continue
        gain = scorer.gain(group, [k], []) if side == 0 else scorer.gain(group, [], [k])
        if gain > best_gain:
            best, best_gain = group, gain
    if best is not None:
        best[side].append(k)
        group_of[side][k] = best


def links(groups, cands, scorer: Scorer, small: SmallWords | None = None) -> tuple[Link, ...]:
    """Related paragraph pairs that are not in one row, best first, bounded per
    paragraph and in all, in (left, right) order: related on all their words
    (LINK_MIN_COSINE) or on their content words (LINK_MIN_CONTENT_COSINE), and
    sharing a word that carries content (`small`), not function words alone."""
    row_of_l = {i: k for k, g in enumerate(groups) for i in g[0]}
    row_of_r = {j: k for k, g in enumerate(groups) for j in g[1]}
    content = ContentWords(scorer)
    own_l: dict[int, float] = defaultdict(float)  # best cosine of a paragraph within its own row
    own_r: dict[int, float] = defaultdict(float)
    in_row: dict[tuple[int, int], list[tuple[int, int]]] = defaultdict(list)  # (side, k) -> its row's pairs
    for _dice, cl, cr, i, j in cands:
        if row_of_l.get(i) == row_of_r.get(j):
            own_l[i] = max(own_l[i], math.sqrt(cl * cr))
            own_r[j] = max(own_r[j], math.sqrt(cl * cr))
            in_row[(0, i)].append((i, j))
            in_row[(1, j)].append((i, j))

    def link_cosine(cl: float, cr: float, i: int, j: int) -> float | None:
        """The cosine left i and right j are linked at, on all words or on content words, if any."""
        short = min(len(scorer.lf[i].words), len(scorer.rf[j].words)) <= LINK_SHORT_WORDS
        relative = LINK_RELATIVE_SHORT if short else LINK_RELATIVE
        cosine = math.sqrt(cl * cr)
        if (cosine >= LINK_MIN_COSINE and max(cl, cr) >= LINK_MIN_CONTAIN
                and cosine >= relative * max(own_l[i], own_r[j])):
            return cosine
        if not content.may_reach(i, j, cl * scorer.weights.total(scorer.lf[i]), LINK_MIN_CONTENT_COSINE):
            return None
        c_cosine, c_contain = content.cosine(i, j)
        if (c_cosine >= LINK_MIN_CONTENT_COSINE and c_contain >= LINK_MIN_CONTAIN
                and c_cosine >= relative * max(content.own(in_row[(0, i)]), content.own(in_row[(1, j)]))):
            return c_cosine
        return None

    found = []
    for _dice, cl, cr, i, j in cands:
        if row_of_l.get(i) == row_of_r.get(j):
            continue
        cosine = link_cosine(cl, cr, i, j)  # before the word test: most candidates fail it, cheaply
        if cosine is not None and (small is None or small.carry_content(
                filter(scorer.rf[j].bag.__contains__, scorer.lf[i].bag))):  # stops at the first shared one
            found.append((-cosine, i, j))
    per_l: Counter[int] = Counter()
    per_r: Counter[int] = Counter()
    kept = []
    for negative_cosine, i, j in sorted(found):
        if per_l[i] < MAX_LINKS_PER_PARAGRAPH and per_r[j] < MAX_LINKS_PER_PARAGRAPH:
            per_l[i] += 1
            per_r[j] += 1
            kept.append((i, j, round(min(-negative_cosine, 1.0), 3)))
            if len(kept) == MAX_LINKS:
                break
    return tuple(Link(i, j, sim, reasons(scorer.lf[i], scorer.rf[j], scorer.weights, small))
                 for i, j, sim in sorted(kept))


class ContentWords:
    """Overlap of two paragraphs on their content words (LINK_CONTENT_IDF) alone."""

    def __init__(self, scorer: Scorer):
        self.scorer = scorer
        self.of_paragraph: dict[int, tuple[dict[str, float], float]] = {}  # id(Features) -> weights, total

    def weights(self, f: Features) -> tuple[dict[str, float], float]:
        """The paragraph's content words with their weights, and their sum."""
        got = self.of_paragraph.get(id(f))
        if got is None:
            idf, w = self.scorer.weights.idf, self.scorer.weights.of(f)
            words = {t: w[t] for t in f.bag if idf[t] >= LINK_CONTENT_IDF}
            got = self.of_paragraph[id(f)] = (words, math.fsum(words.values()))
        return got

    def may_reach(self, i: int, j: int, shared_all: float, cosine: float) -> bool:
        """Whether left i and right j can reach `cosine` on content words, given the weight
        they share on all tokens (which bounds what they share on content words): a test
        that spares most candidates the intersection."""
        ta, tb = self.weights(self.scorer.lf[i])[1], self.weights(self.scorer.rf[j])[1]
        return ta > 0 and tb > 0 and shared_all >= cosine * math.sqrt(ta * tb)

    def own(self, pairs: list[tuple[int, int]]) -> float:
        """The best content cosine among a paragraph's pairs within its own row."""
        return max((self.cosine(i, j)[0] for i, j in pairs), default=0.0)

    def cosine(self, i: int, j: int) -> tuple[float, float]:
        """(weighted cosine, larger share of either one's content weight found in the other)
        of left paragraph i and right paragraph j over their content words; 0 without any."""
        (a, ta), (b, tb) = self.weights(self.scorer.lf[i]), self.weights(self.scorer.rf[j])
        if not ta or not tb:
            return 0.0, 0.0
        shared = math.fsum(a[t] + b[t] for t in a.keys() & b.keys()) / 2
        return math.sqrt(shared / ta * shared / tb), max(shared / ta, shared / tb)


def make_row(group, lf: list[Features], rf: list[Features], scorer: Scorer, small: SmallWords | None = None) -> Row:
    """A row for a group: its kind, similarity and reasons."""
    li, rj = group
    if not rj:
        return Row("left_only", tuple(li), ())
    if not li:
        return Row("right_only", (), tuple(rj))
    a, b = merge_features([lf[i] for i in li]), merge_features([rf[j] for j in rj])
    if a.key == b.key:
        return Row("same", tuple(li), tuple(rj), 1.0, False, SAME_REASONS)
    dice = scorer.group_dice(li, rj)
    kind = "edited" if bag_dice(a.bag, b.bag) >= EDITED_MIN else "related"
    return Row(kind, tuple(li), tuple(rj), round(min(dice, 1.0), 3), False, reasons(a, b, scorer.weights, small))


def founded_rows(group, lf: list[Features], rf: list[Features], scorer: Scorer, small: SmallWords) -> list[Row]:
    """The group's row; a row whose sides share no word that carries content (they met on
    "that", "it was", "for all of") is no evidence a reviewer would accept, so its paragraphs
    stand alone instead, each side in its own row. make eval: no score of any dev set moves."""
    row = make_row(group, lf, rf, scorer, small)
    if row.kind == "same" or not row.left or not row.right:
        return [row]
    a, b = merge_features([lf[i] for i in row.left]), merge_features([rf[j] for j in row.right])
    if small.carry_content(a.bag.keys() & b.bag.keys()):
        return [row]
    return [Row("left_only", row.left, ()), Row("right_only", (), row.right)]


def merge_features(feats: list[Features]) -> Features:
    if len(feats) == 1:
        return feats[0]
    bag: dict[str, int] = defaultdict(int)
    for f in feats:
        for t, c in f.bag.items():
            bag[t] += c
    return Features(
        pairs=tuple(set().union(*(f.pairs for f in feats))),
        bag=dict(bag),
        names=frozenset().union(*(f.names for f in feats)),
        numbers=frozenset().union(*(f.numbers for f in feats)),
        quoted=frozenset().union(*(f.quoted for f in feats)),
        key="\n".join(f.key for f in feats),
        words=tuple(chain.from_iterable(f.words for f in feats)),
    )


def bag_dice(a: dict[str, int], b: dict[str, int]) -> float:
    """Dice over word multisets: how much of the wording is the same."""
    common = sum(map(min, a.values(), map(b.get, a, repeat(0))))
    total = sum(a.values()) + sum(b.values())
    return 2 * common / total if total else 1.0


def reasons(a: Features, b: Features, weights: Weights, small: SmallWords | None = None) -> tuple[str, ...]:
    """What made a match: shared passages, numbers, names, then rare words; with `small`,
    only passages and words that carry content."""
    idf = weights.idf

    def rarest(tokens, n: int, keep=None) -> list[str]:
        """The n rarest tokens (of those `keep` accepts, asked in that order until n are found),
        ties alphabetical."""
        ranked = (t for _k, t in sorted([(-idf[t], t) for t in tokens]))
        return list(islice(ranked if keep is None else filter(keep, ranked), n)) if n > 0 else []

    shared = a.bag.keys() & b.bag.keys()
    keep = small.carry_content if small is not None else None
    runs = shared_runs([list(a.words)], [list(b.words)], REASON_PASSAGE_WORDS, 2, keep)
    out = [f"passage: {p}" for p in runs]
    out += [f"number: {t}" for t in sorted(a.numbers & b.numbers)]
    names = [t for t in (a.names | b.names) & shared if len(t) > 2]
    out += [f"name: {t}" for t in rarest(names, MAX_REASONS - len(out))]
    rest = shared - a.numbers - a.names - b.names
    rest = rarest(rest, MAX_REASONS - len(out), small.content if small is not None else None)
    out += [f"term: {t}" for t in rest if idf[t] >= REASON_MIN_IDF]  # rarest first: a cut, not a filter
    return tuple(out[:MAX_REASONS])


def order_rows(rows: list[Row], n_left: int, n_right: int) -> tuple[Row, ...]:
    """Rows in left order; right-only rows after their right predecessor;
    rows off the longest increasing run of right indexes are marked moved."""
    paired = sorted((r for r in rows if r.left), key=lambda r: r.left[0])
    moved = off_lis([r.right[0] if r.right else None for r in paired])
    keyed = []
    row_of_right: dict[int, tuple] = {}
    for pos, row in enumerate(paired):
        if pos in moved:
            row = replace(row, moved=True)
        key = (pos, -1)
        keyed.append((key, row))
        for j in row.right:
            row_of_right[j] = key
    for row in sorted((r for r in rows if not r.left), key=lambda r: r.right[0]):
        j = row.right[0]
        anchor = row_of_right.get(j - 1, (-1, -1))
        key = (anchor[0], j)
        keyed.append((key, row))
        row_of_right[j] = key
    keyed.sort(key=lambda kr: kr[0])
    return tuple(r for _k, r in keyed)


def off_lis(values: list[int | None]) -> set[int]:
    """Positions not on a longest strictly increasing subsequence (None skipped)."""
    tails: list[int] = []
    tail_pos: list[int] = []
    prev: dict[int, int] = {}
    for pos, v in enumerate(values):
        if v is None:
            continue
        k = bisect.bisect_left(tails, v)
        if k == len(tails):
            tails.append(v)
            tail_pos.append(pos)
        else:
            tails[k] = v
            tail_pos[k] = pos
        prev[pos] = tail_pos[k - 1] if k else -1
    keep = set()
    pos = tail_pos[-1] if tail_pos else -1
    while pos != -1:
        keep.add(pos)
        pos = prev[pos]
    return {p for p, v in enumerate(values) if v is not None and p not in keep}
