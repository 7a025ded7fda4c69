"""Facts: paragraphs of several reports grouped by what they report (webapp/pipeline/facts.py)."""

import random

import pytest

from bench.generate import document, perturb
from tests.unit.test_align import GERMAN, OTHER, PARAS
from webapp.pipeline import CoverdiffError, Source, align, compare_many, quotes
from webapp.pipeline.facts import Clusters, Link, closed, group, pairwise, reference
from webapp.pipeline.types import Document, Paragraph

WIN = "Alpha United beat Beta City 3-1 in the cup final in Lisbon on Sunday evening."
COACH = 'Coach Maria Okafor said "we played the best football of our lives tonight" after the final whistle.'
FANS = "Thousands of fans celebrated in the streets of Lisbon until dawn, police said on Monday."
WEATHER = "Heavy rain had fallen over the stadium for most of the afternoon before kick-off."


def doc(*texts: str) -> Document:
    return Document(tuple(Paragraph(i, t) for i, t in enumerate(texts)))


def members(fact) -> dict[int, tuple[int, ...]]:
    return {m.document: m.paragraphs for m in fact.members}


def test_each_fact_holds_what_every_document_says_of_it_and_gaps_where_one_does_not():
    docs = (doc(WIN, COACH, FANS), doc(WIN.replace("beat", "defeated"), FANS), doc(COACH, WIN))
    facts = group(docs)
    assert [members(f) for f in facts] == [
        {0: (0,), 1: (0,), 2: (1,)},  # the win: all three
        {0: (1,), 2: (0,)},  # the quote: not in the second report
        {0: (2,), 1: (1,)},  # the fans: not in the third
    ]


def test_every_paragraph_is_in_exactly_one_fact_and_an_exclusive_is_a_fact_of_one():
    docs = (doc(WIN, COACH), doc(WIN, WEATHER, COACH), doc(COACH, WIN))
    facts = group(docs)
    nodes = [(m.document, p) for f in facts for m in f.members for p in m.paragraphs]
    assert sorted(nodes) == sorted((d, p.index) for d, x in enumerate(docs) for p in x.paragraphs)
    assert [members(f) for f in facts if len(f.members) == 1] == [{1: (1,)}]


def test_a_split_in_one_report_keeps_both_halves_in_the_fact():
    first, second = COACH.split(" after ")
    docs = (doc(WIN, COACH, FANS), doc(WIN, first + ".", "It was after the final whistle.", FANS),
            doc(WIN, COACH))
    facts = group(docs)
    assert {0: (1,), 1: (1, 2), 2: (1,)} in [members(f) for f in facts]


def test_the_consistency_rule_refuses_a_link_that_would_join_two_unrelated_paragraphs_of_one_document():
    # Document 0's paragraphs 0 and 2 were never grouped by a pairwise row: a weak link from
    # 0:2 to 1:0 (already with 0:0) must not put them together; the stronger link wins.
    clusters = Clusters([(0, 0), (0, 2), (1, 0)], grouped={})
    assert clusters.join(Link(0.9, (0, 0), (1, 0), ()))
    assert not clusters.join(Link(0.3, (0, 2), (1, 0), ()))
    assert sorted(nodes for nodes, _w, _r in clusters.groups()) == [[(0, 0), (1, 0)], [(0, 2)]]


def test_neighbouring_paragraphs_may_share_a_fact_as_a_split_no_pair_saw_whole():
    clusters = Clusters([(0, 3), (0, 4), (1, 0)], grouped={})
    assert clusters.join(Link(0.9, (0, 3), (1, 0), ()))
    assert clusters.join(Link(0.5, (0, 4), (1, 0), ()))


def test_paragraphs_a_pairwise_row_grouped_may_share_a_fact():
    clusters = Clusters([(0, 0), (0, 5), (1, 0)], grouped=closed({((0, 0), (0, 5))}))
    assert clusters.join(Link(0.9, (0, 0), (1, 0), ()))
    assert clusters.join(Link(0.8, (0, 5), (1, 0), ()))
    assert [nodes for nodes, _w, _r in clusters.groups()] == [[(0, 0), (0, 5), (1, 0)]]


def joined_groups(nodes, links) -> list[list[tuple[int, int]]]:
    clusters = Clusters(nodes, {}, links)
    for link in sorted(links, key=lambda k: -k.similarity):
        clusters.join(link)
    return sorted(members for members, _w, _r in clusters.groups())


def test_one_weak_link_does_not_chain_two_facts_the_other_reports_keep_apart():
    # Reports 0 and 1 state one fact, 2 and 3 another; only the pair (1, 2) linked them, weakly:
    # one of the four pairs of reports across the two facts agrees, under SUPPORT_MIN.
    nodes = [(0, 0), (1, 0), (2, 3), (3, 3)]
    links = [Link(0.9, (0, 0), (1, 0), ()), Link(0.9, (2, 3), (3, 3), ()), Link(0.13, (1, 0), (2, 3), ())]
    assert joined_groups(nodes, links) == [[(0, 0), (1, 0)], [(2, 3), (3, 3)]]


