"""The address guard: which links may be fetched, and the one address to connect to.

A link is refused, before any connection, when
- its scheme is not http or https, or it carries credentials (user:password@);
- its host is, or resolves to, an address that is loopback, private, link-local,
  multicast, reserved, unspecified or otherwise not globally routable, in IPv4 or
  IPv6 (IPv4-mapped, 6to4 and NAT64 forms are judged by the IPv4 address inside);
  decimal, octal and hexadecimal spellings of IPv4 (http://2130706433/,
  http://0177.0.0.1/, http://0x7f.1/) are read as the address they spell;
- any one of the addresses its name resolves to is refused (a name with a public
  and a private record is refused, not raced).

`check_url` resolves the host once and returns a `Target` holding the checked
address; the fetcher connects to that address and no other (fetch.PinnedTransport),
so a second DNS answer cannot move the connection elsewhere (no rebinding window).
Every redirect hop is checked again the same way.

An `Allowlist` (setting COVERDIFF_FETCH_ALLOW: host names, addresses or CIDR
networks, separated by commas or spaces) admits listed hosts and addresses that
would otherwise be refused: tests (127.0.0.1) and intranets.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from urllib.parse import urlsplit, urlunsplit

import httpx

from .errors import InvalidUrl, UrlRefused

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Resolver = Callable[[str, int], list[str]]

SCHEMES = {"http": 80, "https": 443}
URL_MAX_CHARS = 2048  # characters; longer "links" are refused as not a URL (browsers cut near 2 KB too)

# Address properties that refuse a destination, in the order they are named in messages.
REFUSED_PROPERTIES = (
    ("is_unspecified", "unspecified"), ("is_loopback", "loopback"), ("is_link_local", "link-local"),
    ("is_multicast", "multicast"), ("is_reserved", "reserved"), ("is_private", "private"),
    ("is_site_local", "site-local"),  # IPv6 fec0::/10, deprecated but still routed inside some networks
)
NAT64 = ipaddress.ip_network("64:ff9b::/96")  # RFC 6052: the low 32 bits are an IPv4 address
# Characters of a host that can only be a numeric IPv4 spelling (inet_aton forms).
_HOST_NAME = re.compile(r"^[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*$")
_NUMERIC_HOST = re.compile(r"^(0x[0-9a-f]*|[0-9]+)(\.(0x[0-9a-f]*|[0-9]+)){0,3}\.?$", re.IGNORECASE)


@dataclass(frozen=True)
class Allowlist:
    """Hosts and networks the guard lets through although their address is refused."""

    hosts: frozenset[str] = frozenset()
    networks: tuple[Network, ...] = ()

    @classmethod
    def parse(cls, value: str | Iterable[str] | None) -> Allowlist:
        """From 'intranet.example, 10.0.0.0/8 127.0.0.1' or a list of such entries."""
        if isinstance(value, int | float):  # a setting read as JSON ("1") is still an entry
            value = str(value)
        entries = value.replace(",", " ").split() if isinstance(value, str) else [str(v) for v in value or ()]
        hosts, networks = set(), []
        for entry in entries:
            try:
                networks.append(ipaddress.ip_network(entry.strip("[]"), strict=False))
            except ValueError:
                hosts.add(entry.lower().rstrip("."))
        return cls(frozenset(hosts), tuple(networks))

    def admits(self, host: str, address: Address) -> bool:
        return host in self.hosts or any(address in network for network in self.networks)


@dataclass(frozen=True)
class Target:
    """A checked URL: where to connect (`address`) and what to ask for (`url`)."""

    url: httpx.URL
    host: str  # ASCII (IDNA) host name or canonical address, as sent in Host and SNI
    port: int
    address: Address
    addresses: tuple[Address, ...] = field(default=(), compare=False)  # every checked answer


def system_resolver(host: str, port: int) -> list[str]:
    """The addresses getaddrinfo gives for a host (TCP)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, OSError) as exc:
        raise UrlRefused(f"The host {host} could not be found (DNS: {exc}).") from exc
    return [info[4][0] for info in infos]


