"""Positions in the text the native parser read: byte offsets to lines, and markdown-it's
inline content and line maps rebuilt from pulldown-cmark's byte ranges.

`Source` is the half of the native converter (`linter.document.parse_native`) that knows the
text; the other half walks the events.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence

from .tokens import Tok


class Inline:
    """The inline content of one block being collected: children and where each line starts."""

    __slots__ = (
        "line", "children", "first", "last", "line_starts", "stack", "skips", "opened", "implicit", "joins",
        "paragraph",
    )

    def __init__(self, line: int, implicit: bool = False) -> None:
        self.line = line  # 0-based first line
        self.children: list[Tok] = []
        self.first = -1  # byte offset of the first inline event
        self.last = -1  # byte offset after the last leaf event
        self.line_starts: dict[int, int] = {}  # line -> byte offset of its first inline event
        self.stack: list[list[Tok]] = []  # images collect their own children
        self.skips: list[tuple[int, int]] = []  # byte ranges dollarmath never looks into
        self.opened: list[int] = []  # byte starts of the open links
        self.implicit = implicit  # a tight list item's paragraph (pulldown sends no events)
        self.joins = False  # whether a text event continues the last text token (no mark between)
        self.paragraph = True  # not a heading or a table cell (only a paragraph opens a math block)


class Source:
    """The parsed text (`data`, UTF-8), its line starts and lines, and the open containers."""

    data: bytes
    starts: list[int]
    lines: Sequence[str]
    # open block quotes and list items: -1 a quote, n >= 0 an item whose content is at column n
    containers: list[int]

    def line_of(self, offset: int) -> int:
        return bisect.bisect_right(self.starts, offset) - 1

    def block_map(self, r: dict[str, int]) -> list[int]:
        start, end = r["start"], r["end"]
        first = self.line_of(start)
        return [first, max(first, self.line_of(end - 1)) + 1 if end > start else first + 1]

    def text(self, start: int, end: int) -> str:
        return self.data[start:end].decode("utf-8", "replace")

    # -- the walk ---------------------------------------------------------------------------

    def fence_closed(self, first: int, last: int, marker: str) -> bool:
        if last <= first or not marker:
            return False
        text = self.lines[last][self.quote_base(self.lines[last]) :].strip()
        return len(text) >= len(marker) and not text.strip(marker[0])

    def fence_marker(self, start: int) -> str:
        raw = self.text(start, self.starts[self.line_of(start) + 1] if self.line_of(start) + 1 < len(self.starts) else len(self.data))
        raw = raw.lstrip(" \t>")
        ch = raw[:1]
        return ch * (len(raw) - len(raw.lstrip(ch))) if ch in ("`", "~") else ""

    def ends_line(self, end: int) -> bool:
        line = self.line_of(end - 1)
        stop = self.starts[line + 1] if line + 1 < len(self.starts) else len(self.data)
        return not self.data[end:stop].strip()

    def block_math(self, start: int, end: int) -> str:
        """dollarmath's block content: the first line after `$$`, the lines between from
        their quote markers on (list indentation kept), the last line up to its `$$`."""
        line, last = self.line_of(start), self.line_of(end - 1)
        if line == last:
            return self.text(start + 2, end - 2)
        parts = [self.text(start + 2, self.starts[line + 1] - 1)]
        for i in range(line + 1, last + 1):
            text = self.lines[i]
            stop = len(text) if i < last else len(text) - len(self.text(end - 2, self.starts[i + 1] - 1 if i + 1 < len(self.starts) else len(self.data)))
            parts.append(text[self.quote_base(text) : stop])
        return "\n".join(parts)

    def quote_base(self, text: str) -> int:
        """Where a line's content starts past the markers of the open block quotes."""
        at = 0
        for _ in range(self.containers.count(-1)):
            probe = at
            while probe < len(text) and probe - at < 3 and text[probe] == " ":
                probe += 1
            if probe < len(text) and text[probe] == ">":
                at = probe + 1
                if at < len(text) and text[at] in " \t":
                    at += 1
            else:
                break
        return at

    def line_start(self, line: int, event_start: int) -> int:
        """markdown-it's start of a continuation line: past the quote markers and at most the
        list item's content column of indentation (the rest of it stays in the content)."""
        text = self.lines[line]
        base = self.quote_base(text)
        indent = next((c for c in reversed(self.containers) if c >= 0), 0) if self.containers[-1:] != [-1] else 0
        at = base
        while at < len(text) and at - base < indent and text[at] in " \t":
            at += 1
        first = len(self.text(self.starts[line], event_start))
        if "\t" in text[base:first]:
            # markdown-it turns a tab it strips part of into spaces; not reproduced
            from .native_math import Refused

            raise Refused()
        return event_start - len(text[at:first].encode()) if at < first and not text[at:first].strip() else event_start

    def content(self, inline: Inline) -> tuple[str, list[tuple[int, int, int]]]:
        """markdown-it's inline content: the block's lines from the first inline event on, each
        continuation line without its container prefix, the whole stripped; and the pieces
        (byte start, content offset, length) that map byte offsets into it."""
        parts: list[str] = []
        pieces: list[tuple[int, int, int]] = []
        if inline.first < 0:
            return "", pieces
        first_line = self.line_of(inline.first)
        last_line = self.line_of(max(inline.last - 1, inline.first))
        at = 0
        for line in range(first_line, last_line + 1):
            start = inline.line_starts.get(line)
            if line != first_line:
                if start is None:  # inside a formula or code span: from its first character
                    text = self.lines[line]
                    base = self.quote_base(text)
                    lead = len(text) - len(text[base:].lstrip(" \t"))
                    start = self.starts[line] + len(text[:lead].encode())
                start = self.line_start(line, start)
            assert start is not None
            stop = self.starts[line + 1] - 1 if line + 1 < len(self.starts) else len(self.data)
            if line == last_line and inline.last > start:
                stop = min(stop, inline.last)
            piece = self.text(start, stop)
            pieces.append((start, at, len(piece)))
            parts.append(piece)
            at += len(piece) + 1
        raw = "\n".join(parts)
        content = raw.strip()
        lead = len(raw) - len(raw.lstrip())
        if lead:
            pieces = [(b, c - lead, k) for b, c, k in pieces]
        return content, pieces

    def offset(self, byte: int, pieces: list[tuple[int, int, int]]) -> int:
        i = bisect.bisect_right(pieces, (byte, 1 << 62, 0)) - 1
        if i < 0:
            return 0
        b, c, _ = pieces[i]
        return c + len(self.data[b:byte].decode("utf-8", "replace"))
