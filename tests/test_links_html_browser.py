"""The HTML report renders in a real headless Chromium without console errors.

Skips when Debian's `chromium` is not installed (scripts/check_html_report.sh installs it
and does the same on the real corpus, with a screenshot).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from linter.corpus import Corpus
from linter.links.audit import build_audit
from linter.links.html import render_html
from tests.helpers import write_tree

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--enable-logging=stderr", "--v=0"]


def _run(page: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    profile = f"--user-data-dir={page.parent / 'chromium-profile'}"  # never the user's own profile
    return subprocess.run(
        [CHROMIUM, *FLAGS, profile, *extra, page.as_uri()], capture_output=True, text=True, timeout=120, check=False
    )


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)")
def test_report_runs_in_chromium_without_console_errors(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    files = {
        "README.md": "# 总览\n\n[A](concepts/a.md) [坏](concepts/missing.md) [锚](concepts/a.md#nope) [注入](q<i>x</i>.md)\n",
        "concepts/a.md": "# A\n\n- [十、核心结论](#十核心结论)\n\n## 十一、核心结论\n\n[空格](../x y.md)\n",
        "x y.md": "# X\n",
    }
    write_tree(root, files)
    corpus = Corpus(root)
    page = tmp_path / "report.html"
    page.write_text(render_html(build_audit(corpus, corpus.paths), "Link audit"), encoding="utf-8")

    dom = _run(page, "--dump-dom")
    console = [line for line in dom.stderr.splitlines() if "CONSOLE" in line or "Uncaught" in line]
    assert console == []
    assert 'data-ready="1"' in dom.stdout  # the page's script ran to its last statement
    assert "q&lt;i&gt;x&lt;/i&gt;.md" in dom.stdout  # corpus text is escaped, never markup

    shot = tmp_path / "report.png"
    _run(page, "--window-size=1280,1600", f"--screenshot={shot}")
    assert shot.is_file() and shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
