"""GitHub Actions workflow commands: one `::error file=…,line=…,col=…,title=…::message` per finding.

GitHub parses these lines from a step's output and shows them as annotations on the pull
request. Data is escaped as the runner expects (`%`, CR, LF) and property values also
escape `:` and `,`, which would otherwise end the value.
"""

from __future__ import annotations

from typing import TextIO

from ...api import LintResult
from ...diagnostics import Severity
from ...rules import get_rule
from ...util.escape import escape_controls

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    """Control characters (a newline decoded from a link's `%0A`, ESC, BEL) are shown as
    escapes first: one finding stays one annotation line and nothing reaches the log raw."""
    return escape_controls(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def format_line(path: str, line: int, column: int, rule_id: str, message: str, severity: Severity) -> str:
    r = get_rule(rule_id)
    title = f"{rule_id} {r.name}" if r else rule_id
    props = ",".join(
        f"{k}={escape_property(v)}"
        for k, v in (("file", path), ("line", str(line)), ("col", str(column)), ("title", title))
    )
    return f"::{COMMANDS[severity]} {props}::{escape_data(message)}"


def report(result: LintResult, out: TextIO) -> None:
    for d in result.diagnostics:
        out.write(format_line(d.path, d.line, d.column, d.rule_id, d.message, d.severity) + "\n")
