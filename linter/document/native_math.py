"""Where markdown-it's plugins put front matter and `$`/`$$` math, so the native path can
follow them or refuse.

pulldown-cmark has math too, but its rules are not mdit-py-plugins' dollarmath rules (the
reference configuration in `linter.document.parse`): where a block starts with `$$`, dollarmath takes
the lines up to the first one that ends with `$$` as one formula, reading them as raw text, and its inline rule pairs `$` signs without regard to code spans that open inside
the formula. This module says, in linear scans, what dollarmath makes of a text; the native
converter compares that with pulldown-cmark's events and refuses (markdown-it parses the
document instead) wherever they disagree. Agreement is the rule: on the shared corpus one
document in 604 is refused (docs/parsers.md).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence

# what may open a line before a block-level `$$` (quote markers, a list marker)
_PREFIX = re.compile(r"[ \t>]*(?:(?:[-*+]|\d{1,9}[.)])[ \t]+)?")
_QUOTES = re.compile(r"[ \t>]*")
# dollarmath's label suffix, reversed: `$$ a $$ (1)`
_EQNO_REV = re.compile(r"^\s*\)([^)$\r\n]+?)\(\s*\${2}")


def front_matter_end(lines: Sequence[str]) -> int | None:
    """The line after markdown-it's front matter (mdit-py-plugins' rule), None without one."""
    if not lines or not lines[0].startswith("---"):
        return None
    count = len(lines[0]) - len(lines[0].lstrip("-"))
    for i in range(1, len(lines)):
        line = lines[i]
        stripped = line.lstrip(" \t")
        indent = len(line) - len(stripped)
        if indent == 0 and stripped.startswith("...") and not stripped[3:].strip(" \t"):
            return i + 1
        if indent >= 4 or not stripped.startswith("-"):
            continue
        dashes = len(stripped) - len(stripped.lstrip("-"))
        if dashes >= count and not stripped[dashes:].strip(" \t"):
            return i + 1
    return None


# what ends a table body for markdown-it (its table rule's terminators: the block rules that
# may interrupt a block quote) besides a blank line: a quote, a fence, a thematic break, a
# list item, an HTML block, an ATX heading
_TABLE_TERMINATOR = re.compile(
    r" {0,3}(?:>|```|~~~|(?:(?:\* *){3,}|(?:- *){3,}|(?:_ *){3,})$|(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)|<[A-Za-z/!?]|#{1,6}(?:[ \t]|$))"
)


def ends_table(line: str, base: int) -> bool:
    """Whether markdown-it's table rule stops before this row (pulldown-cmark continued it)."""
    rest = line[base:]
    indent = len(rest.expandtabs(4)) - len(rest.expandtabs(4).lstrip(" "))
    return indent >= 4 or _TABLE_TERMINATOR.match(rest) is not None


_ATX = re.compile(r"[ \t>]*(?:(?:[-*+]|\d{1,9}[.)])[ \t]+)*[ \t>]*(#{1,6})(?:[ \t]+|$)")


# blocks that cannot interrupt a paragraph (CommonMark), so after a `$$` block markdown-it
# opens them where pulldown-cmark's paragraph goes on: an ordered list not starting at 1, an
# empty list item, indented code, an HTML block of the seventh kind (any tag)
_AFTER_BLANK_ONLY = re.compile(
    r"(?: {0,3}(?:(?!1[.)])\d{1,9}[.)](?:[ \t]|$)|(?:[-*+]|1[.)])[ \t]*$)| {4}|\t| {0,3}<[A-Za-z/])"
)


def opens_only_after_blank(rest: str) -> bool:
    return bool(rest.strip()) and _AFTER_BLANK_ONLY.match(rest) is not None


def atx_content(line: str) -> str | None:
    """markdown-it's (and CommonMark's) content of an ATX heading line, None for another line."""
    m = _ATX.match(line)
    if m is None:
        return None
    text = line[m.end() :].rstrip(" \t")
    run = len(text) - len(text.rstrip("#"))
    if run and (run == len(text) or text[-run - 1] in " \t"):
        text = text[:-run]
    return text.strip()


def _block_end(lines: Sequence[str], start: int, rest: str) -> int | None:
    """dollarmath's block rule for a line whose text (after its prefix) is `rest`, starting
    with `$$`: the last line of the block, or None when the rule does not take it."""
    text = rest.rstrip("\r")
    if len(text.strip()) > 3:
        stripped = text.strip()
        if stripped.endswith("$$"):
            return start
        if _EQNO_REV.match(text[::-1]):
            return start
        if "$$" in text[2:]:
            return None
    for j in range(start + 1, len(lines)):
        body = lines[j][_QUOTES.match(lines[j]).end() :]  # type: ignore[union-attr]
        s = lines[j].strip()
        if s.endswith("$$"):
            return j
        if not body.strip():
            return None
        if _EQNO_REV.match(lines[j][::-1]):
            return j
    return None


