"""The per-worker response cache stays bounded and cannot be poisoned (issue 14).

Memory: every entry is accounted with its key and headers, entries are bounded in number, and
queries that can only repeat an answer (unknown parameters, repeated keys, "/rows/١", "/rows/01")
make no new entries. Poisoning: absolute URLs come from PUBLIC_URL, and without it the cache
keys on the host, so a forged Host header only ever reaches the one who sent it.
"""

from __future__ import annotations

import gc
import math
import re
import resource
import tracemalloc

import pytest
from bs4 import BeautifulSoup

from tests.hostile import count
from webapp import create_app

EVIL = "evil.example"
PUBLIC = "https://coverdiff.example.org"


def make(tmp_path, **config):
    app = create_app({"TESTING": True, "DATABASE": str(tmp_path / "c.sqlite3"), "RATE_LIMIT": "", **config})
    return app, app.test_client(), app.extensions["coverdiff.response_cache"]


def stored_id(client) -> str:
    body = {"left": {"text": "One.\n\nThe council met on Monday to vote.\n\nThree."},
            "right": {"text": "One.\n\nThe council met on Tuesday to vote.\n\nThree!"}}
    return client.post("/api/comparisons", json=body).get_json()["id"]


def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * resource.getpagesize() / 1e6


def test_thirty_thousand_cache_busting_requests_keep_the_cache_bounded(tmp_path):
    app, client, cache = make(tmp_path, RESPONSE_CACHE_BYTES=4_000_000, RESPONSE_CACHE_ENTRIES=1_000)
    cid = stored_id(client)
    gc.collect()
    before = rss_mb()
    sent = statuses_500 = 0
    for k in range(20_000):  # distinct, valid themes: each a genuinely different answer
        statuses_500 += client.get(f"/embed/theme.css?bg=%23{k:06x}&fg=%23{k:06x}").status_code >= 500
        sent += 1
    entries_after_distinct = len(cache.items)
    for k in range(8_000):  # only duplicates: repeated keys, unknown parameters
        url = f"/embed/theme.css?bg=%23000001&bg=%23{k:06x}" if k % 2 else f"/c/{cid}?show=all&bust={k}"
        statuses_500 += client.get(url).status_code >= 500
        sent += 1
    for k in range(2_000):  # other spellings of row numbers and starts
        url = (f"/c/{cid}/rows/{'0' * (k % 5 + 1)}1" if k % 2 else f"/c/{cid}/rows?start={'0' * (k % 7 + 1)}")
        statuses_500 += client.get(url).status_code >= 500
        sent += 1
    gc.collect()
    grown = rss_mb() - before
    print(f"\nresponse cache after {sent:,} distinct cache-busting requests: {len(cache.items):,} entries "
          f"(limit {cache.max_entries:,}), {cache.size / 1e6:.2f} MB accounted (limit {cache.max_bytes / 1e6:g} MB), "
          f"{len(cache.bodies):,} distinct bodies; worker RSS grew {grown:.1f} MB")
    count("cache: cache-busting requests sent", sent)
    count("cache: entries kept after them (limit 1,000)", len(cache.items))
    count("cache: worker RSS growth over them, MB (rounded up)", math.ceil(max(grown, 0)))
    assert sent == 30_000 and statuses_500 == 0
    assert len(cache.items) <= cache.max_entries and cache.size <= cache.max_bytes
    assert entries_after_distinct == cache.max_entries
    assert grown < 40  # main grew 138 MB under 30,000 such requests while it accounted 0.7 MB


def test_duplicates_make_no_entries(tmp_path):
    app, client, cache = make(tmp_path)
    cid = stored_id(client)
    client.get(f"/c/{cid}")
    client.get(f"/c/{cid}/rows/1")
    client.get("/embed/theme.css?bg=%23000001")
    entries = len(cache.items)
    for url in (f"/c/{cid}?utm=1", f"/c/{cid}?utm=2&x=3", f"/c/{cid}/rows/01", f"/c/{cid}/rows/\u0661",
                "/embed/theme.css?bg=%23000001&bg=%23000002"):
        assert client.get(url).status_code < 500
    assert len(cache.items) == entries


def test_a_kept_entry_answers_only_what_it_was_made_for(tmp_path):
    app, client, cache = make(tmp_path)
    cid = stored_id(client)
    all_rows = client.get(f"/c/{cid}?show=all&x=1").get_data(as_text=True)
    changed = client.get(f"/c/{cid}?show=changed&x=1").get_data(as_text=True)
    assert all_rows != changed
    assert client.get(f"/c/{cid}?show=changed").get_data(as_text=True) == changed
    assert client.get("/embed/theme.css?bg=%23000001&nope=1").status_code == 400


