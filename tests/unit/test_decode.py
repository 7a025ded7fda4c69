"""Bytes to text: BOMs, declared charsets, detection, and clear errors."""

import codecs

import pytest

from webapp.pipeline.decode import check_size, declared_encoding, decode
from webapp.pipeline.errors import TooLarge, Undecodable

TEXT = "Café crème, naïve façade — “quoted” 10 €."


def test_empty_bytes_decode_to_empty_text():
    assert decode(b"") == ""


def test_plain_utf8():
    assert decode(TEXT.encode("utf-8")) == TEXT


@pytest.mark.parametrize("bom, encoding", [
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
])
def test_bom_decides_and_is_dropped(bom, encoding):
    assert decode(bom + TEXT.encode(encoding)) == TEXT


def test_bom_wins_over_a_declaration():
    page = '<meta charset="windows-1252"><p>Café</p>'
    assert decode(codecs.BOM_UTF8 + page.encode("utf-8")) == page


def test_utf8_bom_with_invalid_utf8_is_undecodable():
    with pytest.raises(Undecodable, match="utf-8"):
        decode(codecs.BOM_UTF8 + b"caf\xe9 au lait")


def test_utf16_without_bom_is_recognised():
    page = "<html><body><p>Hello, world. Plain ASCII in UTF-16.</p></body></html>"
    assert decode(page.encode("utf-16-le")) == page
    assert decode(page.encode("utf-16-be")) == page


@pytest.mark.parametrize("declaration", [
    '<meta charset="windows-1252">',
    "<meta charset=windows-1252>",
    '<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">',
])
def test_declared_windows_1252(declaration):
    page = f"<html><head>{declaration}</head><body><p>{TEXT}</p></body></html>"
    assert decode(page.encode("cp1252")) == page


def test_declared_latin1_means_windows_1252():
    page = '<meta charset="iso-8859-1"><p>It\x92s \x93quoted\x94</p>'.encode("latin-1")
    assert "It’s “quoted”" in decode(page)


def test_declared_latin1_but_valid_utf8_is_read_as_utf8():
    page = f'<meta charset="iso-8859-1"><p>{TEXT}</p>'
    assert decode(page.encode("utf-8")) == page


def test_declared_shift_jis():
    page = '<html><head><meta charset="shift_jis"></head><body><p>東京で会議が開かれた。</p></body></html>'
    assert decode(page.encode("shift_jis")) == page


def test_xml_declaration():
    page = '<?xml version="1.0" encoding="ISO-8859-15"?><p>Prix : 10 €</p>'
    assert decode(page.encode("iso-8859-15")) == page


def test_declared_utf16_in_an_ascii_file_means_utf8():
    page = f'<meta charset="utf-16"><p>{TEXT}</p>'
    assert decode(page.encode("utf-8")) == page


def test_unknown_declared_charset_falls_back_to_utf8():
    page = f'<meta charset="no-such-charset"><p>{TEXT}</p>'
    assert decode(page.encode("utf-8")) == page
    assert declared_encoding(page.encode("utf-8")) is None


def test_wrong_declaration_falls_back_to_utf8():
    page = f'<meta charset="shift_jis"><p>{TEXT}</p>'.encode()
    # not valid Shift_JIS, valid UTF-8
    assert decode(page) == page.decode("utf-8")


def test_undeclared_legacy_text_is_detected():
    text = ("Le gouvernement a annoncé mercredi une réforme des retraites très contestée "
            "par les syndicats, qui préparent déjà une nouvelle journée de grève. ") * 5
    assert decode(text.encode("cp1252")) == text


@pytest.mark.parametrize("data, what", [
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
    (b"PK\x03\x04\x14\x00\x06\x00", "ZIP"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG"),
    (b"\xff\xd8\xff\xe0\x00\x10JFIF", "JPEG"),
])
def test_known_binary_formats_are_named(data, what):
    with pytest.raises(Undecodable, match=what):
        decode(data)


def test_binary_with_control_bytes_is_undecodable():
    with pytest.raises(Undecodable, match="binary"):
        decode(bytes(range(256)) * 4)


def test_undecodable_is_a_user_error():
    with pytest.raises(Undecodable) as info:
        decode(b"\x00\x01\x02\x03garbage")
    assert info.value.status == 415 and info.value.message


def test_size_limit():
    check_size(10, 10)
    with pytest.raises(TooLarge, match="limit is"):
        decode(b"x" * 11, limit=10)


def test_undeclared_shift_jis_is_detected():
    text = "東京で国際会議が開かれ、各国の代表が気候変動への対策について議論した。" * 4
    assert decode(text.encode("shift_jis")) == text


def test_invalid_utf8_without_declaration_still_decodes():
    data = "Caf\u00e9 ".encode() + b"na\xefve fa\xe7ade, r\xe9sum\xe9 and more words here."
    text = decode(data)
    assert text.startswith("Caf") and "words here." in text


@pytest.mark.parametrize("declaration", ["", '<meta charset="utf-8">'])
def test_utf8_page_with_one_bad_byte_keeps_its_utf8_text(declaration):
    # One stray byte in a long UTF-8 page (a truncated copy, a bad splice) must not turn every
    # "é" into "Ã©": browsers read such a page as UTF-8 with one replacement character.
    body = f"<p>{TEXT}</p>" * 40
    data = (declaration + body).encode() + b"<p>stray \xff byte</p>" + body.encode()
    text = decode(data)
    assert text.count("Café crème") == 80
    assert "Ã" not in text
    assert "stray \ufffd byte" in text
