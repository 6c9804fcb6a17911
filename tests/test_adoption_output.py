"""Output people and GitHub can use (issue 15, items 2, 4, 5, 6): paths relative to where they
are read, the severity word, fix marks, full output with a width-aware caret, statistics,
rule selection by prefix and family, --exit-zero, stdin, and the small things."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from linter.api import LintResult, lint_paths
from linter.cli.reporters import junit, sarif, text
from linter.cli.reporters.span import width
from linter.diagnostics import Applicability, Diagnostic, Fix, Severity, Suggestion, TextEdit
from linter.run.progress import Progress
from tests.helpers import write_tree

PROJECT = Path(__file__).resolve().parents[1]
THREE_H1 = "# 一\n\n# 二\n\n# 三\n"


def run(cwd: Path, *args: str, stdin: str | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if k != "GITHUB_WORKSPACE"}
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "linter", *args], cwd=cwd, capture_output=True, text=True, timeout=120,
        input=stdin, env=full_env,
    )


def test_text_paths_are_relative_to_the_current_directory(tmp_path: Path) -> None:
    write_tree(tmp_path, {"concepts/INDEX.md": THREE_H1})
    inside = run(tmp_path / "concepts", "check", "--select", "MK020")
    assert inside.stdout.splitlines()[0].startswith("INDEX.md:3:1: MK020 error: second H1")
    above = run(tmp_path, "check", "--select", "MK020")
    assert above.stdout.splitlines()[0].startswith("concepts/INDEX.md:3:1: MK020 error:")


def test_github_and_sarif_paths_are_relative_to_the_repository(tmp_path: Path) -> None:
    # the config sits in docs/, so docs/ is the lint root; GitHub resolves from the repo's top
    write_tree(tmp_path, {"docs/.formalai-lint.yaml": "rules: {}\n", "docs/a.md": THREE_H1})
    gh = run(tmp_path / "docs", "check", "--select", "MK020", "--format", "github")
    assert gh.stdout.splitlines()[0].startswith("::error file=docs/a.md,line=3,col=1,")
    log = json.loads(run(tmp_path / "docs", "check", "--select", "MK020", "--format", "sarif").stdout)
    loc = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert loc == {"uri": "docs/a.md", "uriBaseId": "%SRCROOT%"}
    assert log["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"] == tmp_path.resolve().as_uri() + "/"
    # in a workflow, GITHUB_WORKSPACE is the checkout (here: no .git below it)
    (tmp_path / ".git").rmdir()
    ws = run(tmp_path / "docs", "check", "--select", "MK020", "--format", "github",
             env={"GITHUB_WORKSPACE": str(tmp_path)})
    assert ws.stdout.splitlines()[0].startswith("::error file=docs/a.md,")


def _fixable() -> Diagnostic:
    edit = TextEdit("a.md", 3, 1, 3, 5, "## 二")
    return Diagnostic(
        "a.md", 3, 1, "MK020", "second H1 '二'", Severity.ERROR,
        suggestion=Suggestion("## 二", "make it an H2"),
        fix=Fix((edit,), Applicability.UNSAFE, "demote to H2"),
    )


def test_severity_word_and_one_fix_mark(tmp_path: Path) -> None:
    write_tree(tmp_path, {"a.md": "# 一\n\n# 二\n\n> 注\n"})
    warn = Diagnostic("a.md", 5, 1, "ST008", "section is empty", Severity.WARNING)
    out = io.StringIO()
    text.report(LintResult(tmp_path, ("a.md",), (_fixable(), warn)), out, cwd=tmp_path)
    lines = out.getvalue().splitlines()
    assert lines[0] == "a.md:3:1: MK020 [*] error: second H1 '二' [single-h1]"
    assert lines[1] == "a.md:5:1: ST008 warning: section is empty [empty-section]"
    assert lines[-1] == "1 finding(s) marked [*] have a fix: 0 applied by --fix, the rest with --unsafe-fixes"
    assert out.getvalue().count("[*]") == 2  # the finding and the note, nothing else


def test_full_output_caret_is_as_wide_as_the_cjk_text(tmp_path: Path) -> None:
    write_tree(tmp_path, {"a.md": "# 标题\n\n见 [旧章节](b.md#旧标题) 一节。\n"})
    d = Diagnostic("a.md", 3, 3, "LK003", "anchor #旧标题 not found", context="[旧章节](b.md#旧标题)")
    result = lint_paths([tmp_path / "a.md"], root=tmp_path, select=["MK020"])
    out = io.StringIO()
    text.report(LintResult(tmp_path, ("a.md",), (d,), result.corpus), out, full=True, cwd=tmp_path)
    lines = out.getvalue().splitlines()
    assert lines[1:4] == [
        "  |",
        "3 | 见 [旧章节](b.md#旧标题) 一节。",
        "  |    " + "^" * width("[旧章节](b.md#旧标题)"),
    ]
    assert width("见 ") == 3 and width("[旧章节](b.md#旧标题)") == 21


def test_full_output_through_the_cli_shows_the_suggestion(tmp_path: Path) -> None:
    write_tree(tmp_path, {"a.md": "# 标题\n\n## 一、概述\n\n见 [x](#二细节)。\n\n## 二、细节\n"})
    r = run(tmp_path, "check", "--select", "LK002", "--output-format", "full")
    assert r.returncode in (0, 1)
    assert "= help:" not in r.stdout or "#二细节" not in r.stdout  # the anchor resolves: no finding
    (tmp_path / "a.md").write_text("# 标题\n\n## 一、概述\n\n见 [x](#二细)。\n\n## 二、细节\n", "utf-8")
    r = run(tmp_path, "check", "--select", "LK002", "--output-format", "full")
    lines = r.stdout.splitlines()
    assert lines[0].startswith("a.md:5:")
    assert lines[2] == "5 | 见 [x](#二细)。"
    assert any(ln.startswith("  = help:") and "#二细节" in ln for ln in lines)


def test_statistics_counts_per_rule(tmp_path: Path) -> None:
    write_tree(tmp_path, {"a.md": THREE_H1 + "\n```\nx\n", "b.md": THREE_H1})
    r = run(tmp_path, "check", "--select", "markdown", "--statistics")
    assert r.returncode == 1
    assert r.stdout.splitlines()[:2] == [
        "4  MK020      single-h1                      error",
        "1  MK010      unclosed-code-fence            error",
    ]
    js = json.loads(run(tmp_path, "check", "--select", "MK", "--statistics", "--format", "json").stdout)
    assert [(t["rule"], t["count"], t["fixable"]) for t in js] == [("MK020", 4, 0), ("MK010", 1, 0)]


def test_select_prefix_family_ignore_extend_and_exit_zero(tmp_path: Path) -> None:
    write_tree(tmp_path, {
        "a.md": THREE_H1 + "\n[x](missing.md)\n",
        ".formalai-lint.yaml": "rules:\n  missing-link-target: off\n",
    })

    def rules(*args: str) -> set[str]:
        return {d["rule"] for d in json.loads(run(tmp_path, "check", "--format", "json", *args).stdout)["diagnostics"]}

    assert rules("--select", "MK") == {"MK020"}
    assert rules("--select", "links") == {"LK001"}  # a family selects the rules it names
    assert rules("--select", "MK,LK", "--ignore", "single-h1") == {"LK001"}
    assert "LK001" not in rules()  # off in the config
    assert "LK001" in rules("--extend-select", "LK001")
    assert "LK900" not in rules("--select", "LK")  # a prefix never turns the network check on
    assert run(tmp_path, "check", "--select", "MK020").returncode == 1
    assert run(tmp_path, "check", "--select", "MK020", "--exit-zero").returncode == 0
    bad = run(tmp_path, "check", "--ignore", "ZZ")
    assert bad.returncode == 2 and "--ignore: unknown rule, family or prefix 'ZZ'" in bad.stderr


def test_stdin_is_linted_as_the_named_file_beside_the_corpus(tmp_path: Path) -> None:
    write_tree(tmp_path, {"docs/b.md": "# B\n\n## 一、概述\n"})
    text_in = "# A\n\n见 [b](b.md#一概述) 和 [c](b.md#二没有)。\n"
    r = run(tmp_path, "check", "-", "--stdin-filename", "docs/new.md", "--format", "json", "--select", "links",
            stdin=text_in)
    found = [(d["path"], d["line"], d["rule"]) for d in json.loads(r.stdout)["diagnostics"]]
    assert found == [("docs/new.md", 3, "LK003")]
    assert not (tmp_path / "docs/new.md").exists()
    missing = run(tmp_path, "check", "-")
    assert missing.returncode == 2 and "--stdin-filename" in missing.stderr


def test_summary_counts_inbound_files_apart(tmp_path: Path) -> None:
    write_tree(tmp_path, {"a.md": "# A\n\n## 一、旧\n", "b.md": "# B\n\n见 [a](a.md#一旧)。\n"})
    (tmp_path / "a.md").write_text("# A\n\n## 一、新\n", "utf-8")  # b.md's link into a.md now breaks
    r = run(tmp_path, "check", "a.md", "--select", "LK003")
    assert r.stdout.splitlines()[0].startswith("b.md:3:")
    # the summary line; a "[*] have a fix" line may follow it (LK003's fix renames the anchor)
    assert "1 error(s), 0 warning(s) in 0 of 1 file checked and 1 other file(s) linking into them" in r.stdout.splitlines()


def test_quiet_silences_baseline_notes(tmp_path: Path) -> None:
    write_tree(tmp_path, {"a.md": THREE_H1})
    base = tmp_path / "b.json"
    assert run(tmp_path, "check", "-q", "--select", "MK020", "--write-baseline", str(base)).stderr == ""
    assert run(tmp_path, "check", "-q", "--select", "MK020", "--baseline", str(base)).stderr == ""
    assert "baseline:" in run(tmp_path, "check", "--select", "MK020", "--baseline", str(base)).stderr


def test_broken_pipe_keeps_the_verdict(tmp_path: Path) -> None:
    write_tree(tmp_path, {f"d{i}.md": THREE_H1 * 50 for i in range(40)})
    cmd = f"{sys.executable} -m linter check --select MK020 --no-cache | head -1 >/dev/null; echo ${{PIPESTATUS[0]}}"
    r = subprocess.run(["bash", "-c", cmd], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert r.stdout.strip() == "1"  # findings, as without the pipe (not 2, not a traceback)
    assert "Traceback" not in r.stderr and "BrokenPipe" not in r.stderr


def test_progress_bar_fits_the_terminal() -> None:
    bar = Progress(4000, "parsing", enabled=False)
    bar.done = 1000
    for columns in (120, 40, 20, 8):
        assert len(bar.line(columns)) < columns
    assert "[" in bar.line(40) and "[" not in bar.line(20)


def test_root_that_does_not_exist(tmp_path: Path) -> None:
    r = run(tmp_path, "check", "--root", str(tmp_path / "nope"))
    assert r.returncode == 2 and "does not exist" in r.stderr and "outside the root" not in r.stderr


def test_sarif_fingerprints_differ_for_findings_on_adjacent_lines(tmp_path: Path) -> None:
    # the same text on adjacent lines: same rule, path and text, told apart by occurrence
    write_tree(tmp_path, {"a.md": "# A\n\n" + "<!-- formalai-lint-disable-next-line -->\n\n" * 5})
    result = lint_paths([tmp_path / "a.md"], root=tmp_path, select=["MK900"])
    prints = [r["partialFingerprints"]["formalaiLint/v2"] for r in sarif.build(result)["runs"][0]["results"]]
    assert len(prints) == 5 and len(set(prints)) == 5


def test_json_end_is_the_end_of_the_offending_text(tmp_path: Path) -> None:
    write_tree(tmp_path, {"a.md": "# A\n\n见 [x](missing.md) 文。\n"})
    r = run(tmp_path, "check", "--select", "LK001", "--format", "json")
    d = json.loads(r.stdout)["diagnostics"][0]
    line = "见 [x](missing.md) 文。"
    assert (d["line"], d["end_line"]) == (3, 3)
    assert d["end_column"] > d["column"]
    assert "missing.md" in line[d["column"] - 1 : d["end_column"] - 1]


def test_junit_warning_only_files_pass_unless_strict(tmp_path: Path) -> None:
    warn = Diagnostic("a.md", 1, 1, "ST008", "empty", Severity.WARNING)
    result = LintResult(tmp_path, ("a.md",), (warn,))
    plain = ET.fromstring(ET.tostring(junit.build(result)))
    assert plain.find("testsuite").get("failures") == "0"  # type: ignore[union-attr]
    assert "ST008" in (plain.find(".//system-out").text or "")  # type: ignore[union-attr]
    strict = junit.build(result, strict=True)
    assert strict.find("testsuite").get("failures") == "1"  # type: ignore[union-attr]


def test_project_docs_pass_the_markdown_rules() -> None:
    docs = PROJECT / "docs"
    r = run(PROJECT, "check", str(docs), "--root", str(docs), "--select", "MK021,MK020,MK010", "--no-cache")
    assert r.returncode == 0, r.stdout


def test_stdin_is_read_only_up_to_the_size_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An endless or huge stdin costs no more than a file of the limit's size: read up to
    max-bytes + 1 and reported as too large, as a file would be."""
    from linter.api import lint_stdin

    write_tree(tmp_path, {".formalai-lint.yaml": "max-bytes: 1000\n"})
    asked: list[int] = []

    class Endless(io.RawIOBase):
        def read(self, n: int = -1) -> bytes:
            asked.append(n)
            assert n >= 0, "read to the end of an endless stream"
            return b"x" * n

    monkeypatch.chdir(tmp_path)
    result = lint_stdin(Endless(), "a.md", tmp_path)  # type: ignore[arg-type]
    assert asked == [1001]
    assert [(d.rule_id, d.line, d.message) for d in result.diagnostics] == [
        ("MK001", 1, "file skipped: file is larger than the 1,000-byte limit")]
