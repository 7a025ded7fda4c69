"""Shared passages: five or more words in both documents, exact, deduplicated."""

from hypothesis import given, settings
from hypothesis import strategies as st

from webapp.pipeline.quotes import find

LEFT = ["Blinken said \"they know well the concerns that we have\" on Thursday.",
        "The minister spoke to reporters in the capital."]
RIGHT = ["“They know well the concerns that we have,” he said.", "Nothing else is shared here at all."]


def test_a_passage_is_listed_in_the_left_wording_despite_typography():
    assert find(LEFT, RIGHT).passages == ("they know well the concerns that we have",)


def test_sub_passages_of_a_longer_one_are_dropped():
    left = ["one two three four five six seven eight", "three four five six seven"]
    right = ["one two three four five six seven eight", "x three four five six seven y"]
    assert find(left, right).passages == ("one two three four five six seven eight",)


def test_runs_are_never_spliced_from_two_places():
    left = ["a b c d e", "b c d e f"]
    right = ["a b c d e f"]
    assert set(find(left, right).passages) == {"a b c d e", "b c d e f"}


def test_edge_cases():
    assert find([], []).passages == ()
    assert find(LEFT, []).passages == ()
    assert find(["too short to count"], ["too short to count"]).passages == ()


def test_spans_point_at_the_original_characters():
    shared = find(LEFT, RIGHT)
    left, right = shared.left, shared.right
    (start, end), = right[0]
    assert RIGHT[0][start:end] == "They know well the concerns that we have"
    assert 1 not in left and 1 not in right


def test_non_english():
    left = ["Der Minister sagte, die Regierung werde die Steuern nicht erhöhen, und verwies auf Berlin."]
    right = ["In Berlin hieß es: Die Regierung werde die Steuern nicht erhöhen."]
    assert find(left, right).passages == ("die Regierung werde die Steuern nicht erhöhen",)


def test_the_paragraph_pairs_holding_a_passage_are_named():
    assert find(LEFT, RIGHT).pairs == {(0, 0)}
    assert find(LEFT, RIGHT[1:]).pairs == frozenset()


def test_word_keys_and_offsets_agree_on_every_script():
    import unicodedata

    from webapp.pipeline.quotes import _word_bounds, word_keys, word_spans
    for text in ["Plain ASCII, Text.", "“Curly” — quotes’ only", "Straße İstanbul ǅemal e\u0301t\u00e9",
                 "Kelvin \u212a and Ⓐ", "", "  spaces  "]:
        expected = [(unicodedata.normalize("NFC", w).casefold(), m.start(), m.end())
                    for m in __import__("re").finditer(r"\w+", text) for w in [m.group()]]
        assert word_spans(text) == expected
        assert word_keys(text) == [k for k, _s, _e in expected]
        bounds = _word_bounds(text)
        assert [(bounds[2 * i], bounds[2 * i + 1]) for i in range(len(expected))] == [(s, e) for _k, s, e in expected]


def test_repeated_runs_are_tried_earliest_first():
    from webapp.pipeline.quotes import GramIndex
    paras = [list("abcdeabcde"), list("xabcde"), list("abcde")]
    index = GramIndex(paras, 5)
    assert index.get(tuple("abcde")) == [(0, 0), (0, 5), (1, 1), (2, 0)]
    assert index.get(tuple("bcdea")) == [(0, 1)]
    assert index.get(tuple("zzzzz")) is None


def test_rows_carry_their_spans_through_the_json_document():
    from webapp.pipeline import Source, compare
    from webapp.serialize import from_dict, to_dict
    comparison = compare(Source("\n\n".join(LEFT), "text"), Source("\n\n".join(RIGHT), "text"))
    spans = [s for r in comparison.rows for s in r.shared]
    assert {s.side for s in spans} == {"left", "right"}
    document = to_dict("x" * 20, comparison)
    assert [s for r in document["rows"] for s in r["shared"]] == [
        {"side": s.side, "paragraph": s.paragraph, "start": s.start, "end": s.end} for s in spans]
    assert from_dict(document).rows == comparison.rows


def test_a_paragraph_both_sides_have_is_marked_in_its_twin_not_in_an_earlier_copy():
    same = "The minister spoke to reporters in the capital on Monday."
    left = [f"Earlier that day: {same} Then she left.", same]
    shared = find(left, [same])
    assert shared.left[1] == [(0, len(same) - 1)]  # the whole paragraph, up to its last word
    assert shared.right[0] == [(0, len(same) - 1)]
    assert shared.passages == (same[:-1],)