class MathPlan:
    """dollarmath's block formulas, checked against the ones the converter makes."""

    def __init__(self, blocks: dict[int, int]) -> None:
        self.blocks = blocks  # first line -> last line (0-based) of each block formula
        self.made: set[int] = set()

    def block(self, lines: Sequence[str], line: int, column: int, end_line: int, ends_line: bool) -> bool:
        """Whether pulldown's `$$` formula from `line` to `end_line`, the first thing in its
        paragraph (a block start for markdown-it too), is a dollarmath block."""
        text = lines[line]
        expected = _block_end(lines, line, text[column:])
        if expected is None:
            return False
        if expected != end_line or not ends_line:
            raise_refused()
        self.made.add(line)
        return True

    def check_done(self, code_lines: set[int]) -> None:
        """Every block dollarmath makes outside code was made."""
        for line in self.blocks:
            if line not in self.made and line not in code_lines:
                raise_refused()


class Refused(Exception):
    """The native events do not give what markdown-it gives for this document."""


def raise_refused() -> None:
    raise Refused()


def plan_math(lines: Sequence[str], first: int) -> MathPlan:
    blocks: dict[int, int] = {}
    i = first
    n = len(lines)
    while i < n:
        line = lines[i]
        previous = lines[i - 1] if i > first else ""
        # a block start for markdown-it (dollarmath does not interrupt a paragraph)
        if "$$" in line and (i == first or not previous.strip(" \t>") or previous.lstrip(" >").startswith("#")):
            at = _PREFIX.match(line).end()  # type: ignore[union-attr]
            if line.startswith("$$", at):
                end = _block_end(lines, i, line[at:])
                if end is not None:
                    blocks[i] = end
                    i = end + 1
                    continue
        i += 1
    return MathPlan(blocks)


def _escaped(s: str, at: int) -> bool:
    n = 0
    while at - n - 1 >= 0 and s[at - n - 1] == "\\":
        n += 1
    return n % 2 == 1


def _math_at(s: str, pos: int) -> tuple[int, str, bool] | None:
    """dollarmath's inline rule (allow_space, allow_digits off, double_inline on) at `pos`:
    (end, content, double) or None."""
    n = len(s)
    if pos + 1 >= n or s[pos + 1] in " \t\n\r\f\v" or (pos > 0 and s[pos - 1].isdigit()) or _escaped(s, pos):
        return None
    double = s[pos + 1] == "$"
    at = pos + 1 + double
    while True:
        end = s.find("$", at)
        if end < 0:
            return None
        if _escaped(s, end):
            at = end + 1
            continue
        if double:
            if end + 1 >= n:
                return None
            if s[end + 1] != "$":
                at = end + 1
                continue
            end += 1
        break
    if s[end - 1] in " \t\n\r\f\v" or (end + 1 < n and s[end + 1].isdigit()):
        return None
    content = s[pos + 2 : end - 1] if double else s[pos + 1 : end]
    if not content:
        return None
    return end + 1, content, double


_SPECIAL = re.compile(r"[\\`$]")
_TICKS = re.compile(r"`+")


def inline_math(s: str, skips: Sequence[tuple[int, int]]) -> list[tuple[str, bool]]:
    """The formulas markdown-it finds in inline content `s`, in order: (content, double).

    The scan skips what markdown-it's earlier inline rules consume before a `$` is reached:
    backslash escapes, code spans, and (`skips`: (start, end) offsets in `s`, from the native
    events) autolinks, HTML tags, whole images and the `](…)` tails of links. Linear: each skip, code span and closer is found once.
    """
    found: list[tuple[str, bool]] = []
    skip_at = dict(skips)
    skip_starts = sorted(skip_at)
    runs: dict[int, list[int]] = {}  # backtick run length -> starts, for the closers
    for m in _TICKS.finditer(s):
        runs.setdefault(m.end() - m.start(), []).append(m.start())
    i, n = 0, len(s)
    while i < n:
        if i in skip_at:
            i = max(skip_at[i], i + 1)
            continue
        c = s[i]
        if c == "\\":
            i += 2
        elif c == "`":
            k = i
            while k < n and s[k] == "`":
                k += 1
            same = runs.get(k - i, [])
            j = bisect.bisect_right(same, i)
            i = same[j] + (k - i) if j < len(same) else k
        elif c == "$":
            formula = _math_at(s, i)
            if formula is None:
                i += 1
            else:
                i = formula[0]
                found.append((formula[1], formula[2]))
        else:
            special = _SPECIAL.search(s, i)
            nxt = special.start() if special is not None else n
            j = bisect.bisect_right(skip_starts, i)
            i = min(nxt, skip_starts[j] if j < len(skip_starts) else n)
    return found
