"""PDF files written by fpdf2: paragraphs, running furniture, page breaks, hyphens; hostile files."""

from __future__ import annotations

import io
import time
import zlib

import pypdf
import pytest

from tests.documents import RELEASE, STORY, wrapped, write_columns_pdf, write_pdf
from tests.hostile import count
from webapp import sources
from webapp.pipeline import Source, compare, document
from webapp.pipeline.errors import TooLarge
from webapp.sources import DamagedFile, EncryptedFile, ExpandsTooLarge, NoTextLayer
from webapp.sources.pdf import paragraphs

LIMIT = 5_000_000
READ_BUDGET_S = 10.0  # the reader's own budget (pdf.READ_BUDGET_S); hostile files must end well within it
HEADER = "ACME CORPORATION - NEWS RELEASE - FOR IMMEDIATE USE"


def read(data: bytes, name: str = "release.pdf"):
    return document(sources.from_upload(name, data, LIMIT))


def test_paragraphs_come_back_as_written_and_the_running_furniture_is_removed_with_reasons():
    written = [wrapped(t) for t in RELEASE * 4]
    data, pages = write_pdf(written, header=HEADER)
    doc = read(data)
    assert doc.texts == [" ".join(lines) for lines in written]
    removed = {(r.text, r.reason) for r in doc.removed}
    assert (HEADER, "header") in removed
    last = pages[-1][1]
    assert {(f"Page {n} of {last}", "footer") for n in range(1, last + 1)} <= removed
    assert last >= 2


def test_a_paragraph_broken_across_pages_is_one_paragraph():
    written = [wrapped(t * 3) for t in RELEASE * 3]  # long paragraphs: page breaks fall inside them
    data, pages = write_pdf(written, header=HEADER)
    assert any(first != last for first, last in pages), "the test file must break a paragraph across pages"
    assert read(data).texts == [" ".join(lines) for lines in written]


def test_indented_paragraphs_without_spacing_are_told_apart():
    written = [wrapped(t) for t in RELEASE * 3]
    data, _ = write_pdf(written, gap_mm=0, indent="     ")
    assert read(data).texts == [" ".join(lines) for lines in written]


def test_hyphenated_line_ends_are_joined_unless_the_word_is_written_with_a_hyphen():
    written = [["The talks on the inter-", "national treaty took a well-", "known course over the weekend."],
               ["It was a well-known outcome; the delegates left on Sunday evening by train."]]
    data, _ = write_pdf(written, page_numbers=False)
    assert read(data).texts == [
        "The talks on the international treaty took a well-known course over the weekend.",
        "It was a well-known outcome; the delegates left on Sunday evening by train.",
    ]


def test_a_full_last_line_carries_its_sentence_over_the_page_break():
    pages = [["A first paragraph that fills the page to its last line ends.",
              "And this one runs on; its line is as long as the others are."],
             ["and finishes on the next page.", "", "A new paragraph."]]
    assert paragraphs(pages) == [
        "A first paragraph that fills the page to its last line ends. "
        "And this one runs on; its line is as long as the others are. and finishes on the next page.",
        "A new paragraph.",
    ]


@pytest.mark.parametrize("count", [2, 3])
def test_text_columns_are_read_one_after_the_other(count):
    written = [f"{t} {t}" for t in RELEASE + STORY]
    assert read(write_columns_pdf(written, count)).texts == written


def test_a_number_hanging_in_the_margin_does_not_make_every_line_a_paragraph():
    page = ["    The first line of a paragraph that runs on to the next line of",
            "    the page, and on again to a third line of the same paragraph;",
            "12  a line number hangs in the margin here, in front of the text,",
            "    which ends on this last, shorter line."]
    assert paragraphs([page]) == [" ".join(" ".join(line.split()) for line in page)]


def test_the_pdf_title_becomes_the_title():
    data, _ = write_pdf([wrapped(t) for t in RELEASE], title="Acme to open Springfield plant")
    assert read(data).title == "Acme to open Springfield plant"


def test_a_release_and_a_story_as_pdf_compare_like_their_text():
    release_pdf, _ = write_pdf([wrapped(t) for t in RELEASE])  # one page each: no running header to find
    story_pdf, _ = write_pdf([wrapped(t) for t in STORY])
    from_pdf = compare(sources.from_upload("r.pdf", release_pdf, LIMIT), sources.from_upload("s.pdf", story_pdf, LIMIT))
    from_text = compare(Source("\n\n".join(RELEASE), "text"), Source("\n\n".join(STORY), "text"))
    assert [(r.row.kind, r.row.left, r.row.right) for r in from_pdf.rows] == \
           [(r.row.kind, r.row.left, r.row.right) for r in from_text.rows]
    assert from_pdf.left.texts == RELEASE and from_pdf.right.texts == STORY


