"""Furniture judged by structure and context, with a confidence for every removal."""

import pytest

from webapp.pipeline import UNSURE_BELOW, Source, compare, document
from webapp.serialize import from_dict, to_dict

PROSE = [
    "The council approved the new budget on Tuesday after a debate that lasted most of the night.",
    "Opponents said the plan cut too deeply into library funding, and promised to raise it again.",
    "The mayor, who proposed the budget in March, said the vote showed the city could still agree.",
    "Work on the repaired bridge will begin in the spring, and should be finished by next winter.",
]


def _page(body: str, head: str = "") -> str:
    return f"<!doctype html><html><head>{head}</head><body>{body}</body></html>"


def _ps(texts) -> str:
    return "".join(f"<p>{t}</p>" for t in texts)


def _removed(doc, text: str):
    return next(r for r in doc.removed if text in r.text)


def test_a_paragraph_about_cookies_between_body_paragraphs_stays():
    cookie = ("We use cookies to track you, the company's banner said, and the court found that "
              "the sentence told visitors nothing about who received their data.")
    doc = document(Source("\n\n".join([PROSE[0], cookie, PROSE[1]])))
    assert [p.text for p in doc.paragraphs] == [PROSE[0], cookie, PROSE[1]]


def test_a_widget_shaped_block_between_body_paragraphs_goes_as_unsure():
    doc = document(Source("\n\n".join([PROSE[0], "Sign up for our morning newsletter", PROSE[1]])))
    assert [p.text for p in doc.paragraphs] == PROSE[:2]
    assert _removed(doc, "Sign up").confidence < UNSURE_BELOW


def test_the_same_widget_at_the_page_s_edge_is_a_sure_removal():
    doc = document(Source("\n\n".join([PROSE[0], PROSE[1], "Sign up for our morning newsletter"])))
    assert _removed(doc, "Sign up").confidence >= UNSURE_BELOW


def test_markup_removals_are_sure_and_confidence_is_between_0_and_1():
    html = _page(f"<nav><a href='/'>Home</a> <a href='/w'>World</a></nav><article>{_ps(PROSE)}</article>")
    doc = document(Source(html))
    assert _removed(doc, "Home").confidence == 1.0
    assert all(0.0 <= r.confidence <= 1.0 for r in doc.removed)


@pytest.mark.parametrize("caption, reason", [
    ("Crowds gather outside the court on Monday. AGENCY/Jane Doe", "caption"),
    ("The harbour at dawn. (\u00a9 Picture Desk/Ann Lee)", "caption"),
    ("abc/WIRE", "caption"),
])
def test_a_credit_is_a_source_slash_name_tail(caption, reason):
    doc = document(Source("\n\n".join([PROSE[0], PROSE[1], caption, PROSE[2]])))
    assert [p.text for p in doc.paragraphs] == PROSE[:3]
    assert _removed(doc, caption).reason == reason


def test_a_sentence_with_a_slash_between_names_is_not_a_credit():
    line = "The new service will run every hour between Bielefeld/Bremen and Hamburg from May."
    doc = document(Source("\n\n".join([PROSE[0], line, PROSE[1]])))
    assert [p.text for p in doc.paragraphs] == [PROSE[0], line, PROSE[1]]


def test_a_box_around_a_form_inside_the_article_goes():
    box = ("<div class='box'><h3>Das Briefing</h3><p>Die Nachrichten des Tages, jeden Morgen.</p>"
           "<form><input type='email'><button>OK</button></form></div>")
    doc = document(Source(_page(f"<article>{_ps(PROSE[:2])}{box}{_ps(PROSE[2:])}</article>")))
    assert [p.text for p in doc.paragraphs] == PROSE
    assert any("Das Briefing" in r.text for r in doc.removed)


def test_a_short_heading_over_a_link_list_goes_in_any_language():
    links = "".join(f"<li><a href='/s{i}'>Ein anderer Artikel mit einer langen Schlagzeile {i}</a></li>"
                    for i in range(4))
    doc = document(Source(_page(f"<article>{_ps(PROSE)}<h3>Mehr zum Thema</h3><ul>{links}</ul></article>")))
    assert [p.text for p in doc.paragraphs] == PROSE
    assert _removed(doc, "Mehr zum Thema").reason == "related-links"


def test_a_subheading_over_prose_stays():
    doc = document(Source(_page(f"<article>{_ps(PROSE[:2])}<h3>Mehr zum Thema</h3>{_ps(PROSE[2:])}</article>")))
    assert [p.text for p in doc.paragraphs] == [*PROSE[:2], "Mehr zum Thema", *PROSE[2:]]


