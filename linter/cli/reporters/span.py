"""A finding's extent on its line, and how wide text looks in a terminal.

Rules report where a finding starts; many also say what it is about (`Diagnostic.context`:
the link destination, the heading). The end is where that text ends on the line, else the
end of the line's content, so SARIF and JSON regions cover the offending text and `--output-
format full` can underline it. End columns are exclusive, as SARIF's `endColumn` is.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence

from ...diagnostics import Diagnostic


def source_lines(read: Callable[[str], Sequence[str]]) -> Callable[[str], Sequence[str]]:
    """`read` (a corpus's `lines`) remembering only the last file asked for.

    Findings arrive sorted by path, so each file is decoded once; keeping every file's lines
    instead held the whole corpus's text in memory (hundreds of MB on 6,000 documents)."""
    last: list[tuple[str, Sequence[str]]] = []

    def lines(path: str) -> Sequence[str]:
        if not last or last[0][0] != path:
            last[:] = [(path, read(path))]
        return last[0][1]

    return lines


def span(d: Diagnostic, lines: Sequence[str]) -> tuple[int, int]:
    """(end_line, end_column) of `d`; end_column is the column just after the last character."""
    if d.end_line is not None and d.end_column is not None and (d.end_line, d.end_column) > (d.line, d.column):
        return d.end_line, d.end_column
    if not 0 < d.line <= len(lines):
        return d.line, d.column + 1
    text = lines[d.line - 1].rstrip("\r")
    start = max(d.column - 1, 0)
    target = d.context.strip()
    if target and "\n" not in target:
        found = text.find(target, start)
        if found >= start:
            return d.line, found + len(target) + 1
    end = len(text.rstrip())
    return d.line, (end + 1 if end > start else d.column + 1)


def width(text: str) -> int:
    """Terminal columns `text` takes: wide and full-width characters (CJK) take two."""
    return sum(
        0 if unicodedata.combining(ch) else 2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text
    )
