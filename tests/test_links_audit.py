"""The maintainers' audit on a small corpus written here: graph, orphans, formats, CLI."""

from __future__ import annotations

import json
import shutil
import subprocess
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from linter.cli.links import links_command
from linter.corpus import Corpus
from linter.links.audit import build_audit
from linter.links.check import checker_for
from linter.links.graph import audit_dot, graph_data
from linter.links.html import render_html
from linter.document.model import Document
from linter.document.parse import parse_bytes, parse_text
from tests.helpers import write_tree

FILES = {
    "README.md": "# 总览\n\n- [概念](concepts/)\n- [A](concepts/a.md)\n- [B](concepts/b.md#二目录)\n",
    "concepts/README.md": "# 概念\n\n[A](a.md) [旧](old_name.md) [旧2](./old_name.md#x)\n",
    "concepts/a.md": "# A\n\n## 二、目录\n\n[B](b.md) [B坏](b.md#十核心结论) [空格](../docs/with space.md)\n",
    "concepts/b.md": "# B\n\n## 二、目录\n\n## 十一、核心结论\n\n[顶](#top)\n",
    "concepts/renamed.md": "# 新名\n",
    "docs/lonely.md": "# 孤立\n\n[外部](https://example.org/) `[代码](nowhere.md)`\n",
    "docs/with space.md": "# 空格\n\n[上](../README.md)\n",
    "docs/INDEX.md": "# 索引\n",
}


@pytest.fixture()
def corpus_dir(tmp_path: Path) -> Path:
    write_tree(tmp_path, FILES)
    return tmp_path


def test_audit_counts_orphans_dead_ends(corpus_dir: Path) -> None:
    corpus = Corpus(corpus_dir)
    audit = build_audit(corpus, corpus.paths)
    assert dict(audit.cause_counts()) == {"missing-file": 2, "bad-cross-anchor": 1, "pseudo-link": 1}
    # README/INDEX are never orphans; `with space.md` is only reached by a pseudo-link
    assert audit.orphans() == ["concepts/renamed.md", "docs/lonely.md", "docs/with space.md"]
    assert audit.dead_ends() == ["concepts/b.md", "concepts/renamed.md", "docs/INDEX.md", "docs/lonely.md"]
    top = audit.most_linked()[0]
    assert (top.path, top.inbound_sources, top.inbound) == ("concepts/a.md", 2, 2)
    # the folder link counts for concepts/README.md
    assert audit.stats["concepts/README.md"].inbound == 1
    rows = {r.folder: r for r in audit.folders}
    assert rows["concepts"].counts["file"] == {"ok": 2, "broken": 3}
    assert rows["concepts"].counts["pseudo"] == {"ok": 0, "broken": 1}
    assert rows["docs"].counts["external"]["ok"] == 1
    assert [p for p, n, _ in audit.missing_targets()] == ["concepts/old_name.md"]
    assert [v.dest for v in audit.external_links()] == ["https://example.org/"]
    assert build_audit(corpus, corpus.paths, entry_points=["docs/*"]).orphans() == ["concepts/renamed.md"]


def test_mostly_broken_inbound_is_the_renamed_file(tmp_path: Path) -> None:
    files = {
        "view/T07_机制.md": "# T07\n",
        "a/x.md": "[v](../view/ai_internal_view.md) [w](../../view/T07_机制.md)\n",
        "b/y.md": "[w](../view/T07_机制.md#nope) [ok](../view/T07_机制.md)\n",
        "c/z.md": "[w](view/T07_机制.md)\n",
    }
    write_tree(tmp_path, files)
    audit = build_audit(Corpus(tmp_path), Corpus(tmp_path).paths)
    rows = [(s.path, s.inbound, s.inbound_broken) for s in audit.mostly_broken_inbound()]
    # inbound: 1 working; broken meaning it: escapes-root (../../), bad anchor, c/z.md's missing path
    assert rows == [("view/T07_机制.md", 1, 3)]


