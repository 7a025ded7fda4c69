"""Fetching links from real HTTP servers on 127.0.0.x: what is read, what is refused,
and that refused addresses get no connection at all (each server counts them)."""

from __future__ import annotations

from datetime import datetime

import pytest

from tests.hostile import count
from tests.sites import Page, Site, drip
from webapp import sources
from webapp.pipeline import document
from webapp.pipeline.errors import TooLarge
from webapp.sources import Allowlist, FetchFailed, FetchSettings, HttpFetcher, UnsupportedFormat, UrlRefused

STORY = ("<html><head><title>Bridge reopens</title></head><body><article>"
         "<h1>Bridge reopens after repairs</h1>"
         "<p>The river bridge reopened on Monday after six months of repairs, the city said.</p>"
         "<p>Caf\u00e9 owners near the bridge welcomed the news.</p></article></body></html>")


@pytest.fixture
def site():
    s = Site("127.0.0.1")
    yield s
    s.close()


@pytest.fixture
def other():
    """A second server on another loopback address, never allowlisted."""
    s = Site("127.0.0.2")
    yield s
    s.close()


@pytest.fixture(autouse=True)
def _count(request):
    yield
    if "refused" in request.node.name:
        count("refused links tried")


def settings(**overrides) -> FetchSettings:
    base = {"allow": Allowlist.parse("127.0.0.1"), "connect_timeout_s": 2.0, "read_timeout_s": 2.0,
            "total_timeout_s": 5.0}
    return FetchSettings(**{**base, **overrides})


def test_a_page_is_fetched_with_its_metadata_and_decoded_by_its_http_charset(site):
    site.pages["/story"] = Page(STORY.encode("latin-1"), headers={"Content-Type": "text/html; charset=ISO-8859-1"})
    fetched = sources.fetch(site.url("/story"), settings())
    assert (fetched.final_url, fetched.status, fetched.content_type) == (site.url("/story"), 200, "text/html")
    assert datetime.fromisoformat(fetched.fetched_at).tzinfo is not None
    doc = document(sources.from_fetched(fetched, 5_000_000))
    assert doc.title == "Bridge reopens after repairs"
    assert doc.texts[1] == "Caf\u00e9 owners near the bridge welcomed the news."
    assert site.connections == 1


def test_the_connection_goes_to_the_checked_address_with_the_host_name_kept(site):
    """news.test exists in no DNS: the fetch can only reach the server through the pinned address."""
    calls = []

    def resolve(host, port):
        calls.append(host)
        return ["127.0.0.1"]

    site.pages["/story"] = Page(STORY.encode())
    fetcher = HttpFetcher(settings(), resolve=resolve)
    fetched = fetcher.fetch(f"http://news.test:{site.port}/story")
    assert fetched.final_url == f"http://news.test:{site.port}/story"
    assert site.requests == [("/story", f"news.test:{site.port}")]
    assert calls == ["news.test"]


def test_a_second_dns_answer_cannot_move_the_connection(site, other):
    """DNS rebinding: the name resolves to an allowed address, then to a refused one.
    The first hop connects to the address checked; the redirect hop is checked anew and refused."""
    answers = iter([["127.0.0.1"], ["127.0.0.2"]])
    site.pages["/a"] = Page(status=302, headers={"Location": "/b"})
    fetcher = HttpFetcher(settings(), resolve=lambda host, port: next(answers))
    with pytest.raises(UrlRefused, match="loopback"):
        fetcher.fetch(f"http://rebind.test:{site.port}/a")
    assert (site.connections, other.connections) == (1, 0)


@pytest.mark.parametrize("spelling", [
    "127.0.0.1", "2130706433", "0x7f.1", "0177.0.0.1", "127.1", "[::ffff:127.0.0.1]", "localhost",
])
def test_loopback_in_any_spelling_is_refused_without_a_connection(site, spelling):
    with pytest.raises(UrlRefused) as caught:
        sources.fetch(f"http://{spelling}:{site.port}/", settings(allow=Allowlist()))
    assert "loopback address" in caught.value.message and caught.value.status == 422
    assert site.connections == 0


