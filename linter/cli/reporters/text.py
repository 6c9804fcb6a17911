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
from typing import TYPE_CHECKING, Any, NamedTuple, TextIO

from ...diagnostics import Diagnostic, Severity
from .locate import cwd_locator
from .span import source_lines, span, width
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


class Block(NamedTuple):
    """One document's part of a report: its lines and the counts the summary adds up (a
    check after an edit splices the kept blocks of untouched documents, `cli.edited`)."""

    path: str  # root-relative
    text: str
    errors: int
    warnings: int
    fixable: int
    safe: int  # fixable by --fix (the rest need --unsafe-fixes)
    findings: int
    rules: tuple[str, ...]  # the rule ids of its findings, sorted


class Totals(NamedTuple):
    """What a report's summary says: the findings' counts and which files they are in."""

    errors: int
    warnings: int
    fixable: int
    safe: int
    files: int  # documents checked
    reported_checked: int  # of those, the ones with findings
    others: int  # files with findings that were not checked (inbound links)

    @staticmethod
    def of(blocks: Sequence[Block], checked: Sequence[str]) -> Totals:
        return Totals.add_up([(b.path, b.errors, b.warnings, b.fixable, b.safe) for b in blocks], checked)

    @staticmethod
    def add_up(counts: Sequence[Sequence[Any]], checked: Sequence[str]) -> Totals:
        """From each block's (path, errors, warnings, fixable, safe): a kept report's index
        holds these, so a spliced report sums them without its blocks' text."""
        reported = {c[0] for c in counts}  # (a path's findings unsorted would make two blocks)
        inside = len(reported.intersection(checked))
        return Totals(sum(c[1] for c in counts), sum(c[2] for c in counts), sum(c[3] for c in counts),
                      sum(c[4] for c in counts), len(checked), inside, len(reported) - inside)


def _summary(t: Totals) -> str:
    noun = "file" if t.files == 1 else "files"
    head = f"{t.errors} error(s), {t.warnings} warning(s)"
    if t.others:
        # a named file's links were checked from other documents (inbound): say where they are
        return f"{head} in {t.reported_checked} of {t.files} {noun} checked and {t.others} other file(s) linking into them"
    return f"{head} in {t.reported_checked} of {t.files} {noun} checked"


def tail(t: Totals) -> str:
    """The end of a report: a blank line, the summary, and what the fixes would do."""
    out = f"\n{_summary(t)}\n"
    if t.fixable:
        out += f"{t.fixable} finding(s) marked {FIX_MARK} have a fix: {t.safe} applied by --fix, the rest with --unsafe-fixes\n"
    return out


def blocks(result: LintResult, color: bool = False, full: bool = False, cwd: Path | None = None) -> list[Block]:
    """The report's lines, one block per document (findings come sorted by path)."""
    lines_of = source_lines(result.corpus.lines if result.corpus is not None else lambda _: ())
    locate = cwd_locator(result.root, cwd)
    out: list[Block] = []
    diagnostics = result.diagnostics
    i = 0
    while i < len(diagnostics):
        path = diagnostics[i].path
        j = i
        while j < len(diagnostics) and diagnostics[j].path == path:
            j += 1
        group = diagnostics[i:j]
        shown = locate(path)
        text: list[str] = []
        for d in group:
            label = result.label(d.rule_id)
            text.append(format_line(shown, d.line, d.column, d.rule_id, d.message, d.severity, color,
                                    d.fix is not None, label[0] if label else "") + "\n")
            if full:
                # decoded once per file, not once per finding
                text.extend(line + "\n" for line in [*source_excerpt(d, lines_of(d.path)), ""])
        severities = [d.severity for d in group]
        fixes = [d.fix for d in group if d.fix is not None]
        out.append(Block(path, "".join(text), severities.count(Severity.ERROR), severities.count(Severity.WARNING),
                         len(fixes), sum(1 for f in fixes if f.applicability.value == "safe"), len(group),
                         tuple(sorted({d.rule_id for d in group}))))
        i = j
    return out


def report(result: LintResult, out: TextIO, color: bool = False, full: bool = False, cwd: Path | None = None) -> None:
    parts = blocks(result, color, full, cwd)
    out.writelines(b.text for b in parts)
    out.write(tail(Totals.of(parts, result.files)))
