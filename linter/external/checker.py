"""Check many URLs: a bounded thread pool, a per-host limit, retries, redirects, a deadline.

One `_Run` owns the shared state of a `check_urls` call. Each URL is checked by one worker:
up to `1 + retries` tries, each try following redirects hop by hop (every hop re-vetted by
the SSRF guard) with HEAD first and GET when HEAD is refused or mishandled. Between tries
the worker sleeps: the server's Retry-After when it sent one, else an exponential backoff,
both capped. Nothing outlives the global deadline by more than one socket timeout.
"""

from __future__ import annotations

import concurrent.futures
import datetime
import email.utils
import http.client
import socket
import ssl
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from urllib.parse import urljoin

from . import cache
from .http import DeadlineExceeded, Response, connect, request
from .options import Options
from .result import Result, Status
from .safety import Refused, Target, normalise, resolve, target

REDIRECT_CODES = frozenset({301, 302, 303, 307, 308})
# Answers that say "not now" rather than "no": worth another try after a pause.
TRANSIENT_CODES = frozenset({429, 502, 503, 504})
# Servers that do not implement HEAD say 405/501; many others answer HEAD with a wrong 4xx/5xx
# (403, 404, 400, 500) while GET works, so any failing HEAD is confirmed with a GET.
Sleep = Callable[[float], None]


class _DeadlineReached(Exception):
    pass


@dataclass(frozen=True, slots=True)
class _Outcome:
    status: Status
    final_url: str
    code: int | None = None
    message: str = ""
    redirects: tuple[str, ...] = ()
    retryable: bool = False
    retry_after: float | None = None
    host: str = ""  # host:port that answered (for a host-wide Retry-After pause)


def parse_retry_after(value: str | None, now: float) -> float | None:
    """Seconds to wait from a Retry-After header: delta-seconds or an HTTP-date (RFC 9110
    section 10.2.3); None when absent or unparsable. A date in the past means 0."""
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:  # "-0000" parses naive; HTTP dates are always GMT (RFC 9110)
        when = when.replace(tzinfo=datetime.timezone.utc)
    return max(0.0, when.timestamp() - now)


class _HostGates:
    """Per host:port: a semaphore (the concurrency limit) and a "not before" time.

    A server's Retry-After speaks for the host, not for one URL: after a 429 or 503 every
    request to that host waits, not only the retry of the URL that got it (a site that
    rate-limits one of fifteen links would otherwise see the other fourteen arrive at once).
    """

    def __init__(self, limit: int, sleep: Sleep, remaining: Callable[[], float]) -> None:
        self._lock = threading.Lock()
        self._gates: dict[str, threading.Semaphore] = defaultdict(lambda: threading.Semaphore(limit))
        self._not_before: dict[str, float] = {}
        self._sleep = sleep
        self._remaining = remaining

    def pause(self, key: str, seconds: float) -> None:
        with self._lock:
            until = time.monotonic() + seconds
            self._not_before[key] = max(until, self._not_before.get(key, 0.0))

    @contextmanager
    def hold(self, key: str) -> Iterator[None]:
        with self._lock:
            gate = self._gates[key]
        with gate:
            with self._lock:
                wait = self._not_before.get(key, 0.0) - time.monotonic()
            if wait > 0:
                # one bounded pause, holding the slot so the host sees nothing meanwhile
                self._sleep(min(wait, max(0.0, self._remaining())))
            yield


