"""render.side_html: escaped text, diff marks, and passages shared with the other article."""

from bs4 import BeautifulSoup

from webapp.pipeline.types import DiffOp
from webapp.render import side_html, sides_alike

OPS = [DiffOp("equal", "The <b>mayor</b> said the bridge "), DiffOp("delete", "will reopen"),
       DiffOp("insert", "reopens"), DiffOp("equal", " on Monday.\n\nSecond paragraph here.")]


def html(markup) -> BeautifulSoup:
    return BeautifulSoup(str(markup), "html.parser")


def visible(markup) -> str:
    soup = html(markup)
    for hidden in soup.select(".sr-only"):
        hidden.decompose()
    return soup.get_text()


def test_each_side_rebuilds_its_paragraphs_as_escaped_text():
    left, right = side_html(OPS, "left"), side_html(OPS, "right")
    assert [visible(p) for p in left] == ["The <b>mayor</b> said the bridge will reopen on Monday.", "Second paragraph here."]
    assert [visible(p) for p in right] == ["The <b>mayor</b> said the bridge reopens on Monday.", "Second paragraph here."]
    assert "<b>" not in str(left[0]) and "&lt;b&gt;" in str(left[0])


def test_text_only_on_one_side_is_marked_and_said():
    left = html(side_html(OPS, "left")[0])
    assert left.select_one("del").get_text() == "[only left: will reopen]"
    assert html(side_html(OPS, "right")[0]).select_one("ins .sr-only").get_text() == "[only right: "


def test_quote_spans_are_marked_across_op_boundaries():
    text = "The <b>mayor</b> said the bridge will reopen on Monday."
    start = text.index("the bridge")
    end = text.index(" on Monday")
    left = html(side_html(OPS, "left", "diff", [[(start, end)], []])[0])
    marks = left.select("mark.quote")
    assert [visible(m) for m in marks] == ["the bridge", "will reopen"]
    assert left.select_one("mark.quote del")  # the deleted words are both only-left and quoted


def test_no_quotes_no_marks():
    assert not html(side_html(OPS, "left", "plain")[0]).select("mark, del, ins")


SPACED = [DiffOp("equal", " The <b>mayor</b> "), DiffOp("delete", " will reopen "),
          DiffOp("insert", "reopens"), DiffOp("equal", "on Monday.\n\n Second  paragraph & more ")]
SPANS = [[(1, 8), (8, 20), (30, 40)], [(2, 9)]]


def test_exact_markup_is_pinned():
    """The bytes of a side, pinned: spaces outside elements, touching spans marked apart, escaping."""
    assert [str(p) for p in side_html(SPACED, "left", "diff", SPANS)] == [
        ' <mark class="quote">The &lt;b&gt;</mark><mark class="quote">mayor&lt;/b&gt;</mark>  <mark class="quote">'
        '<del class="hl"><span class="sr-only">[only left: </span>w<span class="sr-only">]</span></del></mark>'
        '<del class="hl"><span class="sr-only">[only left: </span>ill reopen<span class="sr-only">]</span></del> '
        '<mark class="quote">on Monday</mark>.',
        ' S<mark class="quote">econd</mark>  paragraph &amp; more ']
    assert [str(p) for p in side_html(SPACED, "right", "shared", SPANS)] == [
        ' <mark class="quote">The &lt;b&gt;</mark><mark class="quote">mayor&lt;/b&gt;</mark> <mark class="quote">re</mark>'
        'openson Mo<mark class="quote">nday.</mark>',
        ' S<mark class="quote">econd</mark>  <mark class="shared"><span class="sr-only">[shared: </span>'
        'paragraph &amp; more<span class="sr-only">]</span></mark> ']


def test_sides_alike_only_when_both_sides_read_the_same():
    same = [DiffOp("equal", "A <b> \n\nB")]
    assert sides_alike(same)
    assert side_html(same, "left", "plain", [[(0, 3)], []]) == side_html(same, "right", "plain", [[(0, 3)], []])
    assert not sides_alike(OPS)
    assert not sides_alike([DiffOp("equal", "a 'b'", "a \u2018b\u2019")])


def test_a_plain_paragraph_shows_its_whole_text_with_only_its_quotes_marked():
    text = "  \u201cA <quote> & 'more'\u201d, she said.  "
    for op in (DiffOp("equal", text), DiffOp("delete", text), DiffOp("equal", text, text.upper())):
        for spans in ([], [(-5, 3)], [(8, 20)], [(14, 99)], [(9, 9)], [(3, 8), (20, 25)]):
            markup = side_html((op,), "left", "plain", [spans])[0]
            assert str(markup).startswith("  ") and str(markup).endswith("  ")  # edge spaces kept, outside marks
            assert visible(markup).split() == text.split(), (op, spans)
            assert not html(markup).select("del, ins")
            quoted = "".join(m.get_text() for m in html(markup).select("mark.quote"))
            assert quoted == "".join(text[max(a, 0):b].strip() for a, b in spans if b > a and a < len(text))
