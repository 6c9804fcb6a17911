"""Linear scans of raw text for what markdown-it does not tokenise (issue 12, item 7).

These replace regexes that backtracked on hostile small inputs: a lazy `.*?` between two
delimiters, tried from every opener, rescans the rest of the text once per unclosed opener
(30,000 unclosed `<!--`: 44 s; `<div>` then 20,000 `<a `: 45 s; 40,000 `\\[ `: minutes). Each
function gives exactly the matches `re.finditer` gave with the old pattern (the old pattern
is quoted in its docstring; tests compare them on random text), but never looks at a
character more than a constant number of times: the "next closer after here" answer is
remembered, and an opener that cannot close tells every later opener of its kind the same.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from typing import NamedTuple

_A_OPEN = re.compile(r"<a\s", re.I)
_ATTRIBUTE = re.compile(r"\b(?:id|name)\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s>]+))", re.I)
_NOT_NEWLINE = re.compile(r"[^\n]")
_BRACKET_OPEN = re.compile(r"\\[\[(]")


class LineCounter:
    """How many line breaks come before an offset of `text` (a bisect, not a count of the
    prefix per match, which made 10,000 anchors in one HTML block quadratic)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._breaks: list[int] | None = None

    def before(self, offset: int) -> int:
        if self._breaks is None:
            self._breaks = [m.start() for m in re.finditer("\n", self.text)]
        return bisect.bisect_left(self._breaks, offset)


class _NextMatch:
    """`pattern.search(text, pos)` for growing `pos`, each character looked at once.

    A pattern without lookbehind or `^` matches at a position independently of where the
    search started, so the first match at or after `pos` is also the first one at or after
    any later `pos` up to its start.
    """

    def __init__(self, pattern: re.Pattern[str], text: str) -> None:
        self.pattern, self.text = pattern, text
        self._from = -1
        self._found: re.Match[str] | None = None

    def at_or_after(self, pos: int) -> re.Match[str] | None:
        if self._from < 0 or pos < self._from or (self._found is not None and pos > self._found.start()):
            self._from, self._found = pos, self.pattern.search(self.text, pos)
        return self._found


def html_comments(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, inner text) of each `<!--(.*?)-->` (re.S) in `text`."""
    i = 0
    while True:
        start = text.find("<!--", i)
        if start < 0:
            return
        end = text.find("-->", start + 4)
        if end < 0:
            return  # no later `<!--` can close either
        yield start, end + 3, text[start + 4 : end]
        i = end + 3


def html_anchors(text: str) -> Iterator[tuple[int, str]]:
    """(offset, name) of each `<a ... id="x">` / `name=`: the matches of
    `<a\\s[^>]*?\\b(?:id|name)\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))` (re.I)."""
    attributes = _NextMatch(_ATTRIBUTE, text)
    i = 0
    while True:
        tag = _A_OPEN.search(text, i)
        if tag is None:
            return
        close = text.find(">", tag.end())
        close = len(text) if close < 0 else close
        attr = attributes.at_or_after(tag.end())
        if attr is None:
            return
        if attr.start() >= close:
            # no id before this tag's `>`: every `<a` before that `>` fails the same way
            i = close
            continue
        yield tag.start(), next(g for g in attr.groups() if g is not None)
        i = attr.end()


def blank_spans(text: str, spans: list[tuple[int, int]]) -> str:
    """`text` with every character of the spans but line breaks turned into spaces (offsets
    and lines stay where they were)."""
    if not spans:
        return text
    out: list[str] = []
    last = 0
    for start, end in spans:
        out.append(text[last:start])
        out.append(_NOT_NEWLINE.sub(" ", text[start:end]))
        last = end
    out.append(text[last:])
    return "".join(out)


class BracketMatch(NamedTuple):
    start: int
    end: int
    display: bool  # `\[ \]`, else `\( \)`
    content: str


def bracket_math(text: str) -> Iterator[BracketMatch]:
    """Each `\\\\\\[(.+?)\\\\\\]|\\\\\\((.+?)\\\\\\)` (re.S): `\\[ … \\]` and `\\( … \\)`."""
    closers = {"[": _NextMatch(re.compile(r"\\\]"), text), "(": _NextMatch(re.compile(r"\\\)"), text)}
    i = 0
    while True:
        opener = _BRACKET_OPEN.search(text, i)
        if opener is None:
            return
        start = opener.start()
        closer = closers[text[start + 1]].at_or_after(start + 3)  # `.+?`: at least one character
        if closer is None:
            i = start + 1
            continue
        yield BracketMatch(start, closer.end(), text[start + 1] == "[", text[start + 2 : closer.start()])
        i = closer.end()