def test_ipv6_loopback_is_refused_without_a_connection():
    site = Site("::1")
    try:
        with pytest.raises(UrlRefused, match="loopback"):
            sources.fetch(site.url("/"), settings())
        assert site.connections == 0
    finally:
        site.close()


@pytest.mark.parametrize("url,words", [
    ("ftp://127.0.0.1:{port}/", "Only http and https"),
    ("http://user:secret@127.0.0.1:{port}/", "user name or password"),
])
def test_scheme_and_credentials_are_refused_even_for_allowed_hosts(site, url, words):
    with pytest.raises(UrlRefused, match=words):
        sources.fetch(url.format(port=site.port), settings())
    assert site.connections == 0


@pytest.mark.parametrize("target,reason", [
    ("http://127.0.0.2:{other}/secret", "loopback"),
    ("http://10.0.0.1/", "private"),
    ("http://169.254.169.254/latest/meta-data/", "link-local"),
    ("http://[fe80::1]/", "link-local"),
    ("http://224.0.0.1/", "multicast"),
    ("http://240.0.0.1/", "reserved"),
    ("http://0.0.0.0:{other}/", "unspecified"),
    ("http://[::ffff:127.0.0.2]:{other}/", "IPv4-embedded loopback"),
    ("file:///etc/passwd", "Only http and https"),
    ("http://admin:pw@127.0.0.1:{port}/", "user name or password"),
])
def test_a_redirect_from_an_allowed_site_to_a_refused_address_is_refused(site, other, target, reason):
    site.pages["/go"] = Page(status=302, headers={"Location": target.format(other=other.port, port=site.port)})
    with pytest.raises(UrlRefused) as caught:
        sources.fetch(site.url("/go"), settings())
    assert reason in caught.value.message
    assert (site.connections, other.connections) == (1, 0)


def test_redirects_are_followed_up_to_five_and_recorded(site):
    for i in range(5):
        site.pages[f"/r{i}"] = Page(status=301 if i % 2 else 307, headers={"Location": f"/r{i + 1}"})
    site.pages["/r5"] = Page(STORY.encode())
    fetched = sources.fetch(site.url("/r0"), settings())
    assert fetched.final_url == site.url("/r5")
    assert fetched.redirects == tuple(site.url(f"/r{i}") for i in range(1, 6))
    assert fetched.url == site.url("/r0")


def test_a_sixth_redirect_is_refused_after_six_requests(site):
    for i in range(7):
        site.pages[f"/r{i}"] = Page(status=302, headers={"Location": f"/r{i + 1}"})
    with pytest.raises(FetchFailed, match="more than 5 times"):
        sources.fetch(site.url("/r0"), settings())
    assert [path for path, _ in site.requests] == [f"/r{i}" for i in range(6)]


def test_a_body_past_the_document_limit_is_refused_by_its_declared_length(site):
    site.pages["/big"] = Page(b"x" * 200_000, headers={"Content-Type": "text/plain"})
    with pytest.raises(TooLarge) as caught:
        sources.fetch(site.url("/big"), settings(max_bytes=100_000))
    assert "limit is 0.1 MB" in caught.value.message and caught.value.status == 413


def test_a_body_without_a_length_is_cut_at_the_document_limit(site):
    site.pages["/stream"] = Page(headers={"Content-Type": "text/plain"}, write=drip(b"y" * 10_000, 100, 0))
    with pytest.raises(TooLarge, match="limit is 0.1 MB"):
        sources.fetch(site.url("/stream"), settings(max_bytes=100_000))


def test_a_slow_drip_ends_at_the_total_deadline(site):
    site.pages["/slow"] = Page(headers={"Content-Type": "text/plain"}, write=drip(b"z", 40, 0.05))
    with pytest.raises(FetchFailed, match="took longer than 0.5 s"):
        sources.fetch(site.url("/slow"), settings(total_timeout_s=0.5))


def test_a_server_that_does_not_answer_times_out_in_words(site):
    site.pages["/mute"] = Page(headers={"Content-Type": "text/plain"}, write=drip(b"", 1, 1.0))
    site.pages["/mute"].headers["Content-Length"] = "10"
    with pytest.raises(FetchFailed, match="did not answer in time"):
        sources.fetch(site.url("/mute"), settings(read_timeout_s=0.3))


