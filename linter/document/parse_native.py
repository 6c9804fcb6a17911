"""The native parse path: pulldown-cmark's events (through pyromark) -> the builder's tokens.

pulldown-cmark parses in Rust about ten times faster than markdown-it-py. Its events carry
UTF-8 byte ranges; this module turns them into the markdown-it token shape
`linter.document.build` reads (`linter.document.tokens.Tok`), with markdown-it's line maps and
inline content, so one builder serves both parsers and the `Document`s are the same
(tests/test_parse_native.py compares them on the shared corpus, the fixtures and random
Markdown).

Where the two parsers read the same text differently (docs/parsers.md lists every case), the
native path does not guess: `native_tokens` returns None and the caller parses the document
with markdown-it, the reference. That happens when
- pyromark raises or panics (a `PanicException` is a `BaseException`, not an `Exception`);
- a `$`/`$$` formula is not where markdown-it's dollarmath plugin puts one
  (`linter.document.native_math` says where that is).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from .native_math import MathPlan, Refused, atx_content, opens_only_after_blank, ends_table, front_matter_end, inline_math, plan_math
from .native_source import Inline as _Inline
from .native_source import Source
from .tokens import Tok

if TYPE_CHECKING:
    import pyromark


# a link reference definition with a non-blank line right after it: markdown-it takes the
# definition as a block, so the next line may open a list or a break; CommonMark (cmark,
# GitHub, pulldown-cmark) reads the lines as one paragraph first
_DEFINITION_THEN_TEXT = re.compile(r"^ {0,3}\[[^\]\n]+\]:[^\n]*\n[ \t]*\S", re.M)


@lru_cache(maxsize=1)
def _parser() -> pyromark.Markdown:
    import pyromark

    o = pyromark.Options
    # GitHub's tables and `$` math; not strikethrough, task lists or footnotes, which the
    # reference configuration (markdown-it's commonmark preset) leaves as text
    return pyromark.Markdown(options=o.ENABLE_TABLES | o.ENABLE_MATH)


def native_tokens(text: str) -> list[Tok] | None:
    """The token stream for `text`, or None when the native parser refuses it."""
    lines = text.split("\n")
    fm_end = front_matter_end(lines)
    # front matter (markdown-it's plugin) is blanked line by line: the events keep their lines
    parsed = text if fm_end is None else "\n" * fm_end + "\n".join(lines[fm_end:])
    if not parsed.endswith("\n") and not lines[-1].strip():
        parsed = parsed.rstrip(" \t\f\v")  # markdown-it ignores a blank unterminated last line
    if _DEFINITION_THEN_TEXT.search(parsed):
        return None  # markdown-it reads a definition as a block of its own (docs/parsers.md)
    try:
        events = list(_parser().events_with_range(parsed))
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException:  # noqa: BLE001 (pyo3's PanicException derives from BaseException)
        return None
    try:
        return _Converter(parsed, lines, fm_end, plan_math(lines, fm_end or 0)).run(events)  # type: ignore[arg-type]
    except Refused:
        return None


_BREAKS = ("softbreak", "hardbreak")
_SPANS = frozenset({"Emphasis", "Strong", "Strikethrough", "Superscript", "Subscript"})


class _Converter(Source):
    def __init__(self, parsed: str, lines: Sequence[str], fm_end: int | None, math: MathPlan) -> None:
        self.data = parsed.encode()
        self.lines = lines
        self.fm_end = fm_end
        self.math = math
        starts = [0]
        at = self.data.find(b"\n")
        while at >= 0:
            starts.append(at + 1)
            at = self.data.find(b"\n", at + 1)
        self.starts = starts
        self.out: list[Tok] = []
        self.inline: _Inline | None = None
        self.cell: tuple[int, int] = (0, 0)
        self.row = 0  # the line of the table row being read
        self.code: tuple[Tok, list[str]] | None = None
        self.html: tuple[Tok, list[str]] | None = None
        self.code_lines: set[int] = set()
        # open block quotes and list items (with their content column past the quote markers)
        self.containers: list[int] = []  # -1: a quote; n >= 0: an item whose content is at n

    def run(self, events: Iterable[tuple[Any, dict[str, int]]]) -> list[Tok]:
        out = self.out
        if self.fm_end is not None:
            content = "\n".join(self.lines[1 : self.fm_end - 1]) if self.fm_end > 2 else ""
            out.append(Tok("front_matter", [0, self.fm_end], content))
            self.code_lines.update(range(self.fm_end))
        for ev, r in events:
            if isinstance(ev, str):
                self.bare(ev, r)
                continue
            kind, value = next(iter(ev.items()))
            if kind == "Start":
                self.start(value, r)
            elif kind == "End":
                self.end(value, r)
            else:
                self.leaf(kind, value, r)
        self.flush_implicit()
        self.math.check_done(self.code_lines)
        return out

    def bare(self, ev: str, r: dict[str, int]) -> None:
        if ev == "Rule":
            self.flush_implicit()
            line = self.line_of(r["start"])
            self.out.append(Tok("hr", [line, line + 1]))
        elif self.inline is not None:
            self.add_child(Tok("softbreak" if ev == "SoftBreak" else "hardbreak"), r)

    def flush_implicit(self) -> None:
        if self.inline is not None and self.inline.implicit:
            self.flush_inline(self.inline.last)

    def start(self, tag: Any, r: dict[str, int]) -> None:
        if isinstance(tag, str):
            if tag in ("Paragraph", "TableCell", "Item", "HtmlBlock"):
                self.flush_implicit()
            if tag == "Paragraph":
                self.inline = _Inline(self.line_of(r["start"]))
                self.inline.first = r["start"]  # the paragraph's first character (an escape's `\\`)
                self.inline.line_starts[self.inline.line] = r["start"]
            elif tag in ("TableHead", "TableRow"):
                self.row = self.line_of(r["start"])
                if tag == "TableRow" and ends_table(self.lines[self.row], self.quote_base(self.lines[self.row])):
                    raise Refused()  # markdown-it ends the table at this line (docs/parsers.md)
            elif tag == "TableCell":
                self.inline = _Inline(self.line_of(r["start"]))
                self.inline.paragraph = False
                self.cell = (r["start"], r["end"])
            elif tag == "Item":
                self.item(r)
            elif tag == "HtmlBlock":
                self.html = (Tok("html_block", self.block_map(r)), [])
            elif tag in _SPANS:
                self.open_span(r)
            return
        kind, value = next(iter(tag.items()))
        if kind in ("Link", "Image"):
            self.link_start(kind, value, r)
            return
        if kind == "BlockQuote":
            self.flush_implicit()
            self.containers.append(-1)
            return
        self.flush_implicit()
        if kind == "Heading":
            m = self.block_map(r)
            self.out.append(Tok("heading_open", m, tag="h" + value["level"][1]))
            self.inline = _Inline(m[0])
            self.inline.paragraph = False
        elif kind == "List":
            self.out.append(Tok("ordered_list_open" if value is not None else "bullet_list_open", self.block_map(r)))
        elif kind == "CodeBlock":
            m = self.block_map(r)
            if value == "Indented":
                self.code = (Tok("code_block", m), [])
            else:
                marker = self.fence_marker(r["start"])
                # the info string as written (markdown-it decodes entities only when rendering)
                opener = self.text(r["start"], self.starts[m[0] + 1] - 1 if m[0] + 1 < len(self.starts) else len(self.data))
                info = opener.lstrip(" \t>")[len(marker) :]
                self.code = (Tok("fence", m, info=info, markup=marker), [])

    def end(self, tag: Any, r: dict[str, int]) -> None:
        name = tag if isinstance(tag, str) else next(iter(tag))
        if name in ("Paragraph", "Heading"):
            self.flush_inline(r["end"], heading=name == "Heading")
        elif name == "TableCell":
            self.flush_cell()
        elif name in ("Link", "Image"):
            self.link_end(name, r)
        elif name in _SPANS and self.inline is not None:
            self.inline.joins = False
            self.inline.last = max(self.inline.last, r["end"])
        elif name == "Item":
            self.flush_implicit()
            self.containers.pop()
            self.out.append(Tok("list_item_close"))
        elif name == "List":
            self.flush_implicit()
            self.out.append(Tok("ordered_list_close" if tag["List"] else "bullet_list_close"))
        elif name == "BlockQuote":
            self.flush_implicit()
            self.containers.pop()
        elif name == "CodeBlock" and self.code is not None:
            self.end_code()
        elif name == "HtmlBlock" and self.html is not None:
            tok, parts = self.html
            tok.content = "".join(parts)
            self.out.append(tok)
            self.code_lines.update(range(*tok.map))  # type: ignore[misc]
            self.html = None

    def end_code(self) -> None:
        assert self.code is not None
        tok, parts = self.code
        self.code = None
        tok.content = "".join(parts)
        first, stop = tok.map  # type: ignore[misc]
        if tok.type == "fence" and not self.fence_closed(first, stop - 1, tok.markup):
            # markdown-it's map of an unclosed fence ends after its last content line
            lines = tok.content.count("\n") + (0 if tok.content.endswith("\n") or not tok.content else 1)
            stop = first + lines + 1
            tok.map = [first, stop]
        if tok.type == "code_block":
            # markdown-it's indented code ends at its last non-blank line
            while stop - 1 > first and not self.lines[stop - 1].strip():
                stop -= 1
            tok.map = [first, stop]
        self.code_lines.update(range(first, stop))
        self.out.append(tok)

    def leaf(self, kind: str, value: Any, r: dict[str, int]) -> None:
        if self.code is not None:
            if kind == "Text":
                self.code[1].append(value)
            return
        if self.html is not None:
            if kind == "Html":
                self.html[1].append(value)
            return
        if self.inline is None:
            self.inline = _Inline(self.line_of(r["start"]), implicit=True)
        if kind == "Text":
            self.add_child(Tok("text", content=value), r)
        elif kind == "Code":
            start = r["start"]
            n = 0
            while self.data[start + n : start + n + 1] == b"`":
                n += 1
            self.add_child(Tok("code_inline", content=value, markup="`" * n), r)
        elif kind in ("InlineHtml", "Html"):
            self.add_child(Tok("html_inline", content=value), r)
            self.inline.skips.append((r["start"], r["end"]))
        elif kind in ("InlineMath", "DisplayMath") and self.inline.stack:
            raise Refused()  # a formula in an image's text: not compared with dollarmath
        elif kind == "InlineMath":
            self.add_child(Tok("math_inline", content=value), r)
        elif kind == "DisplayMath":
            self.display_math(value, r)
        else:  # a footnote reference or task marker (not enabled): its source as text
            self.add_child(Tok("text", content=self.text(r["start"], r["end"])), r)

    # -- pieces -----------------------------------------------------------------------------

    def add_child(self, tok: Tok, r: dict[str, int]) -> None:
        inline = self.inline
        assert inline is not None
        siblings = inline.stack[-1] if inline.stack else inline.children
        if tok.type in _BREAKS and not inline.children and inline.last < 0 and inline.first < 0:
            return  # the line break after a `$$` block: markdown-it's next paragraph starts below
        if tok.type == "text" and inline.joins and siblings and siblings[-1].type == "text":
            # markdown-it joins adjacent text (escapes, unmatched `*`); pulldown sends pieces
            siblings[-1].content += tok.content
        else:
            siblings.append(tok)
        inline.joins = tok.type == "text"
        self.mark(inline, r)
        if tok.type in _BREAKS:
            return
        if tok.type not in ("link_open", "image"):
            inline.last = max(inline.last, r["end"])

    def mark(self, inline: _Inline, r: dict[str, int]) -> None:
        """Record where the inline content's line starts (an escape's `\\` is not in its event)."""
        start = r["start"]
        if inline.first < 0:
            inline.first = start
        line = self.line_of(start)
        if line not in inline.line_starts:
            low = self.starts[line]
            while start > low and self.data[start - 1] not in b" \t>":
                start -= 1
            inline.line_starts[line] = start

    def open_span(self, r: dict[str, int]) -> None:
        """Emphasis and the like add no token, but their marks are inline content."""
        if self.inline is None:
            self.inline = _Inline(self.line_of(r["start"]), implicit=True)
        inline = self.inline
        inline.joins = False
        self.mark(inline, r)
        inline.last = max(inline.last, r["end"])

    def link_start(self, kind: str, value: Any, r: dict[str, int]) -> None:
        if self.inline is None:
            self.inline = _Inline(self.line_of(r["start"]), implicit=True)
        inline = self.inline
        dest = value["dest_url"]
        link_type = value["link_type"]
        if link_type == "Email":
            dest = "mailto:" + dest
        autolink = link_type in ("Autolink", "Email")
        tok = Tok("image" if kind == "Image" else "link_open", href=dest, markup="autolink" if autolink else "")
        self.add_child(tok, r)
        if kind == "Image":
            inline.stack.append([])
            inline.skips.append((r["start"], r["end"]))
        elif autolink:
            inline.skips.append((r["start"], r["end"]))
        inline.opened.append(r["start"])

    def link_end(self, name: str, r: dict[str, int]) -> None:
        inline = self.inline
        assert inline is not None
        start = inline.opened.pop()
        inline.last = max(inline.last, r["end"])
        if name == "Image":
            children = inline.stack.pop()
            parent = inline.stack[-1] if inline.stack else inline.children
            image = next(t for t in reversed(parent) if t.type == "image")
            image.children = children
            return
        (inline.stack[-1] if inline.stack else inline.children).append(Tok("link_close"))
        inline.joins = False
        # the `](dest)` tail: from the label's `]` (the last `]` before the end) to the end
        tail = self.data.rfind(b"](", start, r["end"])
        if tail < 0:
            tail = self.data.rfind(b"][", start, r["end"])
        if tail >= 0:
            inline.skips.append((tail, r["end"]))

    def item(self, r: dict[str, int]) -> None:
        start = r["start"]
        line = self.line_of(start)
        stop = self.starts[line + 1] if line + 1 < len(self.starts) else len(self.data)
        src = self.data[start:stop]
        i = len(src) - len(src.lstrip(b" \t"))
        j = i
        while j < len(src) and src[j : j + 1].isdigit():
            j += 1
        number, marker = src[i:j].decode(), src[j : j + 1].decode()
        self.out.append(Tok("list_item_open", self.block_map(r), info=number, markup=marker))
        # the content column markdown-it strips from continuation lines (its blkIndent)
        text = self.lines[line]
        base = self.quote_base(text)
        after = len(self.text(self.starts[line], start + j + 1))
        spaces = len(text) - len(text[after:].lstrip(" "))  - after
        rest = text[after:].strip()
        self.containers.append(after - base + (1 if spaces > 4 or not rest else spaces))

    def display_math(self, value: str, r: dict[str, int]) -> None:
        inline = self.inline
        assert inline is not None
        start, end = r["start"], r["end"]
        line, end_line = self.line_of(start), self.line_of(end - 1)
        if inline.paragraph and not inline.children and inline.last < 0 and self.math.block(
            self.lines, line, len(self.text(self.starts[line], start)), end_line, self.ends_line(end)
        ):
            # a paragraph opening with `$$` is markdown-it's math block (and what follows it
            # on later lines a paragraph of its own)
            implicit = inline.implicit
            self.out.append(Tok("math_block", [line, end_line + 1], self.block_math(start, end), markup="$$"))
            self.code_lines.update(range(line, end_line + 1))
            self.inline = _Inline(end_line + 1, implicit=implicit)
            if end_line + 1 < len(self.lines) and opens_only_after_blank(self.lines[end_line + 1][self.quote_base(self.lines[end_line + 1]) :]):
                raise Refused()  # markdown-it starts a block there that cannot interrupt a paragraph
            return
        self.add_child(Tok("math_inline_double", content=value), r)

    def flush_cell(self) -> None:
        inline = self.inline
        self.inline = None
        if inline is None:
            return
        start, end = self.cell
        raw = self.text(start, end)
        stripped = raw.strip()
        if "\\|" not in stripped:  # most cells
            self.verify_math(inline, stripped, [(start + len(raw[: len(raw) - len(raw.lstrip())].encode()), 0, len(stripped))])
            self.out.append(Tok("inline", [self.row, self.row + 1], stripped, children=inline.children))
            return
        at = start + len(raw[: len(raw) - len(raw.lstrip())].encode())
        # markdown-it splits the row on unescaped pipes and drops the backslash of `\|`
        parts: list[str] = []
        pieces: list[tuple[int, int, int]] = []
        offset = 0
        for n, part in enumerate(stripped.split("\\|")):
            piece = part if n == 0 else "|" + part
            pieces.append((at, offset, len(piece)))
            parts.append(piece)
            at += len(piece.encode()) + (1 if n else 0)
            offset += len(piece)
        content = "".join(parts)
        self.verify_math(inline, content, pieces)
        self.out.append(Tok("inline", [self.row, self.row + 1], content, children=inline.children))

    def flush_inline(self, end: int, heading: bool = False, upto: int | None = None) -> None:
        inline = self.inline
        self.inline = None
        if inline is None or not (inline.children or heading):
            return
        stop_line = upto if upto is not None else self.line_of(max(end - 1, 0)) + 1
        content, pieces = self.content(inline)
        if heading and atx_content(self.lines[inline.line]) not in (None, content):
            raise Refused()  # pulldown-cmark keeps a closing `#` run after a tab
        children = inline.children
        # markdown-it strips the block's content (Python's strip: any Unicode space) before
        # its inline parse, so the edge text children have no edge whitespace
        if children and children[0].type == "text":
            children[0].content = children[0].content.lstrip()
        if children and children[-1].type == "text":
            children[-1].content = children[-1].content.rstrip()
        self.verify_math(inline, content, pieces)
        self.out.append(Tok("inline", [inline.line, max(stop_line, inline.line + 1)], content, children=inline.children))

    def verify_math(self, inline: _Inline, content: str, pieces: list[tuple[int, int, int]]) -> None:
        """Refuse unless dollarmath finds the formulas pulldown-cmark found here."""
        if "$" not in content:  # (no formula either: pulldown's need a `$` too)
            return
        made = [(t.content, t.type == "math_inline_double") for t in inline.children if t.type.startswith("math_inline")]
        skips = [(self.offset(a, pieces), self.offset(b, pieces)) for a, b in inline.skips]
        if inline_math(content, skips) != made:
            raise Refused()
