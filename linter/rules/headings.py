"""Family `structure`, the outline rules every Markdown document gets, schema or not:
heading levels (ST005), duplicate sibling titles (ST007) and empty sections (ST008)."""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Diagnostic, Severity
from ..schema.outline import bare_title
from ..schema.tree import families
from .base import DocContext, rule
from .code_blocks import swallowing_fences


@rule("ST005", "heading-increment", "structure")
def heading_increment(ctx: DocContext) -> Iterator[Diagnostic]:
    """Heading levels go down one step at a time.

    ## Why
    A jump from H2 to H4 leaves a hole in the outline: the TOC cannot mirror it, screen
    readers announce a missing level, and the section tree gets an H4 directly under an H2.
    This holds for every document, with or without a schema.

    ## Fails
    ```markdown
    # 标题

    ## 一、概述

    #### 1.1.1 细节
    ```

    ## Passes
    ```markdown
    # 标题

    ## 一、概述

    ### 1.1 要点

    #### 1.1.1 细节
    ```

    When the headings in between are swallowed by a code block whose fences pair up wrongly
    (MK011), the message says so: the fix is the fences, not the level.

    ## Fix
    Use the next level (H3 here), or add the missing intermediate heading.
    """
    prev, prev_line = 0, 0
    swallowing: list[tuple[int, int]] | None = None
    for h in ctx.doc.headings:
        if prev and h.level > prev + 1:
            if swallowing is None:  # computed only for documents that jump at all
                swallowing = [(f.line, f.end_line) for f, *_ in swallowing_fences(ctx.doc, ctx.lines)]
            inside = next((a for a, b in swallowing if prev_line < a and b < h.line), None)
            cause = (
                f"; the headings between are inside the code block opened at line {inside} "
                "(MK011): fix its fences rather than this level"
                if inside is not None
                else ""
            )
            yield ctx.report(
                h.line, 1,
                f"heading jumps from H{prev} to H{h.level}; expected H{prev + 1}{cause}",
                context=h.text,
            )
        prev, prev_line = h.level, h.line


@rule("ST007", "duplicate-section-title", "structure")
def duplicate_section_title(ctx: DocContext) -> Iterator[Diagnostic]:
    """Two sibling sections have the same title (numbers aside).

    ## Why
    `## 十、参考文档` and `## 十二、参考文档` in one document split one section in two; the
    second anchor gets a `-1` suffix nobody links to. Titles are compared without their
    numbers, among siblings only (the same sub-title under two parents is fine).

    ## Fails
    ```markdown
    # 标题

    ## 一、参考文档

    ## 二、参考文档
    ```

    ## Passes
    ```markdown
    # 标题

    ## 一、定义

    ### 1.1 示例

    ## 二、应用

    ### 2.1 示例
    ```

    ## Fix
    Merge the two sections, or rename one.
    """
    for _parent, children in families(ctx.doc):
        seen: dict[str, int] = {}
        for sec in children:
            title = bare_title(sec.heading)
            if not title:
                continue
            if title in seen:
                yield ctx.report(
                    sec.heading.line,
                    1,
                    f"section title '{title}' repeats the sibling at line {seen[title]}; expected unique titles",
                    context=sec.heading.text,
                )
            else:
                seen[title] = sec.heading.line


@rule("ST008", "empty-section", "structure", severity=Severity.WARNING)
def empty_section(ctx: DocContext) -> Iterator[Diagnostic]:
    """A section has a heading and nothing else: no text and no sub-sections.

    ## Why
    An empty section is usually a placeholder left behind, or content that moved; readers
    following the TOC land on nothing. Thematic breaks (`---`) do not count as content.

    ## Fails
    ```markdown
    # 标题

    ## 一、概述

    ---

    ## 二、定义

    内容。
    ```

    ## Passes
    ```markdown
    # 标题

    ## 一、概述

    内容。
    ```

    ## Fix
    Write the section, or remove its heading (and its TOC entry).
    """
    lines = ctx.lines
    if not lines:
        return
    separators = set(ctx.doc.separators)
    for _parent, children in families(ctx.doc):
        for sec in children:
            if sec.children:
                continue
            body = range(sec.start_line + 1, sec.end_line + 1)
            if not any(lines[n - 1].strip() and n not in separators for n in body if n <= len(lines)):
                yield ctx.report(
                    sec.heading.line, 1, f"section '{sec.heading.text}' is empty; expected content under it",
                    context=sec.heading.text,
                )
