"""Lemmas: simplemma's, whichever way its dictionaries are loaded."""

import pytest
import simplemma

from webapp.pipeline.lang import Lemmas

WORDS = {
    "en": "ministers said talks were resumed running geese children studies better",
    "de": "die minister verhandelten lange über neue verträge mit den nachbarländern häuser",
}


@pytest.mark.parametrize("lang", sorted(WORDS))
def test_a_words_lemma_is_the_one_simplemma_gives(lang):
    words = WORDS[lang].split()
    assert Lemmas(lang).of(words) == [simplemma.lemmatize(w, lang=lang).casefold() for w in words]


def test_without_a_language_words_are_their_own_lemmas():
    assert Lemmas(None).of(["ministers", "said"]) == ["ministers", "said"]