@pytest.mark.parametrize("content_type", ["image/png", "application/json", "video/mp4"])
def test_other_content_types_are_a_415(site, content_type):
    site.pages["/x"] = Page(b"\x89PNG....", headers={"Content-Type": content_type})
    with pytest.raises(UnsupportedFormat) as caught:
        sources.fetch(site.url("/x"), settings())
    assert content_type in caught.value.message and caught.value.status == 415


def test_an_error_status_is_refused_with_the_status(site):
    with pytest.raises(FetchFailed, match="404 Not Found") as caught:
        sources.fetch(site.url("/missing"), settings())
    assert caught.value.status == 422


def test_a_closed_port_is_a_connection_failure_in_words():
    closed = Site("127.0.0.1")
    url = closed.url("/")
    closed.close()
    with pytest.raises(FetchFailed, match="Could not connect"):
        sources.fetch(url, settings())


def test_settings_come_from_the_app_config():
    config = {"MAX_DOCUMENT_BYTES": 1234, "FETCH_ALLOW": "10.0.0.0/8, intranet.example", "FETCH_READ_TIMEOUT_S": "3"}
    s = FetchSettings.from_config(config)
    assert (s.max_bytes, s.read_timeout_s, s.allow.hosts) == (1234, 3.0, frozenset({"intranet.example"}))
    assert s.max_redirects == 5


def test_a_pdf_link_is_read_even_when_served_as_octet_stream(site):
    from tests.documents import RELEASE, wrapped, write_pdf

    data, _ = write_pdf([wrapped(t) for t in RELEASE])
    site.pages["/release"] = Page(data, headers={"Content-Type": "application/octet-stream"})
    fetched = sources.fetch(site.url("/release"), settings())
    assert fetched.format == "pdf"
    assert document(sources.from_fetched(fetched, 5_000_000)).texts == RELEASE


def test_a_plain_text_link_is_read_as_text(site):
    site.pages["/t.txt"] = Page(b"First line of the note.\n\nSecond paragraph.", headers={"Content-Type": "text/plain"})
    source = sources.from_fetched(sources.fetch(site.url("/t.txt"), settings()), 5_000_000)
    assert (source.kind, document(source).texts) == ("text", ["First line of the note.", "Second paragraph."])


def test_a_gzip_bomb_sent_against_the_request_is_cut_at_the_document_limit(site):
    import gzip

    bomb = gzip.compress(b"<p>" + b"a" * 50_000_000, 9)
    site.pages["/bomb"] = Page(bomb, headers={"Content-Type": "text/html", "Content-Encoding": "gzip"})
    with pytest.raises(TooLarge, match="limit is 1 MB"):
        sources.fetch(site.url("/bomb"), settings(max_bytes=1_000_000))


def test_a_gzip_answer_within_the_limit_is_inflated(site):
    import gzip

    site.pages["/z"] = Page(gzip.compress(STORY.encode()), headers={"Content-Type": "text/html", "Content-Encoding": "gzip"})
    fetched = sources.fetch(site.url("/z"), settings())
    assert fetched.data == STORY.encode()


def test_a_fetch_record_keeps_what_is_shown_and_reads_back(site):
    site.pages["/s"] = Page(STORY.encode())
    record = sources.fetch(site.url("/s"), settings()).record()
    assert sources.FetchRecord.from_dict(record.as_dict()) == record
    at = datetime.fromisoformat(record.fetched_at)
    assert record.when == f"{at.day} {at:%b %Y, %H:%M:%S} UTC"


def test_a_name_that_takes_too_long_to_look_up_is_refused_in_words(site):
    import threading

    release = threading.Event()

    def stuck(host, port):
        release.wait(5)
        return ["127.0.0.1"]

    fetcher = HttpFetcher(settings(connect_timeout_s=0.2), resolve=stuck)
    try:
        with pytest.raises(FetchFailed, match="could not be looked up within 0.2 s"):
            fetcher.fetch(f"http://slow-dns.test:{site.port}/")
    finally:
        release.set()
    assert site.connections == 0
