"""GitHub Actions workflow commands: one `::error file=…,line=…,col=…,title=…::message` per finding.

GitHub parses these lines from a step's output and shows them as annotations on the pull
request. Data is escaped as the runner expects (`%`, CR, LF) and property values also
escape `:` and `,`, which would otherwise end the value. `file=` is relative to the
repository root (linter.cli.reporters.locate), which is where GitHub looks the file up.
"""

from __future__ import annotations

from typing import TextIO

from ...api import LintResult
from ...corpus import Corpus
from ...diagnostics import Severity
from ...rules import get_rule
from .locate import from_repo, repo_root
from .span import source_lines, span
from ...util.escape import escape_controls

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    """Control characters (ESC, BEL, OSC: GitHub's log viewer interprets ANSI sequences) are
    shown as escapes first; CR and LF become the runner's `%0D`/`%0A`, so one finding is one
    workflow-command line whatever its text holds."""
    return escape_controls(text, keep="\r\n").replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def format_line(
    path: str, line: int, column: int, rule_id: str, message: str, severity: Severity,
    end: tuple[int, int] | None = None,
) -> str:
    r = get_rule(rule_id)
    title = f"{rule_id} {r.name}" if r else rule_id
    fields = [("file", path), ("line", str(line)), ("col", str(column))]
    if end is not None and end[0] > line:
        fields.append(("endLine", str(end[0])))
    elif end is not None and end[1] > column + 1:
        fields += [("endLine", str(end[0])), ("endColumn", str(end[1] - 1))]  # GitHub's end is inclusive
    fields.append(("title", title))
    props = ",".join(f"{k}={escape_property(v)}" for k, v in fields)
    return f"::{COMMANDS[severity]} {props}::{escape_data(message)}"


def report(result: LintResult, out: TextIO) -> None:
    corpus = result.corpus or Corpus(result.root)
    repo = repo_root(result.root)
    lines = source_lines(corpus.lines)
    for d in result.diagnostics:
        path = from_repo(result.root, d.path, repo)
        out.write(format_line(path, d.line, d.column, d.rule_id, d.message, d.severity, span(d, lines(d.path))) + "\n")
