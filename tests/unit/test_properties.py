"""Properties of the pure pipeline on arbitrary text and HTML (issue #7, hostile input).

- Nothing but a typed CoverdiffError ever escapes sanitize, document, diff or compare.
- Diff ops rebuild both texts exactly, for single diffs and for every compared row.
- Sanitizing the kept paragraphs again keeps them unchanged (idempotence).
- Every paragraph of each side appears in exactly one row of a comparison.
- The same inputs give the same comparison.
"""

from __future__ import annotations

from collections import Counter

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from tests.unit.test_diff import rebuild
from webapp.pipeline import CoverdiffError, Options, Source, compare, document, furniture
from webapp.pipeline.diff import diff_texts
from webapp.pipeline.sanitize import sanitize

# Every Unicode category, control and format characters included; lone surrogates cannot
# come through a request (JSON and form input are decoded to valid str first).
ANY_CHAR = st.characters(blacklist_categories=("Cs",))
ANY_TEXT = st.text(ANY_CHAR, max_size=400)

# No time budget can cut a diff short: the same input must give the same output.
UNHURRIED = Options(diff_timeout_s=0, compare_timeout_s=1e9)

PROPERTY = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
CHEAP = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# --- strategies --------------------------------------------------------------------------------

WORDS = ("the", "council", "said", "on", "Tuesday", "budget", "Reuters", "bridge", "5", "million", "\u201cno\u201d",
         "\"yes\"", "\u2013", "-", "A.", "It", "was", "mayor", "CNN", "reported", "(AP)", "\u00a0", "de", "l\u2019\u00e9t\u00e9",
         "\u0645\u0631\u062d\u0628\u0627", "\u4e2d\u6587", "\U0001f600", "e\u0301", "\u200b", "\ufeff", "\x00", "\x1b[0m",
         "&amp;", "<b>", "Read", "more", "Advertisement", "By", "LONDON", "Copyright", "2024")
word = st.one_of(st.sampled_from(WORDS), st.text(ANY_CHAR, min_size=1, max_size=12))
sentence = st.lists(word, min_size=1, max_size=30).map(" ".join)
paragraph = st.lists(sentence, min_size=1, max_size=4).map(". ".join)
SEPARATORS = st.sampled_from(["\n\n", "\n", "\r\n\r\n", "\n \n", "\n\u00a0\n", "\u2029", "\n\n\n\n", "\f", "\t\n\t\n"])


COMMON = ("a", "of", "and", "to", "in", "that", "for", "with", "city", "vote", "after", "before", "night", "plan",
          "library", "funding", "repairs", "spring", "winter", "residents", "asked", "approved", "officials",
          "would", "not", "comment", "percent", "2023", "$4.5", "Smith", "O'Neill", "week", "road", "new")
article_sentence = st.lists(st.sampled_from(WORDS[:25] + COMMON), min_size=8, max_size=25).map(
    lambda ws: " ".join(ws).capitalize() + ".")
article_paragraph = st.lists(article_sentence, min_size=1, max_size=3).map(" ".join)
article = st.lists(article_paragraph, min_size=2, max_size=10).map("\n\n".join)
article_html = st.lists(article_paragraph, min_size=2, max_size=10).map(
    lambda ps: "<html><body><nav><a href='/'>Home</a></nav><article>" + "".join(f"<p>{p}</p>" for p in ps)
    + "</article><footer>Copyright 2024</footer></body></html>")


@st.composite
def prose(draw) -> str:
    """Paragraphs of words, some shared vocabulary (so rows align), odd separators."""
    paras = draw(st.lists(paragraph, min_size=1, max_size=8))
    out = paras[0]
    for p in paras[1:]:
        out += draw(SEPARATORS) + p
    return out


TAGS = ("p", "div", "article", "main", "section", "span", "b", "i", "a", "br", "h1", "h2", "ul", "li", "ol", "table",
        "tr", "td", "blockquote", "pre", "nav", "header", "footer", "aside", "figure", "figcaption", "time",
        "noscript", "iframe", "template", "svg", "math", "form", "button", "select", "option", "textarea", "title",
        "head", "body", "html", "meta", "img", "hr", "font", "center", "xmp", "plaintext", "x-custom")
RAW_TAGS = ("script", "style", "textarea", "title", "xmp", "noscript")
ATTRS = ("class", "id", "href", "src", "style", "onclick", "onerror", "role", "itemprop", "aria-hidden", "hidden",
         "data-x", "lang", "dir", "content", "name", "property", "datetime", "srcdoc")
ATTR_VALUES = st.one_of(
    st.sampled_from(["article-body", "byline", "nav", "related", "ad", "javascript:alert(1)", "articleBody",
                     "true", "rtl", "og:title", "author", "\"", "'", "<p>", "&quot;", "&#0;", "x y z"]),
    st.text(ANY_CHAR, max_size=20))
