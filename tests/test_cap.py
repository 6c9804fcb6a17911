"""At most N findings per rule per file are reported, the rest as one "and N more" (issue 12)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from linter.diagnostics import Diagnostic, Severity
from linter.run.cap import DEFAULT_MAX_FINDINGS, cap_findings
from tests.helpers import write_tree


def _broken(n: int) -> str:
    return "# T\n\n" + "".join(f"[x](#missing{i})\n" for i in range(n))


def _check(root: Path, *args: str) -> dict:  # type: ignore[type-arg]
    run = subprocess.run(
        [sys.executable, "-m", "linter", "check", ".", "--no-cache", "--format", "json", "--select", "LK002", *args],
        cwd=root, capture_output=True, text=True,
    )
    assert run.returncode == 1, run.stderr
    return json.loads(run.stdout)  # type: ignore[no-any-return]


def test_default_cap_folds_the_rest_into_one_finding(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {"a.md": _broken(DEFAULT_MAX_FINDINGS + 50), "b.md": _broken(3)})
    found = _check(root)["diagnostics"]
    in_a = [d for d in found if d["path"] == "a.md"]
    assert len(in_a) == DEFAULT_MAX_FINDINGS + 1
    last = in_a[-1]
    assert (last["line"], last["rule"], last["severity"]) == (3 + DEFAULT_MAX_FINDINGS, "LK002", "error")
    assert last["message"] == (
        "and 50 more LK002 finding(s) in this file, not shown (max-findings-per-rule is 200; 0 shows all)"
    )
    assert [d["line"] for d in in_a[:-1]] == list(range(3, 3 + DEFAULT_MAX_FINDINGS))
    assert len([d for d in found if d["path"] == "b.md"]) == 3  # per file


def test_cap_from_config_and_command_line(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {"a.md": _broken(30), ".formalai-lint.yaml": "max-findings-per-rule: 10\n"})
    assert len(_check(root)["diagnostics"]) == 11
    assert len(_check(root, "--max-findings-per-rule", "0")["diagnostics"]) == 30
    assert len(_check(root, "--max-findings-per-rule", "25")["diagnostics"]) == 26


def test_cap_is_a_no_op_under_the_limit() -> None:
    found = [Diagnostic("a.md", i, 1, "LK002", "m") for i in range(1, 6)]
    assert cap_findings(found, 5) == found
    assert cap_findings(found, 0) == found
    capped = cap_findings(found + [Diagnostic("a.md", 9, 1, "LK002", "m", Severity.WARNING)], 2)
    assert [(d.line, d.severity) for d in capped] == [(1, Severity.ERROR), (2, Severity.ERROR), (3, Severity.ERROR)]
