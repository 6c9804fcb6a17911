"""A markdown-it-shaped token stream -> `Document`, whichever parser made the tokens.

markdown-it makes the tokens directly (`linter.document.parse`), the native path makes the same
shape from pulldown-cmark's events (`linter.document.parse_native`); this module reads only
what `linter.document.tokens.TokenLike` promises. Positions are converted to 1-based lines
once, here.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from .model import (
    CodeFence,
    Comment,
    Document,
    Encoding,
    ExplicitAnchor,
    Formula,
    FrontMatter,
    Heading,
    Link,
    PseudoLink,
    ReferenceItem,
    ReferenceSection,
    Toc,
    TocEntry,
)
from .autolinks import extended_autolinks
from .inline import RAW_SCAN, InlineText, link_kind, mask_code, needs_raw_scan, render_text
from .raw_links import html_links, pseudo_links
from .math_blocks import unclosed_dollar_blocks
from .raw_scan import LineCounter, blank_spans, bracket_math, html_anchors, html_comments
from .numbering import parse_number
from .metadata_lines import scan_metadata
from .sections import build_sections
from .slug import Slugger
from .tokens import TokenLike as Token

# A heading introduces the table of contents when its text, minus any number, starts with
# one of these (the corpus writes `二、目录`, `目录`, `目录 / Table of Contents ...`).
_TOC_TITLE = re.compile(r"^(目录|table of contents|contents|inhaltsverzeichnis|table des matières)\b", re.I)
# Headings whose list items are references. Sub-sections of such a heading count too
# (concept docs put `### 10.3 技术文档` under `## 十、参考文档`). Schemas narrow this down.
_REFERENCE_TITLE = re.compile(r"参考文献|参考文档|参考资料|references|bibliography|literatur|références", re.I)
# What may precede a block-like `$$` on its line: indentation, list markers, quote markers.
_LINE_PREFIX = re.compile(r"[\s>]*(?:(?:[-*+]|\d{1,9}[.)])\s+)?")
# inline token types `_Builder.inline` records (links, images, math, HTML anchors/comments)
_RECORDED_INLINE = frozenset(
    {"link_open", "image", "math_inline", "math_inline_double", "html_inline"}
)
# Block tokens `_walk` has nothing to do with (a third of all tokens: paragraphs, tables)
_PASSED_OVER = frozenset(
    {
        "paragraph_open", "paragraph_close", "heading_close", "td_open", "td_close", "th_open",
        "th_close", "tr_open", "tr_close", "thead_open", "thead_close", "tbody_open",
        "tbody_close", "table_open", "table_close", "blockquote_open", "blockquote_close",
    }
)
# A recorded inline token needs one of these in the source: `[` or `<` (links, autolinks,
# HTML), `$` (math); so content without them is walked no further.
READS_CHILDREN = re.compile(r"[\[<$]")
_LEADING_NUMBER = re.compile(r"^\s*([零〇一二两三四五六七八九十百]+[、．.]|\d+(\.\d+)*[.、]?)\s*")
# What `_Builder.inline` acts on at all: either of the above.
# What a GFM extended autolink needs (a bare URL, `www.`, an e-mail address).
_BARE_LINK = re.compile(r"://|www\.|@")
_INLINE_WORK = re.compile(f"{READS_CHILDREN.pattern}|{RAW_SCAN.pattern}|{_BARE_LINK.pattern}")


@dataclass
class _Builder:
    path: str
    source: Sequence[str]
    slugger: Slugger = field(default_factory=Slugger)
    headings: list[Heading] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    pseudo: list[PseudoLink] = field(default_factory=list)
    anchors: list[ExplicitAnchor] = field(default_factory=list)
    formulas: list[Formula] = field(default_factory=list)
    fences: list[CodeFence] = field(default_factory=list)
    separators: list[int] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)
    front_matter: FrontMatter | None = None
    toc_heading: Heading | None = None
    toc_entries: list[TocEntry] = field(default_factory=list)
    toc_end: int = 0
    ref_sections: list[tuple[Heading, list[ReferenceItem]]] = field(default_factory=list)
    ref_level: int = 0  # level of the reference heading we are under (0: none)
    code_lines: set[int] = field(default_factory=set)  # lines inside fences / code / math blocks
    # the open link while walking inline children: (href, line, column, autolink, index)
    _pending: tuple[str, int, int, bool, int] = ("", 0, 0, False, 0)
    _link_start: int = 0  # where the open link starts in the inline content

    # -- blocks -------------------------------------------------------------------------

    def heading(self, open_tok: Token, inline: Token) -> None:
        assert open_tok.map is not None
        line = open_tok.map[0] + 1
        shown = render_text(inline.children)
        text = shown.strip()
        # The anchor keeps edge spaces that inline HTML, an image or an entity leaves
        # (`## <a name="x"></a> Named` is `#-named` on GitHub); markdown-it has already
        # stripped the heading's own edge whitespace, as GitHub does.
        h = Heading(
            line=line,
            level=int(open_tok.tag[1]),
            raw=inline.content.strip(),
            text=text,
            anchor=self.slugger.slug(shown),
            number=parse_number(text),
        )
        self.headings.append(h)
        bare = _LEADING_NUMBER.sub("", text)
        if self.toc_heading is None and _TOC_TITLE.match(bare):
            self.toc_heading = h
        elif self.toc_heading is not None and not self.toc_end:
            self.toc_end = line - 1
        if self.ref_level and h.level <= self.ref_level:
            self.ref_level = 0
        if _REFERENCE_TITLE.search(text) or self.ref_level:
            if not self.ref_level:
                self.ref_level = h.level
            self.ref_sections.append((h, []))

    def fence(self, tok: Token) -> None:
        assert tok.map is not None
        start, end = tok.map[0] + 1, tok.map[1]
        self.code_lines.update(range(start, end + 1))
        marker = tok.markup
        # markdown-it's map covers the closing fence when there is one, the content never
        # does: one line more than the content means closed. (Reading the last source line
        # instead would see the `>` of a quote or a list item's indentation.)
        content_lines = tok.content.count("\n") + (0 if tok.content.endswith("\n") or not tok.content else 1)
        closed = end - start - 1 == content_lines
        self.fences.append(CodeFence(start, end, tok.info.strip(), closed, marker))
        if tok.info.strip().split()[:1] == ["math"]:
            self.formulas.append(
                Formula("fence", start, end, 1, tok.content.rstrip("\n"), closed, start + 1, 1)
            )

    def math_block(self, tok: Token) -> None:
        assert tok.map is not None
        start, end = tok.map[0] + 1, tok.map[1]
        self.code_lines.update(range(start, end + 1))
        first = self.source[start - 1]
        col = first.find("$$") + 1
        one_line = start == end
        content = tok.content.strip("\n")
        # `$$` alone on its line (after any `>` quote markers): the content starts below it
        content_line = start if one_line or first[col - 1 :].strip() != "$$" else start + 1
        content_col = col + 2
        if content_line != start:
            below = self.source[content_line - 1] if content_line <= len(self.source) else ""
            head = content.split("\n", 1)[0]
            content_col = len(below) - len(head) + 1 if head and below.endswith(head) else 1
        self.formulas.append(Formula("display", start, end, col, content, True, content_line, content_col))

    def html(self, tok: Token, line: int) -> None:
        lines = LineCounter(tok.content)
        for start, name in html_anchors(tok.content):
            self.anchors.append(ExplicitAnchor(name, line + lines.before(start)))
        comments = list(html_comments(tok.content))
        if tok.type == "html_block" and "href" in tok.content:
            content = blank_spans(tok.content, [(start, end) for start, end, _ in comments])
            loc = InlineText(tok.content, line, self.source)  # masking keeps offsets
            for at, href, text in html_links(content):
                self._add_link(href, text, *loc.where(at), False, False, False)
        for start, end, inner in comments:
            first = line + lines.before(start)
            self.comments.append(Comment(inner.strip(), first, line + lines.before(end)))

    # -- inline content -----------------------------------------------------------------

    def inline(self, tok: Token, in_toc_item: int | None) -> None:
        """Links, inline math, pseudo-links and `\\(`/`\\[` delimiters in one inline token.

        `in_toc_item` is the TOC nesting depth when this inline is the text of a TOC list
        item, else None.
        """
        assert tok.map is not None
        children = tok.children or []
        # most inline content is plain text: walk the children only when one of them is
        # something we record (the walk also tracks positions through the text)
        if not READS_CHILDREN.search(tok.content) or not any(c.type in _RECORDED_INLINE for c in children):
            if needs_raw_scan(tok.content) or _BARE_LINK.search(tok.content):
                self._scan_raw(tok, InlineText(tok.content, tok.map[0] + 1, self.source))
            return
        loc = InlineText(tok.content, tok.map[0] + 1, self.source)
        first_toc_link = in_toc_item is not None
        html_at: list[int] = []  # offsets of inline HTML tags (`<a href>` links among them)
        for i, child in enumerate(children):
            if child.type == "text":
                loc.find(child.content)
            elif child.type == "code_inline":
                loc.find(child.markup + child.content[:1] if child.content else child.markup)
            elif child.type in ("link_open", "image"):
                href = str(child.attrGet("href") or child.attrGet("src") or "")
                is_image = child.type == "image"
                opener = "![" if is_image else "["
                start = loc.find(opener, advance=False)
                dest_at = loc.find("](" + href, advance=False) if href else loc.find("]()", advance=False)
                autolink = child.markup == "autolink"
                if autolink:
                    # `<user@example.com>` has the href `mailto:user@example.com`
                    start = loc.find("<" + href, advance=False)
                    if start is None and href.startswith("mailto:"):
                        start = loc.find("<" + href[len("mailto:") :], advance=False)
                    dest_at = start
                offset = start if start is not None and (dest_at is None or start <= dest_at) else dest_at
                line, col = loc.where(offset) if offset is not None else (tok.map[0] + 1, 1)
                if is_image:
                    text = render_text(child.children)
                    self._add_link(href, text, line, col, True, False, autolink)
                    if dest_at is not None:
                        loc.pos = dest_at + 2 + len(href)
                        if offset is not None:
                            loc.taken.append((offset, loc.pos + 1))
                else:
                    if offset is not None:
                        loc.pos = offset + 1
                    self._link_start = offset if offset is not None else loc.pos
                    self._pending = (href, line, col, autolink, i)
            elif child.type == "link_close":
                href, line, col, autolink, open_index = self._pending
                text = render_text(children[open_index + 1 : i])
                in_toc = first_toc_link and href.startswith("#")
                self._add_link(href, text, line, col, False, in_toc, autolink)
                if in_toc and in_toc_item is not None:
                    self.toc_entries.append(TocEntry(text, href[1:], in_toc_item, line, col))
                first_toc_link = False
                end = loc.find(")", advance=False) if not autolink else loc.find(">", advance=False)
                if end is not None:
                    loc.taken.append((self._link_start, end + 1))
                    loc.pos = end + 1
            elif child.type == "math_inline":
                at = loc.find("$" + child.content)
                line, col = loc.where(at) if at is not None else (tok.map[0] + 1, 1)
                if at is not None:
                    loc.math.append((at, at + len(child.content) + 2))
                self.formulas.append(
                    Formula("inline", line, line, col, child.content, True, line, col + 1)
                )
            elif child.type == "math_inline_double":
                self._double_dollar(child, loc, tok.map[0] + 1)
            elif child.type == "html_inline":
                at = loc.find(child.content)
                line = loc.where(at)[0] if at is not None else tok.map[0] + 1
                self.html(child, line)
                if at is not None:
                    loc.taken.append((at, at + len(child.content)))
                    html_at.append(at)
        self._scan_raw(tok, loc)
        if html_at:
            self._inline_html_links(tok.content, loc, html_at)

    def _double_dollar(self, child: Token, loc: InlineText, fallback_line: int) -> None:
        """`$$…$$` inside a paragraph, possibly across lines (GitHub parses `$$` inline).

        When the `$$` pair starts and ends its lines it is a display block that merely lacks a
        blank line before it (`**形式化表述**：` then `$$…$$`), which GitHub renders; a pair
        inside running text is a mid-line fragment.
        """
        at = loc.find("$$" + child.content)
        if at is None:
            self.formulas.append(Formula("fragment", fallback_line, fallback_line, 1, child.content, True))
            return
        loc.math.append((at, at + len(child.content) + 4))
        line, col = loc.where(at)
        end_line, end_col = loc.where(at + len(child.content) + 2)
        before = self.source[line - 1][: col - 1]
        after = self.source[end_line - 1][end_col + 1 :]
        own_lines = bool(_LINE_PREFIX.fullmatch(before)) and not after.strip()
        content_line, content_col = loc.where(at + 2)
        if child.content.startswith("\n"):
            content_line, content_col = content_line + 1, 1
        self.formulas.append(
            Formula(
                "display" if own_lines else "fragment",
                line, end_line, col, child.content.strip("\n"), True, content_line, content_col,
            )
        )
        self.code_lines.update(range(line, end_line + 1))

    def _inline_html_links(self, content: str, loc: InlineText, tags: list[int]) -> None:
        """`<a href>` tags among a paragraph's inline HTML (GitHub renders and rewrites them)."""
        starts = frozenset(tags)
        for at, href, text in html_links(mask_code(content)):
            if at in starts:
                self._add_link(href, text, *loc.where(at), False, False, False)

    def _add_link(
        self, href: str, text: str, line: int, col: int, image: bool, in_toc: bool, autolink: bool
    ) -> None:
        self.links.append(Link(href, text, line, col, link_kind(href), image, in_toc, autolink))

    def _scan_raw(self, tok: Token, loc: InlineText) -> None:
        """What markdown-it does not tokenise: pseudo-links, GFM extended autolinks, `\\(`,
        `\\[` and stray `$$`."""
        bare = _BARE_LINK.search(tok.content) is not None
        if not needs_raw_scan(tok.content) and not bare:
            return
        masked = loc.mask(mask_code(tok.content))
        if bare:
            for start, end, href in extended_autolinks(masked):
                line, col = loc.where(start)
                self._add_link(href, tok.content[start:end], line, col, False, False, True)
        if not needs_raw_scan(tok.content):
            return
        for at, dest, text in pseudo_links(masked):
            line, col = loc.where(at)
            self.pseudo.append(PseudoLink(dest, text, line, col))
        for b in bracket_math(masked):
            line, col = loc.where(b.start)
            end_line, _ = loc.where(b.end)
            self.formulas.append(
                Formula(
                    "bracket_display" if b.display else "paren_inline",
                    line, end_line, col, b.content, True, line, col + 2,
                )
            )
        # exactly two dollars: `$$$$` is a price scale in a table, not math
        for m in re.finditer(r"(?<!\$)\$\$(?!\$)", masked):
            if loc.in_math(m.start()):
                continue
            line, col = loc.where(m.start())
            self.formulas.append(Formula("fragment", line, line, col, "", False, line, col + 2))


