"""Fetch a link behind the address guard (httpx), with limits, into a typed `Fetched`.

What holds for every fetch:
- each hop's URL passes guard.check_url (scheme, credentials, every resolved
  address) before anything is sent, and the connection goes to the address that
  check returned (PinnedTransport): no second DNS lookup, so no rebinding window;
- redirects are followed here, not by httpx, at most `max_redirects` of them,
  each hop checked again;
- connect and read timeouts, and a deadline for the whole fetch;
- the body is streamed and refused past the document limit (Content-Length is
  believed only when it says too much); `Accept-Encoding: identity` is asked for,
  and a server that sends gzip or deflate anyway is inflated here a bounded piece
  at a time (httpx's decoders inflate a whole network read at once: 64 KiB of
  zeros would become 64 MB) and counted by its decoded bytes;
- only the content types in ACCEPTED_TYPES are read; other answers are a 415.

Another source of pages (an archive service, say) is a `Fetcher`: anything with
`fetch(url) -> Fetched`. Build it on an `HttpFetcher` so its requests pass the
same guard: e.g. `ArchiveFetcher(http).fetch(url)` would ask the archive for
`url` through `http.fetch(archive_url)` and return the `Fetched` with `url`
set to the original link and `final_url` to the archived copy.
"""

from __future__ import annotations

import time
import zlib
from collections.abc import Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FuturesTimeout
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Protocol

import httpx

from ..pipeline.decode import check_size
from .errors import FetchFailed, UnsupportedFormat, UrlRefused
from .guard import Allowlist, Resolver, Target, check_url, system_resolver
from .record import FetchRecord

MB = 1_000_000
REDIRECT_STATUSES = frozenset((301, 302, 303, 307, 308))
# Media types a link may answer with, and how they are read (see formats.py).
ACCEPTED_TYPES = {
    "text/html": "html", "application/xhtml+xml": "html", "text/plain": "text",
    "application/pdf": "pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
}
ACCEPT_HEADER = ", ".join([*ACCEPTED_TYPES, "*/*;q=0.1"])
# Types servers give files whose real type only their first bytes tell (sniffed for PDF or DOCX).
SNIFFED_TYPES = frozenset(("", "application/octet-stream", "binary/octet-stream"))
INFLATE_STEP = 256 * 1024  # bytes inflated at a time from a compressed answer (bounds memory per step)
_ZLIB_WBITS = {"gzip": 16 + zlib.MAX_WBITS, "x-gzip": 16 + zlib.MAX_WBITS, "deflate": zlib.MAX_WBITS}
USER_AGENT = "coverdiff/0.1 (compares news reports; fetches one page per request)"


@dataclass(frozen=True)
class FetchSettings:
    """Limits and the allowlist of one fetcher (settings from one place: `from_config`)."""

    max_bytes: int = 5 * MB  # the document limit, in bytes
    allow: Allowlist = field(default_factory=Allowlist)
    connect_timeout_s: float = 5.0  # seconds to open a TCP (and TLS) connection
    read_timeout_s: float = 10.0  # seconds of silence between two reads
    total_timeout_s: float = 20.0  # seconds for the whole fetch, redirects included (a slow drip ends here)
    max_redirects: int = 5  # hops followed after the first request

    @classmethod
    def from_config(cls, config: Mapping) -> FetchSettings:
        """From a Flask config: MAX_DOCUMENT_BYTES, FETCH_ALLOW (COVERDIFF_FETCH_ALLOW), FETCH_*_TIMEOUT_S."""
        return cls(
            max_bytes=int(config.get("MAX_DOCUMENT_BYTES", cls.max_bytes)),
            allow=Allowlist.parse(config.get("FETCH_ALLOW")),
            connect_timeout_s=float(config.get("FETCH_CONNECT_TIMEOUT_S", cls.connect_timeout_s)),
            read_timeout_s=float(config.get("FETCH_READ_TIMEOUT_S", cls.read_timeout_s)),
            total_timeout_s=float(config.get("FETCH_TOTAL_TIMEOUT_S", cls.total_timeout_s)),
        )


