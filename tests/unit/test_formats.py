"""Which reader a file goes to, and text decoding with a charset from HTTP."""

from __future__ import annotations

import pytest

from webapp.pipeline.errors import Undecodable
from webapp.sources import UnsupportedFormat
from webapp.sources.formats import decode_text, format_of


@pytest.mark.parametrize("name,data,fmt", [
    ("a.txt", b"plain", "text"), ("a.MD", b"# x", "text"), ("a.html", b"<p>x", "html"), ("a.htm", b"<p>x", "html"),
    ("a.docx", b"PK\x03\x04....", "docx"), ("a.pdf", b"%PDF-1.7", "pdf"), ("a.txt", b"%PDF-1.4", "pdf"),
    ("noext", b"some text", "auto"), ("a.csv", b"a,b", "auto"),
])
def test_format_of_files(name, data, fmt):
    assert format_of(name, data) == fmt


@pytest.mark.parametrize("name", ["a.doc", "a.odt", "a.rtf", "a.pages"])
def test_other_office_formats_are_refused_with_what_to_do(name):
    with pytest.raises(UnsupportedFormat, match="save the document as .docx, .pdf or .txt"):
        format_of(name, b"\xd0\xcf\x11\xe0 anything")


def test_an_http_latin1_label_reads_windows_1252_bytes():
    assert decode_text("\u201cquoted\u201d caf\u00e9".encode("cp1252"), 1000, "ISO-8859-1") == "\u201cquoted\u201d caf\u00e9"


def test_an_http_latin1_label_on_utf8_bytes_reads_utf8():
    assert decode_text("caf\u00e9 \u2014 na\u00efve".encode(), 1000, "iso-8859-1") == "caf\u00e9 \u2014 na\u00efve"


def test_the_http_charset_comes_before_the_meta_declaration():
    data = '<meta charset="utf-8"><p>\u0416\u0443\u0440\u043d\u0430\u043b</p>'.encode("koi8-r")
    assert "\u0416\u0443\u0440\u043d\u0430\u043b" in decode_text(data, 1000, "koi8-r")


def test_a_byte_order_mark_wins_over_the_http_charset():
    assert decode_text("caf\u00e9".encode("utf-16"), 1000, "ascii") == "caf\u00e9"


def test_a_wrong_http_charset_falls_back_to_what_the_bytes_say():
    text = "Le caf\u00e9 de la gare a rouvert ses portes apr\u00e8s trois mois de travaux."
    assert decode_text(text.encode("cp1252"), 1000, "utf-8") == text


def test_binary_bytes_are_refused_whatever_the_label():
    with pytest.raises(Undecodable):
        decode_text(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), 10_000, "windows-1252")


def test_the_users_kind_overrides_a_text_files_name_but_not_a_pdf():
    from webapp import sources

    assert sources.from_upload("page.html", b"<p>shown as text</p>", 1000, kind="text").kind == "text"
    assert sources.from_upload("notes.txt", b"<p>x</p><p>y</p>", 1000).kind == "text"
    assert sources.from_upload("notes.txt", b"<p>x</p><p>y</p>", 1000, kind="html").kind == "html"