class _Run:
    def __init__(self, options: Options, sleep: Sleep) -> None:
        self.o = options
        self.sleep = sleep
        self.deadline_at = time.monotonic() + options.deadline
        self.gates = _HostGates(options.per_host, sleep, self.remaining)

    def remaining(self) -> float:
        return self.deadline_at - time.monotonic()

    # -- one URL ---------------------------------------------------------------------------

    def check(self, url: str) -> Result:
        """Check one normalised http(s) URL with retries."""
        outcome = _Outcome("timeout", url, message=self.deadline_message())
        attempts = 0
        for attempt in range(self.o.retries + 1):
            if self.remaining() <= 0:
                outcome = _Outcome("timeout", url, message=self.deadline_message())
                break
            attempts += 1
            outcome = self._follow(url)
            if not outcome.retryable or attempt == self.o.retries:
                break
            if outcome.retry_after is not None:
                delay = min(outcome.retry_after, self.o.max_retry_after)
                if delay >= self.remaining():
                    break  # the pause would outlast the run: report what we have
                self.gates.pause(outcome.host, delay)  # the retry waits at the host's gate
                continue
            delay = min(self.o.backoff * 2**attempt, self.o.max_retry_after)
            if delay >= self.remaining():
                break
            self.sleep(delay)
        message = outcome.message
        if outcome.retryable and attempts > 1:
            message += f" (after {attempts} attempts)"
        return Result(
            url=url,
            status=_final_status(outcome),
            final_url=outcome.final_url,
            code=outcome.code,
            attempts=attempts,
            message=message,
            redirects=outcome.redirects,
            checked_at=time.time(),
        )

    def _follow(self, url: str) -> _Outcome:
        """One try: request `url` and follow its redirects up to the limit."""
        current, chain = url, [url]
        while True:
            try:
                t = target(current)
            except Refused as exc:
                # only reachable for redirect hops: the caller filtered the first URL
                return _Outcome("error", current, message=f"redirect to {current} not followed: {exc}",
                                redirects=tuple(chain[1:]))
            try:
                resp = self._fetch(t)
            except _DeadlineReached:
                return _Outcome("timeout", current, message=self.deadline_message(), redirects=tuple(chain[1:]))
            except Refused as exc:
                return _Outcome("error", current, message=str(exc), redirects=tuple(chain[1:]))
            except Exception as exc:  # noqa: BLE001 - every network failure becomes a result
                return _network_outcome(exc, t, current, tuple(chain[1:]))
            hops = tuple(chain[1:])
            if resp.code in REDIRECT_CODES and resp.location:
                try:
                    nxt = normalise(urljoin(current, resp.location.strip()))
                except ValueError:
                    return _Outcome("error", current, resp.code, f"malformed Location {resp.location!r}", hops)
                if nxt in chain:
                    loop = " -> ".join([*chain[chain.index(nxt):], nxt])
                    return _Outcome("broken", current, resp.code, f"redirect loop: {loop}", hops)
                if len(chain) > self.o.max_redirects:
                    return _Outcome("broken", current, resp.code,
                                    f"too many redirects (more than {self.o.max_redirects})", hops)
                chain.append(nxt)
                current = nxt
                continue
            return replace(self._classify(resp, current, hops), host=t.host_key)

    def _classify(self, resp: Response, url: str, hops: tuple[str, ...]) -> _Outcome:
        code = resp.code
        if 200 <= code < 300:
            if hops:
                return _Outcome("redirected", url, code, f"redirected to {url}", hops)
            return _Outcome("ok", url, code, "", hops)
        if code in TRANSIENT_CODES:
            wait = parse_retry_after(resp.retry_after, time.time())
            what = "rate limited" if code == 429 else "server unavailable"
            return _Outcome("broken", url, code, f"{what} (HTTP {code})", hops, True, wait)
        if code >= 400:
            return _Outcome("broken", url, code, f"HTTP {code}", hops)
        return _Outcome("error", url, code, f"unexpected HTTP {code} without a usable Location", hops)

    # -- one request -----------------------------------------------------------------------

    def _fetch(self, t: Target) -> Response:
        """HEAD (unless disabled), then GET if HEAD was refused or failed, under the host limit."""
        with self.gates.hold(t.host_key):
            addresses = resolve(t, self.o.allow_private)
            if self.o.use_head:
                resp = self._send(t, addresses, "HEAD")
                if resp.code < 400 or resp.code == 429:
                    return resp
            return self._send(t, addresses, "GET")

    def _send(self, t: Target, addresses: list[tuple[int, str]], method: str) -> Response:
        last: OSError | None = None
        for _family, address in addresses:
            left = self.remaining()
            if left <= 0:
                raise _DeadlineReached
            try:
                conn = connect(t, address, connect_timeout=min(self.o.connect_timeout, left),
                               read_timeout=min(self.o.timeout, left))
            except ssl.SSLError:
                raise  # the host answered with bad TLS: another address of it will not help
            except OSError as exc:
                # refused, unreachable or silent: try the host's next address (a dual-stack
                # host's IPv6 address is often unreachable from IPv4-only CI machines)
                last = exc
                continue
            try:  # the whole exchange, not each wait, is bounded by the time left
                return request(conn, t, method, max_body=self.o.max_body, user_agent=self.o.user_agent,
                               deadline=self.remaining())
            except DeadlineExceeded:
                raise _DeadlineReached from None
        assert last is not None
        raise last

    def deadline_message(self) -> str:
        return f"not finished within the run's deadline of {self.o.deadline:g} s"


def _final_status(outcome: _Outcome) -> Status:
    # Still rate limited after every retry says nothing about the link itself: we ran out
    # of patience, as with a timeout, and it is reported (or not) like one.
    if outcome.code == 429:
        return "timeout"
    return outcome.status