ENTITIES = ("&amp;", "&lt;", "&gt;", "&nbsp;", "&quot;", "&#39;", "&#x27;", "&#0;", "&#xD800;", "&#x110000;",
            "&#99999999999;", "&bogus;", "&amp", "&", "&#", "&#x;", "&mdash;", "&rsquo;", "&NotANamedEntity")
JUNK = ("<!-- comment -->", "<!--", "-->", "<!-- <p>hidden</p> -->", "<![CDATA[ cdata ]]>", "<!doctype html>",
        "<?xml version='1.0'?>", "</p>", "</div>", "<//>", "< p>", "<p", "<", ">", "<p/>", "</>", "<br/>",
        "<!>", "<script>", "</script>", "<style>", "</ style>", "<a href=\"x", "\x00", "\ufeff")


def _attrs(draw) -> str:
    out = ""
    for name in draw(st.lists(st.sampled_from(ATTRS), max_size=3)):
        value = draw(ATTR_VALUES)
        quote = draw(st.sampled_from(['"', "'", ""]))
        out += f" {name}={quote}{value}{quote}" if draw(st.booleans()) else f" {name}"
    return out


@st.composite
def html_leaf(draw) -> str:
    return draw(st.one_of(sentence, paragraph, st.sampled_from(ENTITIES), st.sampled_from(JUNK), ANY_TEXT))


@st.composite
def raw_element(draw) -> str:
    tag = draw(st.sampled_from(RAW_TAGS))
    body = draw(st.one_of(sentence, st.sampled_from(["alert(1)", "body{color:red}", "</scr", "<p>not text</p>",
                                                     "<!--", "document.write('<p>x</p>')"])))
    close = draw(st.sampled_from([f"</{tag}>", f"</{tag.upper()}>", ""]))
    return f"<{tag}{_attrs(draw)}>{body}{close}"


def _element(children):
    @st.composite
    def build(draw) -> str:
        tag = draw(st.sampled_from(TAGS))
        inner = "".join(draw(st.lists(children, max_size=5)))
        close = draw(st.sampled_from([f"</{tag}>", f"</{tag}>", f"</{tag}>", "", "</p>", "</div>"]))
        return f"<{tag}{_attrs(draw)}>{inner}{close}"
    return build()


html_fragment = st.recursive(st.one_of(html_leaf(), raw_element()), _element, max_leaves=40)


@st.composite
def html_page(draw) -> str:
    body = "".join(draw(st.lists(html_fragment, min_size=1, max_size=6)))
    if draw(st.booleans()):
        head = "".join(draw(st.lists(st.one_of(raw_element(), st.just("<title>Headline here</title>"),
                                               st.just('<meta property="og:site_name" content="Reuters">')),
                                     max_size=3)))
        body = f"<!doctype html><html><head>{head}</head><body>{body}</body></html>"
    return body


any_input = st.one_of(ANY_TEXT, prose(), html_page(), article, article_html)
kinds = st.sampled_from(["auto", "text", "html"])
sources = st.builds(Source, any_input, kinds)

# --- helpers -------------------------------------------------------------------------------------


def _document(source: Source, options: Options | None = None):
    """document(), or None when it refuses the input with a typed error."""
    try:
        doc = document(source, options)
    except CoverdiffError as exc:
        event(f"document refused: {type(exc).__name__}")
        return None
    event(f"paragraphs: {min(len(doc.paragraphs), 5)}{'+' if len(doc.paragraphs) >= 5 else ''}")
    return doc


def _compare(left: Source, right: Source):
    try:
        result = compare(left, right, UNHURRIED)
    except CoverdiffError as exc:
        event(f"compare refused: {type(exc).__name__}")
        return None
    event(f"rows: {min(len(result.rows), 5)}{'+' if len(result.rows) >= 5 else ''}")
    for kind, n in result.stats.counts.items():
        if n:
            event(f"has {kind} rows")
    return result


# --- no untyped exception ------------------------------------------------------------------------

@CHEAP
@given(sources)
def test_sanitize_and_document_raise_only_typed_errors(source):
    try:
        sanitize(source)
    except CoverdiffError:
        pass
    doc = _document(source)
    if doc is not None:
        assert all(p.text.strip() for p in doc.paragraphs)
        assert [p.index for p in doc.paragraphs] == list(range(len(doc.paragraphs)))


@PROPERTY
@given(sources, sources)
def test_compare_raises_only_typed_errors(left, right):
    try:
        compare(left, right)
    except CoverdiffError:
        pass


# --- diff ops rebuild both texts -----------------------------------------------------------------

@CHEAP
@given(st.one_of(ANY_TEXT, prose()), st.one_of(ANY_TEXT, prose()), st.booleans())
def test_diff_ops_rebuild_both_texts(left, right, ignore_typography):
    ops, coarse = diff_texts(left, right, ignore_typography=ignore_typography, timeout_s=0)
    assert rebuild(ops) == (left, right)
    assert not coarse
    assert all(op.text or op.right_text for op in ops)


