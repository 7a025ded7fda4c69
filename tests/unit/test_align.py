"""Align: pairs found wherever they are, splits and merges, unique paragraphs alone."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.seed_truth import LEFT_ONLY, RIGHT_ONLY
from webapp.pipeline import document, quotes
from webapp.pipeline.align import align
from webapp.pipeline.types import Document, Paragraph

SEEDS = sorted((Path(__file__).resolve().parents[2] / "seeds").glob("*.txt"))[:2]

PARAS = [
    "The central bank raised interest rates by half a point on Tuesday, its third increase this year.",
    "Governor Maria Lopez said inflation of 7.2% was still far above the target of 2%.",
    "Shares in Frankfurt fell 1.5% after the announcement while the euro gained against the dollar.",
    "Economists at Deutsche Bank expect another rise in December, citing energy prices.",
    "The decision was unanimous, according to minutes released on Wednesday afternoon.",
]
OTHER = [
    "A new species of frog was discovered in the rainforest of Borneo by a team of biologists.",
    "The tiny amphibian measures just 8 millimetres and lives in leaf litter.",
]


def doc(texts):
    return Document(paragraphs=tuple(Paragraph(i, t) for i, t in enumerate(texts)))


def pairs(alignment):
    return {(i, j) for r in alignment.rows for i in r.left for j in r.right}


def test_identical_documents_align_one_to_one_as_same():
    rows = align(doc(PARAS), doc(PARAS)).rows
    assert [(r.kind, r.left, r.right, r.moved) for r in rows] == [("same", (i,), (i,), False) for i in range(5)]


def test_identical_rows_say_so_instead_of_listing_every_word():
    edited = PARAS[1].replace("7.2%", "7.4%")
    rows = align(doc(PARAS[:2]), doc([PARAS[0], edited])).rows
    assert rows[0].kind == "same" and rows[0].reasons == ("the same text",)
    assert rows[1].kind == "edited" and "name: lopez" in rows[1].reasons


def test_identical_paragraphs_do_not_hide_a_rewording_among_many_copies():
    # 300 paragraphs the same on both sides; the one reworded pair is still found.
    filler = [f"Filler paragraph number {k} about the weather in region {k % 7}." for k in range(300)]
    reworded = "Governor Lopez said inflation, at 7.2%, remains far above the 2% target."
    rows = align(doc([*filler, PARAS[1]]), doc([*filler, reworded])).rows
    assert sum(r.kind == "same" for r in rows) == 300
    assert [(r.left, r.right) for r in rows if r.kind != "same"] == [((300,), (300,))]


def test_every_paragraph_is_in_exactly_one_row():
    rows = align(doc(PARAS), doc(PARAS[2:] + OTHER)).rows
    assert sorted(i for r in rows for i in r.left) == list(range(5))
    assert sorted(j for r in rows for j in r.right) == list(range(5))


def test_disjoint_documents_have_only_unique_rows():
    rows = align(doc(PARAS), doc(OTHER)).rows
    assert {r.kind for r in rows} == {"left_only", "right_only"}


def test_one_side_empty():
    rows = align(doc(PARAS), doc([])).rows
    assert [r.kind for r in rows] == ["left_only"] * 5


def test_a_paragraph_moved_far_away_is_paired_and_marked_moved():
    right = [PARAS[4], *PARAS[:4]]
    rows = align(doc(PARAS), doc(right)).rows
    assert pairs(align(doc(PARAS), doc(right))) == {(4, 0), (0, 1), (1, 2), (2, 3), (3, 4)}
    moved = [r for r in rows if r.moved]
    assert [(r.left, r.right) for r in moved] == [((4,), (0,))]


def test_reworded_paragraph_is_edited_with_reasons():
    right = list(PARAS)
    right[1] = "Governor Maria Lopez said that inflation, at 7.2%, remained well above the 2% target."
    row = next(r for r in align(doc(PARAS), doc(right)).rows if r.left == (1,))
    assert row.right == (1,)
    assert row.kind in ("edited", "related")
    assert any("7" in reason for reason in row.reasons)
    assert any("lopez" in reason for reason in row.reasons)


def test_split_paragraph_lands_in_one_row():
    left = [PARAS[0] + " " + PARAS[1], PARAS[2]]
    rows = align(doc(left), doc(PARAS[:3])).rows
    assert ((0,), (0, 1)) in [(r.left, r.right) for r in rows]


def test_merged_paragraphs_land_in_one_row():
    right = [PARAS[0] + " " + PARAS[1], PARAS[2]]
    rows = align(doc(PARAS[:3]), doc(right)).rows
    assert ((0, 1), (0,)) in [(r.left, r.right) for r in rows]


def _seed_rows(seed_sources):
    reuters, cnn = (document(s) for s in seed_sources)
    return reuters, cnn, align(reuters, cnn).rows


def _row_with(rows, reuters, cnn, left_text, right_text):
    for r in rows:
        if any(left_text in reuters.paragraphs[i].text for i in r.left) and \
           any(right_text in cnn.paragraphs[j].text for j in r.right):
            return r
    return None


def test_seed_same_reports_share_a_row_across_positions(seed_sources):
    reuters, cnn, rows = _seed_rows(seed_sources)
    assert _row_with(rows, reuters, cnn, "curb these activities", "We\u2019ve had communications with China")
    assert _row_with(rows, reuters, cnn, "pales in comparison", "Russian troops have suffered heavy losses")


def test_seed_unique_paragraphs_are_unique_rows(seed_sources):
    reuters, cnn, rows = _seed_rows(seed_sources)
    left_only = {i for r in rows if r.kind == "left_only" for i in r.left}
    right_only = {j for r in rows if r.kind == "right_only" for j in r.right}
    lavrov = {j for j, p in enumerate(cnn.paragraphs) if "Lavrov" in p.text}
    assert len(lavrov) == 3 and lavrov <= right_only
    assert {10, 11} <= left_only  # "no limits" partnership and China's denial
    assert {10, 11} <= LEFT_ONLY and {8, 9, 10} <= RIGHT_ONLY


def test_empty_documents():
    assert align(doc([]), doc([])).rows == ()
    assert [r.kind for r in align(doc([]), doc(OTHER)).rows] == ["right_only", "right_only"]


def test_a_deleted_paragraph_does_not_join_an_identical_pair():
    left = [PARAS[0], "Interest rates rose again, the central bank said on Tuesday afternoon.", *PARAS[1:]]
    rows = align(doc(left), doc(PARAS)).rows
    assert ("same", (0,), (0,)) in [(r.kind, r.left, r.right) for r in rows]


def test_reasons_name_the_shared_number_and_name():
    right = [p.replace("7.2%", "7.4%") for p in PARAS]
    row = next(r for r in align(doc(PARAS), doc(right)).rows if r.left == (1,))
    assert row.kind == "edited" and "name: lopez" in row.reasons


GERMAN = [
    "Die Bundesregierung hat am Mittwoch ein Entlastungspaket über 65 Milliarden Euro beschlossen.",
    "Finanzminister Christian Lindner sagte, die Schuldenbremse werde 2023 wieder eingehalten.",
    "Die Opposition kritisierte, das Paket komme für viele Familien zu spät.",
    "Der Bundestag soll im Oktober über die Gesetze abstimmen.",
]
SPANISH = [
    "El Gobierno aprobó el martes una subida del salario mínimo hasta 1.080 euros mensuales.",
    "La ministra Yolanda Díaz afirmó que la medida beneficiará a dos millones de trabajadores.",
    "Los empresarios advirtieron de que el aumento podría frenar la creación de empleo.",
]


def test_non_english_moves_splits_and_word_edits():
    right = [GERMAN[3], GERMAN[0].replace("65", "66"),
             "Finanzminister Christian Lindner sagte, die Schuldenbremse",  # split in two
             "werde 2023 wieder eingehalten.", GERMAN[2]]
    rows = align(doc(GERMAN), doc(right)).rows
    assert {(r.left, r.right) for r in rows} >= {((3,), (0,)), ((0,), (1,)), ((1,), (2, 3)), ((2,), (4,))}
    assert any(r.moved for r in rows)


def test_non_english_unrelated_article_stays_unique():
    rows = align(doc(GERMAN), doc(SPANISH)).rows
    assert {r.kind for r in rows} == {"left_only", "right_only"}


def test_same_output_whatever_the_hash_seed():
    code = (
        "from tests.unit.test_align import PARAS, OTHER, GERMAN, doc;"
        "from webapp.pipeline.align import align;"
        "print(align(doc(PARAS + GERMAN), doc(GERMAN[::-1] + OTHER + PARAS[::2])))"
    )
    outs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                           env={**os.environ, "PYTHONHASHSEED": seed}).stdout for seed in ("1", "2", "3")}
    assert len(outs) == 1


def test_numbers_and_names_are_whole_words():
    from webapp.pipeline.align import features
    f = features("Then Maria Lopez met x3y and 7.2% of A1 voters in Kursk. Later she left.")
    assert f.numbers == {"x3y", "7", "2", "a1"}
    assert f.names == {"maria", "lopez", "a1", "kursk"}


def test_numbers_are_the_whole_words_with_a_digit():
    import re

    from webapp.pipeline.align import numbers
    definition = re.compile(r"\b[^\W\d]*\d\w*")  # a whole word with a digit in it
    for text in ["Then Maria Lopez met x3y. And iPhone, mcDonald, 3Com, foo_Bar and O'Brien",
                 "Start. Next: 'Quoted' Name!  Two  spaces. A", "ALL CAPS HERE 2nd 1.5% A1 ٣٤ x\u00b2 _7",
                 "", "X", " Y"]:
        tokens = re.findall(r"\w+", text.casefold())
        assert sorted(numbers(tokens)) == sorted(definition.findall(text.casefold()))


def test_a_lone_edit_among_identical_paragraphs_still_names_its_rare_terms():
    edited = PARAS[3].replace("expect", "now expect")
    rows = align(doc(PARAS), doc([*PARAS[:3], edited, PARAS[4]])).rows
    (row,) = [r for r in rows if r.kind != "same"]
    assert row.kind == "edited" and any(r.startswith("term: ") for r in row.reasons)


# --- evidence: lemmas, shared passages, links --------------------------------------------------

REWORDED = {  # the same news inflected differently, beside a paragraph sharing only a form of its subject
    "German": (["Die Minister verhandelten lange über neue Verträge mit den Nachbarländern."],
               ["Die Minister reisten am Morgen mit dem Zug nach Brüssel.",
                "Ein Minister verhandelt über einen neuen Vertrag mit einem Nachbarland."]),
    "Portuguese": (["Os ministros anunciaram novas medidas para as escolas públicas."],
                   ["Os ministros viajaram para Lisboa na segunda-feira.",
                    "O ministro anunciou uma nova medida para a escola pública."]),
    "Polish": (["Ministrowie ogłosili nowe przepisy dotyczące szkół publicznych."],
               ["Ministrowie pojechali w poniedziałek do Krakowa.",
                "Minister ogłosił nowy przepis dotyczący szkoły publicznej."]),
}


@pytest.mark.parametrize("language", sorted(REWORDED))
def test_inflected_rewording_pairs_on_lemmas(language):
    left, right = REWORDED[language]
    rows = align(doc(left), doc(right), quotes.find(left, right)).rows
    assert [(r.left, r.right) for r in rows if r.left and r.right] == [((0,), (1,))]


def test_each_document_language_is_detected_from_its_function_words():
    from webapp.pipeline.lang import language
    assert language(PARAS) == "en"
    assert language(GERMAN) == "de"
    assert language(SPANISH) == "es"
    assert language(["서울에서 열린 회의에서 장관은 새로운 정책을 발표했다."]) is None
    assert language([]) is None


def test_a_shared_quote_relates_the_paragraphs_that_report_it():
    # The seed pair: Reuters' "legitimate military targets" paragraph and CNN's paragraph quoting
    # the same words sit in one row or are linked, and the quote is the reason given.
    from webapp.pipeline import Source, compare
    reuters, cnn = (p.read_text(encoding="utf-8") for p in SEEDS)
    comparison = compare(Source(reuters), Source(cnn))
    left = next(p.index for p in comparison.left.paragraphs if "legitimate military targets if" in p.text)
    right = next(p.index for p in comparison.right.paragraphs if "legitimate military targets.”" in p.text)
    reasons = [r.row.reasons for r in comparison.rows if left in r.row.left and right in r.row.right]
    reasons += [k.reasons for k in comparison.links if (k.left, k.right) == (left, right)]
    assert len(reasons) == 1
    assert "passage: they would become legitimate military targets" in reasons[0]


def test_facts_spread_over_rows_are_linked_and_links_are_bounded(monkeypatch):
    import webapp.pipeline.align as align_module
    left = ["Governor Maria Lopez said inflation of 7.2% was far above target as the bank raised rates "
            "by half a point on Tuesday.",
            "Shares in Frankfurt fell 1.5% after the announcement, while the euro gained against the dollar."]
    right = ["Inflation of 7.2% is far above target, Governor Maria Lopez told reporters.",
             "Shares in Frankfurt fell 1.5% after the bank raised rates by half a point on Tuesday; "
             "the euro gained against the dollar."]
    alignment = align(doc(left), doc(right), quotes.find(left, right))
    in_rows = {(i, j) for r in alignment.rows for i in r.left for j in r.right}
    links = {(k.left, k.right) for k in alignment.links}
    assert in_rows == {(0, 0), (1, 1)} and links == {(0, 1)}
    (link,) = alignment.links
    assert "passage: the bank raised rates by half a point on tuesday" in link.reasons
    assert all(k.reasons and 0 < k.similarity <= 1 for k in alignment.links)
    # A summary paragraph holds four facts the other side reports one per paragraph.
    facts = ["the bank raised rates by half a point", "shares in Frankfurt fell by one and a half percent",
             "the euro gained sharply against the dollar", "the board will meet again in December"]
    left = ["On Tuesday " + ", ".join(facts) + "."] + [f"Analysts said {f} for reasons of their own {k}."
                                                    for k, f in enumerate(facts)]
    right = [f"Reporters were told {f} as expected {k}." for k, f in enumerate(facts)]

    def summary_links():
        return [k.right for k in align(doc(left), doc(right), quotes.find(left, right)).links if k.left == 0]

    assert len(summary_links()) == align_module.MAX_LINKS_PER_PARAGRAPH == 3
    monkeypatch.setattr(align_module, "MAX_LINKS", 2)
    assert len(summary_links()) == 2


# A report of a race: a headline and a lead stating its fact in many small words, beside the same
# facts reworded one by one (left i ~ right i), as two outlets write them.
RACE_LEFT = [
    "Harbour pilot Elena Varga wins Dunmore rowing cup",
    "Elena Varga, a harbour pilot, won the Dunmore rowing cup on Saturday, the first woman to do so in the "
    "race's history.",
    "The race was held in strong winds, and two of the boats turned back before the halfway buoy.",
    "Varga finished in 41 minutes, almost a minute ahead of the crew from Kilbride.",
    "She said that she had trained for the race at dawn every day since March.",
    "The club will use the prize money to repair its boathouse, its treasurer said.",
    "It was the coldest day of the year so far, and the crowd on the pier was smaller than usual.",
    "Next year the race will start from the north pier for the first time.",
    "The mayor, who presented the cup, said the town was proud of her.",
    "Varga said she would defend the title next year if her work allowed it.",
]
RACE_RIGHT = [
    "Varga takes the cup at Dunmore",
    "For the first time in the history of the race, it was a woman who was the first to cross the line on "
    "Saturday, and she was also the first of those who had not been in it before to have done so: Elena "
    "Varga, a pilot in the harbour, took the rowing cup at Dunmore, and it was not until the end that those "
    "who were there could see that it was hers, as the others had been with her for all of the way, and so "
    "there was no one who could have said what it would be until it was over, which is how it had been for "
    "most of those who were there on that day, or so they would all say to each other when it was done.",
    "Strong winds made the race hard, and two boats turned back before they reached the halfway buoy.",
    "Her time of 41 minutes was almost a minute better than that of the Kilbride crew.",
    "Varga told reporters that she had been out on the water at dawn each day since March.",
    "The treasurer of the club said the prize money would go to repairing the boathouse.",
    "The crowd on the pier was thinner than in other years, as it was the coldest day of the year.",
    "From next year the race will start from the north pier.",
    "The cup was handed over by the mayor, who said that the whole town was proud of what she had done.",
    "Asked about the future, she said that she had not yet decided what she would do.",
]


def test_a_headline_is_linked_to_a_wordy_lead_on_the_names_and_rare_words_both_state(monkeypatch):
    import webapp.pipeline.align as align_module

    def linked():
        alignment = align(doc(RACE_LEFT), doc(RACE_RIGHT), quotes.find(RACE_LEFT, RACE_RIGHT))
        return pairs(alignment), {(k.left, k.right): k for k in alignment.links}

    in_rows, links = linked()
    assert {(i, i) for i in range(9)} <= in_rows  # each fact in its row: headlines, leads, the rest
    # The left headline's every content word is in the right lead, whose many small words
    # ("it", "was", "who", "there") leave all-word similarity too low to show.
    assert (0, 1) in links
    assert {"name: elena", "name: dunmore", "name: varga", "term: pilot"} <= set(links[(0, 1)].reasons)
    # Sharing the subject's name and small words is no evidence: Varga's plans and her training.
    assert (9, 4) not in links and (9, 4) not in in_rows
    assert not any(i == 6 or j == 6 for i, j in links)  # the weather shares nothing else
    monkeypatch.setattr(align_module, "LINK_MIN_CONTENT_COSINE", 1.01)  # content words ignored
    assert (0, 1) not in linked()[1]


def test_links_travel_through_the_json_document():
    from webapp.pipeline import Source, compare
    from webapp.serialize import from_dict, to_dict
    left = ["Governor Maria Lopez said inflation of 7.2% was far above target as the bank raised rates "
            "by half a point on Tuesday.",
            "Shares in Frankfurt fell 1.5% after the announcement, while the euro gained against the dollar."]
    right = ["Inflation of 7.2% is far above target, Governor Maria Lopez told reporters.",
             "Shares in Frankfurt fell 1.5% after the bank raised rates by half a point on Tuesday; "
             "the euro gained against the dollar."]
    comparison = compare(Source("\n\n".join(left), "text"), Source("\n\n".join(right), "text"))
    document = to_dict("x" * 20, comparison)
    assert [(k["left"], k["right"]) for k in document["links"]] == [(0, 1)]
    assert from_dict(document).links == comparison.links


def test_a_headline_taken_from_the_text_is_compared_as_its_first_paragraph():
    from webapp.pipeline import Source, compare
    left = ("Driver Charged In Fatal Queens Hit And Run\n\nA driver has been charged with criminally negligent "
            "homicide after police say he struck and killed a woman in Queens late last night.")
    right = ("Woman Killed In Queens Hit-And-Run, Driver Charged\n\nA woman has died after being hit by a car "
             "that fled the scene in Queens, and now the driver is facing manslaughter charges.")
    comparison = compare(Source(left, "text"), Source(right, "text"))
    assert comparison.left.paragraphs[0].text == "Driver Charged In Fatal Queens Hit And Run"
    assert comparison.left.title == "Driver Charged In Fatal Queens Hit And Run"
    assert "title" not in [r.reason for r in comparison.left.removed]
    assert any(0 in r.row.left and 0 in r.row.right for r in comparison.rows)


def test_a_link_or_a_reason_never_stands_on_function_words_alone():
    alignment = align(doc(RACE_LEFT), doc(RACE_RIGHT), quotes.find(RACE_LEFT, RACE_RIGHT))
    # Her training and her undecided future share "she said that she had" and nothing else.
    assert (4, 9) not in {(k.left, k.right) for k in alignment.links}
    shown = [r for row in alignment.rows for r in row.reasons] + [r for k in alignment.links for r in k.reasons]
    assert "passage: that she had" not in shown and "term: have" not in shown
    assert not {"term: to", "term: from", "term: it", "term: at"} & set(shown)
    training = next(row for row in alignment.rows if row.left == (4,))
    assert training.right == (4,) and "term: dawn" in training.reasons and "passage: day since march" in training.reasons


def test_paragraphs_that_share_only_small_words_are_not_paired():
    left = ["The council approved the new harbour budget on Monday after a long debate.",
            "It was said that they would have been there for all of it, and that it was so.",
            "Fishing boats will pay lower mooring fees from next spring."]
    right = ["On Monday the council passed the harbour budget after hours of debate.",
             "Asked, he said that it was in the report and that it is true.",
             "A new ferry line to the islands opens in June."]
    rows = {(row.left, row.right): row for row in align(doc(left), doc(right), quotes.find(left, right)).rows}
    assert ((0,), (0,)) in rows  # the budget: council, harbour, Monday, debate
    # "that it was ... that it would be so" is how sentences are built, not a fact both report
    assert ((1,), (1,)) not in rows and ((1,), ()) in rows and ((), (1,)) in rows