@dataclass(frozen=True)
class Fetched:
    """One fetched document: what was asked, where it ended, when, and the bytes."""

    url: str  # the link as given
    final_url: str  # after redirects
    status: int  # HTTP status of the final answer
    fetched_at: str  # ISO 8601, UTC, milliseconds (two fetches of one link are told apart)
    content_type: str  # media type without parameters, lower case ("text/html")
    data: bytes = field(repr=False)
    charset: str | None = None  # from the Content-Type header, when it names one
    redirects: tuple[str, ...] = ()  # the URLs redirected through, in order

    @property
    def format(self) -> str:
        """'html', 'text', 'pdf' or 'docx': how formats.py reads the bytes."""
        return ACCEPTED_TYPES.get(self.content_type) or _sniffed(self.data)

    def record(self) -> FetchRecord:
        """What a comparison keeps and shows about this fetch (no bytes)."""
        return FetchRecord(self.url, self.final_url, self.status, self.fetched_at, self.content_type)


class Fetcher(Protocol):
    """A source of fetched documents; HttpFetcher is the one there is."""

    def fetch(self, url: str) -> Fetched: ...


class PinnedTransport(httpx.BaseTransport):
    """Sends each request to the address the guard checked for its host and port,
    keeping the host name in the Host header and in TLS SNI (and so in the
    certificate check). A host that was not checked is refused."""

    def __init__(self, inner: httpx.BaseTransport):
        self._inner = inner
        self._pins: dict[tuple[str, int], Target] = {}

    def pin(self, target: Target) -> None:
        self._pins[(target.host, target.port)] = target

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        url = request.url
        key = (url.raw_host.decode("ascii").lower().rstrip("."), url.port or (443 if url.scheme == "https" else 80))
        target = self._pins.get(key)
        if target is None:
            raise UrlRefused(f"The host {key[0]} was not checked by the address guard.")
        extensions = dict(request.extensions)
        if url.scheme == "https":
            extensions["sni_hostname"] = target.host
        pinned = httpx.Request(request.method, url.copy_with(host=str(target.address)),
                               headers=request.headers, extensions=extensions)
        return self._inner.handle_request(pinned)

    def close(self) -> None:
        self._inner.close()


class HttpFetcher:
    """Fetches links over HTTP(S) behind the guard; one short-lived client per fetch."""

    def __init__(self, settings: FetchSettings, resolve: Resolver = system_resolver):
        self.settings = settings
        self._resolve = _within(resolve, settings.connect_timeout_s)

    def fetch(self, url: str) -> Fetched:
        """The document at `url`, or a typed error (UrlRefused, FetchFailed, UnsupportedFormat, TooLarge)."""
        deadline = time.monotonic() + self.settings.total_timeout_s
        transport = PinnedTransport(httpx.HTTPTransport(retries=0))
        with httpx.Client(transport=transport, timeout=self._timeout(), follow_redirects=False, trust_env=False,
                          headers={"User-Agent": USER_AGENT, "Accept": ACCEPT_HEADER,
                                   "Accept-Encoding": "identity"}) as client:
            return self._follow(client, transport, url, deadline)

    def _follow(self, client: httpx.Client, transport: PinnedTransport, url: str, deadline: float) -> Fetched:
        current, hops = url, []
        for _ in range(self.settings.max_redirects + 1):
            if time.monotonic() > deadline:
                raise FetchFailed(f"The link took longer than {self.settings.total_timeout_s:g} s to follow.")
            target = check_url(current, self.settings.allow, self._resolve)
            transport.pin(target)
            with _errors_in_words(target):
                with client.stream("GET", target.url) as response:
                    location = response.headers.get("location")
                    if response.status_code in REDIRECT_STATUSES and location:
                        current = str(target.url.join(location))
                        hops.append(current)
                        continue
                    return self._read(url, target, response, tuple(hops), deadline)
        raise FetchFailed(f"The link redirects more than {self.settings.max_redirects} times; "
                          f"the last address was {current}.")

    def _read(self, url: str, target: Target, response: httpx.Response, hops: tuple[str, ...],
              deadline: float) -> Fetched:
        if response.status_code >= 300:
            raise FetchFailed(f"The site answered {response.status_code} {response.reason_phrase} for {target.url}.")
        media = response.headers.get("content-type", "").split(";")[0].strip().lower()
        if media not in ACCEPTED_TYPES and media not in SNIFFED_TYPES:
            raise UnsupportedFormat(f"The link is {media}, not a web page, text, PDF or Word document.")
        data = self._body(response, deadline)
        fetched = Fetched(url=url, final_url=str(target.url), status=response.status_code,
                          fetched_at=datetime.now(UTC).isoformat(timespec="milliseconds"), content_type=media,
                          data=data, charset=response.charset_encoding, redirects=hops)
        if fetched.format is None:
            raise UnsupportedFormat("The link's answer has no usable content type and is not a PDF or Word file.")
        return fetched

    def _body(self, response: httpx.Response, deadline: float) -> bytes:
        limit = self.settings.max_bytes
        declared = response.headers.get("content-length", "")
        if declared.isdigit():
            check_size(int(declared), limit, "document")
        chunks, size = [], 0
        for chunk in _decoded(response):
            size += len(chunk)
            check_size(size, limit, "document")
            if time.monotonic() > deadline:
                raise FetchFailed(f"The page took longer than {self.settings.total_timeout_s:g} s to arrive.")
            chunks.append(chunk)
        return b"".join(chunks)

    def _timeout(self) -> httpx.Timeout:
        s = self.settings
        return httpx.Timeout(connect=s.connect_timeout_s, read=s.read_timeout_s, write=s.read_timeout_s,
                             pool=s.connect_timeout_s)