def test_a_notice_after_the_article_s_element_is_not_the_article():
    notice = ("Wir verwenden Cookies, um Inhalte zu personalisieren und die Zugriffe auf diese "
              "Website zu analysieren, und geben Informationen an Partner weiter.")
    story = PROSE + PROSE[::-1]  # the story holds more than DOMINANT_SHARE of the prose
    html = _page(f"<div class='page'><div class='story'>{_ps(story)}</div>"
                 f"<div class='bar'><p>{notice}</p></div></div>")
    doc = document(Source(html))
    assert [p.text for p in doc.paragraphs] == story


def test_a_class_word_does_not_drop_the_element_holding_the_headline():
    html = _page("<div class='post tag-budget category-city'><h1>Budget passes</h1>"
                 f"{_ps(PROSE)}</div><div class='comments'>{_ps(['A reader wrote a comment here.'] * 9)}</div>")
    doc = document(Source(html))
    assert [p.text for p in doc.paragraphs] == PROSE


def test_a_paragraph_whose_names_are_links_is_prose():
    linked = ("<p><a href='/p/1'>Maria Nowak</a> replaced <a href='/p/2'>Jan Kowalski</a>, who had "
              "<a href='/c/1'>led the press office of the insurer</a> for eight months.</p>")
    doc = document(Source(_page(f"<article>{_ps(PROSE[:2])}{linked}{_ps(PROSE[2:])}</article>")))
    assert "Maria Nowak replaced Jan Kowalski, who had led the press office of the insurer for eight months." in [
        p.text for p in doc.paragraphs]


@pytest.mark.parametrize("stamp", ["opublikowano: 7 kwietnia 2021", "Veröffentlicht: 3. März 2026",
                                   "Publié le 12 mars 2024"])
def test_date_stamps_in_any_language(stamp):
    doc = document(Source("\n\n".join([PROSE[0], PROSE[1], stamp])))
    assert _removed(doc, stamp).reason == "date"


def test_confidence_survives_the_stored_json(seed_sources):
    comparison = compare(*seed_sources)
    again = from_dict(to_dict("x", comparison))
    assert [r.confidence for r in again.left.removed] == [r.confidence for r in comparison.left.removed]
    assert any(r.confidence < 1.0 for r in again.left.removed)


def test_prose_after_the_last_paragraph_the_json_ld_body_holds_goes():
    import json
    story = PROSE + PROSE[::-1]
    ld = ('<script type="application/ld+json">'
          + json.dumps({"@type": "NewsArticle", "articleBody": " ".join(story)}) + "</script>")
    appeal = "Readers like you keep this newsroom going, and every contribution helps us report."
    doc = document(Source(_page(f"<article>{_ps(story)}<p>{appeal}</p></article>", ld)))
    assert [p.text for p in doc.paragraphs] == story
    assert _removed(doc, appeal).reason == "boilerplate"


def test_a_generated_class_name_is_not_read_for_words():
    html = _page(f"<div><h1>Budget passes</h1>"
                 f"{''.join(f'<p class=tagStyle_z4kqwb-o_O-style_1tcxgp3>{t}</p>' for t in PROSE)}</div>")
    assert [p.text for p in document(Source(html)).paragraphs] == PROSE


def test_a_chosen_class_name_is_read_for_words():
    html = _page(f"<article>{_ps(PROSE)}<div class='sidebar-2020'><p>{PROSE[0]} Again.</p></div></article>")
    assert [p.text for p in document(Source(html)).paragraphs] == PROSE


def test_a_bem_modifier_does_not_name_the_element():
    html = _page(f"<main><section class='Report__Section'>{_ps(PROSE[:3])}</section>"
                 f"<section class='Report__Section Report__Section--Ads'>{_ps(PROSE[3:])}</section></main>")
    assert [p.text for p in document(Source(html)).paragraphs] == PROSE


def test_soft_hyphens_do_not_split_the_words_a_reader_sees():
    hyphenated = "Die Wein\u00adbau\u00adern am Hang ernten seit dem Mit\u00adtel\u00adalter einen Wein von Rang."
    doc = document(Source(_page(f"<article>{_ps(PROSE[:2])}<p>{hyphenated}</p></article>")))
    assert doc.paragraphs[-1].text == "Die Weinbauern am Hang ernten seit dem Mittelalter einen Wein von Rang."


def test_ruby_readings_are_not_words_of_the_text():
    ruby = ("<p><ruby>子<rt>こ</rt></ruby>どもへの<ruby>虐待<rt>ぎゃくたい</rt></ruby>をなくすための"
            "<ruby>法律<rp>(</rp><rt>ほうりつ</rt><rp>)</rp></ruby>ができて、親が子どもを教育するために。</p>")
    doc = document(Source(_page(f"<article>{_ps(PROSE[:2])}{ruby}</article>")))
    assert doc.paragraphs[-1].text == "子どもへの虐待をなくすための法律ができて、親が子どもを教育するために。"


