"""The parsed document: plain, frozen data with 1-based lines.

`linter.document.parse` builds a `Document` from text; rules read it and never see markdown-it
tokens. Everything here serialises to JSON and back losslessly (`linter.document.serde`), so a
cache can store it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

NumberStyle = Literal["cjk", "dotted", "arabic"]
LinkKind = Literal["anchor", "relative", "external", "mailto", "scheme", "empty"]
# "fragment": a `$$` mid-line in prose that forms no block (GitHub shows the dollars).
FormulaKind = Literal["display", "inline", "fence", "bracket_display", "paren_inline", "fragment"]
Newline = Literal["lf", "crlf", "cr", "mixed", "none"]


@dataclass(frozen=True, slots=True)
class HeadingNumber:
    """A heading's leading number: `三、` -> (3,) cjk; `3.1` -> (3, 1) dotted; `1.` arabic."""

    style: NumberStyle
    parts: tuple[int, ...]
    raw: str  # the prefix as written, without the separator: "三", "3.1", "1"


@dataclass(frozen=True, slots=True)
class Heading:
    line: int
    level: int
    raw: str  # source text after the `#` marks, stripped
    text: str  # rendered text, as GitHub shows it
    anchor: str  # GitHub anchor, with the -1/-2 duplicate suffix applied
    number: HeadingNumber | None = None


@dataclass(frozen=True, slots=True)
class Section:
    """A heading and everything under it up to the next heading of the same or higher level."""

    heading: Heading
    start_line: int
    end_line: int  # last line that belongs to the section (inclusive)
    children: tuple[Section, ...] = ()


@dataclass(frozen=True, slots=True)
class Link:
    dest: str  # destination as written (not percent-decoded)
    text: str  # rendered link text
    line: int
    column: int
    kind: LinkKind
    image: bool = False
    in_toc: bool = False
    autolink: bool = False


@dataclass(frozen=True, slots=True)
class PseudoLink:
    """`[text](dest with space.md)`: looks like a link, but CommonMark renders plain text."""

    dest: str
    text: str
    line: int
    column: int


@dataclass(frozen=True, slots=True)
class ExplicitAnchor:
    """`<a id="x">` or `<a name="x">` in HTML."""

    name: str
    line: int


@dataclass(frozen=True, slots=True)
class TocEntry:
    text: str  # the link text, rendered
    anchor: str  # the fragment without `#`, as written
    depth: int  # 0 for the outermost list
    line: int
    column: int


@dataclass(frozen=True, slots=True)
class Toc:
    heading_line: int
    start_line: int
    end_line: int
    entries: tuple[TocEntry, ...]


@dataclass(frozen=True, slots=True)
class Formula:
    kind: FormulaKind
    line: int
    end_line: int
    column: int
    content: str
    closed: bool = True
    # Where the formula's content starts in the file (1-based line/column), so checks
    # inside the TeX can report positions in the file.
    content_line: int = 0
    content_column: int = 0


@dataclass(frozen=True, slots=True)
class CodeFence:
    line: int
    end_line: int
    info: str  # the info string as written ("python", "math", "")
    closed: bool
    marker: str  # "```" or "~~~" (with the length used)

    @property
    def language(self) -> str:
        return self.info.split()[0] if self.info.split() else ""


@dataclass(frozen=True, slots=True)
class ReferenceItem:
    line: int
    end_line: int
    number: int | None  # None for a bullet item
    marker: str  # "1." , "1)", "-", "*", "+"
    text: str  # source of the item's first block, markers stripped
    has_sublist: bool = False


@dataclass(frozen=True, slots=True)
class ReferenceSection:
    heading_line: int
    title: str
    items: tuple[ReferenceItem, ...]


@dataclass(frozen=True, slots=True)
class MetadataField:
    """A bold metadata line such as `**最后更新**：2025-11-10`."""

    key: str
    value: str
    line: int
    column: int
    colon: Literal["full", "half"]
    style: Literal["bold", "bold-colon-inside", "plain"]


@dataclass(frozen=True, slots=True)
class Comment:
    """An HTML comment outside code (suppression directives live in these)."""

    text: str  # between `<!--` and `-->`, stripped
    line: int
    end_line: int


@dataclass(frozen=True, slots=True)
class FrontMatter:
    raw: str
    start_line: int
    end_line: int


@dataclass(frozen=True, slots=True)
class Encoding:
    """Facts about the bytes. `error` is set when the file could not be read as text."""

    name: str  # "utf-8", "utf-8-sig", "utf-16-le", ...
    bom: bool
    newline: Newline
    error: str | None = None
    error_kind: Literal["undecodable", "utf16", "binary", "too-large", "unreadable"] | None = None
    error_offset: int | None = None


@dataclass(frozen=True, slots=True)
class Document:
    path: str
    encoding: Encoding
    line_count: int
    headings: tuple[Heading, ...] = ()
    sections: tuple[Section, ...] = ()
    toc: Toc | None = None
    links: tuple[Link, ...] = ()
    pseudo_links: tuple[PseudoLink, ...] = ()
    explicit_anchors: tuple[ExplicitAnchor, ...] = ()
    formulas: tuple[Formula, ...] = ()
    fences: tuple[CodeFence, ...] = ()
    references: tuple[ReferenceSection, ...] = ()
    metadata: tuple[MetadataField, ...] = ()
    front_matter: FrontMatter | None = None
    separators: tuple[int, ...] = ()  # lines of `---` thematic breaks
    comments: tuple[Comment, ...] = ()

    @property
    def title(self) -> Heading | None:
        """The first H1, if the document has one."""
        return next((h for h in self.headings if h.level == 1), None)

    @property
    def readable(self) -> bool:
        return self.encoding.error is None

    def anchors(self) -> frozenset[str]:
        """Every fragment that resolves in this document (headings and explicit anchors)."""
        return frozenset(h.anchor for h in self.headings) | frozenset(
            a.name for a in self.explicit_anchors
        )

    def cross_links(self) -> tuple[Link, ...]:
        """The links whose verdict can depend on other files: those with a relative path.

        Same-file `#anchor`, external, `mailto:` and empty links are decided by the document
        alone (the per-document rules judge them), so the cross-file pass reads only these.
        """
        return tuple(link for link in self.links if link.kind == "relative")

    def heading_at(self, line: int) -> Heading | None:
        """The heading whose section contains `line` (the nearest heading at or above it)."""
        found: Heading | None = None
        for h in self.headings:
            if h.line > line:
                break
            found = h
        return found
