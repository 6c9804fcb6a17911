"""Issue 12, items 10 and 16: `--external` is bounded as a whole (a server trickling its
headers cannot keep the process alive past the deadline), and `links --external` honours
the config file. Only a local 127.0.0.1 server is contacted."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers import write_tree


class Trickler:
    """A TCP server on 127.0.0.1 that answers every request with one byte of its header
    block every 0.2 s, for ever: each read succeeds well within any read timeout."""

    def __init__(self) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.stop = threading.Event()
        self.connections = 0
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            threading.Thread(target=self._trickle, args=(conn,), daemon=True).start()

    def _trickle(self, conn: socket.socket) -> None:
        payload = b"HTTP/1.1 200 OK\r\n" + b"X-Slow: " + b"a" * 100_000
        with conn:
            for i in range(len(payload)):
                if self.stop.wait(0.2):
                    return
                try:
                    conn.sendall(payload[i:i + 1])
                except OSError:
                    return  # the client gave up: what the fix makes it do


class OK:
    """A tiny server answering 200 to anything (HEAD and GET)."""

    def __init__(self) -> None:
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        class Handler(BaseHTTPRequestHandler):
            def do_HEAD(self) -> None:
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            do_GET = do_HEAD

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()


@pytest.fixture
def trickler() -> Iterator[Trickler]:
    t = Trickler()
    yield t
    t.stop.set()
    t.sock.close()


@pytest.fixture
def ok_server() -> Iterator[OK]:
    s = OK()
    yield s
    s.httpd.shutdown()
    s.httpd.server_close()


def _config(root: Path, **options: object) -> None:
    lines = ["rules:", "  external-link-broken:", "    enabled: true", "    options:"]
    lines += [f"      {k}: {json.dumps(v)}" for k, v in options.items()]
    (root / ".formalai-lint.yaml").write_text("\n".join(lines) + "\n", "utf-8")


def test_a_trickling_server_cannot_outlive_the_deadline(tmp_path: Path, trickler: Trickler) -> None:
    url = f"http://127.0.0.1:{trickler.port}/page"
    root = write_tree(tmp_path / "repo", {"a.md": f"# A\n\n[慢]({url})\n"})
    _config(root, allow_private=True, deadline=1.5, timeout=1, connect_timeout=1, retries=0,
            report_timeouts=True)
    # before the fix the process stayed alive (joined on the worker) as long as the server
    # kept trickling: here for ever, so the subprocess timeout turned it into a failure
    r = subprocess.run([sys.executable, "-m", "linter", "check", str(root), "--format", "json", "--no-cache"],
                       capture_output=True, text=True, timeout=60)
    found = [(d["path"], d["line"], d["rule"], d["message"]) for d in json.loads(r.stdout)["diagnostics"]]
    assert r.returncode == 1 and [f[:3] for f in found] == [("a.md", 3, "LK900")]
    assert "deadline of 1.5 s" in found[0][3]
    assert trickler.connections == 1  # HEAD only: no GET started after the deadline


def test_links_external_honours_the_config(tmp_path: Path, ok_server: OK) -> None:
    ok = f"http://127.0.0.1:{ok_server.port}/fine"
    skipped = f"http://127.0.0.1:{ok_server.port}/skip-me"
    root = write_tree(tmp_path / "repo", {"a.md": f"# A\n\n[好]({ok})\n[跳]({skipped})\n"})
    _config(root, allow_private=True, retries=0, exclude=["*skip-me*"])
    r = subprocess.run([sys.executable, "-m", "linter", "links", str(root), "--external", "--format", "json"],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    statuses = {u["url"]: u["status"] for u in json.loads(r.stdout)["external"]["results"]}
    # before the fix the config was ignored: 127.0.0.1 refused as private, nothing excluded
    assert statuses == {ok: "ok", skipped: "excluded"}