def test_two_facts_join_when_enough_pairs_of_reports_link_them():
    nodes = [(0, 0), (1, 0), (2, 3), (3, 3)]
    links = [Link(0.9, (0, 0), (1, 0), ()), Link(0.9, (2, 3), (3, 3), ()), Link(0.13, (1, 0), (2, 3), ()),
             Link(0.4, (0, 0), (3, 3), ())]  # two of the four pairs across agree
    assert joined_groups(nodes, links) == [[(0, 0), (1, 0), (2, 3), (3, 3)]]


def test_a_merge_in_one_report_joins_the_two_facts_the_others_report_apart():
    # Report 2 says both facts in one paragraph: its rows group 0:0 with 0:1 and 1:0 with 1:1.
    docs = (doc(WIN, FANS), doc(WIN.replace("beat", "defeated"), FANS.replace("until", "till")),
            doc(f"{WIN} {FANS}"))
    assert [members(f) for f in group(docs)] == [{0: (0, 1), 1: (0, 1), 2: (0,)}]


def test_every_pair_is_compared_once_and_reported_as_done():
    docs = (doc(WIN), doc(COACH), doc(FANS), doc(WEATHER))
    done = []
    compared = pairwise(docs, lambda n, total: done.append((n, total)))
    assert sorted(compared) == [(0, 1), (0, 2), (0, 3), (1, 2), (1, 3), (2, 3)]
    assert done == [(n, 6) for n in range(1, 7)]


def test_grouping_is_transitive_a_three_way_split_seen_by_two_pairs_is_one():
    part = closed({((0, 0), (0, 5)), ((0, 5), (0, 9)), ((0, 2), (0, 3))})
    assert part[(0, 0)] == part[(0, 9)] != part[(0, 2)] == part[(0, 3)]


def test_facts_follow_the_first_report_and_a_later_one_places_its_own_facts_after_their_predecessor():
    docs = (doc(WIN, COACH, FANS), doc(WIN, WEATHER, COACH))
    assert [members(f) for f in group(docs)] == [{0: (0,), 1: (0,)}, {1: (1,)}, {0: (1,), 1: (2,)}, {0: (2,)}]


def test_stats_give_each_report_its_share_of_the_facts_and_its_exclusives():
    many = compare_many([Source(t) for t in (f"{WIN}\n\n{COACH}\n\n{FANS}", f"{WIN}\n\n{WEATHER}", WIN)])
    assert [(s.covered, s.exclusive) for s in many.stats.documents] == [(0.75, 2), (0.5, 1), (0.25, 0)]


def test_a_quote_two_reports_share_is_listed_with_both():
    many = compare_many([Source(f"{WIN}\n\n{COACH}"), Source(WIN.replace("beat", "defeated")),
                         Source(f"{FANS}\n\n{COACH}")])
    quoted = [q for q in many.stats.shared_quotes if "best football of our lives" in q.text]
    assert [q.documents for q in quoted] == [(0, 2)]


@pytest.mark.parametrize("count", [1, 11])
def test_fewer_than_two_or_more_than_ten_documents_are_refused(count):
    with pytest.raises(CoverdiffError, match="2 to 10 documents"):
        compare_many([Source(WIN)] * count)


def test_the_reference_wording_of_a_fact_is_the_one_most_like_the_others():
    docs = (doc(WIN.replace("beat", "defeated")), doc(WIN), doc(WIN.replace("Sunday", "Saturday")))
    (fact,) = group(docs)
    assert reference(fact, docs) == 1  # one word from each of the others; they are two words apart


def test_an_error_in_one_of_many_documents_says_which_one():
    with pytest.raises(CoverdiffError, match=r"^Document 2: No article text"):
        compare_many([Source(WIN), Source("<nav><a href='/'>Home</a></nav>", "html"), Source(COACH)])


def test_each_pair_of_many_is_compared_as_the_side_by_side_view_compares_it():
    """pairwise reads each document (its words, language, features, token counts) once for all its
    pairs: every pair's passages and alignment are still those of the two compared alone, in
    whatever languages, beside whatever other documents, with few or many paragraphs left over."""
    rng = random.Random(17)
    long_a = document(rng, 12_000)
    long_b = perturb(rng, long_a)[0] + document(rng, 10_000)  # 50+ paragraphs left over after hashing
    short = "Finanzminister Lindner sagte, Schuldenbremse werde eingehalten."  # too short to tell its language
    docs = (doc(*PARAS, *GERMAN), doc(short, *OTHER), doc(*GERMAN[::-1], *OTHER), doc(short),
            doc(*PARAS[::2], *PARAS, WIN), doc(*long_a), doc(*long_b, *GERMAN))
    compared = pairwise(docs)
    assert len(compared) == 21
    for (i, j), (alignment, shared) in compared.items():
        alone = quotes.find(docs[i].texts, docs[j].texts)
        assert shared == alone, (i, j)
        assert alignment == align.align(docs[i], docs[j], alone), (i, j)
