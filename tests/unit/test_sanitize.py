"""Sanitize: furniture goes (with a reason), the article stays, in order."""

import pytest

from tests.seed_truth import CNN_PARAGRAPHS, FURNITURE, REUTERS_PARAGRAPHS
from webapp.pipeline import Source, document
from webapp.pipeline.errors import EmptyInput
from webapp.pipeline.sanitize import detect_kind, sanitize


def _starts(doc) -> list[str]:
    return [p.text for p in doc.paragraphs]


@pytest.mark.parametrize("which", ["reuters", "cnn"])
def test_seed_keeps_every_news_paragraph_in_order(seed_sources, which):
    source, expected = (seed_sources[0], REUTERS_PARAGRAPHS) if which == "reuters" else (seed_sources[1], CNN_PARAGRAPHS)
    texts = _starts(document(source))
    assert len(texts) == len(expected)
    for text, start in zip(texts, expected, strict=True):
        assert text.startswith(start)


def test_seed_furniture_is_gone_and_recorded(seed_sources):
    doc = document(seed_sources[0])
    body = "\n".join(_starts(doc))
    for furniture in FURNITURE:
        assert furniture not in body.replace("Reuters", ""), furniture
    reasons = {r.reason for r in doc.removed}
    assert {"navigation", "reading-time", "caption", "byline", "related-links", "newsletter",
            "advertisement", "cookie-notice"} <= reasons
    assert any(r.text == "Skip to main content" and r.reason == "navigation" for r in doc.removed)


def test_seed_metadata(seed_sources):
    reuters, cnn = document(seed_sources[0]), document(seed_sources[1])
    assert reuters.title == "Blinken expects North Korea troops to enter fight against Ukraine in coming days"
    assert reuters.byline == "Humeyra Pamuk and Michael Martina"
    assert reuters.outlet == "Reuters"
    assert reuters.dateline == "Washington"
    assert cnn.outlet == "CNN"


def test_single_newlines_are_paragraph_breaks_without_blank_lines():
    doc = document(Source("First line of the story here.\nSecond line of the story here."))
    assert [p.text for p in doc.paragraphs] == ["First line of the story here.", "Second line of the story here."]


def test_blank_lines_win_over_single_newlines():
    doc = document(Source("One sentence\ncontinues here.\n\nNext paragraph."))
    assert [p.text for p in doc.paragraphs] == ["One sentence continues here.", "Next paragraph."]


def test_short_text_is_kept_whole():
    assert [p.text for p in document(Source("a b c d")).paragraphs] == ["a b c d"]


def test_short_real_paragraphs_stay():
    text = ("Officials met on Monday to discuss the budget and the timetable for the vote.\n\n"
            "\"No,\" she said.\n\nThe vote is expected next week after the committee stage.")
    assert len(document(Source(text)).paragraphs) == 3


@pytest.mark.parametrize("content", ["", "   \n\t  "])
def test_empty_input_is_an_error(content):
    with pytest.raises(EmptyInput):
        sanitize(Source(content))


HTML_PAGE = """<!doctype html><html><head><title>Page title | Site</title>
<meta property="og:site_name" content="Daily Planet"><meta name="author" content="Lois Lane">
<script>window.evil = 1</script><style>p{color:red}</style></head>
<body><nav><a href="/">Home</a><a href="/world">World</a></nav>
<div class="cookie-banner">We use cookies to improve your experience. Accept cookies?</div>
<article><h1>Storm hits the coast</h1>
<p>A powerful storm hit the coast on Tuesday, cutting power to thousands of homes, officials said.</p>
<div class="ad-slot">Advertisement</div>
<p>Emergency crews worked through the night to clear roads, and schools will stay closed on Wednesday.</p>
<figure><img src="x.jpg"><figcaption>Waves crash over the sea wall. Photo: Jane Doe</figcaption></figure>
<p>"We have never seen anything like it," said the mayor, who asked residents to stay home.</p>
<aside class="related"><h3>Related</h3><a href="/a">Another storm story with a long headline here</a></aside>
</article><footer>Copyright Daily Planet. All rights reserved.</footer></body></html>"""


def test_html_keeps_the_article_and_drops_furniture():
    doc = document(Source(HTML_PAGE))
    texts = [p.text for p in doc.paragraphs]
    assert texts == [
        "A powerful storm hit the coast on Tuesday, cutting power to thousands of homes, officials said.",
        "Emergency crews worked through the night to clear roads, and schools will stay closed on Wednesday.",
        "\"We have never seen anything like it,\" said the mayor, who asked residents to stay home.",
    ]
    assert doc.title == "Storm hits the coast"
    assert doc.byline == "Lois Lane"
    assert doc.outlet == "Daily Planet"
    reasons = {r.reason for r in doc.removed}
    assert {"navigation", "cookie-notice", "advertisement", "caption", "related-links", "footer"} <= reasons


def test_html_script_text_never_becomes_a_paragraph():
    doc = document(Source("<html><body><p>Hello there, this is a paragraph of text.</p>"
                          "<script>alert(1)</script><p onclick='x()'>Second <b>bold</b> paragraph here.</p></body></html>"))
    assert [p.text for p in doc.paragraphs] == ["Hello there, this is a paragraph of text.", "Second bold paragraph here."]


def test_html_markup_in_plain_text_mode_stays_literal_text():
    doc = document(Source("<b>not bold</b> but literal", kind="text"))
    assert doc.paragraphs[0].text == "<b>not bold</b> but literal"


def test_detect_kind():
    assert detect_kind(HTML_PAGE) == "html"
    assert detect_kind("Plain words. And <3 hearts.") == "text"


def test_sanitize_is_idempotent(seed_sources):
    once = document(seed_sources[0])
    twice = document(Source("\n\n".join(p.text for p in once.paragraphs)))
    assert [p.text for p in twice.paragraphs] == [p.text for p in once.paragraphs]


def test_deeply_nested_html_does_not_crash():
    html = "<div>" * 5000 + "<p>Deep paragraph with enough words to count as prose here.</p>" + "</div>" * 5000
    doc = document(Source(html))
    assert any("Deep paragraph" in p.text for p in doc.paragraphs)
