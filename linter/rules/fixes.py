"""Building a finding's `Fix` from the source lines: small helpers the rules share.

A fix is only offered when the text it replaces is found in the source exactly as the
model describes it (a link destination after its `](`, a colon at its column); when the
source does not match (an escape, a line break inside a construct), the finding keeps its
suggestion and gets no fix, rather than an edit that might land in the wrong place.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..diagnostics import Applicability, Fix, TextEdit

# A link's text may wrap lines: look this far past the link's first line for its `](`.
_SEARCH_LINES = 8
_DEST_END = frozenset(")> \t\"'")


def safe(*edits: TextEdit, description: str) -> Fix:
    return Fix(tuple(edits), Applicability.SAFE, description)


def unsafe(*edits: TextEdit, description: str) -> Fix:
    return Fix(tuple(edits), Applicability.UNSAFE, description)


def replace_span(path: str, line: int, start: int, end: int, text: str) -> TextEdit:
    """Replace columns [start, end) of one line."""
    return TextEdit(path, line, start, line, end, text)


def find_dest(lines: Sequence[str], line: int, column: int, dest: str) -> tuple[int, int, int] | None:
    """Where the destination `dest` of the link written at (line, column) is: its line and
    columns [start, end), or None when the source does not hold it verbatim."""
    if not dest:
        return None
    needle = "](" + dest
    for n in range(line, min(line + _SEARCH_LINES, len(lines)) + 1):
        text = lines[n - 1]
        at = text.find(needle, column - 1 if n == line else 0)
        while at >= 0:
            after = at + len(needle)
            if after == len(text) or text[after] in _DEST_END:
                return n, at + 3, after + 1
            at = text.find(needle, at + 1)
    return None