def _walk(b: _Builder, tokens: Sequence[Token]) -> None:
    list_depth = 0  # nesting of bullet/ordered lists
    item_stack: list[tuple[Token, bool]] = []  # open list items and whether they hold a sublist
    first_inline_of_item = False
    for i, tok in enumerate(tokens):
        t = tok.type
        if t in _PASSED_OVER:
            continue
        if t == "heading_open":
            b.heading(tok, tokens[i + 1])
        elif t in ("bullet_list_open", "ordered_list_open"):
            if item_stack:
                item_stack[-1] = (item_stack[-1][0], True)
            list_depth += 1
        elif t in ("bullet_list_close", "ordered_list_close"):
            list_depth -= 1
        elif t == "list_item_open":
            item_stack.append((tok, False))
            first_inline_of_item = True
            if b.ref_sections and b.ref_level and list_depth == 1:
                _start_reference_item(b, tok, tokens, i)
        elif t == "list_item_close":
            opened, has_sub = item_stack.pop()
            if has_sub and b.ref_sections and list_depth == 1:
                items = b.ref_sections[-1][1]
                if items and items[-1].line == opened.map[0] + 1:  # type: ignore[index]
                    last = items[-1]
                    items[-1] = ReferenceItem(
                        last.line, last.end_line, last.number, last.marker, last.text, True
                    )
        elif t == "inline" and tok.map is not None:
            heading = i > 0 and tokens[i - 1].type == "heading_open"
            if not _INLINE_WORK.search(tok.content):
                # nothing `_Builder.inline` records or scans for: most tokens stop here
                first_inline_of_item = first_inline_of_item and heading
                continue
            if heading:
                b.inline(tok, None)
                continue
            in_toc = (
                b.toc_heading is not None
                and not b.toc_end
                and first_inline_of_item
                and list_depth > 0
            )
            b.inline(tok, list_depth - 1 if in_toc else None)
            first_inline_of_item = False
        elif t == "fence":
            b.fence(tok)
        elif t == "code_block" and tok.map is not None:
            b.code_lines.update(range(tok.map[0] + 1, tok.map[1] + 1))
        elif t in ("math_block", "math_block_label"):
            b.math_block(tok)
        elif t == "hr" and tok.map is not None:
            b.separators.append(tok.map[0] + 1)
        elif t == "html_block" and tok.map is not None:
            b.code_lines.update(range(tok.map[0] + 1, tok.map[1] + 1))
            b.html(tok, tok.map[0] + 1)
        elif t == "front_matter" and tok.map is not None:
            b.front_matter = FrontMatter(tok.content, tok.map[0] + 1, tok.map[1])
            b.code_lines.update(range(tok.map[0] + 1, tok.map[1] + 1))


