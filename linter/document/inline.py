"""Inline content as the parser reads it: link kinds, rendered text, and offsets to positions.

markdown-it gives an inline token's content with indentation and `>` markers stripped; the
parser needs 1-based file lines and columns for what it finds in it (`InlineText.where`),
the text GitHub shows for it (`render_text`, which anchors are made from) and the kind of
each link destination as written (`link_kind`).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .model import LinkKind

if TYPE_CHECKING:
    from .tokens import TokenLike as Token

SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]{1,31}):")
WINDOWS_DRIVE = re.compile(r"^[a-zA-Z]:[\\/]")
CODE_SPAN = re.compile(r"(`+)(.+?)\1", re.S)
NEWLINE = re.compile("\n")
_NOT_NEWLINE = re.compile("[^\n]")
# What the parser's raw scan looks for: a pseudo-link, `\(`/`\[` or a stray `$$` (rare).
RAW_SCAN = re.compile(r"\]\(|\\|\$\$")


def link_kind(dest: str) -> LinkKind:
    """Classify a destination as written."""
    if not dest.strip():
        return "empty"
    if dest.startswith("#"):
        return "anchor"
    if WINDOWS_DRIVE.match(dest):
        return "relative"  # a local absolute path; the links rules say why it is wrong
    m = SCHEME.match(dest)
    if m:
        scheme = m.group(1).lower()
        if scheme in ("http", "https"):
            return "external"
        if scheme == "mailto":
            return "mailto"
        return "scheme"
    if dest.startswith("//"):
        return "external"
    return "relative"


def render_text(children: Sequence[Token] | None) -> str:
    """What GitHub shows for inline content: emphasis dropped, code and TeX source kept."""
    out: list[str] = []
    for tok in children or ():
        if tok.type in ("text", "code_inline", "math_inline", "math_inline_double"):
            out.append(tok.content)
        elif tok.type in ("softbreak", "hardbreak"):
            out.append(" ")
        elif tok.type == "image":
            out.append("")  # an <img> has no text content, so it adds nothing to the anchor
    return "".join(out)


def needs_raw_scan(content: str) -> bool:
    """Whether a pseudo-link, `\\(`/`\\[` or a stray `$$` can occur at all (rarely)."""
    return RAW_SCAN.search(content) is not None


def mask_code(text: str) -> str:
    """Blank out inline code spans so regexes over raw text do not look inside them."""
    return CODE_SPAN.sub(lambda m: " " * len(m.group(0)), text)


@dataclass
class InlineText:
    """Maps offsets in an inline token's content back to file lines and columns."""

    content: str
    start_line: int  # 1-based line of the content's first line
    source: Sequence[str]  # the file's lines
    pos: int = 0
    # offsets of parsed math in `content`, so raw-text scans can skip them
    math: list[tuple[int, int]] = field(default_factory=list)

    # offsets of links, images and inline HTML in `content` (no bare URL starts inside them)
    taken: list[tuple[int, int]] = field(default_factory=list)

    def in_math(self, offset: int) -> bool:
        # the spans merged and sorted once, then a bisect: asked for every `$$` of a line
        # with 10,000 of them, a scan of every span was quadratic
        if self._merged is None or self._merged[0] != len(self.math):
            merged: list[tuple[int, int]] = []
            for a, b in sorted(x for x in self.math if x[0] < x[1]):
                if merged and a <= merged[-1][1]:
                    merged[-1] = (merged[-1][0], max(merged[-1][1], b))
                else:
                    merged.append((a, b))
            self._merged = (len(self.math), [a for a, _ in merged], [b for _, b in merged])
        _, starts, ends = self._merged
        i = bisect.bisect_right(starts, offset) - 1
        return i >= 0 and offset < ends[i]

    def mask(self, text: str) -> str:
        """`text` (the content, or a same-length masking of it) with math, links, images and
        inline HTML blanked out, line breaks kept."""
        if not self.math and not self.taken:
            return text
        out: list[str] = []
        at = 0
        for a, b in sorted((*self.math, *self.taken)):
            a, b = max(a, at), min(b, len(text))
            if a < b:
                out.append(text[at:a])
                out.append(_NOT_NEWLINE.sub(" ", text[a:b]))
                at = b
        out.append(text[at:])
        return "".join(out)

    # line start offsets in `content` and, per content line, where it starts in the source
    # line (indentation and `>` markers are stripped from inline content); computed once, so
    # a paragraph with thousands of links stays linear
    _starts: list[int] = field(default_factory=list)
    _shifts: dict[int, int] = field(default_factory=dict)
    _merged: tuple[int, list[int], list[int]] | None = None

    def where(self, offset: int) -> tuple[int, int]:
        if not self._starts:
            self._starts = [0] + [m.end() for m in NEWLINE.finditer(self.content)]
        line_index = bisect.bisect_right(self._starts, offset) - 1
        line = self.start_line + line_index
        col_in_content = offset - self._starts[line_index]
        if line_index not in self._shifts:
            end = self._starts[line_index + 1] - 1 if line_index + 1 < len(self._starts) else len(self.content)
            content_line = self.content[self._starts[line_index] : end]
            src = self.source[line - 1] if 0 < line <= len(self.source) else ""
            shift = src.find(content_line) if content_line else -1
            self._shifts[line_index] = shift if shift >= 0 else 0
        return line, col_in_content + self._shifts[line_index] + 1

    def find(self, needle: str, advance: bool = True) -> int | None:
        idx = self.content.find(needle, self.pos)
        if idx < 0:
            return None
        if advance:
            self.pos = idx + len(needle)
        return idx