def test_a_pdf_named_txt_is_still_read_as_a_pdf():
    data, _ = write_pdf([wrapped(RELEASE[0])])
    assert read(data, "release.txt").texts == [RELEASE[0]]


# Hostile and unreadable files: each a typed 4xx that says which, within the time budget.

def pdf_of(objects: list[bytes]) -> bytes:
    """A PDF from object bodies numbered 1.., with a correct cross-reference table."""
    out, offsets = bytearray(b"%PDF-1.7\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


CATALOG = b"<< /Type /Catalog /Pages 2 0 R >>"
ONE_PAGE = b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"


def page(extra: bytes = b"") -> bytes:
    return b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] %s >>" % extra


def million_pages() -> bytes:
    """1,000 page-tree nodes of 1,000 references to one empty page: a million pages in 14 KB."""
    kids = b" ".join([b"4 0 R"] * 1000)
    leaves = b" ".join([b"3 0 R"] * 1000)
    return pdf_of([CATALOG, b"<< /Type /Pages /Kids [%s] /Count 1000000 >>" % kids,
                   b"<< /Type /Page /Parent 4 0 R /MediaBox [0 0 612 792] >>",
                   b"<< /Type /Pages /Parent 2 0 R /Kids [%s] /Count 1000 >>" % leaves])


def deep_arrays() -> bytes:
    return pdf_of([b"<< /Type /Catalog /Pages 2 0 R /X %s%s >>" % (b"[" * 100_000, b"]" * 100_000), ONE_PAGE, page()])


def deep_content() -> bytes:
    nested = b"<< /A " * 50_000 + b"1" + b" >>" * 50_000
    return pdf_of([CATALOG, ONE_PAGE, page(b"/Contents 4 0 R"),
                   b"<< /Length %d >>\nstream\n%s\nendstream" % (len(nested), nested)])


def flate_bomb() -> bytes:
    """A content stream of 180 KB that inflates to 120 MB."""
    bomb = zlib.compress(b"0 0 m " * 20_000_000, 9)
    return pdf_of([CATALOG, ONE_PAGE, page(b"/Contents 4 0 R"),
                   b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream" % (len(bomb), bomb)])


def encrypted(user_password: str) -> bytes:
    data, _ = write_pdf([wrapped(RELEASE[0])])
    writer = pypdf.PdfWriter(clone_from=io.BytesIO(data))
    writer.encrypt(user_password, owner_password="owner-secret", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


GOOD, _ = write_pdf([wrapped(t) for t in RELEASE])


@pytest.mark.parametrize("name,build,error,words", [
    ("a million empty pages", million_pages, ExpandsTooLarge, "page tree"),
    ("arrays nested 100,000 deep", deep_arrays, DamagedFile, "damaged"),
    ("a content stream nested 50,000 deep", deep_content, DamagedFile, "damaged"),
    ("a flate bomb", flate_bomb, ExpandsTooLarge, "limits for one document"),
    ("a password", lambda: encrypted("secret"), EncryptedFile, "password-protected"),
    ("no text layer", lambda: pdf_of([CATALOG, ONE_PAGE, page()]), NoTextLayer, "no text layer"),
    ("the first 10 bytes", lambda: GOOD[:10], DamagedFile, "damaged or truncated"),
    ("half the file", lambda: GOOD[:len(GOOD) // 2], DamagedFile, "damaged or truncated"),
    ("all but the end", lambda: GOOD[:-40], DamagedFile, "damaged or truncated"),
], ids=lambda v: v if isinstance(v, str) and " " in v else "")
def test_hostile_and_unreadable_pdfs_are_a_typed_4xx_in_time(name, build, error, words):
    count("hostile .pdf files tried")
    data = build()
    started = time.monotonic()
    with pytest.raises(error) as caught:
        read(data)
    assert words in caught.value.message
    assert caught.value.status in (415, 422)
    assert time.monotonic() - started < READ_BUDGET_S


def test_a_scan_with_only_page_numbers_in_its_text_layer_has_no_text_layer():
    data, _ = write_pdf([[""] * 30] * 3, header="ACME CORPORATION")  # blank lines: three pages of nothing
    with pytest.raises(NoTextLayer):
        read(data)


def test_a_pdf_encrypted_without_a_user_password_opens():
    assert read(encrypted("")).texts == [RELEASE[0]]


def test_a_pdf_over_the_document_limit_is_a_413():
    with pytest.raises(TooLarge, match="limit is 0.001 MB"):
        sources.from_upload("r.pdf", GOOD, 1_000)
