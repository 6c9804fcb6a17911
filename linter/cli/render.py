"""A check's report and exit code from its result: shared by the click CLI and the warm
entry point (`linter.cli.warm`), so a run answered from its record prints the same bytes."""

from __future__ import annotations

import codecs
import dataclasses
import io
import os
import sys
from collections.abc import Iterable, Sequence
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
    return rendered_indexed(result, fmt, color, full=full, strict=strict, errors=errors)[0]


# The most findings a kept report holds (it is rendered in memory before it is printed).
REPLAY_MAX = 20_000
# Encodings in which each character is encoded alone, so a report's bytes are its blocks'
# bytes laid end to end (UTF-16 would start every block with a byte-order mark).
_SPLICEABLE = ("utf-8", "ascii")


def rendered_indexed(result: LintResult, fmt: str, color: bool, *, full: bool, strict: bool, errors: str
                     ) -> tuple[bytes, list[list[Any]] | None]:
    """`rendered`, and for a text report in a stateless encoding the index a kept report
    holds: each document's block as [path, start, end, errors, warnings, fixable, safe,
    findings, rule ids] (what a check after an edit splices, `cli.edited`)."""
    encoding = sys.stdout.encoding or "utf-8"
    if fmt != "text" or codecs.lookup(encoding).name not in _SPLICEABLE:
        buffer = io.StringIO()
        render(result, buffer, fmt, color="always" if color else "never", full=full, strict=strict)
        return buffer.getvalue().encode(encoding, errors), None
    from .reporters.text import Totals, blocks, tail

    parts = blocks(result, color, full)
    out, index = laid_out(_encoded(parts, errors))
    out.append(tail(Totals.of(parts, result.files)).encode(encoding, errors))
    return b"".join(out), index


def laid_out(pieces: Iterable[tuple[str, bytes, list[Any]]]) -> tuple[list[bytes], list[list[Any]]]:
    """Blocks' bytes (path, bytes, counts each) end to end, and each one's index entry:
    [path, start, end, *counts]."""
    out: list[bytes] = []
    index: list[list[Any]] = []
    at = 0
    for path, data, counts in pieces:
        out.append(data)
        index.append([path, at, at + len(data), *counts])
        at += len(data)
    return out, index


def encoded_blocks(result: LintResult, color: bool, full: bool) -> list[tuple[str, bytes, list[Any]]]:
    """Each document's block of `result`'s text report as the click CLI prints it: its path,
    its bytes and its index entry after the span (`rendered_indexed`)."""
    from .reporters.text import blocks

    return _encoded(blocks(result, color, full), "backslashreplace")


def _encoded(parts: Sequence[Any], errors: str) -> list[tuple[str, bytes, list[Any]]]:
    encoding = sys.stdout.encoding or "utf-8"
    return [(b.path, b.text.encode(encoding, errors),
             [b.errors, b.warnings, b.fixable, b.safe, b.findings, list(b.rules)]) for b in parts]
