"""A default `check` opens no network connection, even on documents full of http(s) links.

The check runs in a subprocess under an audit hook (PEP 578) installed before the linter is
imported: any DNS lookup, connect or send ends the process with exit code 97 and names the
event on stderr. A second test points the same guard at the external checker, proving the
hook really catches the checker's network use (so the first test can fail).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

GUARDED = 97

GUARD = r"""
import os, sys

NETWORK_EVENTS = {
    "socket.connect", "socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyname_ex",
    "socket.gethostbyaddr", "socket.getnameinfo", "socket.sendto", "socket.sendmsg",
    "urllib.Request", "http.client.connect",
}

def _guard(event, args):
    if event in NETWORK_EVENTS:
        os.write(2, f"NETWORK {event} {args!r}\n".encode("utf-8", "replace"))
        os._exit(97)

sys.addaudithook(_guard)
"""

RUN_CLI = GUARD + r"""
import runpy
sys.argv = ["formalai-lint", *sys.argv[1:]]
runpy.run_module("linter", run_name="__main__", alter_sys=True)
"""


def _run(code: str, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env["PYTHONIOENCODING"] = "utf-8"
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=120, check=False,
    )


def _corpus(root: Path) -> Path:
    (root / ".git").mkdir(parents=True)  # the corpus root marker
    (root / "concepts").mkdir()
    (root / "concepts" / "01-概念.md").write_text(
        "# 一、概念\n\n"
        "## 1.1 参考文献\n\n"
        "1. Vaswani et al. [Attention Is All You Need](https://arxiv.org/abs/1706.03762)\n"
        "2. <https://www.deepmind.com/research>\n"
        "3. [本地服务](http://127.0.0.1:8080/admin) 与 [元数据](http://169.254.169.254/latest/)\n"
        "4. ![图](https://example.org/figure.png) 和 //cdn.example.org/x.js\n\n"
        "```python\nprint('unclosed fence')\n",
        "utf-8",
    )
    (root / "README.md").write_text("# 索引\n\n- [概念](concepts/01-概念.md)\n- https://github.com/\n", "utf-8")
    return root


def test_default_check_opens_no_connection(tmp_path: Path) -> None:
    root = _corpus(tmp_path / "kb")
    proc = _run(RUN_CLI, "check", "--format", "json", str(root), cwd=tmp_path)
    assert "NETWORK" not in proc.stderr, proc.stderr
    assert proc.returncode == 1, proc.stderr  # findings, not a crash and not the guard
    found = json.loads(proc.stdout)
    diagnostics = found["diagnostics"] if isinstance(found, dict) else found
    rules = {d["rule"] for d in diagnostics}
    # the check really ran over the documents with the links (the unclosed fence is found) ...
    assert "MK010" in rules
    # ... and no external-link result was produced, because nothing was fetched
    assert "LK900" not in rules


def test_the_guard_catches_the_external_checker(tmp_path: Path) -> None:
    # Same guard, but this time something does try the network: the external checker
    # (127.0.0.1 allowed, so only the guard stops it; the hook fires before any connect).
    code = GUARD + (
        "from linter.external import Options, check_urls\n"
        "check_urls(['http://127.0.0.1:9/'], Options(allow_private=True, retries=0, timeout=1))\n"
        "print('fetched without the guard noticing')\n"
    )
    proc = _run(code, cwd=tmp_path)
    assert proc.returncode == GUARDED, (proc.returncode, proc.stdout, proc.stderr)
    assert "NETWORK socket.getaddrinfo ('127.0.0.1', 9" in proc.stderr
    assert "fetched" not in proc.stdout


def test_the_guard_catches_a_plain_connect(tmp_path: Path) -> None:
    code = GUARD + "import socket\nsocket.socket().connect(('127.0.0.1', 9))\n"
    proc = _run(code, cwd=tmp_path)
    assert proc.returncode == GUARDED
    assert "NETWORK socket.connect" in proc.stderr


def test_enabling_lk900_is_what_goes_online(tmp_path: Path) -> None:
    # The other side of the first test: the same corpus, with LK900 enabled the way a config
    # file enables it, does reach for the network (the guard stops it at the first DNS lookup,
    # before any packet leaves). So the default check is offline because the rule is off.
    root = _corpus(tmp_path / "kb")
    code = GUARD + (
        "from pathlib import Path\n"
        "from linter.config.settings import Config, RuleSetting\n"
        "from linter.corpus import Corpus\n"
        "from linter.run.engine import active_rules, lint_corpus_rules\n"
        "from linter.rules.external import RULE\n"
        f"corpus = Corpus(Path({str(root)!r}))\n"
        "config = Config(rules={'LK900': RuleSetting(enabled=True)})\n"
        "assert active_rules(Config(), (RULE,)) == []\n"
        "lint_corpus_rules(corpus, corpus.paths, active_rules(config, (RULE,)))\n"
        "print('checked without the guard noticing')\n"
    )
    proc = _run(code, cwd=tmp_path)
    assert proc.returncode == GUARDED, (proc.returncode, proc.stdout, proc.stderr)
    assert "NETWORK socket.getaddrinfo" in proc.stderr
