"""Language of a document and the lemmas of its words.

Detection is a vote of function words: the short words every news text in a
language is full of ("the", "der", "que"), counted over the document's first
words; the language whose words make the largest share wins, if that share is
large enough to mean anything. (simplemma's own `langdetect` loads the
dictionary of every language it is asked about, seconds of start-up; the vote
costs a few set look-ups.) Lemmas come from simplemma (54 languages, its
bundled dictionaries), one look-up per distinct word of a comparison.
"""

from __future__ import annotations

from functools import cache

from .text import normalize, words

# Frequent function words of news text per language simplemma lemmatizes, from
# general frequency lists (not from any page). Words shared by languages vote for each.
FUNCTION_WORDS: dict[str, frozenset[str]] = {lang: frozenset(ws.split()) for lang, ws in {
    "en": "the of and to in is that for on was with he it as said by at from his has have are were",
    "de": "der die und den das von zu mit sich des ist im dem nicht ein eine auch auf für sie wird hat",
    "fr": "le la les des et en un une du est que pour dans qui au sur pas par il elle ont été",
    "es": "el la los las del que y en por un una para con es se al como su más fue",
    "pt": "o os as do da dos das que e em um uma para com não no na se por foi ao",
    "it": "il lo gli di che e la un una per è in del della non sono si con le ha",
    "nl": "de het een van en in is dat op te zijn met voor niet aan er die ook",
    "pl": "i w na z się że do nie to jest o jak po przez dla od są oraz jego",
    "ru": "и в не на что с по как он это из к о но за от его она было",
    "uk": "і в не на що з по як він це із до про але за від його вона та",
    "sv": "och i att det som en på är av för med den till har inte om var",
    "da": "og i at det som en på er af for med den til har ikke om var de",
    "cs": "a v na se že je to s z do o jako by pro ve jsou ale po",
    "id": "yang dan di itu dengan untuk ini dari dalam tidak akan pada juga ke",
}.items()}
# Words read to detect a document's language.
DETECT_WORDS = 2_000  # words from the start of the document
# Share of the words read that must be function words of the winner. On the 36 bodies of
# ../shared/data/zyte-article-extraction-benchmark: English 0.20-0.34 (any other list at
# most 0.11), Russian 0.15, Italian 0.11, Indonesian 0.10, Portuguese 0.21 and 0.24 (and
# 0.04 on a page of race results, left undetected), Korean 0.00 (no list).
DETECT_MIN_SHARE = 0.08  # 0..1 of the words read


def language(texts: list[str]) -> str | None:
    """The language of a document's paragraphs (its first DETECT_WORDS words), or None."""
    sample, size = [], 0
    for text in texts:
        sample.append(text)
        size += text.count(" ") + 1
        if size >= DETECT_WORDS:
            break
    return detect(words(normalize(" ".join(sample))))


def detect(tokens: list[str]) -> str | None:
    """The language (simplemma's code) of casefolded words, or None when no vote is clear."""
    sample = tokens[:DETECT_WORDS]
    if not sample:
        return None
    votes = {lang: sum(map(table.__contains__, sample)) for lang, table in FUNCTION_WORDS.items()}
    best = max(votes, key=lambda lang: (votes[lang], lang))
    return best if votes[best] >= DETECT_MIN_SHARE * len(sample) else None


@cache
def lemmatizer():
    """simplemma's lemmatizer (what `simplemma.lemmatize` runs), reading each language's
    dictionary as a MARISA trie that simplemma caches on disk (its TrieDictionaryFactory: the
    user's cache directory, per simplemma version) instead of decoding the bundled one in
    every process. Same entries, so the same lemmas (checked for en de fr ru it); a comparison
    looks up about one entry per distinct word it lemmatizes (885 for make bench's 1 MB pair),
    and decoding a whole dictionary cost each process 1.3 billion instructions for English
    (0.1-0.15 s) and about 1 s for German, loading its trie about 30 million. The first
    process per language and version builds the trie (en 0.3 s, de 3 s). Imported here, on
    first use: a comparison with nothing left to lemmatize loads no simplemma."""
    from simplemma import Lemmatizer
    from simplemma.strategies import DefaultStrategy
    from simplemma.strategies.dictionaries import TrieDictionaryFactory

    return Lemmatizer(lemmatization_strategy=DefaultStrategy(dictionary_factory=TrieDictionaryFactory()))


@cache
def function_lemmas(lang: str | None) -> frozenset[str]:
    """The function words of a language (FUNCTION_WORDS) and their lemmas ("said" and "say",
    "was" and "be"): words that state no fact by themselves in any text of it. Empty for a
    language without a list (or None)."""
    listed = FUNCTION_WORDS.get(lang or "", frozenset())
    return listed | frozenset(Lemmas(lang).of(sorted(listed))) if listed else listed


class Lemmas(dict):
    """Casefolded word -> its casefolded lemma in one language, looked up in simplemma
    once per distinct word (the first time it is asked for)."""

    def __init__(self, lang: str | None):
        super().__init__()
        self.lang = lang

    def of(self, words: list[str]) -> list[str]:
        """The lemma of each word, in order (the words themselves without a language)."""
        return list(map(self.__getitem__, words)) if self.lang is not None else words

    def one(self, word: str) -> str:
        return self.of([word])[0]

    def __missing__(self, word: str) -> str:
        lemma = word
        if word.isalpha():  # numbers and codes ("2009", "a1") are their own lemma
            lemma = lemmatizer().lemmatize(word, self.lang).casefold()
            if not lemma.isalpha():  # a dictionary entry with a space or a dash is not one token
                lemma = word
        self[word] = lemma
        return lemma
