"""The command line: formats, exit codes, and bad input that never gives a traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from linter import __version__
from linter.cli.main import cli, main
from linter.rules import ALL_RULES


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """The real entry point in a subprocess, as a user runs it."""
    return subprocess.run(
        [sys.executable, "-m", "linter", *args], capture_output=True, text=True, cwd=cwd, timeout=120
    )


@pytest.fixture()
def repo(tmp_path: Path) -> Path:
    (tmp_path / ".git").mkdir()
    (tmp_path / "good.md").write_text("# 标题\n\n正文。\n", "utf-8")
    (tmp_path / "bad.md").write_text("# 标题\n\n```python\nx = 1\n", "utf-8")
    return tmp_path


def test_text_output_and_exit_1(repo: Path) -> None:
    r = run("check", str(repo / "bad.md"), "--root", str(repo), cwd=repo)
    assert r.returncode == 1
    first = r.stdout.splitlines()[0]
    assert first == (
        "bad.md:3:1: MK010 error: code fence ``` (python) is never closed, so line 4 renders as code; "
        "expected a closing ``` [unclosed-code-fence]"
    )
    assert "1 error(s), 0 warning(s) in 1 of 1 file checked" in r.stdout


def test_clean_file_exit_0(repo: Path) -> None:
    r = run("check", str(repo / "good.md"))
    assert r.returncode == 0, r.stdout + r.stderr


def test_json_output(repo: Path) -> None:
    r = run("check", str(repo), "--format", "json")
    data = json.loads(r.stdout)
    assert data["tool"] == "formalai-lint" and data["version"] == __version__
    assert data["files"] == 2 and data["root"] == str(repo.resolve())
    (d,) = data["diagnostics"]
    assert {k: d[k] for k in ("path", "line", "column", "rule", "name", "family", "severity")} == {
        "path": "bad.md", "line": 3, "column": 1, "rule": "MK010",
        "name": "unclosed-code-fence", "family": "markdown", "severity": "error",
    }
    assert set(d) == {"path", "line", "column", "end_line", "end_column", "rule", "name", "family",
                      "severity", "message", "suggestion", "fix", "related"}
    assert data["summary"]["errors"] == 1


def test_root_discovery_uses_git_folder(repo: Path) -> None:
    sub = repo / "a" / "b"
    sub.mkdir(parents=True)
    (sub / "c.md").write_text("# T\n\n[x](nope.md)\n", "utf-8")
    r = run("check", "a/b/c.md", "--format", "json", cwd=repo)
    data = json.loads(r.stdout)
    assert data["diagnostics"][0]["path"] == "a/b/c.md"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"# \xe6\x97\n", "invalid UTF-8 at byte 2 (line 1)"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00", "looks binary"),
        (b"", "document is empty"),
    ],
)
def test_bad_input_is_a_diagnostic(repo: Path, content: bytes, message: str) -> None:
    (repo / ".formalai-lint.yaml").write_text("extends: formalai\n", "utf-8")  # MK021 reports the empty file
    (repo / "x.md").write_bytes(content)
    r = run("check", str(repo / "x.md"))
    assert r.returncode == 1
    assert "Traceback" not in r.stderr
    assert message in r.stdout


def test_missing_path_is_exit_2(tmp_path: Path) -> None:
    r = run("check", str(tmp_path / "nope.md"))
    assert r.returncode == 2
    assert r.stderr.strip() == f"error: path not found: {tmp_path / 'nope.md'}"
    assert "Traceback" not in r.stderr


def test_usage_error_is_exit_2() -> None:
    r = run("check", "--format", "xml")
    assert r.returncode == 2 and r.stderr.startswith("error: ") and "Traceback" not in r.stderr


def test_internal_error_is_one_line(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("kaboom")

    monkeypatch.setattr("linter.cli.main.lint_paths", boom)
    with pytest.raises(SystemExit) as exc:
        main(["check", "."])
    assert exc.value.code == 2
    assert capsys.readouterr().err == "internal error: RuntimeError: kaboom\n"


def test_rules_json_lists_the_registry() -> None:
    result = CliRunner().invoke(cli, ["rules", "--format", "json"])
    rows = json.loads(result.output)
    assert [r["id"] for r in rows] == [r.id for r in ALL_RULES]
    assert set(rows[0]) == {"id", "name", "family", "severity", "fixable", "fix", "summary"}


def test_explain_by_name_and_unknown() -> None:
    result = CliRunner().invoke(cli, ["explain", "unclosed-code-fence"])
    assert result.output.startswith("MK010 unclosed-code-fence (markdown, error)")
    assert "## Why" in result.output
    r = run("explain", "nope")
    assert r.returncode == 2 and "unknown rule 'nope'" in r.stderr


def test_parse_json_and_tree(tmp_path: Path) -> None:
    f = tmp_path / "t.md"
    f.write_text("# T\n\n## 一、概述\n\n### 1.1 细节\n", "utf-8")
    data = json.loads(run("parse", str(f)).stdout)
    assert [h["anchor"] for h in data["headings"]] == ["t", "一概述", "11-细节"]
    tree = run("parse", str(f), "--format", "tree").stdout
    assert "  ## 一、概述  (lines 3-5, #一概述)  [cjk 1]" in tree