def _network_outcome(exc: Exception, t: Target, url: str, hops: tuple[str, ...]) -> _Outcome:
    """Classify a failure below HTTP. Timeouts and dropped connections are worth a retry;
    a name that does not resolve or a bad certificate is not going to change in a second."""
    if isinstance(exc, socket.gaierror):
        return _Outcome("error", url, message=f"host {t.host} not found", redirects=hops)
    if isinstance(exc, TimeoutError):
        return _Outcome("timeout", url, message="timed out", redirects=hops, retryable=True)
    if isinstance(exc, ssl.SSLError):
        return _Outcome("error", url, message=f"TLS error: {exc}", redirects=hops)
    if isinstance(exc, ConnectionRefusedError):
        return _Outcome("error", url, message="connection refused", redirects=hops, retryable=True)
    if isinstance(exc, (OSError, http.client.HTTPException)):
        detail = str(exc) or type(exc).__name__
        return _Outcome("error", url, message=f"connection failed: {detail}", redirects=hops, retryable=True)
    return _Outcome("error", url, message=f"{type(exc).__name__}: {exc}", redirects=hops)


def _interleave_hosts(urls: Iterable[str]) -> list[str]:
    """Round-robin over hosts, so workers do not all queue on one host's limit while
    other hosts wait."""
    by_host: dict[str, list[str]] = defaultdict(list)
    for u in urls:
        try:
            key = target(u).host_key
        except Refused:
            key = ""
        by_host[key].append(u)
    queues = list(by_host.values())
    out: list[str] = []
    while queues:
        out.extend(q.pop(0) for q in queues)
        queues = [q for q in queues if q]
    return out


def check_urls(urls: Iterable[str], options: Options | None = None, *, sleep: Sleep = time.sleep) -> dict[str, Result]:
    """Check every URL; the map has one `Result` per distinct input string.

    Only http and https URLs are ever fetched; excluded URLs and other schemes come back
    as "excluded" without a request. URLs that differ only in their fragment share one
    request. `sleep` is the pause between retries (tests pass a recorder).
    """
    o = options or Options()
    originals = list(dict.fromkeys(urls))
    results: dict[str, Result] = {}
    wanted: dict[str, list[str]] = defaultdict(list)  # normalised URL -> the inputs naming it
    for url in originals:
        pattern = o.excluded(url)
        norm = normalise(url)
        pattern = pattern or o.excluded(norm)
        if pattern is not None:
            results[url] = Result(url, "excluded", url, message=f"excluded by pattern {pattern}")
            continue
        try:
            target(norm)
        except Refused as exc:
            if exc.skipped:
                results[url] = Result(url, "excluded", url, message=f"not checked: {exc}")
            else:
                results[url] = Result(url, "error", url, message=str(exc), checked_at=time.time())
            continue
        wanted[norm].append(url)

    now = time.time()
    cached = cache.load(o.cache_path, now, o.ttl, root=o.cache_root) if o.cache_path is not None else {}
    checked: dict[str, Result] = {u: replace(cached[u], cached=True) for u in wanted if u in cached}
    todo = _interleave_hosts(u for u in wanted if u not in checked)

    if todo:
        run = _Run(o, sleep)
        pool = concurrent.futures.ThreadPoolExecutor(max_workers=min(o.workers, len(todo)),
                                                     thread_name_prefix="linkcheck")
        futures = {pool.submit(run.check, u): u for u in todo}
        # Workers cap every socket wait at the time left, so a small grace suffices.
        grace = o.connect_timeout + o.timeout
        done, _late = concurrent.futures.wait(futures, timeout=max(0.0, run.remaining()) + grace)
        pool.shutdown(wait=False, cancel_futures=True)
        for fut, u in futures.items():
            if fut in done and fut.exception() is not None:
                # a bug in the checker must not take the lint run down with it
                failure = fut.exception()
                checked[u] = Result(u, "error", u, message=f"internal error: {type(failure).__name__}: {failure}",
                                    checked_at=time.time())
            elif fut in done:
                checked[u] = fut.result()
            else:
                checked[u] = Result(u, "timeout", u, message=run.deadline_message(), checked_at=time.time())
        if o.cache_path is not None:
            cache.save(o.cache_path, checked, time.time(), o.ttl, root=o.cache_root)

    for norm, inputs in wanted.items():
        for url in inputs:
            results[url] = replace(checked[norm], url=url)
    return {u: results[u] for u in originals}
