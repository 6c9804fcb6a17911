"""One HTTP request to a vetted address, with separate connect and read timeouts and a body cap.

Built on the standard library's `http.client` rather than urllib or requests: the checker
must choose the IP it connects to (the SSRF guard in `safety` resolves and vets it first),
must see every redirect instead of having one followed for it, and must stop reading a body
at a byte cap. `http.client` gives all three with a small subclass and adds no dependency.
"""

from __future__ import annotations

import http.client
import socket
import ssl
import threading
from dataclasses import dataclass

from .safety import Target


@dataclass(frozen=True, slots=True)
class Response:
    code: int
    location: str | None  # the Location header, as sent
    retry_after: str | None  # the Retry-After header, as sent
    body_bytes: int  # bytes of the body actually read (at most the cap)


class _VettedHTTP(http.client.HTTPConnection):
    """Connects to one pre-vetted address; the Host header still names the host."""

    def __init__(self, t: Target, address: str, connect_timeout: float, read_timeout: float) -> None:
        super().__init__(t.host, t.port, timeout=connect_timeout)
        self._address = address
        self._read_timeout = read_timeout

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock.settimeout(self._read_timeout)


class _VettedHTTPS(_VettedHTTP):
    def __init__(self, t: Target, address: str, connect_timeout: float, read_timeout: float) -> None:
        super().__init__(t, address, connect_timeout, read_timeout)
        self._context = ssl.create_default_context()  # certificate and hostname verified

    def connect(self) -> None:
        raw = socket.create_connection((self._address, self.port), self.timeout)
        try:
            # the TLS handshake is part of connecting: it runs under the connect timeout
            self.sock = self._context.wrap_socket(raw, server_hostname=self.host)
        except BaseException:
            raw.close()
            raise
        self.sock.settimeout(self._read_timeout)


def connect(t: Target, address: str, *, connect_timeout: float, read_timeout: float) -> http.client.HTTPConnection:
    """Open a connection (TCP, and TLS for https) to the vetted `address` for `t`.

    Kept apart from `request` so the caller can try a host's next address when this one
    is unreachable (an IPv6 address on a machine without IPv6 routing, say)."""
    cls = _VettedHTTPS if t.scheme == "https" else _VettedHTTP
    conn = cls(t, address, connect_timeout, read_timeout)
    try:
        conn.connect()
    except BaseException:
        conn.close()
        raise
    return conn


class DeadlineExceeded(TimeoutError):
    """The whole request outlived the time it was given (a server trickling bytes)."""


class _Watchdog:
    """Shuts the socket down when the request's time is up.

    A socket timeout bounds each wait, not the request: a server sending one header byte
    every few seconds never trips it, and the worker thread (which the interpreter joins at
    exit) would keep the process alive past the run's deadline. Shutting the socket down
    from a timer thread wakes the blocked read at once, whatever http.client is doing."""

    def __init__(self, sock: socket.socket | None, seconds: float) -> None:
        self.fired = False
        self._sock = sock
        self._timer = threading.Timer(max(0.0, seconds), self._fire)
        self._timer.daemon = True
        self._timer.start()

    def _fire(self) -> None:
        self.fired = True
        if self._sock is not None:
            try:
                self._sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def cancel(self) -> None:
        self._timer.cancel()


def request(conn: http.client.HTTPConnection, t: Target, method: str, *, max_body: int, user_agent: str,
            deadline: float | None = None) -> Response:
    """Send `method` for `t` on the open `conn` and read the status, headers and at most
    `max_body` body bytes; the connection is closed afterwards. Network failures propagate
    as OSError (socket.timeout included) or http.client.HTTPException; the caller
    classifies them. `deadline`: seconds the whole request may take, after which it fails
    with `DeadlineExceeded`."""
    watchdog = _Watchdog(conn.sock, deadline) if deadline is not None else None
    try:
        return _exchange(conn, t, method, max_body=max_body, user_agent=user_agent)
    except Exception:
        if watchdog is not None and watchdog.fired:
            raise DeadlineExceeded(f"request not finished within {deadline:g} s") from None
        raise
    finally:
        if watchdog is not None:
            watchdog.cancel()


def _exchange(conn: http.client.HTTPConnection, t: Target, method: str, *, max_body: int, user_agent: str) -> Response:
    try:
        conn.request(
            method,
            t.path,
            headers={
                "User-Agent": user_agent,
                "Accept": "text/html,application/xhtml+xml,*/*;q=0.8",
                "Accept-Encoding": "identity",
                "Connection": "close",
            },
        )
        resp = conn.getresponse()
        read = 0
        if method != "HEAD":
            # Read in small pieces up to the cap, then close: a link to a 4 GB file costs
            # at most `max_body` bytes, and a server trickling its body cannot hold a
            # worker longer than the read timeout per piece.
            while read < max_body:
                chunk = resp.read(min(16 * 1024, max_body - read))
                if not chunk:
                    break
                read += len(chunk)
        return Response(resp.status, resp.getheader("Location"), resp.getheader("Retry-After"), read)
    finally:
        conn.close()
