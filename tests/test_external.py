"""The external link checker against a local HTTP server on 127.0.0.1 started by the test.

No test here touches any address but 127.0.0.1: private-address refusals use literal IPs,
which resolve without a DNS query and are refused before any connect (asserted). Every
server-side wait is bounded and released at teardown; pauses between retries go through a
recording `sleep`, so the Retry-After and backoff values are asserted without waiting.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from linter.external import (
    OPTIONS_SCHEMA,
    Options,
    Result,
    check_urls,
    collect_urls,
    external_diagnostics,
    options_from_mapping,
    parse_retry_after,
)
from linter.external.safety import forbidden_reason
from linter.document.parse import parse_text

BIG = 1 << 30  # the /big body: 1 GiB, generated lazily, never meant to be sent whole
WAIT = 5.0  # upper bound on any server-side wait


@dataclass
class State:
    lock: threading.Lock = field(default_factory=threading.Lock)
    hits: list[tuple[str, str]] = field(default_factory=list)  # (method, path)
    seen: dict[str, int] = field(default_factory=dict)  # per-path request counts
    active: int = 0
    max_active: int = 0
    crowd: threading.Condition = field(default_factory=threading.Condition)
    release: threading.Event = field(default_factory=threading.Event)
    big_written: int = -1
    big_done: threading.Event = field(default_factory=threading.Event)

    def paths(self) -> list[str]:
        with self.lock:
            return [p for _m, p in self.hits]


def make_handler(state: State) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib name
            pass

        def do_HEAD(self) -> None:
            self.route("HEAD")

        def do_GET(self) -> None:
            self.route("GET")

        def reply(self, code: int, body: bytes = b"ok\n", **headers: str) -> None:
            self.send_response(code)
            for k, v in headers.items():
                self.send_header(k.replace("_", "-"), v)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def route(self, method: str) -> None:
            path = self.path
            with state.lock:
                state.hits.append((method, path))
                state.seen[path] = state.seen.get(path, 0) + 1
                count = state.seen[path]
            parts = path.split("?")[0].strip("/").split("/")
            head = parts[0]
            if head == "ok":
                self.reply(200)
            elif head == "r":  # /r/N redirects N times, then lands on /ok
                n = int(parts[1])
                self.reply(301 if n % 2 else 308, Location=f"/r/{n - 1}" if n > 1 else "/ok")
            elif head == "loop":
                self.reply(302, Location="/loop/b" if parts[1] == "a" else "/loop/a")
            elif head == "missing":
                self.reply(404, b"not found\n")
            elif head == "gone":
                self.reply(410)
            elif head == "limited":  # 429 first (Retry-After in seconds), then 200
                self.reply(429, Retry_After="1") if count == 1 else self.reply(200)
            elif head == "limited-date":  # 429 first with an HTTP-date an hour ahead
                if count == 1:
                    self.reply(429, Retry_After=formatdate(time.time() + 3600, usegmt=True))
                else:
                    self.reply(200)
            elif head == "always429":
                self.reply(429, Retry_After="0")
            elif head == "unavailable":  # 503 to the first try (HEAD, then GET), then 200
                self.reply(503) if count <= 2 else self.reply(200)
            elif head == "slow":
                state.release.wait(WAIT)
                self.reply(200)
            elif head == "head405":
                self.reply(405) if method == "HEAD" else self.reply(200)
            elif head == "head404":  # a server that mishandles HEAD
                self.reply(404) if method == "HEAD" else self.reply(200)
            elif head == "to-ftp":
                self.reply(302, Location="ftp://127.0.0.1/file")
            elif head == "big":
                self.big(method)
            elif head == "count":
                self.crowded()
            else:
                self.reply(404)

        def big(self, method: str) -> None:
            if method == "HEAD":
                self.reply(405)
                return
            self.send_response(200)
            self.send_header("Content-Length", str(BIG))
            self.end_headers()
            chunk, written = b"x" * 65536, 0
            try:
                while written < BIG:
                    self.wfile.write(chunk)
                    written += len(chunk)
            except OSError:
                pass  # the client stopped reading at its cap and closed the connection
            finally:
                state.big_written = written
                state.big_done.set()

        def crowded(self) -> None:
            # Count concurrent requests; wait (bounded) for a third to join, so a checker
            # allowing more than two per host is caught with certainty.
            with state.crowd:
                state.active += 1
                state.max_active = max(state.max_active, state.active)
                state.crowd.notify_all()
                state.crowd.wait_for(lambda: state.active >= 3, timeout=0.4)
                state.active -= 1
            self.reply(200)

    return Handler


@dataclass
class Server:
    base: str
    state: State

    def url(self, path: str) -> str:
        return self.base + path


@pytest.fixture()
def server() -> Iterator[Server]:
    state = State()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(state))
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield Server(f"http://127.0.0.1:{httpd.server_address[1]}", state)
    finally:
        state.release.set()
        httpd.shutdown()
        httpd.server_close()
        thread.join(WAIT)


def opts(**kw: Any) -> Options:
    base: dict[str, Any] = {"allow_private": True, "timeout": 5.0, "connect_timeout": 2.0, "retries": 0}
    return Options(**{**base, **kw})


class Sleeps:
    """A `sleep` that records instead of waiting."""

    def __init__(self) -> None:
        self.calls: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)


# -- answers ----------------------------------------------------------------------------------


def test_ok_uses_head_only(server: Server) -> None:
    url = server.url("/ok")
    r = check_urls([url], opts())[url]
    assert (r.status, r.code, r.attempts, r.final_url, r.redirects) == ("ok", 200, 1, url, ())
    assert server.state.hits == [("HEAD", "/ok")]


def test_404_and_410_are_broken(server: Server) -> None:
    urls = [server.url("/missing"), server.url("/gone")]
    res = check_urls(urls, opts(retries=2))
    assert [(res[u].status, res[u].code) for u in urls] == [("broken", 404), ("broken", 410)]
    assert res[urls[0]].attempts == 1  # a 404 is an answer: never retried
    # HEAD failed, so GET confirmed it before calling the link broken
    assert [h for h in server.state.hits if h[1] == "/missing"] == [("HEAD", "/missing"), ("GET", "/missing")]


def test_redirect_chain_is_followed_and_recorded(server: Server) -> None:
    url = server.url("/r/3")
    r = check_urls([url], opts())[url]
    assert r.status == "redirected"
    assert r.code == 200
    assert r.final_url == server.url("/ok")
    assert r.redirects == (server.url("/r/2"), server.url("/r/1"), server.url("/ok"))


def test_five_redirects_pass_six_are_too_many(server: Server) -> None:
    five, six = server.url("/r/5"), server.url("/r/6")
    res = check_urls([five, six], opts())
    assert res[five].status == "redirected" and len(res[five].redirects) == 5
    assert res[six].status == "broken"
    assert res[six].message == "too many redirects (more than 5)"


def test_redirect_loop_is_broken(server: Server) -> None:
    url = server.url("/loop/a")
    r = check_urls([url], opts())[url]
    assert r.status == "broken"
    assert r.message == f"redirect loop: {url} -> {server.url('/loop/b')} -> {url}"
    assert server.state.paths() == ["/loop/a", "/loop/b"]


def test_redirect_to_other_scheme_is_not_followed(server: Server) -> None:
    url = server.url("/to-ftp")
    r = check_urls([url], opts())[url]
    assert r.status == "error"
    assert "ftp://127.0.0.1/file not followed" in r.message
    assert server.state.paths() == ["/to-ftp"]


def test_head_405_falls_back_to_get(server: Server) -> None:
    url = server.url("/head405")
    r = check_urls([url], opts())[url]
    assert (r.status, r.code, r.attempts) == ("ok", 200, 1)
    assert server.state.hits == [("HEAD", "/head405"), ("GET", "/head405")]


def test_head_mishandled_falls_back_to_get(server: Server) -> None:
    url = server.url("/head404")
    assert check_urls([url], opts())[url].status == "ok"
    no_head = check_urls([url], opts(use_head=False))[url]
    assert no_head.status == "ok"
    assert server.state.hits[-1] == ("GET", "/head404")
    assert len(server.state.hits) == 3


def test_body_is_read_only_up_to_the_cap(server: Server) -> None:
    url = server.url("/big")
    r = check_urls([url], opts(max_body=65536))[url]
    assert (r.status, r.code) == ("ok", 200)
    assert server.state.big_done.wait(WAIT)
    # the client closed after its cap: the server could not push the whole body
    assert 0 <= server.state.big_written < BIG


# -- retries --------------------------------------------------------------------------------


def test_429_honours_retry_after_seconds(server: Server) -> None:
    url = server.url("/limited/a")
    sleeps = Sleeps()
    r = check_urls([url], opts(retries=2), sleep=sleeps)[url]
    assert (r.status, r.code, r.attempts) == ("ok", 200, 2)
    # the pause is taken at the host's gate, measured from the 429 (so a hair under 1 s)
    assert sleeps.calls == [pytest.approx(1.0, abs=0.25)]


def test_429_retry_after_date_is_capped(server: Server) -> None:
    url = server.url("/limited-date/a")
    sleeps = Sleeps()
    r = check_urls([url], opts(retries=1, max_retry_after=2.5), sleep=sleeps)[url]
    assert (r.status, r.attempts) == ("ok", 2)
    assert sleeps.calls == [pytest.approx(2.5, abs=0.25)]  # an hour asked for, the cap given


def test_retry_after_pauses_the_whole_host(server: Server) -> None:
    # One worker: /limited/h gets a 429 (Retry-After: 1), its retry waits at the host's gate;
    # then /ok on the same host waits too, because the pause is the host's, not the URL's.
    # (The recording sleep does not advance the clock, so the second wait is still due.)
    a, b = server.url("/limited/h"), server.url("/ok")
    sleeps = Sleeps()
    res = check_urls([a, b], opts(workers=1, retries=1), sleep=sleeps)
    assert (res[a].status, res[a].attempts, res[b].status) == ("ok", 2, "ok")
    assert len(sleeps.calls) == 2 and all(0 < s <= 1.0 for s in sleeps.calls)
    assert server.state.paths() == ["/limited/h", "/limited/h", "/ok"]


def test_still_rate_limited_after_retries_is_a_timeout_not_broken(server: Server) -> None:
    url = server.url("/always429")
    sleeps = Sleeps()
    r = check_urls([url], opts(retries=2), sleep=sleeps)[url]
    assert (r.status, r.code, r.attempts) == ("timeout", 429, 3)
    assert r.message == "rate limited (HTTP 429) (after 3 attempts)"
    assert sleeps.calls == []  # "Retry-After: 0" asks for no pause, and no backoff is added
    assert server.state.paths() == ["/always429"] * 3


def test_503_is_retried_with_exponential_backoff(server: Server) -> None:
    url = server.url("/unavailable/a")
    sleeps = Sleeps()
    r = check_urls([url], opts(retries=3, backoff=0.25), sleep=sleeps)[url]
    assert (r.status, r.attempts) == ("ok", 2)
    assert sleeps.calls == [0.25]
    assert server.state.hits == [("HEAD", "/unavailable/a"), ("GET", "/unavailable/a"), ("HEAD", "/unavailable/a")]
    sleeps2 = Sleeps()
    r2 = check_urls([server.url("/always429")], opts(retries=3, backoff=0.25), sleep=sleeps2)
    assert sleeps2.calls == []  # Retry-After (0 here) wins over the backoff
    assert r2[server.url("/always429")].attempts == 4


def test_backoff_doubles(server: Server) -> None:
    url = server.url("/slow")
    sleeps = Sleeps()
    r = check_urls([url], opts(timeout=0.2, retries=2, backoff=0.5), sleep=sleeps)[url]
    assert (r.status, r.attempts) == ("timeout", 3)
    assert sleeps.calls == [0.5, 1.0]
    assert r.message == "timed out (after 3 attempts)"


def test_slow_server_times_out(server: Server) -> None:
    url = server.url("/slow")
    r = check_urls([url], opts(timeout=0.2))[url]
    assert (r.status, r.code, r.attempts, r.message) == ("timeout", None, 1, "timed out")


def test_global_deadline_stops_the_run(server: Server) -> None:
    urls = [server.url(f"/slow?{i}") for i in range(3)]
    res = check_urls(urls, opts(workers=1, timeout=5.0, deadline=0.4))
    assert {res[u].status for u in urls} == {"timeout"}
    first, *later = (res[u] for u in urls)
    assert first.attempts == 1
    # the queue behind the deadline is never sent
    assert [r.attempts for r in later] == [0, 0]
    assert all("deadline of 0.4 s" in r.message for r in later)
    assert server.state.paths() == ["/slow?0"]


def test_parse_retry_after() -> None:
    now = 1_700_000_000.0
    assert parse_retry_after("120", now) == 120.0
    assert parse_retry_after(formatdate(now + 30, usegmt=True), now) == 30.0
    assert parse_retry_after(formatdate(now - 30, usegmt=True), now) == 0.0
    assert parse_retry_after("soon", now) is None
    assert parse_retry_after("-5", now) is None
    assert parse_retry_after(None, now) is None


# -- limits and pool --------------------------------------------------------------------------


def test_per_host_limit_is_respected(server: Server) -> None:
    urls = [server.url(f"/count/{i}") for i in range(4)]
    res = check_urls(urls, opts(workers=4, per_host=2))
    assert {r.status for r in res.values()} == {"ok"}
    assert server.state.max_active == 2


def test_per_host_limit_counter_sees_real_concurrency(server: Server) -> None:
    # The counterpart: with a higher limit the server does see more than two at once, so
    # the test above would catch a checker that ignored its limit.
    urls = [server.url(f"/count/{i}") for i in range(4)]
    check_urls(urls, opts(workers=4, per_host=4))
    assert server.state.max_active >= 3


def test_fragments_share_one_request(server: Server) -> None:
    a, b = server.url("/ok#one"), server.url("/ok#two")
    res = check_urls([a, b, a], opts())
    assert list(res) == [a, b]
    assert res[a].status == res[b].status == "ok"
    assert res[a].url == a and res[b].url == b
    assert server.state.paths() == ["/ok"]


# -- exclusions, schemes, safety --------------------------------------------------------------


def test_exclude_glob_and_regex(server: Server) -> None:
    glob_hit, re_hit, kept = server.url("/private/x"), server.url("/skip-42"), server.url("/ok")
    o = opts(exclude=("http://127.0.0.1:*/private/*", r"re:/skip-\d+$"))
    res = check_urls([glob_hit, re_hit, kept], o)
    assert res[glob_hit].status == "excluded"
    assert res[glob_hit].message == "excluded by pattern http://127.0.0.1:*/private/*"
    assert res[re_hit].status == "excluded"
    assert res[kept].status == "ok"
    assert server.state.paths() == ["/ok"]


def test_bad_exclude_regex_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match=r"exclude pattern 're:\(' is not a valid regex"):
        Options(exclude=("re:(",))


@pytest.fixture()
def no_connect(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Record (and refuse) every socket connect made while the test runs."""
    calls: list[Any] = []

    def refuse(self: socket.socket, address: Any) -> None:
        calls.append(address)
        raise AssertionError(f"unexpected connect to {address}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    return calls


def test_other_schemes_are_never_fetched(server: Server, no_connect: list[Any], tmp_path: Path) -> None:
    port = server.base.rsplit(":", 1)[1]
    secret = tmp_path / "secret.txt"
    secret.write_text("do not read", "utf-8")
    urls = [
        f"ftp://127.0.0.1:{port}/ok",
        secret.as_uri(),
        "javascript:alert(1)",
        "data:text/html,<b>x</b>",
        "mailto:someone@example.org",
        f"gopher://127.0.0.1:{port}/",
    ]
    res = check_urls(urls, opts())
    assert {r.status for r in res.values()} == {"excluded"}
    assert "only http and https" in res[urls[0]].message
    assert no_connect == []
    assert server.state.hits == []


def test_private_targets_are_refused_by_default(server: Server, no_connect: list[Any]) -> None:
    port = server.base.rsplit(":", 1)[1]
    urls = {
        f"http://127.0.0.1:{port}/ok": "loopback",
        "http://[::1]/": "loopback",
        "http://10.1.2.3/": "private",
        "http://192.168.0.1/admin": "private",
        "http://169.254.169.254/latest/meta-data/": "link-local",
        "http://[::ffff:127.0.0.1]/": "loopback",
        "http://0.0.0.0/": "not a public address",
    }
    res = check_urls(list(urls), Options(retries=0))
    for url, why in urls.items():
        assert res[url].status == "error", url
        assert why in res[url].message, res[url].message
        assert "allow_private" in res[url].message
    assert no_connect == []
    assert server.state.hits == []


def test_forbidden_reason() -> None:
    assert forbidden_reason("127.0.0.1") == "a loopback address"
    assert forbidden_reason("fe80::1%eth0") == "a link-local address"
    assert forbidden_reason("172.16.5.4") == "a private address"
    assert forbidden_reason("100.64.0.1") == "not a public address"  # carrier-grade NAT
    assert forbidden_reason("224.0.0.1") == "not a public address"
    assert forbidden_reason("93.184.215.14") is None
    assert forbidden_reason("2606:4700::1111") is None


def test_credentials_in_url_are_not_sent(server: Server) -> None:
    url = server.base.replace("http://", "http://user:pw@") + "/ok"
    r = check_urls([url], opts())[url]
    assert r.status == "excluded" and "credentials" in r.message
    assert server.state.hits == []


# -- cache ------------------------------------------------------------------------------------


def test_cache_hit_within_ttl(server: Server, tmp_path: Path) -> None:
    cache = tmp_path / "cache" / "links.json"
    ok, missing = server.url("/ok"), server.url("/missing")
    first = check_urls([ok, missing], opts(cache_path=cache, ttl=3600))
    hits = len(server.state.hits)
    second = check_urls([ok, missing], opts(cache_path=cache, ttl=3600))
    assert len(server.state.hits) == hits  # nothing fetched again
    for u in (ok, missing):
        assert second[u].cached and not first[u].cached
        assert (second[u].status, second[u].code) == (first[u].status, first[u].code)
    data = json.loads(cache.read_text("utf-8"))
    assert sorted(data["entries"]) == sorted([ok, missing])


def test_cache_entries_expire(server: Server, tmp_path: Path) -> None:
    cache = tmp_path / "links.json"
    ok = server.url("/ok")
    check_urls([ok], opts(cache_path=cache, ttl=60))
    data = json.loads(cache.read_text("utf-8"))
    data["entries"][ok]["checked_at"] -= 61  # a minute and a second old
    cache.write_text(json.dumps(data), "utf-8")
    r = check_urls([ok], opts(cache_path=cache, ttl=60))[ok]
    assert not r.cached
    assert server.state.paths() == ["/ok", "/ok"]
    fresh = json.loads(cache.read_text("utf-8"))["entries"][ok]["checked_at"]
    assert fresh > data["entries"][ok]["checked_at"]


@pytest.mark.parametrize(
    "content",
    [b"{not json", b"\xff\xfe\x00garbage", b"[1, 2]", b'{"version": 1, "entries": []}',
     b'{"version": 1, "entries": {"http://x/": {"status": "weird"}}}', b"", b"[" * 100_000],
)
def test_corrupt_cache_is_treated_as_empty(server: Server, tmp_path: Path, content: bytes) -> None:
    cache = tmp_path / "links.json"
    cache.write_bytes(content)
    ok = server.url("/ok")
    r = check_urls([ok], opts(cache_path=cache))[ok]
    assert (r.status, r.cached) == ("ok", False)
    assert server.state.paths() == ["/ok"]
    # ... and the file is rewritten whole and valid (no temp files left behind)
    assert json.loads(cache.read_text("utf-8"))["entries"][ok]["status"] == "ok"
    assert [p.name for p in tmp_path.iterdir()] == ["links.json"]


def test_transient_results_are_not_cached(server: Server, tmp_path: Path) -> None:
    cache = tmp_path / "links.json"
    slow = server.url("/slow")
    check_urls([slow, server.url("/ok")], opts(cache_path=cache, timeout=0.2))
    assert list(json.loads(cache.read_text("utf-8"))["entries"]) == [server.url("/ok")]


# -- options and diagnostics ------------------------------------------------------------------


def test_schema_defaults_match_options() -> None:
    defaults = Options()
    for name, schema in OPTIONS_SCHEMA.items():
        value = getattr(defaults, name)
        assert (list(value) if isinstance(value, tuple) else value) == schema["default"], name
    assert (defaults.workers, defaults.per_host, defaults.timeout, defaults.retries, defaults.ttl) == (
        8, 2, 10.0, 2, 86400.0)
    assert defaults.allow_private is False and defaults.max_redirects == 5


def test_options_from_mapping(tmp_path: Path) -> None:
    o = options_from_mapping({"exclude": ["https://x/*"], "cache_path": ".formalai-lint-cache/links.json"}, base=tmp_path)
    assert o.exclude == ("https://x/*",)
    assert o.cache_path == tmp_path / ".formalai-lint-cache" / "links.json" and o.cache_root == tmp_path
    with pytest.raises(ValueError, match="unknown external-link option"):
        options_from_mapping({"wrokers": 3})
    with pytest.raises(ValueError, match="per_host must be at least 1"):
        options_from_mapping({"per_host": 0})


def test_external_diagnostics(server: Server) -> None:
    ok, missing, loop = server.url("/ok"), server.url("/missing"), server.url("/loop/a")
    doc = parse_text(
        f"# 参考文献\n\n1. [好的]({ok})\n2. 见 [缺失]({missing})。\n3. <{loop}>\n"
        f"4. `{missing}` in code is no link\n5. [邮件](mailto:a@example.org)\n",
        "refs/a.md",
    )
    urls = collect_urls([doc])
    assert urls == [ok, missing, loop]
    results = check_urls(urls, opts())
    diags = external_diagnostics([doc], results)
    got = [(d.path, d.line, d.column, d.rule_id, d.message) for d in diags]
    assert got == [
        ("refs/a.md", 4, 6, "LK900", f"external link {missing} answers HTTP 404 (expected 2xx)"),
        ("refs/a.md", 5, 4, "LK900",
         f"external link {loop} does not work: redirect loop: {loop} -> {server.url('/loop/b')} -> {loop}"
         " (expected a 2xx answer)"),
    ]


def test_external_diagnostics_report_selection() -> None:
    doc = parse_text("# T\n\n[a](https://a.example/x) [b](https://b.example/y)\n", "t.md")
    results = {
        "https://a.example/x": Result("https://a.example/x", "timeout", message="timed out", attempts=3),
        "https://b.example/y": Result("https://b.example/y", "redirected", "https://b.example/z", 200,
                                      redirects=("https://b.example/z",)),
    }
    assert external_diagnostics([doc], results) == []
    diags = external_diagnostics([doc], results, report={"timeout", "redirected"})
    assert [(d.line, d.column) for d in diags] == [(3, 1), (3, 26)]
    assert diags[0].message == "external link https://a.example/x could not be checked: timed out"
    assert diags[1].suggestion is not None and diags[1].suggestion.replacement == "https://b.example/z"


def test_non_ascii_path_is_percent_encoded(server: Server) -> None:
    url = server.url("/ok/人工智能?q=学习")
    r = check_urls([url], opts())[url]
    assert r.status == "ok"
    assert server.state.paths() == ["/ok/%E4%BA%BA%E5%B7%A5%E6%99%BA%E8%83%BD?q=%E5%AD%A6%E4%B9%A0"]


def test_a_checker_bug_becomes_an_error_result(server: Server, monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("boom")

    monkeypatch.setattr("linter.external.checker._Run._follow", boom)
    url = server.url("/ok")
    r = check_urls([url], opts())[url]
    assert (r.status, r.message) == ("error", "internal error: RuntimeError: boom")


# -- the LK900 rule record --------------------------------------------------------------------


def test_rule_is_off_by_default_and_reports_through_the_engine(server: Server, tmp_path: Path) -> None:
    from linter.config.settings import Config, RuleSetting
    from linter.corpus import Corpus
    from linter.run.engine import active_rules, lint_corpus_rules
    from linter.rules.external import RULE

    assert RULE.id == "LK900" and RULE.name == "external-link-broken" and RULE.scope == "corpus"
    assert not RULE.enabled
    assert Config().resolve(RULE) is None  # a default run never checks external links
    for section in ("## Why", "## Fails", "## Passes", "## Fix", "## Options"):
        assert section in RULE.doc
    for name in RULE.options:
        assert f"`{name}`" in RULE.doc, name  # every option is documented on the page

    (tmp_path / "a.md").write_text(
        f"# A\n\n- [ok]({server.url('/ok')})\n- [坏]({server.url('/missing')})\n- [慢]({server.url('/slow')})\n", "utf-8")
    (tmp_path / "b.md").write_text(f"# B\n\n<{server.url('/missing')}>\n", "utf-8")
    corpus = Corpus(tmp_path)
    options = {"allow_private": True, "timeout": 0.2, "retries": 0, "cache_path": ".formalai-lint-cache/ext.json"}
    config = Config(rules={"LK900": RuleSetting(enabled=True, options=options)})
    rules = active_rules(config, (RULE,))
    found = lint_corpus_rules(corpus, corpus.paths, rules)
    assert sorted((d.path, d.line, d.column, d.rule_id) for d in found) == [
        ("a.md", 4, 3, "LK900"), ("b.md", 3, 1, "LK900")]
    assert server.state.paths().count("/missing") == 2  # HEAD + GET, once for both documents
    assert (tmp_path / ".formalai-lint-cache" / "ext.json").is_file()  # relative to the corpus root

    with_timeouts = Config(rules={"LK900": RuleSetting(enabled=True, options={**options, "report_timeouts": True})})
    found = lint_corpus_rules(corpus, corpus.paths, active_rules(with_timeouts, (RULE,)))
    assert sorted((d.path, d.line) for d in found) == [("a.md", 4), ("a.md", 5), ("b.md", 3)]


def test_unreachable_address_falls_through_to_the_next(server: Server, monkeypatch: pytest.MonkeyPatch) -> None:
    # A dual-stack host whose first address cannot be reached; nothing touches 203.0.113.1
    # (TEST-NET-3): the fake connect refuses it before any socket exists.
    import errno

    import linter.external.checker as checker

    real_connect = checker.connect
    tried: list[str] = []

    def fake_resolve(t: Any, allow_private: bool) -> list[tuple[int, str]]:
        return [(socket.AF_INET, "203.0.113.1"), (socket.AF_INET, "127.0.0.1")]

    def fake_connect(t: Any, address: str, **kw: Any) -> Any:
        tried.append(address)
        if address != "127.0.0.1":
            raise OSError(errno.ENETUNREACH, "Network is unreachable")
        return real_connect(t, address, **kw)

    monkeypatch.setattr(checker, "resolve", fake_resolve)
    monkeypatch.setattr(checker, "connect", fake_connect)
    url = server.url("/ok")
    assert check_urls([url], opts())[url].status == "ok"
    assert tried == ["203.0.113.1", "127.0.0.1"]
    monkeypatch.setattr(checker, "resolve", lambda t, a: [(socket.AF_INET, "203.0.113.1")])
    r = check_urls([url], opts())[url]
    assert r.status == "error"
    assert r.message.startswith("connection failed: ") and "Network is unreachable" in r.message


# -- the LK900 case file, run here again with connections forbidden ------------------------

LK900_CASES = Path(__file__).parent / "rules" / "cases" / "LK900.yaml"


def _lk900_cases() -> list[Any]:
    import yaml

    data = yaml.safe_load(LK900_CASES.read_text("utf-8"))
    return [pytest.param(case, id=name) for name, case in data["cases"].items()]


@pytest.mark.parametrize("case", _lk900_cases())
def test_lk900_cases(case: dict[str, Any], tmp_path: Path, no_connect: list[Any], monkeypatch: pytest.MonkeyPatch) -> None:
    import linter.run.engine as engine
    from linter.rules.external import RULE
    from tests.rules.case_runner import parse_expect, run_case

    real = engine.active_rules
    monkeypatch.setattr(engine, "active_rules", lambda config, rules=(RULE,): real(config, (RULE,)))
    found, multi = run_case("LK900", case, tmp_path)
    expected = parse_expect(case.get("expect", []))
    got = {(f"{d.path}:" if multi else "") + f"{d.line}:{d.column}": d.message for d in found}
    assert sorted(got) == sorted(e.at for e in expected), got
    for e in expected:
        assert e.message is None or e.message in got[e.at], got[e.at]
    assert no_connect == []


# -- the links --external summary -----------------------------------------------------------


def test_run_external_summary(server: Server) -> None:
    from linter.external import run_external

    ok, missing = server.url("/ok"), server.url("/missing")
    docs = [
        parse_text(f"# A\n\n[a]({ok}) [b]({missing})\n", "a.md"),
        parse_text(f"# B\n\n- <{missing}>\n- [c](<{server.url('/slow')}>)\n", "sub/b.md"),
    ]
    rep = run_external(docs, opts(timeout=0.2))
    assert rep.counts() == {"ok": 1, "broken": 1, "timeout": 1, "error": 0, "excluded": 0, "redirected": 0}
    assert rep.where[missing] == (("a.md", 3, len(ok) + 7), ("sub/b.md", 3, 3))
    assert [(d.path, d.line) for d in rep.diagnostics] == [("a.md", 3), ("sub/b.md", 3)]
    text = rep.render_text()
    assert "external links: 4 links to 3 URLs; ok 1, broken 1, timeout 1" in text
    assert f"  a.md:3:{len(ok) + 7} (+1 more)  {missing}  broken: HTTP 404" in text
    data = json.loads(json.dumps(rep.to_data()))
    assert data["by_status"]["broken"] == 1
    row = next(r for r in data["results"] if r["url"] == missing)
    assert row["linked_from"] == [{"path": "a.md", "line": 3, "column": len(ok) + 7},
                                  {"path": "sub/b.md", "line": 3, "column": 3}]
    section = rep.html_section()
    assert section.count("<tr><td>") == 2  # broken and timeout rows
    assert "<script" not in section and "http-equiv" not in section


def test_html_section_escapes_urls() -> None:
    from linter.external import ExternalReport

    url = "https://x.example/<script>alert(1)</script>"
    rep = ExternalReport({url: Result(url, "broken", url, 404, 1, "HTTP 404")}, {url: (("a.md", 1, 1),)}, ())
    section = rep.html_section()
    assert "<script>" not in section and "&lt;script&gt;" in section


def test_malformed_http_urls_are_errors_not_crashes(no_connect: list[Any]) -> None:
    urls = ["http://[::1", "https://[zz]/", "http://a.example:99999/", "http:///x", "HTTP://"]
    res = check_urls(urls, Options())
    assert {u: res[u].status for u in urls} == dict.fromkeys(urls, "error")
    assert res["http://[::1"].message == "malformed URL: Invalid IPv6 URL"
    assert res["http:///x"].message == "URL has no host"
    assert no_connect == []

_URLISH = st.one_of(
    st.text(max_size=40),
    st.builds(
        lambda scheme, host, rest: f"{scheme}{host}{rest}",
        st.sampled_from(["http://", "https://", "HTTPS://", "//", "ftp://", "javascript:", "file://", "", "http:"]),
        st.text(alphabet="abcé例[]:@%.-0129", max_size=15),
        st.text(alphabet="/?#&= %é例\\\r\n\t<>\"'", max_size=15),
    ),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(_URLISH, max_size=6))
def test_any_input_gives_a_result_and_no_network(urls: list[str]) -> None:
    # No DNS and no connect: every host "does not resolve", and a connect would fail the test.
    def no_dns(*args: Any, **kwargs: Any) -> Any:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    def no_connect(self: socket.socket, address: Any) -> None:
        raise AssertionError(f"unexpected connect to {address}")

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(socket, "getaddrinfo", no_dns)
        mp.setattr(socket.socket, "connect", no_connect)
        res = check_urls(urls, Options(retries=0, deadline=5.0))
    assert list(res) == list(dict.fromkeys(urls))
    for url, r in res.items():
        assert r.url == url
        assert r.status in ("excluded", "error"), r
        assert r.message


def test_attach_to_report() -> None:
    from linter.external import ExternalReport, attach_to_report

    url = "https://x.example/gone"
    rep = ExternalReport({url: Result(url, "broken", url, 404, 1, "HTTP 404")}, {url: (("a.md", 2, 1),)}, ())
    text = attach_to_report("text", "3 documents\n", rep)
    assert text.startswith("3 documents\n") and f"a.md:2:1  {url}  broken: HTTP 404" in text
    data = json.loads(attach_to_report("json", json.dumps({"nodes": [], "edges": []}), rep))
    assert data["nodes"] == [] and data["external"]["by_status"]["broken"] == 1
    page = attach_to_report("html", "<html><body><main><p>x</p></main><script>s</script></body></html>", rep)
    assert page.index("<section id='external'>") < page.index("</main>") < page.index("<script>")
    assert attach_to_report("dot", "digraph {}", rep) == "digraph {}"
