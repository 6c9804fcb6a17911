"""`path:line:col: RULE [*] severity: message [rule-name]`, one per line, then a summary.

The severity word is always there, so errors and warnings differ in logs without colour
(pre-commit, CI); `[*]` marks a finding that has a fix (`Diagnostic.fix`). Paths are relative
to the current directory (linter.cli.reporters.locate). `--output-format full` adds the source
line with a caret under the finding (as wide as the text looks: CJK takes two columns) and the
suggestion.

Colour (`--color auto|always|never`): auto means a TTY and no `NO_COLOR` in the
environment (https://no-color.org: any non-empty value turns colour off).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from ...diagnostics import Diagnostic, Severity
from .locate import cwd_locator
from .span import source_lines, span, width
from .summary import summarize
from ...util.escape import escape_controls

if TYPE_CHECKING:
    from ...run.result import LintResult

RESET = "\x1b[0m"
STYLES = {Severity.ERROR: "\x1b[31m", Severity.WARNING: "\x1b[33m", Severity.INFO: "\x1b[36m"}
BOLD, DIM = "\x1b[1m", "\x1b[2m"
FIX_MARK = "[*]"


def use_color(mode: str, stream: TextIO, environ: Mapping[str, str]) -> bool:
    if mode == "always":
        return True
    if mode == "never" or environ.get("NO_COLOR"):
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def format_line(
    path: str, line: int, column: int, rule_id: str, message: str,
    severity: Severity | None = None, color: bool = False, fixable: bool = False,
    rule_name: str | None = None,
) -> str:
    """One finding's line. `rule_name`: the rule's name when the caller knows it (a run
    record does); else the registry is asked."""
    if rule_name is None:
        from ...rules import get_rule

        r = get_rule(rule_id)
        rule_name = r.name if r else ""
    name = f" [{rule_name}]" if rule_name else ""
    # a heading, link or file name is the document author's text: ESC/BEL/OSC would reach the
    # terminal (retitle it, hide lines) and a newline would split the finding in two
    path, message = escape_controls(path), escape_controls(message)
    sev = (severity or Severity.ERROR).value
    mark = f" {FIX_MARK}" if fixable else ""
    if not color:
        return f"{path}:{line}:{column}: {rule_id}{mark} {sev}: {message}{name}"
    style = STYLES.get(severity or Severity.ERROR, "")
    return (
        f"{BOLD}{path}{RESET}:{line}:{column}: {style}{rule_id}{RESET}{mark} {style}{sev}{RESET}: "
        f"{message}{DIM}{name}{RESET}"
    )


def source_excerpt(d: Diagnostic, lines: Sequence[str]) -> list[str]:
    """The finding's source line with a caret under it, and the suggestion (`full` output)."""
    out: list[str] = []
    if 0 < d.line <= len(lines):
        text = lines[d.line - 1].rstrip("\r\n").replace("\t", " ")
        end_line, end_col = span(d, lines)
        stop = end_col - 1 if end_line == d.line else len(text)
        start = min(max(d.column - 1, 0), len(text))
        gutter = " " * len(str(d.line))
        before, under = escape_controls(text[:start]), escape_controls(text[start:stop])
        out += [
            f"{gutter} |",
            f"{d.line} | {escape_controls(text)}",
            f"{gutter} | {' ' * width(before)}{'^' * max(width(under), 1)}",
        ]
    if d.suggestion is not None:
        s = d.suggestion
        help_ = f"{s.description}: {s.replacement}" if s.description else s.replacement
        out.append(f"  = help: {escape_controls(help_)}")
    if d.fix is not None:
        out.append(f"  = fix: {escape_controls(d.fix.description)}")
    return out


def summary_line(result: LintResult) -> str:
    s = summarize(result.diagnostics, len(result.files))
    checked = set(result.files)
    reported = {d.path for d in result.diagnostics}
    others = len(reported - checked)
    noun = "file" if s["files"] == 1 else "files"
    head = f"{s['errors']} error(s), {s['warnings']} warning(s)"
    if others:
        # a named file's links were checked from other documents (inbound): say where they are
        return (
            f"{head} in {len(reported & checked)} of {s['files']} {noun} checked "
            f"and {others} other file(s) linking into them"
        )
    return f"{head} in {s['files_with_findings']} of {s['files']} {noun} checked"


def report(result: LintResult, out: TextIO, color: bool = False, full: bool = False, cwd: Path | None = None) -> None:
    fixable = 0
    shown: dict[str, str] = {}
    lines_of = source_lines(result.corpus.lines if result.corpus is not None else lambda _: ())
    locate = cwd_locator(result.root, cwd)
    for d in result.diagnostics:
        path = shown.get(d.path)
        if path is None:
            path = shown[d.path] = locate(d.path)
        fixable += d.fix is not None
        label = result.label(d.rule_id)
        out.write(format_line(path, d.line, d.column, d.rule_id, d.message, d.severity, color, d.fix is not None,
                              label[0] if label else "") + "\n")
        if full:
            # decoded once per file (findings come sorted by path), not once per finding
            out.writelines(line + "\n" for line in [*source_excerpt(d, lines_of(d.path)), ""])
    out.write(f"\n{summary_line(result)}\n")
    if fixable:
        safe = sum(1 for d in result.diagnostics if d.fix is not None and d.fix.applicability.value == "safe")
        out.write(f"{fixable} finding(s) marked {FIX_MARK} have a fix: {safe} applied by --fix, the rest with --unsafe-fixes\n")