def _within(resolve: Resolver, timeout_s: float) -> Resolver:
    """`resolve` with a time limit: getaddrinfo has none of its own (the system resolver's
    retries can take tens of seconds); past the limit the lookup is left to finish alone."""
    def resolve_in_time(host: str, port: int) -> list[str]:
        pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="coverdiff-dns")
        try:
            return pool.submit(resolve, host, port).result(timeout=timeout_s)
        except FuturesTimeout:
            raise FetchFailed(f"The host {host} could not be looked up within {timeout_s:g} s.") from None
        finally:
            pool.shutdown(wait=False)
    return resolve_in_time


def fetch(url: str, settings: FetchSettings) -> Fetched:
    """Fetch one link with `settings` (see HttpFetcher)."""
    return HttpFetcher(settings).fetch(url)


@contextmanager
def _errors_in_words(target: Target) -> Iterator[None]:
    """httpx's transport errors as FetchFailed, in a sentence a user can read."""
    where = f"{target.host}:{target.port}"
    try:
        yield
    except httpx.TimeoutException as exc:
        raise FetchFailed(f"{where} did not answer in time ({type(exc).__name__}).") from exc
    except httpx.ConnectError as exc:
        raise FetchFailed(f"Could not connect to {where} ({exc}).") from exc
    except httpx.HTTPError as exc:
        raise FetchFailed(f"The answer from {where} could not be read ({type(exc).__name__}: {exc}).") from exc


def _decoded(response: httpx.Response) -> Iterator[bytes]:
    """The body, inflated INFLATE_STEP bytes at a time when it is gzip or deflate."""
    encoding = response.headers.get("content-encoding", "identity").strip().lower()
    if encoding in ("", "identity"):
        yield from response.iter_raw()
        return
    if encoding not in _ZLIB_WBITS:
        raise UnsupportedFormat(f"The site sent its page compressed as {encoding!r}, which is not read here.")
    inflater = zlib.decompressobj(_ZLIB_WBITS[encoding])
    try:
        for raw in response.iter_raw():
            piece = inflater.decompress(raw, INFLATE_STEP)
            while piece:
                yield piece
                piece = inflater.decompress(inflater.unconsumed_tail, INFLATE_STEP)
    except zlib.error as exc:
        raise FetchFailed(f"The site's {encoding} answer is corrupt ({exc}).") from exc


def _sniffed(data: bytes) -> str | None:
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return "docx"
    return None
