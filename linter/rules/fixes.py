"""Building a finding's `Fix` from the source lines: small helpers the rules share.

A fix is only offered when the text it replaces is found in the source exactly as the
model describes it (a link destination after its `](`, a colon at its column); when the
source does not match (an escape, a line break inside a construct), the finding keeps its
suggestion and gets no fix, rather than an edit that might land in the wrong place.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..diagnostics import Applicability, Fix, TextEdit
from ..links import locate


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
    at = locate.find_dest(lines, line, column, dest)
    if at is None:
        return None
    row, start = at
    return row, start, start + len(dest)
