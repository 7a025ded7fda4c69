"""Metadata that reads right: the outlet and headline come from what the page says."""

import json

from webapp.pipeline import Source, document

BODY = "".join(f"<p>{p}</p>" for p in (
    "The harbour authority closed the northern pier on Friday after inspectors found cracks in two pillars.",
    "Ferries will use the southern pier until repairs are done, which the authority expects to take a month.",
    "Fishing boats may still tie up at the northern pier during daylight hours, a spokeswoman said.",
))


def _page(head: str, body: str = f"<article>{BODY}</article>") -> str:
    return f"<!doctype html><html><head>{head}</head><body>{body}</body></html>"


def _ld(data: dict) -> str:
    return f'<script type="application/ld+json">{json.dumps(data)}</script>'


def test_outlet_is_og_site_name():
    doc = document(Source(_page('<meta property="og:site_name" content="Harbour Gazette">')))
    assert doc.outlet == "Harbour Gazette"


def test_outlet_is_the_json_ld_publisher_without_og_site_name():
    ld = _ld({"@type": "NewsArticle", "headline": "Pier closed",
              "publisher": {"@type": "Organization", "name": "Coastal Daily"}})
    assert document(Source(_page(ld))).outlet == "Coastal Daily"


def test_og_site_name_wins_over_json_ld_publisher():
    head = ('<meta property="og:site_name" content="Harbour Gazette">'
            + _ld({"@type": "NewsArticle", "publisher": {"name": "Gazette Media Group"}}))
    assert document(Source(_page(head))).outlet == "Harbour Gazette"


def test_outlet_is_the_host_of_og_url_when_the_page_names_no_site():
    head = '<meta property="og:url" content="https://www.harbour-gazette.example/news/pier-closed">'
    assert document(Source(_page(head))).outlet == "harbour-gazette.example"


def test_outlet_is_the_host_of_the_canonical_link():
    head = '<link rel="canonical" href="https://news.coastal.example/2026/pier">'
    assert document(Source(_page(head))).outlet == "news.coastal.example"


def test_page_outlet_wins_over_a_dateline_guess():
    body = ("<article><p>DOVER (Wire) - The harbour authority closed the northern pier on Friday after "
            "inspectors found cracks.</p>" + BODY + "</article>")
    doc = document(Source(_page('<meta property="og:site_name" content="Harbour Gazette">', body)))
    assert doc.outlet == "Harbour Gazette"


def test_a_dateline_naming_a_source_does_not_make_it_the_outlet():
    text = ("PARIS (Federal Reserve) - The central bank kept its rates unchanged on Wednesday, "
            "citing slower growth in the second quarter.\n\n"
            "Markets had expected the decision, and shares rose slightly in the afternoon.")
    doc = document(Source(text))
    assert doc.outlet is None
    assert doc.dateline == "Paris"


def test_a_one_word_wire_dateline_is_the_outlet():
    text = ("PARIS (Wire) - The central bank kept its rates unchanged on Wednesday, "
            "citing slower growth in the second quarter.\n\n"
            "Markets had expected the decision, and shares rose slightly in the afternoon.")
    assert document(Source(text)).outlet == "Wire"


def test_the_site_name_in_h1_is_not_the_headline():
    head = ('<meta property="og:site_name" content="POLITICO">'
            '<meta property="og:title" content="Pier closed after inspectors find cracks">')
    body = f"<header><h1>POLITICO</h1></header><article>{BODY}</article>"
    assert document(Source(_page(head, body))).title == "Pier closed after inspectors find cracks"


def test_og_title_equal_to_the_site_name_is_not_the_headline():
    head = ('<meta property="og:site_name" content="Politico">'
            '<meta property="og:title" content="POLITICO">'
            '<title>Pier closed after inspectors find cracks | Politico</title>')
    assert document(Source(_page(head))).title == "Pier closed after inspectors find cracks"


def test_the_site_name_is_cut_from_the_end_of_the_title():
    head = ('<link rel="canonical" href="https://www.politico.example/pier">'
            '<title>Pier closed after inspectors find cracks - Politico.example</title>')
    doc = document(Source(_page(head)))
    assert doc.title == "Pier closed after inspectors find cracks"
    assert doc.outlet == "politico.example"


def test_a_title_without_the_site_name_stays_whole():
    head = ('<meta property="og:site_name" content="Harbour Gazette">'
            '<title>Pier closed - cracks found in two pillars</title>')
    assert document(Source(_page(head))).title == "Pier closed - cracks found in two pillars"
