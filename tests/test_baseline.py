"""Baselines: line-shift tolerant, counted, removable entries, stable file, CLI flow."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from linter import lint_paths
from linter.run.baseline import build, compare, read, write
from linter.config.settings import ConfigError

DOC = "# 标题\n\n## 一、概述\n\n# 第二个标题\n\n## 二、细节\n\n正文。\n"


def check(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        # --select: the fixtures are built around single-h1; other rules are not the subject
        [sys.executable, "-m", "linter", "check", str(root), "--root", str(root), "--select", "MK020", *args],
        capture_output=True, text=True, timeout=120, cwd=root,
    )


@pytest.fixture()
def repo(tmp_path: Path) -> Path:
    (tmp_path / ".git").mkdir()
    (tmp_path / "a.md").write_text(DOC, "utf-8")
    return tmp_path


def test_write_then_pass_then_survive_inserted_lines_then_fail_on_new(repo: Path) -> None:
    base = repo / "baseline.json"
    assert check(repo).returncode == 1
    w = check(repo, "--write-baseline", str(base))
    assert w.returncode == 0 and "wrote 1 finding(s)" in w.stderr
    assert check(repo, "--baseline", str(base)).returncode == 0

    # lines inserted above the recorded finding: same fingerprint, still passes
    (repo / "a.md").write_text(DOC.replace("## 一、概述\n", "## 一、概述\n\n新段落。\n\n另一段。\n"), "utf-8")
    shifted = check(repo, "--baseline", str(base))
    assert shifted.returncode == 0, shifted.stdout
    assert "1 known finding(s) not reported, 0 new" in shifted.stderr

    # a new finding of the same rule elsewhere fails, and only it is reported
    (repo / "a.md").write_text(DOC + "\n# 第三个标题\n", "utf-8")
    new = check(repo, "--baseline", str(base))
    assert new.returncode == 1
    assert new.stdout.splitlines()[0].startswith("a.md:11:1: MK020 error: second H1")
    assert len([ln for ln in new.stdout.splitlines() if ": MK020 " in ln]) == 1


def test_fixed_findings_are_listed_as_removable(repo: Path) -> None:
    base = repo / "baseline.json"
    check(repo, "--write-baseline", str(base))
    (repo / "a.md").write_text(DOC.replace("# 第二个标题", "## 第二个标题"), "utf-8")
    r = check(repo, "--baseline", str(base))
    assert r.returncode == 0
    assert "1 recorded finding(s) are fixed" in r.stderr
    assert "a.md: MK020 '第二个标题'" in r.stderr


def test_identical_findings_are_counted(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    doc = tmp_path / "a.md"
    unused = "<!-- formalai-lint-disable-next-line -->\n\n"
    doc.write_text("# T\n\n" + unused * 2, "utf-8")
    result = lint_paths([doc], root=tmp_path, select=["MK900"])
    assert result.corpus is not None
    data = build(result.diagnostics, result.corpus)
    assert [(f["rule"], f["count"]) for f in data["findings"]] == [("MK900", 2)]
    base = tmp_path / "b.json"
    write(base, result.diagnostics, result.corpus)
    # a third identical one is new even though its fingerprint is known
    doc.write_text("# T\n\n" + unused * 3, "utf-8")
    again = lint_paths([doc], root=tmp_path, select=["MK900"])
    assert again.corpus is not None
    cmp = compare(again.diagnostics, read(base), again.corpus)
    assert [(d.line, d.rule_id) for d in cmp.new] == [(7, "MK900")] and cmp.known == 2


def test_file_is_sorted_indented_versioned_and_stable(repo: Path) -> None:
    (repo / "b.md").write_text("# B\n\n# C\n", "utf-8")
    first, second = repo / "1.json", repo / "2.json"
    check(repo, "--write-baseline", str(first))
    check(repo, "--write-baseline", str(second))
    text = first.read_text("utf-8")
    assert text == second.read_text("utf-8")
    data = json.loads(text)
    assert data["version"] == 2
    assert [f["path"] for f in data["findings"]] == ["a.md", "b.md"]
    assert data["findings"][0] == {
        "count": 1, "hash": data["findings"][0]["hash"], "path": "a.md", "rule": "MK020", "text": "第二个标题",
    }
    assert text.startswith('{\n  "findings": [\n')
    assert "line" not in text


def test_bad_baseline_file_is_a_config_error(tmp_path: Path) -> None:
    bad = tmp_path / "b.json"
    bad.write_text('{"version": 99, "findings": []}', "utf-8")
    with pytest.raises(ConfigError, match="version 2"):
        read(bad)
    bad.write_text("{", "utf-8")
    with pytest.raises(ConfigError, match="not valid JSON"):
        read(bad)
    (tmp_path / ".git").mkdir()
    (tmp_path / "a.md").write_text("# T\n", "utf-8")
    r = check(tmp_path, "--baseline", str(bad))
    assert r.returncode == 2 and r.stderr.startswith("error: baseline")
