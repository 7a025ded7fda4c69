"""Word files written by python-docx: paragraphs, headers and footers; zip bombs and damage."""

from __future__ import annotations

import io
import struct
import time
import zipfile

import docx
import pytest

from tests.documents import RELEASE, STORY, write_docx
from tests.hostile import count
from webapp import sources
from webapp.pipeline import Source, compare, document
from webapp.pipeline.errors import TooLarge
from webapp.sources import DamagedFile, ExpandsTooLarge, UnsupportedFormat

LIMIT = 5_000_000
# CPU seconds (not wall time, which a loaded machine stretches): a hostile file must be refused
# well within one request's budget; the slowest, 200,000 paragraphs deep, takes ~1.9 s of CPU
TIME_BUDGET_S = 10.0


def read(data: bytes, name: str = "release.docx"):
    return document(sources.from_upload(name, data, LIMIT))


def test_paragraphs_title_and_removed_header_and_footer():
    data = write_docx(RELEASE, title="Acme to open Springfield plant", header="ACME CORPORATION - NEWS RELEASE",
                      footer="Press office: +1 555 0100")
    doc = read(data)
    assert doc.title == "Acme to open Springfield plant"
    assert doc.texts == RELEASE
    removed = {(r.text, r.reason) for r in doc.removed}
    assert {("ACME CORPORATION - NEWS RELEASE", "header"), ("Press office: +1 555 0100", "footer")} <= removed


def test_words_title_style_is_the_title_and_tables_and_lists_are_paragraphs():
    document_ = docx.Document()
    document_.add_heading("Acme to open Springfield plant", level=0)  # Word's "Title" style
    document_.add_paragraph(RELEASE[0])
    table = document_.add_table(rows=1, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Jobs: 1,200", "Cost: $2.4 billion"
    document_.add_paragraph(RELEASE[1], style="List Bullet")
    out = io.BytesIO()
    document_.save(out)
    doc = read(out.getvalue())
    assert doc.title == "Acme to open Springfield plant"
    assert doc.texts == [RELEASE[0], "Jobs: 1,200", "Cost: $2.4 billion", RELEASE[1]]


def test_a_release_and_a_story_as_docx_compare_like_their_text():
    left = sources.from_upload("r.docx", write_docx(RELEASE), LIMIT)
    right = sources.from_upload("s.docx", write_docx(STORY), LIMIT)
    from_docx = compare(left, right)
    from_text = compare(Source("\n\n".join(RELEASE), "text"), Source("\n\n".join(STORY), "text"))
    assert [(r.row.kind, r.row.left, r.row.right) for r in from_docx.rows] == \
           [(r.row.kind, r.row.left, r.row.right) for r in from_text.rows]


def test_markup_in_the_text_stays_text():
    doc = read(write_docx(["<script>alert(1)</script> and <b>bold</b> are words here."]))
    assert doc.texts == ["<script>alert(1)</script> and <b>bold</b> are words here."]


def members_of(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {name: z.read(name) for name in z.namelist()}


def zipped(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, content in members.items():
            z.writestr(name, content)
    return out.getvalue()


def zip_bomb() -> bytes:
    """A real Word file plus one 200 MB part of zeros (200 KB compressed)."""
    return zipped({**members_of(write_docx(RELEASE)), "word/bomb.xml": b"\0" * 200_000_000})


def lying_directory() -> bytes:
    """document.xml inflates to 50 MB but the central directory says 2,000 bytes."""
    members = members_of(write_docx(RELEASE))
    members["word/document.xml"] = members["word/document.xml"].replace(b"</w:body>", b" " * 50_000_000 + b"</w:body>")
    data = bytearray(zipped(members))
    at = data.index(b"PK\x01\x02")  # the first central directory entry
    while True:
        name_length = struct.unpack_from("<H", data, at + 28)[0]
        if data[at + 46:at + 46 + name_length] == b"word/document.xml":
            struct.pack_into("<I", data, at + 24, 2_000)
            break
        extra, comment = struct.unpack_from("<HH", data, at + 30)
        at += 46 + name_length + extra + comment
    return bytes(data)


def with_body(xml_of) -> bytes:
    """The good file with its document.xml changed by `xml_of(document_xml)`."""
    members = members_of(GOOD)
    return zipped({**members, "word/document.xml": xml_of(members["word/document.xml"])})


def deep_paragraphs(xml: bytes) -> bytes:
    return xml.replace(b"</w:body>", b"<w:p>" * 200_000 + b"</w:p>" * 200_000 + b"</w:body>")


def billion_laughs(xml: bytes) -> bytes:
    """Entities that expand tenfold nine times over: a billion "lol"s from 1 KB."""
    entities = b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1)) * 10) for i in range(1, 10))
    body = xml[xml.index(b"<w:document"):].replace(b"</w:body>", b"<w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body>")
    return b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY lol0 "lol">' + entities + b"]>" + body


def many_members() -> bytes:
    return zipped({**members_of(write_docx(RELEASE)), **{f"customXml/item{i}.xml": b"" for i in range(3_000)}})


GOOD = write_docx(RELEASE)


@pytest.mark.parametrize("name,build,error,words", [
    ("a zip bomb", zip_bomb, ExpandsTooLarge, "unpacks to 200."),
    ("a central directory that lies", lying_directory, DamagedFile, "damaged"),
    ("3,000 parts", many_members, ExpandsTooLarge, "parts"),
    ("paragraphs nested 200,000 deep", lambda: with_body(deep_paragraphs), DamagedFile, "damaged"),
    ("a billion laughs", lambda: with_body(billion_laughs), DamagedFile, "damaged"),
    ("the first 100 bytes", lambda: GOOD[:100], DamagedFile, "damaged or truncated"),
    ("half the file", lambda: GOOD[:len(GOOD) // 2], DamagedFile, "damaged or truncated"),
    ("a zip that is not Word", lambda: zipped({"content.xml": b"<x/>"}), UnsupportedFormat, "not a Word document"),
    ("a broken document.xml", lambda: zipped({**members_of(GOOD), "word/document.xml": b"<w:document"}),
     DamagedFile, "damaged"),
], ids=lambda v: v if isinstance(v, str) and " " in v else "")
def test_hostile_and_damaged_docx_are_a_typed_4xx_in_time(name, build, error, words):
    count("hostile .docx files tried")
    data = build()
    started = time.process_time()
    with pytest.raises(error) as caught:
        read(data)
    assert words in caught.value.message
    assert caught.value.status in (415, 422)
    assert time.process_time() - started < TIME_BUDGET_S


def test_a_bomb_is_refused_from_the_directory_before_anything_is_inflated(monkeypatch):
    def no_inflating(*args, **kwargs):
        raise AssertionError("a member was opened")
    data = zip_bomb()
    monkeypatch.setattr(zipfile.ZipFile, "open", no_inflating)
    with pytest.raises(ExpandsTooLarge):
        read(data)


def test_old_word_files_are_a_415_that_says_what_to_do():
    with pytest.raises(UnsupportedFormat, match="save the document as .docx"):
        sources.from_upload("minutes.doc", b"\xd0\xcf\x11\xe0" + b"\0" * 100, LIMIT)


def test_a_docx_over_the_document_limit_is_a_413():
    with pytest.raises(TooLarge):
        sources.from_upload("r.docx", GOOD, 1_000)
