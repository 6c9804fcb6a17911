"""`path:line:col: RULE message [rule-name]`, one per line, then a summary."""

from __future__ import annotations

from typing import TextIO

from ..api import LintResult
from ..rules import get_rule
from .summary import summarize


def format_line(path: str, line: int, column: int, rule_id: str, message: str) -> str:
    r = get_rule(rule_id)
    name = f" [{r.name}]" if r else ""
    return f"{path}:{line}:{column}: {rule_id} {message}{name}"


def report(result: LintResult, out: TextIO) -> None:
    for d in result.diagnostics:
        out.write(format_line(d.path, d.line, d.column, d.rule_id, d.message) + "\n")
    s = summarize(result.diagnostics, len(result.files))
    noun = "file" if s["files"] == 1 else "files"
    out.write(
        f"\n{s['errors']} error(s), {s['warnings']} warning(s) in {s['files_with_findings']} "
        f"of {s['files']} {noun} checked\n"
    )
