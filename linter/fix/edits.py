"""Text edits applied to one file's text, bottom-up, with overlaps refused.

A file is edited as its lines *with their own terminators* (`Source`), not as the
normalised text the parser sees: an edit replaces characters between two (line, column)
positions of the decoded text, and every line it does not touch keeps its bytes, its `\\r\\n`
or `\\n`, and the file keeps (or lacks) its final newline. New line breaks inside a
replacement take the file's own style.

Line 0 is the byte-order mark, a virtual line of one character before line 1 (the decoded
text the rules see has none): `TextEdit(path, 0, 1, 0, 2, "")` removes it (MK003).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from ..diagnostics import TextEdit

_BREAK = re.compile(r"(\r\n|\r|\n)")  # captured: `split` keeps the breaks
BOM_LINE = 0


class EditError(ValueError):
    """An edit that does not fit the text (outside it, or overlapping another)."""


@dataclass(frozen=True, slots=True)
class Source:
    """A decoded file for editing: codec, byte-order mark, and lines with their terminators."""

    codec: str  # "utf-8", "utf-16-le" or "utf-16-be"
    bom: bool
    lines: tuple[str, ...]  # without terminators; as many as the parser's lines
    ends: tuple[str, ...]  # "\n", "\r\n", "\r", or "" (the last line)

    @classmethod
    def from_text(cls, raw: str, codec: str = "utf-8", bom: bool = False) -> Source:
        """`raw`: the decoded text with its line breaks as written, without the BOM."""
        parts = _BREAK.split(raw)  # line, break, line, break, ..., last line
        lines, ends = parts[0::2], parts[1::2]
        ends.append("")
        return cls(codec, bom, tuple(lines), tuple(ends))

    @property
    def raw(self) -> str:
        return "".join(map(str.__add__, self.lines, self.ends))

    @property
    def text(self) -> str:
        """The normalised text (what the parser reads)."""
        return "\n".join(self.lines)

    @property
    def newline(self) -> str:
        """The break a replacement's `\\n` becomes: the file's most common one."""
        counts = {e: self.ends.count(e) for e in ("\n", "\r\n", "\r")}
        best = max(counts, key=lambda e: counts[e])
        return best if counts[best] else "\n"


def _offsets(src: Source) -> list[int]:
    starts = [0]
    for line, end in zip(src.lines, src.ends):
        starts.append(starts[-1] + len(line) + len(end))
    return starts


def _offset(src: Source, starts: Sequence[int], line: int, column: int) -> int:
    if not 1 <= line <= len(src.lines) or not 1 <= column <= len(src.lines[line - 1]) + 1:
        raise EditError(f"position {line}:{column} is outside the text ({len(src.lines)} lines)")
    return starts[line - 1] + column - 1


def _key(e: TextEdit) -> tuple[int, int, int, int]:
    return (e.start_line, e.start_column, e.end_line, e.end_column)


def overlaps(a: TextEdit, b: TextEdit) -> bool:
    """Two edits of the same file that cannot both apply: their spans share a character, or
    one inserts inside (or at the same point as) the other. Identical edits do not overlap."""
    if a.path != b.path or a == b:
        return False
    a0, a1 = (a.start_line, a.start_column), (a.end_line, a.end_column)
    b0, b1 = (b.start_line, b.start_column), (b.end_line, b.end_column)
    if a0 == a1 and b0 == b1:
        return a0 == b0
    if a0 == a1:
        return b0 < a0 < b1 or (a0 == b0)
    if b0 == b1:
        return a0 < b0 < a1 or (b0 == a0)
    return a0 < b1 and b0 < a1


def overlapping(edits: Iterable[TextEdit]) -> bool:
    """Whether two of one file's `edits` overlap (duplicates count once). Sorted by start, a
    set of spans has an overlapping pair only if it has an overlapping neighbour pair."""
    todo = sorted(set(edits), key=_key)
    return any(overlaps(a, b) for a, b in zip(todo, todo[1:]))


class Taken:
    """The edits kept so far in one file, sorted by start, none overlapping another: whether a
    new edit overlaps one of them is a binary search and a look at its neighbours, not a scan
    (a corpus-wide fix keeps thousands of edits, hundreds in one file)."""

    def __init__(self) -> None:
        self._starts: list[tuple[int, int]] = []
        self._edits: list[TextEdit] = []

    def hits(self, e: TextEdit) -> bool:
        start, end = (e.start_line, e.start_column), (e.end_line, e.end_column)
        # the kept edit starting before `e` is the only earlier one that can reach into it
        j = max(bisect_left(self._starts, start) - 1, 0)
        while j < len(self._starts) and self._starts[j] <= end:
            if overlaps(e, self._edits[j]):
                return True
            j += 1
        return False

    def add(self, e: TextEdit) -> None:
        i = bisect_right(self._starts, (e.start_line, e.start_column))
        self._starts.insert(i, (e.start_line, e.start_column))
        self._edits.insert(i, e)


def apply_edits(src: Source, edits: Iterable[TextEdit]) -> Source:
    """`src` with `edits` applied (all of one file, none overlapping; duplicates count once)."""
    todo = sorted(set(edits), key=_key)
    for a, b in zip(todo, todo[1:]):
        if overlaps(a, b):
            raise EditError(f"edits at {a.start_line}:{a.start_column} and {b.start_line}:{b.start_column} overlap")
    bom = src.bom
    body: list[TextEdit] = []
    for e in todo:
        if e.start_line == BOM_LINE or e.end_line == BOM_LINE:
            if (e.start_line, e.start_column, e.end_line, e.end_column, e.replacement) != (0, 1, 0, 2, ""):
                raise EditError("the only edit of line 0 is removing the byte-order mark")
            bom = False
        else:
            body.append(e)
    starts = _offsets(src)
    raw = src.raw
    newline = src.newline
    # bottom-up: an edit never moves the positions of the ones still to apply
    for e in reversed(body):
        start = _offset(src, starts, e.start_line, e.start_column)
        end = _offset(src, starts, e.end_line, e.end_column)
        if end < start:
            raise EditError(f"edit ends ({e.end_line}:{e.end_column}) before it starts")
        text = e.replacement.replace("\n", newline) if newline != "\n" else e.replacement
        raw = raw[:start] + text + raw[end:]
    return replace(Source.from_text(raw, src.codec, bom), codec=src.codec)
