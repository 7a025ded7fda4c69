"""The address guard: every refused class of link, and what the allowlist admits."""

from __future__ import annotations

import pytest

from webapp.sources.errors import InvalidUrl, UrlRefused
from webapp.sources.guard import Allowlist, check_url


def resolver(table: dict[str, list[str]]):
    """A resolver answering from a table (the guard takes any resolver; DNS is not used)."""
    def resolve(host: str, port: int) -> list[str]:
        return table.get(host, [])
    return resolve


PUBLIC = resolver({"news.example": ["93.184.215.14"]})


@pytest.mark.parametrize("url,reason", [
    ("http://127.0.0.1/", "loopback"),
    ("http://127.8.9.10:8080/x", "loopback"),
    ("http://[::1]/", "loopback"),
    ("http://10.1.2.3/", "private"),
    ("http://172.16.0.1/", "private"),
    ("http://192.168.1.1/", "private"),
    ("http://[fd00::1]/", "private"),
    ("http://169.254.169.254/latest/meta-data/", "link-local"),
    ("http://[fe80::1]/", "link-local"),
    ("http://224.0.0.1/", "multicast"),
    ("http://[ff02::1]/", "multicast"),
    ("http://240.0.0.1/", "reserved"),
    ("http://0.0.0.0/", "unspecified"),
    ("http://[::]/", "unspecified"),
    ("http://100.64.0.1/", "non-public"),  # carrier-grade NAT (shared address space)
    ("http://[::ffff:127.0.0.1]/", "IPv4-embedded loopback"),
    ("http://[::ffff:10.0.0.1]/", "IPv4-embedded private"),
    ("http://[2002:7f00:1::]/", "IPv4-embedded loopback"),  # 6to4 of 127.0.0.1
    ("http://[64:ff9b::a9fe:a9fe]/", "IPv4-embedded link-local"),  # NAT64 of 169.254.169.254
    ("http://2130706433/", "loopback"),  # decimal 127.0.0.1
    ("http://0177.0.0.1/", "loopback"),  # octal
    ("http://0x7f.1/", "loopback"),  # hexadecimal, short form
    ("http://127.1/", "loopback"),
    ("http://0/", "unspecified"),
    ("http://0x7f000001/", "loopback"),
    ("http://[::ffff:7f00:1]/", "IPv4-embedded loopback"),  # the mapped form in hex
    ("http://127\u30020\u30020\u30021/", "loopback"),  # ideographic full stops, mapped to dots by IDNA
    ("http://[fec0::1]/", "site-local"),
    ("http://[64:ff9b:1::a00:1]/", "reserved"),  # local-use NAT64 (RFC 8215), inside ::/8
    ("http://[2001:db8::1]/", "private"),  # documentation
    ("http://198.18.0.1/", "private"),  # benchmarking
])
def test_refused_addresses_say_which_class(url, reason):
    with pytest.raises(UrlRefused) as caught:
        check_url(url, resolve=PUBLIC)
    assert f"{reason} address" in caught.value.message
    assert caught.value.status == 422


@pytest.mark.parametrize("url,words", [
    ("ftp://news.example/file", "Only http and https"),
    ("file:///etc/passwd", "Only http and https"),
    ("javascript:alert(1)", "Only http and https"),
    ("gopher://news.example/", "Only http and https"),
    ("news.example/story", "Only http and https"),
    ("http://user:secret@news.example/", "user name or password"),
    ("http://user@news.example/", "user name or password"),
    ("https://news.example@127.0.0.1/", "user name or password"),
    ("http://127.0.0.1:80@news.example/", "user name or password"),
])
def test_refused_schemes_and_credentials(url, words):
    with pytest.raises(UrlRefused) as caught:
        check_url(url, resolve=PUBLIC)
    assert words in caught.value.message


@pytest.mark.parametrize("url", ["", "   ", "http://", "http://[::1/", "http://exa mple.com/", "http://" + "a" * 3000,
                                 "http://%31%32%37.0.0.1/", "http:/\\127.0.0.1/", "http://\u2460\u2461\u2466.0.0.1/"])
def test_text_that_is_not_a_url_is_a_400(url):
    with pytest.raises((InvalidUrl, UrlRefused)) as caught:
        check_url(url, resolve=PUBLIC)
    assert caught.value.status in (400, 422)


def test_a_name_resolving_to_a_private_address_is_refused_with_both_named():
    resolve = resolver({"intranet.example": ["10.0.0.7"]})
    with pytest.raises(UrlRefused) as caught:
        check_url("https://intranet.example/wiki", resolve=resolve)
    assert "intranet.example (10.0.0.7)" in caught.value.message
    assert "private address" in caught.value.message


def test_one_private_answer_among_public_ones_refuses_the_name():
    resolve = resolver({"mixed.example": ["93.184.215.14", "127.0.0.1"]})
    with pytest.raises(UrlRefused, match="loopback"):
        check_url("http://mixed.example/", resolve=resolve)


def test_a_public_name_is_admitted_with_its_checked_address():
    target = check_url("https://News.Example/a/b?c=1", resolve=PUBLIC)
    assert (target.host, target.port, str(target.address)) == ("news.example", 443, "93.184.215.14")
    assert str(target.url) == "https://news.example/a/b?c=1"


def test_international_names_are_checked_in_their_ascii_form():
    resolve = resolver({"xn--r8jz45g.jp": ["93.184.215.14"]})
    assert check_url("http://例え.jp/", resolve=resolve).host == "xn--r8jz45g.jp"


def test_allowlist_admits_listed_networks_and_hosts_only():
    allow = Allowlist.parse("127.0.0.1, intranet.example 10.9.0.0/16")
    resolve = resolver({"intranet.example": ["10.0.0.7"], "other.example": ["10.0.0.8"]})
    assert str(check_url("http://127.0.0.1:8000/", allow).address) == "127.0.0.1"
    assert str(check_url("http://2130706433:8000/", allow).address) == "127.0.0.1"  # same address, other spelling
    assert str(check_url("http://intranet.example/", allow, resolve).address) == "10.0.0.7"
    assert str(check_url("http://10.9.4.4/", allow).address) == "10.9.4.4"
    for refused in ("http://127.0.0.2/", "http://other.example/", "http://10.8.0.1/", "http://[::1]/"):
        with pytest.raises(UrlRefused):
            check_url(refused, allow, resolve)


def test_allowlist_entries_from_a_json_setting():
    assert Allowlist.parse(["127.0.0.1", "intranet.example"]) == Allowlist.parse("127.0.0.1 intranet.example")
    assert Allowlist.parse(None) == Allowlist() == Allowlist.parse("")
