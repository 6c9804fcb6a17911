"""The link audit for adopters (issue 15, items 11-13): `links` reads the parse cache `check`
fills, the DOT graph has a folder level and a focus, the HTML report links to the files and
says which commit and time it shows."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import linter.document.parse as parse_module
from linter.cli.links import links_command
from linter.links.audit import build_audit
from linter.links.graph import audit_dot
from linter.links.html import render_html
from linter.links.provenance import ReportContext, github_repository
from linter.corpus import Corpus
from tests.helpers import write_tree

FILES = {
    "README.md": "# 总览\n\n- [A](concepts/a.md)\n- [B](concepts/b.md)\n- [D](docs/d.md)\n",
    "concepts/a.md": "# A\n\n## 二、目录\n\n[B](b.md) [D](../docs/d.md) [D2](../docs/d.md) [坏](../docs/gone.md)\n",
    "concepts/b.md": "# B\n\n[A](a.md#二目录)\n",
    "docs/d.md": "# D\n\n[A](../concepts/a.md)\n",
    "docs/e.md": "# E\n",
}


def test_a_warm_links_run_parses_no_document(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_tree(tmp_path, FILES)
    cold = CliRunner().invoke(links_command, [str(tmp_path), "--root", str(tmp_path), "--format", "json", "-j", "1"])
    assert cold.exit_code == 0, cold.output
    assert list((tmp_path / ".formalai-lint-cache").rglob("*")), "links fills the cache check uses"

    def no_parse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a warm links run parsed a document")

    monkeypatch.setattr(parse_module, "parse_text", no_parse)
    monkeypatch.setattr(parse_module, "parse_bytes", no_parse)
    warm = CliRunner().invoke(links_command, [str(tmp_path), "--root", str(tmp_path), "--format", "json", "-j", "1"])
    assert warm.exit_code == 0, warm.output
    assert warm.output == cold.output


def test_links_after_check_reuses_its_cache(tmp_path: Path) -> None:
    write_tree(tmp_path, FILES)
    subprocess.run([sys.executable, "-m", "linter", "check", "-q"], cwd=tmp_path, capture_output=True, timeout=120)
    entries = sorted(p.name for p in (tmp_path / ".formalai-lint-cache").rglob("*") if p.is_file())
    r = subprocess.run([sys.executable, "-m", "linter", "links"], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0 and "5 documents" in r.stdout
    after = sorted(p.name for p in (tmp_path / ".formalai-lint-cache").rglob("*") if p.is_file())
    assert after == entries  # nothing new parsed, nothing new stored


def _audit(tmp_path: Path):  # type: ignore[no-untyped-def]
    write_tree(tmp_path, FILES)
    corpus = Corpus(tmp_path)
    return build_audit(corpus, corpus.paths)


def test_folder_graph_aggregates_edges_with_counts(tmp_path: Path) -> None:
    dot = audit_dot(_audit(tmp_path), "folders")
    assert '"concepts" -> "docs" [label="2 link(s)"' in dot  # a.md -> d.md twice
    assert '"concepts" -> "docs" [label="1 broken"' in dot  # a.md -> docs/gone.md
    assert '"docs" -> "concepts" [label="1 link(s)"' in dot
    assert '"(root)" -> "concepts" [label="2 link(s)"' in dot
    assert '"concepts" [label="concepts\\n2 document(s), 2 link(s) inside"];' in dot
    assert "a.md" not in dot  # documents are not nodes at this level


def test_document_graph_is_clustered_per_folder_and_focus_keeps_the_neighbourhood(tmp_path: Path) -> None:
    audit = _audit(tmp_path)
    full = audit_dot(audit)
    assert len(re.findall(r"subgraph \"cluster_\d+\"", full)) == 3
    assert 'label="docs";' in full
    focus = audit_dot(audit, focus="docs/d.md")
    edges = re.findall(r'^  "([^"]+)" -> "([^"]+)"', focus, re.M)
    assert sorted(edges) == [("README.md", "docs/d.md"), ("concepts/a.md", "docs/d.md"), ("docs/d.md", "concepts/a.md")]
    assert "concepts/b.md" not in focus and "docs/e.md" not in focus


def test_links_cli_graph_options(tmp_path: Path) -> None:
    write_tree(tmp_path, FILES)
    folders = CliRunner().invoke(links_command, [str(tmp_path), "--root", str(tmp_path), "--format", "dot", "--graph", "folders"])
    assert folders.exit_code == 0 and folders.output.startswith("digraph folders {")
    focus = CliRunner().invoke(links_command, [str(tmp_path), "--root", str(tmp_path), "--format", "dot",
                                               "--focus", str(tmp_path / "docs" / "d.md")])
    assert focus.exit_code == 0 and "concepts/b.md" not in focus.output
    bad = CliRunner().invoke(links_command, [str(tmp_path), "--root", str(tmp_path), "--format", "dot",
                                             "--focus", str(tmp_path / "nope.md")])
    assert bad.exit_code == 2 and "not a document of the corpus" in bad.output


def test_github_remotes() -> None:
    for url in ("https://github.com/o/r.git", "git@github.com:o/r.git", "ssh://git@github.com/o/r", "https://github.com/o/r/"):
        assert github_repository(url) == "o/r"
    assert github_repository("https://gitlab.com/o/r.git") is None
    assert github_repository("/srv/git/r.git") is None


def test_html_links_files_navigates_sections_and_names_commit_and_time(tmp_path: Path) -> None:
    ctx = ReportContext("0123456789abcdef", "2026-12-01T09:00:00Z", "../", "https://github.com/o/r/blob/0123456789abcdef/")
    page = render_html(_audit(tmp_path), "Link audit", ctx)
    assert '<a href="../concepts/a.md"><code>concepts/a.md:5</code></a>' in page
    assert 'href="https://github.com/o/r/blob/0123456789abcdef/concepts/a.md#L5">GitHub</a>' in page
    assert "commit <a" in page and "0123456789ab" in page and 'datetime="2026-12-01T09:00:00Z"' in page
    nav = re.search(r"<nav>(.*?)</nav>", page)
    assert nav is not None
    for target in re.findall(r'href="#([a-z-]+)"', nav.group(1)):
        assert f"id='{target}'" in page or f'id="{target}"' in page
    # without git: no commit, no GitHub links, still links to the files
    plain = render_html(_audit(tmp_path / "x"), "Link audit", ReportContext(generated="2026-12-01T09:00:00Z"))
    assert "GitHub</a>" not in plain and "commit" not in plain and '<a href="concepts/a.md">' in plain


def test_html_report_from_a_git_checkout_with_a_github_remote(tmp_path: Path) -> None:
    write_tree(tmp_path, FILES)
    env_git = ["git", "-c", "user.email=t@e", "-c", "user.name=t"]
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True, timeout=60)
    subprocess.run(["git", "remote", "add", "origin", "git@github.com:o/r.git"], cwd=tmp_path, check=True, timeout=60)
    subprocess.run(["git", "add", "-A"], cwd=tmp_path, check=True, timeout=60)
    subprocess.run([*env_git, "commit", "-qm", "x"], cwd=tmp_path, check=True, timeout=60)
    sha = subprocess.run(["git", "rev-parse", "HEAD"], cwd=tmp_path, capture_output=True, text=True, timeout=60).stdout.strip()
    (tmp_path / "out").mkdir()
    r = subprocess.run([sys.executable, "-m", "linter", "links", "--format", "html", "-o", "out/report.html"],
                       cwd=tmp_path, capture_output=True, text=True, timeout=120, env={"SOURCE_DATE_EPOCH": "0", "PATH": "/usr/bin:/bin"})
    assert r.returncode == 0, r.stderr
    page = (tmp_path / "out" / "report.html").read_text("utf-8")
    assert f'href="https://github.com/o/r/blob/{sha}/concepts/a.md#L5"' in page
    assert '<a href="../concepts/a.md"><code>concepts/a.md:5</code></a>' in page
    assert 'datetime="1970-01-01T00:00:00Z"' in page
