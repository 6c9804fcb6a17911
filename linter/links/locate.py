"""Where a link's destination is written in the source, and edits that rewrite part of it.

The parser records where a link starts (`[`); a fix needs the destination itself: after
`](` or `](<` of an inline link (the text may wrap lines), or in the reference definition
`[label]: dest` of a reference-style link. Used by the link rules' fixes and by the fix
layer when it follows anchor renames into other documents.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from urllib.parse import quote

from ..diagnostics import TextEdit
from .resolve import split

# How far past a link's start its destination may be (the link text can wrap lines).
_SEARCH_LINES = 40
# What may follow a destination in `](dest…`: the `)`, a title, or `>` for `<dest>`.
_DEST_END = frozenset(")> \t\n\"'")


def find_dest(lines: Sequence[str], line: int, column: int, dest: str) -> tuple[int, int] | None:
    """1-based (line, column) of the first character of `dest` for the link starting at
    (line, column), or None when it is not written there verbatim (escapes, entities)."""
    return _find_inline(lines, line, column, dest) or _find_definition(lines, dest)


def _find_inline(lines: Sequence[str], line: int, column: int, dest: str) -> tuple[int, int] | None:
    if line < 1 or line > len(lines):
        return None
    first = line - 1
    text = "\n".join(lines[first : first + _SEARCH_LINES])
    offset = max(column - 1, 0)
    for opener in ("](", "](<"):
        needle = opener + dest
        pos = text.find(needle, offset)
        while pos >= 0:
            end = pos + len(needle)
            if end == len(text) or text[end] in _DEST_END:
                at = pos + len(opener)
                row = first + text.count("\n", 0, at)
                col = at - (text.rfind("\n", 0, at) + 1)
                return row + 1, col + 1
            pos = text.find(needle, pos + 1)
    return None


def _find_definition(lines: Sequence[str], dest: str) -> tuple[int, int] | None:
    """A reference definition `[label]: dest` (reference-style links carry its destination)."""
    if not dest:
        return None
    pattern = re.compile(r"^ {0,3}\[[^\]]+\]:[ \t]*<?(" + re.escape(dest) + r")(?:>|[ \t]|$)")
    for i, text in enumerate(lines):
        m = pattern.match(text)
        if m:
            return i + 1, m.start(1) + 1
    return None


def fragment_edit(
    path: str, lines: Sequence[str], line: int, column: int, dest: str, new_anchor: str
) -> TextEdit | None:
    """Replace the fragment of the link `dest` (starting at line/column) with `new_anchor`,
    encoded the way the author encoded the old one."""
    fragment = split(dest).fragment
    at = find_dest(lines, line, column, dest)
    if at is None or fragment is None:
        return None
    row, col = at
    start = col - 1 + len(dest) - len(fragment)
    if lines[row - 1][start - 1 : start + len(fragment)] != "#" + fragment:
        return None
    return TextEdit(path, row, start + 1, row, start + 1 + len(fragment), encode_like(fragment, new_anchor))


def path_edit(path: str, lines: Sequence[str], line: int, column: int, dest: str, new_path: str) -> TextEdit | None:
    """Replace the path part of the link `dest` (before `?` and `#`) with `new_path`."""
    written = split(dest).path
    at = find_dest(lines, line, column, dest)
    if at is None or not written:
        return None
    row, col = at
    if lines[row - 1][col - 1 : col - 1 + len(written)] != written:
        return None
    return TextEdit(path, row, col, row, col + len(written), new_path)


def encode_like(written: str, new_anchor: str) -> str:
    """`new_anchor` in the form the author used for `written`: raw when the fragment was
    raw, percent-encoded (with the same hex case) when it was encoded."""
    if "%" not in written:
        return new_anchor
    encoded = quote(new_anchor, safe="-_.~")
    hexes = re.findall(r"%[0-9A-Fa-f]{2}", written)
    if hexes and all(h == h.lower() for h in hexes) and any(c.isalpha() for h in hexes for c in h[1:]):
        encoded = re.sub(r"%[0-9A-F]{2}", lambda m: m.group(0).lower(), encoded)
    return encoded