def check_url(url: str, allow: Allowlist | None = None, resolve: Resolver = system_resolver) -> Target:
    """The Target to fetch `url` from, or UrlRefused / InvalidUrl saying why not."""
    allow = allow or Allowlist()
    parsed = parse_url(url)
    host = parsed.raw_host.decode("ascii").lower().rstrip(".")
    if not _HOST_NAME.match(host) and not _literal_address(host):
        raise InvalidUrl(f"The link's host {parsed.host!r} is not a valid host name.")
    port = parsed.port or SCHEMES[parsed.scheme]
    literal = _literal_address(host)
    addresses = [literal] if literal else _resolved(host, port, resolve)
    for address in addresses:
        reason = refused_reason(address)
        if reason and not allow.admits(host, address):
            shown = host if str(address) == host else f"{host} ({address})"
            article = "an" if reason[0] in "aeiouAEIOU" else "a"
            raise UrlRefused(f"The link's host {shown} is {article} {reason} address: only public sites are fetched.")
    return Target(parsed, host, port, addresses[0], tuple(addresses))


def parse_url(url: str) -> httpx.URL:
    """The URL as httpx sends it, with numeric IPv4 spellings made canonical;
    refused when its scheme is not http(s) or it carries credentials."""
    if not isinstance(url, str) or not url.strip() or len(url) > URL_MAX_CHARS:
        raise InvalidUrl(f"A link must be an http or https URL of at most {URL_MAX_CHARS} characters.")
    try:
        parts = urlsplit(url.strip())
        hostname = parts.hostname
    except ValueError as exc:
        raise InvalidUrl(f"The link is not a valid URL ({exc}).") from exc
    if parts.scheme.lower() not in SCHEMES:
        raise UrlRefused(f"Only http and https links are fetched, not {parts.scheme or 'a link without a scheme'}.")
    if "@" in parts.netloc:
        raise UrlRefused("Links with a user name or password in them (user:password@host) are refused.")
    if not hostname:
        raise InvalidUrl("The link has no host name.")
    canonical = _numeric_ipv4(hostname)
    if canonical:
        netloc = canonical + (f":{parts.port}" if parts.port else "")
        parts = parts._replace(netloc=netloc)
    try:
        return httpx.URL(urlunsplit(parts))
    except (httpx.InvalidURL, ValueError) as exc:
        raise InvalidUrl(f"The link is not a valid URL ({exc}).") from exc


def refused_reason(address: Address) -> str | None:
    """Why an address may not be fetched from ('loopback', 'private', ...), None when public."""
    embedded = _embedded_ipv4(address)
    if embedded is not None:
        inner = refused_reason(embedded)
        return f"IPv4-embedded {inner}" if inner else None
    for prop, name in REFUSED_PROPERTIES:
        if getattr(address, prop, False):
            return name
    return None if address.is_global else "non-public"


def _embedded_ipv4(address: Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address stands for (mapped, 6to4, NAT64), if any."""
    if address.version != 6:
        return None
    if address.ipv4_mapped:
        return address.ipv4_mapped
    if address.sixtofour:
        return address.sixtofour
    if address in NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def _literal_address(host: str) -> Address | None:
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


def _numeric_ipv4(host: str) -> str | None:
    """'127.0.0.1' for '2130706433', '0177.0.0.1', '0x7f.1' and the like; None for names."""
    if not _NUMERIC_HOST.match(host):
        return None
    try:
        return socket.inet_ntoa(socket.inet_aton(host.rstrip(".")))
    except OSError as exc:
        raise InvalidUrl(f"The link's host {host} is not a valid IPv4 address.") from exc


def _resolved(host: str, port: int, resolve: Resolver) -> list[Address]:
    answers = resolve(host, port)
    addresses = []
    for answer in answers:
        try:
            addresses.append(ipaddress.ip_address(answer.split("%")[0]))  # drop an IPv6 zone (%eth0)
        except ValueError:
            continue
    if not addresses:
        raise UrlRefused(f"The host {host} could not be found (no address).")
    return addresses