def test_target_parsed_once_however_many_link_to_it(tmp_path: Path) -> None:
    (tmp_path / "t.md").write_text("# T\n\n## 一、概述\n", encoding="utf-8")
    for i in range(30):
        (tmp_path / f"s{i}.md").write_text(f"[t](t.md#一概述) [bad](t.md#x{i})\n", encoding="utf-8")
    parsed: list[str] = []

    def loader(path: str, data: bytes) -> Document:
        parsed.append(path)
        return parse_bytes(data, path)

    corpus = Corpus(tmp_path, loader=loader)
    checker = checker_for(corpus)
    found = [v for p in corpus.paths for v in checker.verdicts(p)]
    assert sum(1 for v in found if v.cause == "bad-cross-anchor") == 30
    assert parsed.count("t.md") == 1 and len(parsed) == 31


def test_links_in_code_are_never_links() -> None:
    doc = parse_text("# A\n\n`[x](a.md)` and ``[y](b c.md)``\n\n```md\n[z](c.md)\n```\n\n    [w](d.md)\n\n[real](e.md)\n")
    assert [link.dest for link in doc.links] == ["e.md"]
    assert doc.pseudo_links == ()


def test_graph_json_and_dot(corpus_dir: Path) -> None:
    corpus = Corpus(corpus_dir)
    audit = build_audit(corpus, corpus.paths)
    data = graph_data(audit)
    edges = {(e["source"], e["target"], e["status"]) for e in data["edges"]}
    assert ("README.md", "concepts/README.md", "ok") in edges  # folder link -> its README
    assert ("concepts/README.md", "concepts/old_name.md", "missing-file") in edges
    assert ("concepts/a.md", "docs/with space.md", "pseudo-link") in edges
    missing = next(n for n in data["nodes"] if n["id"] == "concepts/old_name.md")
    assert missing["missing"] and not missing["in_scope"]
    dot = audit_dot(audit)
    assert dot.startswith("digraph links {") and dot.rstrip().endswith("}")
    assert '"concepts/a.md" -> "docs/with space.md" [label="pseudo-link"' in dot
    assert len(re.findall(r" -> ", dot)) == len(data["edges"])


def test_html_is_self_contained(corpus_dir: Path) -> None:
    corpus = Corpus(corpus_dir)
    page = render_html(build_audit(corpus, corpus.paths), "Link audit: <test>")
    assert page.startswith("<!DOCTYPE html>") and "<title>Link audit: &lt;test&gt;</title>" in page
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:|//)""", page)
    assert "<link" not in page and "@import" not in page
    assert page.count("<svg") == 2 and "<script>" in page
    assert "concepts/old_name.md" in page and "docs/with space.md" in page


def test_cli_formats_and_errors(corpus_dir: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    res = runner.invoke(links_command, [str(corpus_dir), "--root", str(corpus_dir)])
    assert res.exit_code == 0, res.output
    assert res.output.startswith("8 documents, ") and "missing file (2):" in res.output
    res = runner.invoke(links_command, [str(corpus_dir / "concepts"), "--root", str(corpus_dir), "--format", "json"])
    data = json.loads(res.output)
    assert data["totals"]["documents"] == 4
    assert {b["cause"] for b in data["broken"]} == {"missing-file", "bad-cross-anchor", "pseudo-link"}
    assert next(b for b in data["broken"] if b["cause"] == "bad-cross-anchor")["suggestion"]["replacement"] == "b.md#十一核心结论"
    out = tmp_path / "r.html"
    res = runner.invoke(links_command, [str(corpus_dir), "--root", str(corpus_dir), "--format", "html", "-o", str(out)])
    assert res.exit_code == 0 and out.read_text("utf-8").startswith("<!DOCTYPE html>")
    res = runner.invoke(links_command, [str(corpus_dir / "nope")])
    assert res.exit_code == 1 and "path not found" in res.output


@pytest.mark.skipif(shutil.which("dot") is None, reason="graphviz is not installed")
def test_dot_output_parses_with_graphviz(corpus_dir: Path) -> None:
    corpus = Corpus(corpus_dir)
    dot = audit_dot(build_audit(corpus, corpus.paths))
    res = subprocess.run(["dot", "-Tsvg"], input=dot, capture_output=True, text=True, timeout=60, check=False)
    assert res.returncode == 0 and res.stderr == "", res.stderr
    assert res.stdout.count('class="edge"') == dot.count(" -> ")
