"""Family `toc`: the hand-written table of contents against the headings it lists.

The TOC is found without markers, by its heading (`目录`, `二、目录`, `目录 / Table of
Contents …`); its entries are the list links under it. TC001/TC002 need a schema (is a TOC
required, which levels must it list); the consistency checks TC003-TC006 hold for any TOC.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from urllib.parse import unquote

from ..diagnostics import Diagnostic, Fix, Suggestion
from ..document.model import Document, Heading, TocEntry
from ..schema.model import Schema, TocSpec
from ..links.check import document_verdicts
from .links import FRAGMENT_CASE, exact_case
from .base import DocContext, Rule, rule
from .link_fixes import with_repair
from .numbering_plan import plan_for, planned_anchors
from .toc_fix import toc_fix


def _spec(ctx: DocContext) -> TocSpec | None:
    return ctx.schema.toc if isinstance(ctx.schema, Schema) else None


def _by_anchor(doc: Document) -> dict[str, Heading]:
    return {h.anchor: h for h in doc.headings}


def _fix(ctx: DocContext) -> Fix | None:
    spec = _spec(ctx)
    return toc_fix(ctx.doc, ctx.lines, spec.levels if spec is not None else ())


def _entry_heading(index: dict[str, Heading], anchor: str) -> Heading | None:
    """The heading a TOC entry reaches on GitHub: percent-encoding decoded, any letter case
    (LK002's page has the evidence)."""
    for key in (anchor, unquote(anchor)):
        found = index.get(key) or index.get(key.lower())
        if found is not None:
            return found
    return None


def _resolved(doc: Document) -> list[tuple[TocEntry, Heading]]:
    if doc.toc is None:
        return []
    index = _by_anchor(doc)
    pairs = [(e, _entry_heading(index, e.anchor)) for e in doc.toc.entries]
    return [(e, h) for e, h in pairs if h is not None]






@rule("TC001", "toc-missing", "toc")
def toc_missing(ctx: DocContext) -> Iterator[Diagnostic]:
    """The schema requires a table of contents and the document has none.

    ## Why
    concepts/DOCUMENT_STRUCTURE_STANDARD.md §2 makes `二、目录` mandatory; long documents are
    read through it. The TOC is recognised by its heading, with or without a number or an
    English part (`目录`, `二、目录`, `目录 / Table of Contents`), which is what the
    maintainers' quality script missed when it reported 433 files without one.

    ## Fails
    ```markdown path=concepts/01-a/01.1.1-示例.md
    # 01.1.1-示例

    ## 一、概述
    ```

    ## Passes
    ```markdown path=concepts/01-a/01.1.1-示例.md
    # 01.1.1-示例

    ## 一、概述

    ## 二、目录

    - [一、概述](#一概述)
    ```

    ## Fix
    Add a `目录` section listing the headings (an editor TOC generator such as *Markdown All
    in One* writes exactly the corpus's format).
    """
    spec = _spec(ctx)
    if spec is None or not spec.required or ctx.doc.toc is not None:
        return
    h2 = next((h for h in ctx.doc.headings if h.level == 2), None)
    line = h2.line if h2 is not None else 1
    yield ctx.report(line, 1, "document has no table of contents; expected a 目录 section listing its headings")


@rule("TC002", "toc-missing-heading", "toc", fixable=True)
def toc_missing_heading(ctx: DocContext) -> Iterator[Diagnostic]:
    """A heading at a level the TOC must list has no TOC entry.

    ## Why
    §3 of the standard: the TOC mirrors the headings. A section added without a TOC entry is
    invisible to readers navigating by the TOC (341 concept H3 and 50 H2 are missing from
    their TOCs). The TOC's own heading need not list itself.

    ## Fails
    ```markdown path=concepts/01-a/01.1.1-示例.md
    # 01.1.1-示例

    ## 一、目录

    - [01.1.1-示例](#0111-示例)

    ## 二、定义
    ```

    ## Passes
    ```markdown path=concepts/01-a/01.1.1-示例.md
    # 01.1.1-示例

    ## 一、目录

    - [01.1.1-示例](#0111-示例)
      - [二、定义](#二定义)

    ## 二、定义
    ```

    ## Fix
    Add the entry. Safe: `--fix` regenerates the TOC's list from the headings in the corpus's own format
    (`- [text](#anchor)`, two spaces per level; the levels it lists plus the schema's;
    entry texts it already has right kept), leaving its heading, its position and the lines
    around it alone. A TOC with prose or other links between its entries gets no fix.
    """
    spec = _spec(ctx)
    toc = ctx.doc.toc
    if spec is None or toc is None:
        return
    listed = {h.anchor for _, h in _resolved(ctx.doc)}
    for h in ctx.doc.headings:
        if h.level in spec.levels and h.line != toc.heading_line and h.anchor not in listed:
            yield ctx.report(
                h.line, 1,
                f"H{h.level} '{h.text}' is not in the table of contents (line {toc.heading_line}); "
                f"expected an entry [{h.text}](#{h.anchor})",
                context=h.text, fix=_fix(ctx),
            )


@rule("TC003", "toc-stale-entry", "toc", options=FRAGMENT_CASE, fixable=True)
def toc_stale_entry(ctx: DocContext) -> Iterator[Diagnostic]:
    """A TOC entry points to an anchor no heading has.

    ## Why
    After sections are renumbered, hand-written TOC anchors go stale (`#十核心结论` while the
    heading became `十一、核心结论`): on GitHub the entry scrolls nowhere. 82 of the corpus's 95
    bad same-file anchors are TOC entries. The message names the heading the entry probably
    meant: the heading between the ones its working TOC neighbours point at, else the same
    title after the number (closest number first), else the most similar text. Other
    same-file anchors are LK002's.

    ## Fails
    ```markdown
    # 标题

    ## 一、目录

    - [十、核心结论](#十核心结论)

    ## 十一、核心结论
    ```

    ## Passes
    ```markdown
    # 标题

    ## 一、目录

    - [十一、核心结论](#十一核心结论)

    ## 十一、核心结论
    ```

    ## Fix
    Point the entry at the suggested anchor (the suggestion carries it as data). Safe: `--fix` regenerates the TOC's list from the headings in the corpus's own format
    (`- [text](#anchor)`, two spaces per level; the levels it lists plus the schema's;
    entry texts it already has right kept), leaving its heading, its position and the lines
    around it alone. A TOC with prose or other links between its entries gets no fix.
    The stale entry is dropped and the heading it meant gets an entry with its anchor.
    Unsafe: where the TOC gets no regeneration fix, the entry is pointed at the suggested
    anchor when it is the one clear candidate (as for LK002), rewriting the fragment only
    (59 of the corpus's 82 findings have one). An entry that already has the anchor a
    misnumbered heading gets once renumbered (23 of the 82) says so: the numbering fix
    (ST101-ST103) resolves it.
    """
    doc = ctx.doc
    if doc.toc is None:
        return
    # One mechanism for every bad anchor: the link checker's verdict, whose suggestion looks
    # first between the headings the entry's working TOC neighbours point at (so the right
    # one of two `5.2 判定方法` headings is named). LK002 leaves TOC entries to this rule.
    entries = {(e.line, e.column) for e in doc.toc.entries}
    renamed: dict[str, Heading] | None = None
    for v in document_verdicts(doc, exact_case(ctx.options)):
        if v.cause == "bad-anchor" and (v.line, v.column) in entries:
            if renamed is None:
                renamed = _renumbered_to(ctx)
            meant = renamed.get(unquote(v.dest[1:]))
            if meant is not None:
                # the entry is right and the heading misnumbered: the numbering fix (which
                # renames that heading) resolves it, so this finding is its consequence
                yield ctx.report(
                    v.line, v.column,
                    f"anchor {v.dest} not found; the numbering plan renumbers heading '{meant.text}' (line {meant.line}) "
                    "to this anchor (ST101-ST103), so their fix resolves this entry",
                    context=v.dest, fix=_fix(ctx),
                )
                continue
            regenerated = _fix(ctx)
            d = ctx.report(v.line, v.column, v.message, suggestion=v.suggestion, context=v.dest, fix=regenerated)
            # outside a TOC that can be regenerated, the entry's own fix (one clear candidate)
            yield d if regenerated is not None else with_repair(d, ctx.lines, v)


def _renumbered_to(ctx: DocContext) -> dict[str, Heading]:
    """New anchor -> heading, for the headings the numbering plan renames."""
    plan = plan_for(ctx.doc, ctx.schema)
    if not plan.changes:
        return {}
    by_anchor = {h.anchor: h for h in ctx.doc.headings}
    return {new: by_anchor[old] for old, new in planned_anchors(ctx.doc, plan).items() if old in by_anchor}


def _text_key(text: str) -> str:
    # TOC text is rendered, but TeX inside `$…$` keeps the generator's escapes (`L\_2`,
    # `\\beta`), so backslashes are ignored; whitespace runs differ harmlessly.
    return re.sub(r"\s+", " ", text.replace("\\", "")).strip()


def _same_text(entry: str, heading: str) -> bool:
    """Equal, or the entry gives only the first language of a bilingual heading
    (`概述` for `概述 / Overview / Übersicht`), the docs/00-foundations convention."""
    e, h = _text_key(entry), _text_key(heading)
    return e == h or (" / " in h and e == h.split(" / ")[0].strip())


_NUMBER = re.compile(r"^\s*(?:[零〇一二两三四五六七八九十百千]+\s*[、．.]|\d{1,3}(?:\.\d{1,3})*[.、．]?(?=\s|$))\s*")


def _unnumbered(text: str) -> str:
    """The heading text without its leading number (`1.2 Setup`, `三、概述`, `1. Intro`)."""
    return _NUMBER.sub("", text, count=1)


@rule(
    "TC004",
    "toc-entry-text",
    "toc",
    fixable=True,
    options={
        "text": {
            "type": "string",
            "enum": ["exact", "ignore-numbers"],
            "default": "exact",
            "description": "exact: the entry repeats the heading text (FormalAI; the first language of a "
            "bilingual heading is enough); ignore-numbers: the entry may drop or change the heading's number",
        }
    },
)
def toc_entry_text(ctx: DocContext) -> Iterator[Diagnostic]:
    """A TOC entry's text differs from the heading it links to.

    ## Why
    A TOC generator writes the heading text as the link text; when a heading is renamed or
    renumbered but its anchor still resolves (the old slug happened to survive, or the link
    was fixed by hand), the TOC shows a title that is no longer in the document. Giving only
    the first language of a bilingual heading (`概述` for `概述 / Overview`) is accepted.

    ## Fails
    ```markdown
    # 标题

    ## 一、目录

    - [二、旧的标题](#二定义)

    ## 二、定义
    ```

    ## Passes
    ```markdown
    # 标题

    ## 一、目录

    - [二、定义](#二定义)

    ## 二、定义
    ```

    A TOC that lists titles without their numbers (`[Intro](#1-intro)`) sets
    `text: ignore-numbers`; a schema's `toc.check_text: false` turns the check off.

    ## Fix
    Copy the heading text into the entry. Safe: `--fix` regenerates the TOC's list from the headings in the corpus's own format
    (`- [text](#anchor)`, two spaces per level; the levels it lists plus the schema's;
    entry texts it already has right kept), leaving its heading, its position and the lines
    around it alone. A TOC with prose or other links between its entries gets no fix.
    """
    spec = _spec(ctx)
    if spec is not None and not spec.check_text:
        return
    strip = ctx.options.get("text") == "ignore-numbers"
    for e, h in _resolved(ctx.doc):
        if strip and _same_text(_unnumbered(e.text), _unnumbered(h.text)):
            continue
        if not _same_text(e.text, h.text):
            yield ctx.report(
                e.line, e.column, f"entry text '{e.text}' differs from the heading '{h.text}' (line {h.line}); expected the same text",
                suggestion=Suggestion(replacement=h.text, description="use the heading text", target_line=h.line),
                context=e.text, fix=_fix(ctx),
            )


@rule("TC005", "toc-order", "toc", fixable=True)
def toc_order(ctx: DocContext) -> Iterator[Diagnostic]:
    """TOC entries are listed in a different order from their headings.

    ## Why
    A TOC is read top to bottom as the document's outline; an entry out of place (usually a
    section moved without moving its entry) misleads the reader about where things are.

    ## Fails
    ```markdown
    # 标题

    ## 一、目录

    - [三、应用](#三应用)
    - [二、定义](#二定义)

    ## 二、定义

    ## 三、应用
    ```

    ## Passes
    ```markdown
    # 标题

    ## 一、目录

    - [二、定义](#二定义)
    - [三、应用](#三应用)

    ## 二、定义

    ## 三、应用
    ```

    ## Fix
    Move the entry to the position of its heading. Safe: `--fix` regenerates the TOC's list from the headings in the corpus's own format
    (`- [text](#anchor)`, two spaces per level; the levels it lists plus the schema's;
    entry texts it already has right kept), leaving its heading, its position and the lines
    around it alone. A TOC with prose or other links between its entries gets no fix.
    """
    spec = _spec(ctx)
    if spec is not None and not spec.check_order:
        return
    prev: tuple[TocEntry, Heading] | None = None
    for e, h in _resolved(ctx.doc):
        if prev is not None and h.line < prev[1].line:
            yield ctx.report(
                e.line, e.column,
                f"entry '{e.text}' (heading line {h.line}) is listed after '{prev[0].text}' (heading line "
                f"{prev[1].line}); expected document order",
                context=e.text, fix=_fix(ctx),
            )
            continue
        prev = (e, h)


def _outline_depths(doc: Document) -> dict[int, int]:
    """Heading line -> number of headings above it in the outline (the H1 has 0)."""
    stack: list[int] = []
    out: dict[int, int] = {}
    for h in doc.headings:
        while stack and stack[-1] >= h.level:
            stack.pop()
        out[h.line] = len(stack)
        stack.append(h.level)
    return out


@rule("TC006", "toc-depth", "toc", fixable=True)
def toc_depth(ctx: DocContext) -> Iterator[Diagnostic]:
    """A TOC entry is nested at a depth that does not match its heading's level.

    ## Why
    §3 of the standard: "目录层级必须与实际章节层级一致". The TOC's usual offset between
    nesting depth and heading level is taken from the TOC itself (the corpus lists the H1 at
    depth 0, so H2 are at depth 1); an entry that breaks it shows an H3 as a sibling of H2.

    ## Fails
    ```markdown
    # 标题

    ## 一、目录

    - [一、目录](#一目录)
    - [二、定义](#二定义)
    - [2.1 要点](#21-要点)

    ## 二、定义

    ### 2.1 要点
    ```

    ## Passes
    ```markdown
    # 标题

    ## 一、目录

    - [一、目录](#一目录)
    - [二、定义](#二定义)
      - [2.1 要点](#21-要点)

    ## 二、定义

    ### 2.1 要点
    ```

    A heading under a skipped level (an H3 right under the H1) is expected at the depth of
    its place in the outline (one below the H1's entry): the skipped level is ST005's finding,
    and no TOC indentation could match the level.

    ## Fix
    Indent the entry by two spaces per level below its parent entry. Safe: `--fix` regenerates the TOC's list from the headings in the corpus's own format
    (`- [text](#anchor)`, two spaces per level; the levels it lists plus the schema's;
    entry texts it already has right kept), leaving its heading, its position and the lines
    around it alone. A TOC with prose or other links between its entries gets no fix.
    """
    spec = _spec(ctx)
    if spec is not None and not spec.check_depth:
        return
    pairs = _resolved(ctx.doc)
    if not pairs:
        return
    # A heading's depth in the outline (its number of ancestors), not its level: under a
    # skipped level (an H3 right under the H1) the level asks for a depth no TOC can show;
    # the skip itself is ST005's, reported once there.
    depth = _outline_depths(ctx.doc)
    offsets = Counter(depth[h.line] - e.depth for e, h in pairs)
    # the most common offset wins; ties go to the smaller one (the shallower reading)
    offset = min(offsets, key=lambda o: (-offsets[o], o))
    for e, h in pairs:
        want = depth[h.line] - offset
        if e.depth != want and want >= 0:
            yield ctx.report(
                e.line, e.column,
                f"entry '{e.text}' for an H{h.level} is nested at depth {e.depth}; expected depth {want}",
                context=e.text, fix=_fix(ctx),
            )


RULES: tuple[Rule, ...] = (toc_missing, toc_missing_heading, toc_stale_entry, toc_entry_text, toc_order, toc_depth)
