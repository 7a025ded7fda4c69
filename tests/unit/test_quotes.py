"""Shared passages: five or more words in both documents, exact, deduplicated."""

from webapp.pipeline.quotes import passage_spans, shared_passages

LEFT = ["Blinken said \"they know well the concerns that we have\" on Thursday.",
        "The minister spoke to reporters in the capital."]
RIGHT = ["“They know well the concerns that we have,” he said.", "Nothing else is shared here at all."]


def test_a_passage_is_listed_in_the_left_wording_despite_typography():
    assert shared_passages(LEFT, RIGHT) == ("they know well the concerns that we have",)


def test_sub_passages_of_a_longer_one_are_dropped():
    left = ["one two three four five six seven eight", "three four five six seven"]
    right = ["one two three four five six seven eight", "x three four five six seven y"]
    assert shared_passages(left, right) == ("one two three four five six seven eight",)


def test_runs_are_never_spliced_from_two_places():
    left = ["a b c d e", "b c d e f"]
    right = ["a b c d e f"]
    assert set(shared_passages(left, right)) == {"a b c d e", "b c d e f"}


def test_edge_cases():
    assert shared_passages([], []) == ()
    assert shared_passages(LEFT, []) == ()
    assert shared_passages(["too short to count"], ["too short to count"]) == ()


def test_spans_point_at_the_original_characters():
    left, right = passage_spans(LEFT, RIGHT)
    (start, end), = right[0]
    assert RIGHT[0][start:end] == "They know well the concerns that we have"
    assert 1 not in left and 1 not in right


def test_non_english():
    left = ["Der Minister sagte, die Regierung werde die Steuern nicht erhöhen, und verwies auf Berlin."]
    right = ["In Berlin hieß es: Die Regierung werde die Steuern nicht erhöhen."]
    assert shared_passages(left, right) == ("die Regierung werde die Steuern nicht erhöhen",)
