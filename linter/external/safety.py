"""Which URLs may be fetched, and which addresses may be connected to.

The checker runs in pull-request CI, where a contributor controls the URLs: without a
guard, `[x](http://169.254.169.254/latest/meta-data/)` or `http://localhost:8080/admin`
makes the CI machine probe its own network (SSRF). So only http and https are fetched, and
a host is resolved once, here; every resolved address must be public, and the connection
goes to exactly that vetted address (`http.connect_vetted`), so a second DNS answer cannot
swap in a private one between the check and the connect (DNS rebinding).
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import quote, urlsplit, urlunsplit

FETCHED_SCHEMES = frozenset({"http", "https"})
DEFAULT_PORTS = {"http": 80, "https": 443}


class Refused(Exception):
    """The URL or its address must not be fetched; the message says why.

    `skipped` is True when the link is simply not ours to judge (another scheme, a URL with
    credentials): it is "excluded". Otherwise (malformed URL, refused address) the link
    does not work for a reader either, and it is an "error".
    """

    def __init__(self, message: str, *, skipped: bool = False) -> None:
        super().__init__(message)
        self.skipped = skipped


@dataclass(frozen=True, slots=True)
class Target:
    """A URL split into what a connection needs."""

    scheme: str  # "http" or "https"
    host: str  # without brackets for IPv6
    port: int
    path: str  # path + query, never empty, no fragment

    @property
    def host_key(self) -> str:
        """The per-host concurrency key."""
        return f"{self.host}:{self.port}"


def normalise(url: str) -> str:
    """The URL that is fetched: fragment removed, scheme-relative `//host` taken as https.

    Two links differing only in `#fragment` are one request (the server never sees it).
    """
    url = url.strip()
    if url.startswith("//"):
        url = "https:" + url
    try:
        parts = urlsplit(url)
    except ValueError:  # "http://[::1": left as is; `target` refuses it with the reason
        return url
    return urlunsplit((parts.scheme.lower(), parts.netloc, parts.path, parts.query, ""))


def target(url: str) -> Target:
    """Split a normalised URL; `Refused` for other schemes or a URL without a usable host."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:  # a bad port or bracket: the URL cannot be fetched
        raise Refused(f"malformed URL: {exc}") from None
    scheme = parts.scheme.lower()
    if scheme not in FETCHED_SCHEMES:
        raise Refused(f"scheme {scheme or '(none)'}: is never fetched (only http and https)", skipped=True)
    host = parts.hostname
    if not host:
        raise Refused("URL has no host")
    if parts.username is not None or parts.password is not None:
        # credentials in a committed link are a leak, and sending them is never wanted
        raise Refused("URL carries credentials (user:password@); not fetched", skipped=True)
    try:
        # IDN host names go on the wire (DNS, Host header) in their ASCII form
        host = host.encode("idna").decode("ascii") if not host.isascii() else host
    except UnicodeError:
        raise Refused(f"host {host} is not a valid internationalised domain name") from None
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    if any(c in path for c in "\r\n \t"):
        raise Refused("URL contains whitespace or a line break")
    # Browsers percent-encode non-ASCII path characters (UTF-8) before sending; existing
    # %XX escapes and reserved characters are kept as written.
    path = quote(path, safe="/?&=%:@!$'()*+,;~-._[]")
    return Target(scheme, host, port or DEFAULT_PORTS[scheme], path)


def forbidden_reason(address: str) -> str | None:
    """Why `address` is not a public address, or None if it is."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])  # drop an IPv6 zone id
    except ValueError:
        return "not an IP address"
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped  # ::ffff:127.0.0.1 is loopback too
    if ip.is_unspecified:
        return "not a public address"
    if ip.is_loopback:
        return "a loopback address"
    if ip.is_link_local:
        return "a link-local address"
    if ip.is_private:
        return "a private address"
    if ip.is_unspecified or ip.is_multicast or ip.is_reserved or not ip.is_global:
        return "not a public address"
    return None


def resolve(t: Target, allow_private: bool) -> list[tuple[int, str]]:
    """The (family, address) pairs to try for `t`, vetted; `Refused` when none may be used.

    Raises `socket.gaierror` when the name does not resolve.
    """
    infos = socket.getaddrinfo(t.host, t.port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)
    usable: list[tuple[int, str]] = []
    reasons: list[str] = []
    for family, _type, _proto, _canon, sockaddr in infos:
        address = str(sockaddr[0])
        reason = None if allow_private else forbidden_reason(address)
        if reason is None:
            if (family, address) not in usable:
                usable.append((int(family), address))
        else:
            reasons.append(f"{address} is {reason}")
    if not usable:
        detail = "; ".join(dict.fromkeys(reasons)) or "no address"
        raise Refused(f"refused to connect to {t.host}: {detail} (set allow_private to check it)")
    return usable
