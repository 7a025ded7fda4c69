"""render.side_html: escaped text, diff marks, and passages shared with the other article."""

from bs4 import BeautifulSoup

from webapp.render import side_html, sides_alike

OPS = [{"op": "equal", "text": "The <b>mayor</b> said the bridge "}, {"op": "delete", "text": "will reopen"},
       {"op": "insert", "text": "reopens"}, {"op": "equal", "text": " on Monday.\n\nSecond paragraph here."}]


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


SPACED = [{"op": "equal", "text": " The <b>mayor</b> "}, {"op": "delete", "text": " will reopen "},
          {"op": "insert", "text": "reopens"}, {"op": "equal", "text": "on Monday.\n\n Second  paragraph & more "}]
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
    same = [{"op": "equal", "text": "A <b> \n\nB"}]
    assert sides_alike(same)
    assert side_html(same, "left", "plain", [[(0, 3)], []]) == side_html(same, "right", "plain", [[(0, 3)], []])
    assert not sides_alike(OPS)
    assert not sides_alike([{"op": "equal", "text": "a 'b'", "right_text": "a \u2018b\u2019"}])


def test_one_plain_paragraph_renders_as_the_general_case():
    """A one-op paragraph in "plain" mode is done directly; the same op followed by an empty
    one takes the general path: both must give the same markup."""
    text = "  \u201cA <quote> & 'more'\u201d, she said.  "
    for op in ({"op": "equal", "text": text}, {"op": "delete", "text": text}, {"op": "insert", "text": text},
               {"op": "equal", "text": "   "}, {"op": "equal", "text": text, "right_text": text.upper()}):
        for spans in ([], [(-5, 3)], [(2, 30)], [(8, 20)], [(14, 99)], [(0, len(text))], [(9, 9)], [(12, 5)], [(0, 2)],
                      [(3, 8), (20, 25)]):
            for side in ("left", "right"):
                direct = side_html([op], side, "plain", [spans])
                general = side_html([op, {"op": "equal", "text": ""}], side, "plain", [spans])
                assert [str(p) for p in direct] == [str(p) for p in general], (op, spans, side)