def test_a_reworded_paragraph_finds_its_passage_among_identical_ones():
    filler = [f"Filler {k} is on both sides." for k in range(50)]  # shorter than the passage
    left = [*filler, "Blinken told reporters that they know well the concerns that we have."]
    right = [*filler, "\u201cThey know well the concerns that we have,\u201d he said."]
    shared = find(left, right)
    (start, end), = shared.right[50]
    assert right[50][start:end] == "They know well the concerns that we have"
    assert "they know well the concerns that we have" in shared.passages


@given(st.lists(st.text(alphabet=" \t\n\u00a0abc", max_size=12), max_size=40))
@settings(max_examples=300, deadline=None)
def test_runs_come_longest_first_as_if_all_were_collapsed_and_sorted(runs):
    from webapp.pipeline.quotes import _longest_first
    expected = sorted({" ".join(r.split()) for r in runs}, key=lambda r: (-len(r), r))
    assert list(_longest_first(runs)) == expected


def test_text_moved_between_changed_paragraphs_is_found_but_a_repeat_of_a_twin_is_not():
    same = "The minister spoke to reporters in the capital on Monday."
    moved = "Talks on the ceasefire will resume next week in Geneva"
    left = [same, f"Officials met for hours. {moved}.", "Nothing else happened."]
    right = [same, "Officials met for hours.", f"{moved}, a spokesman said. Again: {same}"]
    shared = find(left, right)
    assert [right[2][start:end] for start, end in shared.right[2]] == [moved]  # not the repeat of `same`
    assert shared.left[0] == shared.right[0] == [(0, len(same) - 1)]  # the twins, whole
    assert moved.casefold() in [p.casefold() for p in shared.passages]


@given(st.one_of(st.text(alphabet="ab -—,é\u0301", max_size=30), st.text(max_size=30)), st.integers(-3, 8))
@settings(max_examples=300, deadline=None)
def test_has_words_counts_words_as_word_keys_does(text, n):
    from webapp.pipeline.quotes import _has_words, word_keys
    assert _has_words(text, n) == (len(word_keys(text)) >= n)


def test_a_passage_of_function_words_alone_is_no_quote_in_english():
    left = ["Police said that he was at the stadium on Friday.", "The match ended in a draw."]
    right = ["A neighbour said that he was at the time out of work.", "Fans left before the draw."]
    shared = find(left, right)
    assert shared.passages == () and shared.pairs == frozenset()
    assert not shared.left and not shared.right  # nothing marked as quoted on the page
    # One word that states something makes the same run a quote.
    right[0] = "A neighbour said that he was at the stadium when the fight began."
    assert find(left, right).passages == ("said that he was at the stadium",)


def test_a_passage_of_function_words_alone_is_no_quote_in_german():
    left = ["Mit dem Verband hat sie sich auch nicht getroffen, sagte ein Sprecher.",
            "Der Minister sagte, die Regierung werde die Steuern nicht erhöhen."]
    right = ["Zu den Vorwürfen hat sie sich auch nicht geäußert.",
             "In Berlin hieß es: Die Regierung werde die Steuern nicht erhöhen."]
    shared = find(left, right)
    assert shared.passages == ("die Regierung werde die Steuern nicht erhöhen",)
    assert shared.pairs == {(1, 1)}


def test_words_common_in_the_comparison_and_short_carry_no_content():
    from tests.unit.test_align import RACE_LEFT, RACE_RIGHT
    # "she" is in no function-word list, but it is in 6 of the 20 paragraphs of this race report
    # and short (3 letters, the mean word 3.9); "said", "that" and "had" (its lemma "have") are
    # function words of English. Left 4 and right 9 share nothing else.
    shared = find(RACE_LEFT, RACE_RIGHT)
    assert not any("she said that she had" in p.lower() for p in shared.passages)
    assert (4, 9) not in shared.pairs
    assert "Next year the race will start from the north pier" in shared.passages


def test_the_page_lists_no_function_word_passage_among_the_shared_quotes():
    from tests.unit.test_align import RACE_LEFT, RACE_RIGHT
    from webapp.pipeline import Source, compare
    comparison = compare(Source("\n\n".join(RACE_LEFT), "text"), Source("\n\n".join(RACE_RIGHT), "text"))
    quotes = [q.lower() for q in comparison.stats.shared_quotes]
    assert "next year the race will start from the north pier" in quotes
    assert not any("she said that she had" in q for q in quotes)