@CHEAP
@given(prose(), st.data())
def test_diff_ops_rebuild_an_edited_copy(left, data):
    """Right as a small edit of left: mostly equal ops, typography folded."""
    words = left.split(" ")
    i = data.draw(st.integers(0, len(words) - 1))
    edit = data.draw(st.sampled_from(["drop", "replace", "insert", "quotes"]))
    if edit == "drop":
        words = words[:i] + words[i + 1:]
    elif edit == "replace":
        words[i] = data.draw(word)
    elif edit == "insert":
        words.insert(i, data.draw(word))
    right = " ".join(words)
    if edit == "quotes":
        right = right.replace('"', "\u201c").replace("-", "\u2013")
    ops, _coarse = diff_texts(left, right, timeout_s=0)
    assert rebuild(ops) == (left, right)


# --- sanitize is idempotent ----------------------------------------------------------------------

@CHEAP
@given(st.one_of(prose(), ANY_TEXT, article))
def test_sanitizing_the_kept_paragraphs_again_keeps_them(content):
    """Plain text: the kept paragraphs, sanitized again, are kept as they are."""
    once = _document(Source(content, kind="text"))
    if once is None or not once.paragraphs:
        return
    twice = document(Source("\n\n".join(once.texts), kind="text"))
    assert twice.texts == once.texts


@CHEAP
@given(st.one_of(html_page(), article_html))
def test_sanitizing_an_html_pages_paragraphs_as_text_keeps_them(content):
    """HTML: what the extractor keeps survives a second pass as plain text, except a
    leading heading-like block, which plain text reads as the headline."""
    once = _document(Source(content, kind="html"))
    if once is None or len(once.paragraphs) < 2:
        return
    twice = _document(Source("\n\n".join(once.texts), kind="text"))
    assert twice is not None and set(twice.texts) <= set(once.texts)
    lost = [t for t in once.texts if t not in twice.texts]
    assert all(not furniture.looks_like_sentence(t) for t in lost), lost


# --- compare: rows cover every paragraph once, diffs rebuild rows, deterministic -----------------

@PROPERTY
@given(st.data())
def test_every_paragraph_is_in_exactly_one_row(data):
    left = Source(data.draw(st.one_of(any_input, article, article), "left"), data.draw(kinds, "left kind"))
    if data.draw(st.booleans(), "right is an edit of left"):
        right = Source(_shuffled_edit(data, left.content), left.kind)
    else:
        right = Source(data.draw(any_input, "right"), data.draw(kinds, "right kind"))
    result = _compare(left, right)
    if result is None:
        return
    for side, doc in (("left", result.left), ("right", result.right)):
        seen = Counter(i for r in result.rows for i in getattr(r.row, side))
        assert seen == Counter(range(len(doc.paragraphs))), side
    for r in result.rows:
        assert rebuild(r.diff) == ("\n\n".join(result.left.paragraphs[i].text for i in r.row.left),
                                   "\n\n".join(result.right.paragraphs[j].text for j in r.row.right))
        assert r.row.left or r.row.right
    assert sum(result.stats.counts.values()) == len(result.rows)
    assert 0 <= result.stats.left_covered <= 1 and 0 <= result.stats.right_covered <= 1


def _shuffled_edit(data, content: str) -> str:
    """The same paragraphs reordered, some dropped or edited, some new: what a rewrite does."""
    paras = [p for p in content.split("\n\n") if p]
    paras = data.draw(st.permutations(paras), "order") if len(paras) < 12 else paras
    out = []
    for p in paras:
        action = data.draw(st.sampled_from(["keep", "keep", "drop", "edit", "split"]), "action")
        if action == "keep":
            out.append(p)
        elif action == "edit":
            out.append(p.replace(" the ", " a ", 1) + " " + data.draw(article_sentence, "added"))
        elif action == "split" and ". " in p:
            out.extend(p.split(". ", 1))
    out.append(data.draw(article_paragraph, "new paragraph"))
    return "\n\n".join(out)


@PROPERTY
@given(sources, sources)
def test_the_same_inputs_give_the_same_comparison(left, right):
    first = _compare(left, right)
    second = _compare(left, right)
    assert first == second


@given(st.one_of(ANY_TEXT, st.text(st.characters(max_codepoint=127), max_size=200), prose()))
@CHEAP
def test_fast_word_tokens_are_the_regex_tokens(text):
    import re

    from webapp.pipeline.quotes import word_keys
    from webapp.pipeline.text import words
    assert words(text) == re.findall(r"\w+", text)
    assert word_keys(text) == [__import__("unicodedata").normalize("NFC", w).casefold() for w in re.findall(r"\w+", text)]