def _titled(body: str, title: str = "Budget passes after a long night") -> str:
    return _page(body, f"<title>{title} | City Times</title><meta property='og:title' content='{title}'>")


def _headed(header: str) -> str:
    return _titled(f"<article>{header}{_ps(PROSE)}</article>")


def test_the_standfirst_in_the_article_s_header_stays_and_its_byline_goes():
    dek = "The council agreed on a budget that cuts library funding by a tenth and repairs the bridge"
    doc = document(Source(_headed("<header><p>City</p><h1>Budget passes after a long night</h1>"
                                  f"<p>{dek}</p><p>By Ann Reporter</p></header>")))
    assert [p.text for p in doc.paragraphs] == [dek, *PROSE]


def test_a_site_header_whose_h1_is_the_logo_keeps_nothing():
    notice = "Thank you for visiting. You are using a browser version with limited support for this site."
    doc = document(Source(_headed(f"<header><h1>City Times</h1><p>{notice}</p></header>")))
    assert [p.text for p in doc.paragraphs] == PROSE


def test_a_class_word_does_not_drop_the_element_holding_the_stated_headline_in_an_h2():
    comments = _ps([f"Reader {i} wrote that the library should have kept its evening hours." for i in range(5)])
    related = _ps([f"Story {i}: the city's bridges are older than its engineers would like." for i in range(3)])
    html = _titled(f"<div class='post tag-budget'><h2>Budget passes after a long night</h2>{_ps(PROSE)}</div>"
                   f"<section class='comments'>{comments}</section><div class='related'>{related}</div>")
    assert [p.text for p in document(Source(html)).paragraphs] == PROSE


def test_a_tag_list_with_a_heading_that_is_not_the_headline_goes():
    html = _titled(f"<div class='story'>{_ps(PROSE)}</div>"
                   "<div class='tags'><h2>Topics</h2><p>Budget, council and the city library.</p></div>")
    doc = document(Source(html))
    assert [p.text for p in doc.paragraphs] == PROSE
    assert _removed(doc, "Topics").reason == "tags"


def test_an_ingredient_list_between_the_intro_and_the_steps_stays():
    items = [f"{n} g {what}, fein gehackt" for n, what in zip(range(100, 2100, 100), (
        "Mehl", "Zucker", "Butter", "Quark", "Sahne", "Mandeln", "Rosinen", "Haferflocken", "Kakao", "Honig",
        "Walnüsse", "Datteln", "Feigen", "Sesam", "Kokos", "Marzipan", "Nougat", "Ricotta", "Joghurt", "Schmand"),
        strict=True)]
    steps = PROSE[1:] * 2
    html = _page(f"<div class='recipe'><div><p>{PROSE[0]}</p></div>"
                 f"<ul>{''.join(f'<li>{i}</li>' for i in items)}</ul><div>{_ps(steps)}</div></div>")
    assert [p.text for p in document(Source(html)).paragraphs] == [PROSE[0], *items, *steps]


def test_boxes_around_script_buttons_go_and_a_paragraph_with_a_tracked_link_stays():
    rating = ("<div class='x'><strong>War der Artikel nützlich?</strong><br>"
              + "".join(f"<img src='s.gif' alt='{i} Sterne' onclick='rate({i})'>" for i in range(1, 6)) + "</div>")
    share = "<div><span>Like it? Share it!</span><span role='button'>Facebook</span></div>"
    tracked = ("<p>The budget office published <a href='/b' onclick='track()'>its full figures</a> on "
               "Wednesday, a day after the vote.</p>")
    doc = document(Source(_page(f"<article>{_ps(PROSE[:2])}{tracked}{_ps(PROSE[2:])}{rating}{share}</article>")))
    assert [p.text for p in doc.paragraphs] == [
        *PROSE[:2], "The budget office published its full figures on Wednesday, a day after the vote.", *PROSE[2:]]
    assert _removed(doc, "War der Artikel").confidence < 1.0


def test_labels_after_the_last_paragraph_go_but_a_sign_off_and_a_closing_list_stay():
    steps = "<ul><li>Left at the old mill</li><li>Along the river to the bridge</li></ul>"
    html = _page(f"<main><div class='text'>{_ps(PROSE)}{steps}<p>Bis bald, eure Anna</p>"
                 "<div class='tools'><span>Drucken</span></div><div><span>Permalink</span></div></div></main>")
    doc = document(Source(html))
    assert [p.text for p in doc.paragraphs] == [*PROSE, "Left at the old mill", "Along the river to the bridge",
                                                "Bis bald, eure Anna"]
    assert _removed(doc, "Drucken").reason == "boilerplate"
