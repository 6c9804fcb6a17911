"""A check's report and exit code from its result: shared by the click CLI and the warm
entry point (`linter.cli.warm`), so a run answered from its record prints the same bytes."""

from __future__ import annotations

import dataclasses
import io
import os
import sys
from collections.abc import Sequence
from typing import Any, TextIO

from ..diagnostics import Severity
from ..run.result import LintResult


def exit_code(result_diagnostics: Sequence[Any], strict: bool = False) -> int:
    failing = {Severity.ERROR, Severity.WARNING} if strict else {Severity.ERROR}
    return 1 if any(d.severity in failing for d in result_diagnostics) else 0


def capped(result: LintResult, limit: int) -> LintResult:
    """At most `limit` findings per rule per file (linter.run.cap)."""
    from ..run.cap import cap_findings

    return dataclasses.replace(result, diagnostics=tuple(cap_findings(result.diagnostics, limit)))


def render(
    result: LintResult,
    stream: TextIO,
    fmt: str,
    *,
    statistics: bool = False,
    color: str = "auto",
    full: bool = False,
    junit_per: str = "file",
    strict: bool = False,
) -> None:
    if statistics:
        from .reporters import statistics as stats

        stats.report(result, stream, "json" if fmt == "json" else "text")
    elif fmt == "text":
        from .reporters import text as text_reporter

        use = text_reporter.use_color(color, stream, os.environ)
        text_reporter.report(result, stream, color=use, full=full)
    elif fmt == "junit":
        from .reporters import junit

        junit.report(result, stream, per=junit_per, strict=strict)
    else:
        from .reporters import REPORTERS

        REPORTERS[fmt](result, stream)


def rendered(result: LintResult, fmt: str, color: bool, *, full: bool, strict: bool, errors: str) -> bytes:
    """The report as bytes for stdout's encoding (`errors`: how characters it cannot encode
    are handled): what a run answered from its record prints, and what the full run keeps
    for replay, rendered the same way."""
    buffer = io.StringIO()
    render(result, buffer, fmt, color="always" if color else "never", full=full, strict=strict)
    return buffer.getvalue().encode(sys.stdout.encoding or "utf-8", errors)