def test_accounted_size_is_not_below_what_the_entries_hold(tmp_path):
    app, client, cache = make(tmp_path)
    for k in range(50):
        client.get(f"/embed/theme.css?bg=%23{k:06x}")
    gc.collect()
    tracemalloc.start()
    try:
        base, size0 = tracemalloc.get_traced_memory()[0], cache.size
        for k in range(50, 1_050):
            client.get(f"/embed/theme.css?bg=%23{k:06x}&fg=%23{k:06x}")
        gc.collect()
        held = tracemalloc.get_traced_memory()[0] - base
    finally:
        tracemalloc.stop()
    print(f"\n1,000 theme entries: {held / 1000:,.0f} bytes traced per entry, {(cache.size - size0) / 1000:,.0f} accounted")
    assert cache.size - size0 >= held


def oembed_link(page: str) -> str:
    return BeautifulSoup(page, "html.parser").select_one('link[type="application/json+oembed"]')["href"]


@pytest.mark.parametrize("path", ["/c/{cid}", "/embed/{cid}"])
def test_a_forged_host_never_reaches_another_reader(tmp_path, path):
    app, client, cache = make(tmp_path)
    cid = stored_id(client)
    forged = client.get(path.format(cid=cid), headers={"Host": EVIL}).get_data(as_text=True)
    count("host poisoning: forged Host requests")
    assert EVIL in forged  # no PUBLIC_URL configured: the sender sees their own host
    honest = client.get(path.format(cid=cid)).get_data(as_text=True)
    assert EVIL not in honest and "http://localhost/c/" in honest


def test_with_a_public_url_absolute_links_ignore_the_host(tmp_path):
    app, client, cache = make(tmp_path, PUBLIC_URL=PUBLIC)
    cid = stored_id(client)
    page = client.get(f"/c/{cid}", headers={"Host": EVIL, "X-Forwarded-Proto": "http"}).get_data(as_text=True)
    count("host poisoning: forged Host requests", 3)
    assert oembed_link(page).startswith(f"{PUBLIC}/oembed?") and EVIL not in page
    embed = BeautifulSoup(client.get(f"/embed/{cid}", headers={"Host": EVIL}).get_data(as_text=True), "html.parser")
    assert embed.select_one('link[rel="canonical"]')["href"] == f"{PUBLIC}/c/{cid}"
    answer = client.get(f"/oembed?url={PUBLIC}/c/{cid}", headers={"Host": EVIL}).get_json()
    assert re.findall(r'(?:src)="([^"]+)"', answer["html"]) == [f"{PUBLIC}/embed/{cid}", f"{PUBLIC}/static/embed.js"]
    assert client.get(f"/oembed?url=http://{EVIL}/c/{cid}", headers={"Host": EVIL}).status_code == 404


def test_trusted_hosts_refuse_other_hosts(tmp_path):
    app, client, cache = make(tmp_path, TRUSTED_HOSTS=["coverdiff.example.org"])
    assert client.get("/healthz", headers={"Host": EVIL}).status_code == 400
    assert client.get("/healthz", headers={"Host": "coverdiff.example.org"}).status_code == 200


def test_proxy_headers_count_only_when_proxies_are_configured(tmp_path):
    _app, plain, _c = make(tmp_path)
    cid = stored_id(plain)
    page = plain.get(f"/c/{cid}", headers={"X-Forwarded-Host": EVIL, "X-Forwarded-Proto": "https"}).get_data(as_text=True)
    assert EVIL not in page
    _app, proxied, _c = make(tmp_path, PROXY_HOPS=1)
    page = proxied.get(f"/c/{cid}", headers={"X-Forwarded-Host": "cd.example", "X-Forwarded-Proto": "https"})
    assert "https://cd.example/c/" in page.get_data(as_text=True)


def test_vary_names_both_htmx_headers(tmp_path):
    app, client, cache = make(tmp_path)
    cid = stored_id(client)
    vary = {v.strip() for v in client.get(f"/c/{cid}").headers["Vary"].split(",")}
    assert {"HX-Request", "HX-History-Restore-Request"} <= vary
    fragment = client.get(f"/c/{cid}", headers={"HX-Request": "true"}).get_data(as_text=True)
    restore = client.get(f"/c/{cid}", headers={"HX-Request": "true", "HX-History-Restore-Request": "true"})
    assert "<html" not in fragment and "<html" in restore.get_data(as_text=True)
