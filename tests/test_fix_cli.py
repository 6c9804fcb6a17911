"""`check --fix / --unsafe-fixes / --diff`, the fix in JSON and SARIF, the fix hook, and what
`rules` and `explain` say about fixes."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import jsonschema
import pytest
import referencing
import yaml
from click.testing import CliRunner

from linter.cli.main import cli
from linter.rules import ALL_RULES

from .helpers import write_tree

CASES = Path(__file__).parent / "rules" / "cases"
SARIF_SCHEMA = Path(__file__).parent / "fixtures" / "sarif" / "sarif-schema-2.1.0.json"
FILES: dict[str, str | bytes] = {
    "a.md": "# A\n\n若 \\(x\\) 成立。\n\n[b](sub\\b.md)\n",
    "sub/b.md": b"# B\r\n\r\n\\[ y^2 \\]\r\n",
    "clean.md": "# Clean\n",
}


def run(*args: str) -> tuple[int, str, str]:
    r = CliRunner().invoke(cli, list(args))
    # the raw bytes: click's `stdout` turns \r\n into \n, and a CRLF file's diff needs them
    return r.exit_code, r.stdout_bytes.decode("utf-8"), r.stderr


def test_fix_rewrites_and_reports_what_is_left(tmp_path: Path) -> None:
    root = write_tree(tmp_path, FILES)
    code, out, err = run("check", str(root), "--fix", "--no-cache", "-q")
    assert (root / "a.md").read_text("utf-8") == "# A\n\n若 $x$ 成立。\n\n[b](sub/b.md)\n"
    assert (root / "sub/b.md").read_bytes() == b"# B\r\n\r\n$$ y^2 $$\r\n"
    assert "3 fixed, 0 remaining (2 file(s) changed)" in err
    assert code == 0 and "0 error(s)" in out


def test_diff_writes_nothing_exits_1_and_patch_gives_the_fix(tmp_path: Path) -> None:
    a = write_tree(tmp_path / "a", FILES)
    b = write_tree(tmp_path / "b", FILES)
    code, diff, err = run("check", str(a), "--diff", "--no-cache", "-q")
    assert code == 1 and "2 file(s) would change" in err
    assert {p: (a / p).read_bytes() for p in FILES} == {p: (b / p).read_bytes() for p in FILES}
    assert run("check", str(b), "--fix", "--no-cache", "-q")[0] == 0
    if shutil.which("patch") is None:
        pytest.skip("needs GNU patch")
    subprocess.run(["patch", "-p1", "-s", "--binary"], input=diff.encode("utf-8"), cwd=a, check=True)
    assert {p: (a / p).read_bytes() for p in FILES} == {p: (b / p).read_bytes() for p in FILES}
    code, diff, _ = run("check", str(a), "--diff", "--no-cache", "-q")
    assert (code, diff) == (0, "")


def test_text_output_marks_fixable_findings(tmp_path: Path) -> None:
    root = write_tree(tmp_path, FILES)
    code, out, _ = run("check", str(root), "--no-cache", "-q", "--color", "never")
    assert "a.md:3:3: MH005 [*] error: `\\( … \\)`" in out
    assert "3 finding(s) marked [*] have a fix" in out
    assert code == 1


def test_json_carries_the_fix_and_sarif_its_artifact_changes(tmp_path: Path) -> None:
    root = write_tree(tmp_path, FILES)
    _, out, _ = run("check", str(root), "--no-cache", "-q", "--format", "json")
    mh = next(d for d in json.loads(out)["diagnostics"] if d["rule"] == "MH005" and d["path"] == "a.md")
    assert mh["fix"] == {
        "applicability": "safe", "description": "write $…$",
        "edits": [{"path": "a.md", "start_line": 3, "start_column": 3, "end_line": 3, "end_column": 8,
                   "replacement": "$x$"}],
    }
    assert mh["related"] == []
    _, out, _ = run("check", str(root), "--no-cache", "-q", "--format", "sarif")
    data = json.loads(out)
    validator = jsonschema.Draft7Validator(json.loads(SARIF_SCHEMA.read_text("utf-8")), registry=referencing.Registry())
    assert [e.message for e in validator.iter_errors(data)] == []
    result = next(r for r in data["runs"][0]["results"] if r["ruleId"] == "MH005"
                  and r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "a.md")
    assert result["fixes"] == [{
        "description": {"text": "write $…$ (safe)"},
        "artifactChanges": [{
            "artifactLocation": {"uri": "a.md", "uriBaseId": "%SRCROOT%"},
            "replacements": [{"deletedRegion": {"startLine": 3, "startColumn": 3, "endLine": 3, "endColumn": 8},
                              "insertedContent": {"text": "$x$"}}],
        }],
    }]


def test_unsafe_fixes_flag_and_write_baseline_conflict(tmp_path: Path) -> None:
    root = write_tree(tmp_path, FILES)
    code, _, err = run("check", str(root), "--fix", "--write-baseline", str(tmp_path / "b.json"))
    assert code == 2 and "--write-baseline cannot be used with --fix" in err


def test_the_fix_hook_runs_check_fix() -> None:
    hooks = yaml.safe_load((Path(__file__).resolve().parents[1] / ".pre-commit-hooks.yaml").read_text("utf-8"))
    fix = next(h for h in hooks if h["id"] == "formalai-lint-fix")
    assert fix["entry"] == "formalai-lint check --fix" and fix["types"] == ["markdown"]


def test_every_fixable_rule_says_how_and_has_a_fixed_case() -> None:
    fixed = set()
    for path in CASES.glob("*.yaml"):
        data = yaml.safe_load(path.read_text("utf-8"))
        if any("fixed" in c for c in data["cases"].values()):
            fixed.add(data["rule"])
    for r in ALL_RULES:
        assert bool(r.fix_applicability) == r.fixable, f"{r.id}: its ## Fix section must start a sentence with Safe: or Unsafe:"
        if r.fixable:
            assert r.id in fixed, f"{r.id} is fixable but no case in tests/rules/cases/{r.id}.yaml has `fixed:`"


def test_rules_and_explain_show_fixes() -> None:
    _, out, _ = run("rules")
    line = next(x for x in out.splitlines() if x.startswith("MH005"))
    assert " safe " in line
    _, out, _ = run("explain", "MH005")
    assert out.startswith("MH005 unrendered-math-delimiters (math, error, fix: safe)")
    assert "## Fix\nWrite `$…$`" in out


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_fix_with_changed_since_fixes_only_the_changed_files(tmp_path: Path) -> None:
    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=tmp_path, check=True, capture_output=True, timeout=60)

    git("init", "-q", "-b", "main")
    git("config", "user.email", "t@example.invalid")
    git("config", "user.name", "t")
    git("config", "commit.gpgsign", "false")
    write_tree(tmp_path, {"a.md": "# A\n\n正文。\n", "b.md": "# B\n\n若 \\(y^2\\) 成立。\n"})
    git("add", "-A")
    git("commit", "-q", "-m", "base")
    (tmp_path / "a.md").write_text("# A\n\n若 \\(x^2\\) 成立。\n", encoding="utf-8")
    code, _, err = run("check", str(tmp_path), "--fix", "--changed-since", "main", "--no-cache", "-q")
    assert (tmp_path / "a.md").read_text("utf-8") == "# A\n\n若 $x^2$ 成立。\n"
    assert (tmp_path / "b.md").read_text("utf-8") == "# B\n\n若 \\(y^2\\) 成立。\n"
    assert "1 fixed, 0 remaining (1 file(s) changed)" in err and code == 0
