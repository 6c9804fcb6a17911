"""`path:line:col: RULE message [rule-name]`, one per line, then a summary.

Colour (`--color auto|always|never`): auto means a TTY and no `NO_COLOR` in the
environment (https://no-color.org: any non-empty value turns colour off).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TextIO

from ...api import LintResult
from ...diagnostics import Severity
from ...rules import get_rule
from .summary import summarize
from ...util.escape import escape_controls

RESET = "\x1b[0m"
STYLES = {Severity.ERROR: "\x1b[31m", Severity.WARNING: "\x1b[33m", Severity.INFO: "\x1b[36m"}
BOLD, DIM = "\x1b[1m", "\x1b[2m"


def use_color(mode: str, stream: TextIO, environ: Mapping[str, str]) -> bool:
    if mode == "always":
        return True
    if mode == "never" or environ.get("NO_COLOR"):
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def format_line(
    path: str, line: int, column: int, rule_id: str, message: str,
    severity: Severity | None = None, color: bool = False,
) -> str:
    r = get_rule(rule_id)
    name = f" [{r.name}]" if r else ""
    # a heading, link or file name is the document author's text: ESC/BEL/OSC would reach the
    # terminal (retitle it, hide lines) and a newline would split the finding in two
    path, message = escape_controls(path), escape_controls(message)
    if not color:
        return f"{path}:{line}:{column}: {rule_id} {message}{name}"
    style = STYLES.get(severity or Severity.ERROR, "")
    return f"{BOLD}{path}{RESET}:{line}:{column}: {style}{rule_id}{RESET} {message}{DIM}{name}{RESET}"


def report(result: LintResult, out: TextIO, color: bool = False) -> None:
    for d in result.diagnostics:
        out.write(format_line(d.path, d.line, d.column, d.rule_id, d.message, d.severity, color) + "\n")
    s = summarize(result.diagnostics, len(result.files))
    noun = "file" if s["files"] == 1 else "files"
    out.write(
        f"\n{s['errors']} error(s), {s['warnings']} warning(s) in {s['files_with_findings']} "
        f"of {s['files']} {noun} checked\n"
    )