def _start_reference_item(b: _Builder, tok: Token, tokens: Sequence[Token], i: int) -> None:
    assert tok.map is not None
    text = ""
    # by index: slicing the rest of the tokens per item made 20,000 references quadratic
    for j in range(i + 1, len(tokens)):
        nxt = tokens[j]
        if nxt.type == "inline":
            text = nxt.content
            break
        if nxt.type == "list_item_close":
            break
    number = int(tok.info) if tok.info.isdigit() else None
    marker = f"{tok.info}{tok.markup}" if number is not None else tok.markup
    b.ref_sections[-1][1].append(
        ReferenceItem(tok.map[0] + 1, tok.map[1], number, marker, text, False)
    )


def build_document(
    text: str, tokens: Sequence[Token], path: str = "doc.md", encoding: Encoding | None = None
) -> Document:
    """The `Document` of decoded text (line endings already `\\n`, no BOM) and its tokens."""
    source = text.split("\n")
    line_count = len(source) - 1 if text.endswith("\n") else len(source)
    b = _Builder(path, source)
    _walk(b, tokens)
    b.formulas[:] = unclosed_dollar_blocks(b.source, b.code_lines, b.formulas)
    if b.toc_heading is not None and not b.toc_end:
        b.toc_end = line_count
    toc = (
        Toc(b.toc_heading.line, b.toc_heading.line, b.toc_end, tuple(b.toc_entries))
        if b.toc_heading is not None
        else None
    )
    references = tuple(
        ReferenceSection(h.line, h.text, tuple(items)) for h, items in b.ref_sections
    )
    return Document(
        path=path,
        encoding=encoding or Encoding("utf-8", False, "lf" if "\n" in text else "none"),
        line_count=line_count,
        headings=tuple(b.headings),
        sections=build_sections(b.headings, line_count),
        toc=toc,
        links=tuple(sorted(b.links, key=lambda x: (x.line, x.column))),
        pseudo_links=tuple(b.pseudo),
        explicit_anchors=tuple(b.anchors),
        formulas=tuple(sorted(b.formulas, key=lambda f: (f.line, f.column))),
        fences=tuple(b.fences),
        references=references,
        metadata=scan_metadata(source, b.code_lines),
        front_matter=b.front_matter,
        separators=tuple(b.separators),
        comments=tuple(b.comments),
    )

