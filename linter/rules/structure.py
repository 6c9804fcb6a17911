"""Family `structure` (ST0xx sections, ST2xx separators): the outline a schema requires.

Schema-driven rules do nothing when no schema applies (`ctx.schema` is None). The outline
rules that hold for every Markdown document (ST005, ST007, ST008) live in `headings.py`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from pathlib import PurePosixPath

from ..diagnostics import TextEdit, Diagnostic
from ..schema.model import Schema, SectionList
from ..schema.outline import bare_title, match_sections
from ..schema.tree import top_sections
from .base import DocContext, Rule, rule
from .fixes import safe
from .headings import duplicate_section_title, empty_section, heading_increment


def _schema(ctx: DocContext) -> Schema | None:
    return ctx.schema if isinstance(ctx.schema, Schema) else None


def _h2_matches(ctx: DocContext) -> tuple[SectionList, list] | None:  # type: ignore[type-arg]
    schema = _schema(ctx)
    if schema is None or schema.sections is None:
        return None
    return schema.sections, match_sections(top_sections(ctx.doc), schema.sections)


@rule("ST001", "required-section", "structure")
def required_section(ctx: DocContext) -> Iterator[Diagnostic]:
    """A section the document's schema requires is missing.

    ## Why
    concepts/DOCUMENT_STRUCTURE_STANDARD.md §2 lists six required H2 sections for a concept
    topic document (概述, 目录, 与三层模型的关系, 核心结论, 相关主题, 参考文档) and ranks a missing
    相关主题 or 参考文档 as its highest-priority defect. The finding is placed at the section
    the missing one should precede.

    ## Fails
    ```markdown path=concepts/01-a/01.1.1-示例.md
    # 01.1.1-示例

    ## 一、概述

    ---

    ## 二、目录

    ## 三、定义

    ## 四、与三层模型的关系

    ## 五、核心结论

    ---

    ## 六、参考文档
    ```

    ## Passes
    ```markdown path=concepts/01-a/01.1.1-示例.md
    # 01.1.1-示例

    ## 一、概述

    ---

    ## 二、目录

    ## 三、定义

    ## 四、与三层模型的关系

    ## 五、核心结论

    ---

    ## 六、相关主题

    ---

    ## 七、参考文档
    ```

    ## Fix
    Add the section (with its heading numbered in sequence) where the message says.
    """
    found = _h2_matches(ctx)
    if found is None:
        return
    spec, matches = found
    used = {m.index for m in matches}
    for i, item in enumerate(spec.items):
        if not item.required or i in used:
            continue
        later = next((m for m in matches if m.index is not None and m.index > i), None)
        earlier = [m for m in matches if m.index is not None and m.index < i]
        if later is not None:
            line, where = later.heading.line, f"before '{later.heading.text}'"
        elif earlier:
            line, where = earlier[-1].heading.line, f"after '{earlier[-1].heading.text}'"
        else:
            title = ctx.doc.title
            line, where = (title.line if title else 1), "in the document"
        yield ctx.report(line, 1, f"required section '{item.name}' is missing; expected {where}", context=item.name)


@rule("ST002", "section-order", "structure")
def section_order(ctx: DocContext) -> Iterator[Diagnostic]:
    """Sections appear in a different order from the one the schema prescribes.

    ## Why
    The standard fixes the order of a concept document's H2 sections (§2 章节顺序规则): core
    content, then the optional practice and 2025 sections, then 与三层模型的关系, 核心结论,
    相关主题 and 参考文档 last. Readers and scripts rely on the footer sections being last;
    batch scripts that append `2025年最新发展` after 参考文档 break that.

    ## Fails
    ```markdown path=concepts/01-a/01.1.1-示例.md
    # 01.1.1-示例

    ## 一、概述

    ## 二、目录

    ## 三、定义

    ## 四、核心结论

    ## 五、与三层模型的关系
    ```

    ## Passes
    ```markdown path=concepts/01-a/01.1.1-示例.md
    # 01.1.1-示例

    ## 一、概述

    ## 二、目录

    ## 三、定义

    ## 四、与三层模型的关系

    ## 五、核心结论
    ```

    ## Fix
    Move the section to where the message says and renumber.
    """
    found = _h2_matches(ctx)
    if found is None:
        return
    spec, matches = found
    best: tuple[int, int] = (-1, 0)  # (item index, position in matches) of the furthest item so far
    for pos, m in enumerate(matches):
        if m.index is None:
            continue
        if m.index < best[0]:
            ahead = next(x for x in matches if x.index is not None and x.index > m.index)
            yield ctx.report(
                m.heading.line,
                1,
                f"section '{m.heading.text}' ({spec.items[m.index].name}) comes after "
                f"'{ahead.heading.text}' (line {ahead.heading.line}); expected it before",
                context=m.heading.text,
            )
        else:
            best = (m.index, pos)


@rule("ST003", "unexpected-section", "structure")
def unexpected_section(ctx: DocContext) -> Iterator[Diagnostic]:
    """A section matches nothing in a closed schema.

    ## Why
    A schema can be closed (`sections: {closed: true}`): only the listed sections may appear,
    which keeps fixed-form documents uniform: the FormalAI evaluation and model cards
    (`docs/**/EXAMPLE_*_CARD.md`) are templates to fill in. The concept schemas are open,
    because the standard allows any number of core sections.

    ## Fails
    ```markdown path=docs/01-a/01.1-b/EXAMPLE_EVAL_CARD.md
    # 评测卡

    ## 0. 摘要 / Summary

    ## 1. 杂项 / Misc
    ```

    ## Passes
    ```markdown path=docs/01-a/01.1-b/EXAMPLE_EVAL_CARD.md
    # 评测卡

    ## 0. 摘要 / Summary

    ## 1. 任务与指标 / Task & Metrics
    ```

    ## Fix
    Rename the section to one the schema lists, move its content, or open the schema.
    """
    found = _h2_matches(ctx)
    if found is None or not found[0].closed:
        return
    spec, matches = found
    names = ", ".join(it.name for it in spec.items)
    for m in matches:
        if m.index is None:
            yield ctx.report(
                m.heading.line, 1, f"section '{m.heading.text}' is not in the schema; expected one of: {names}",
                context=m.heading.text,
            )


@rule("ST004", "required-subsection", "structure")
def required_subsection(ctx: DocContext) -> Iterator[Diagnostic]:
    """A section lacks a sub-section the schema requires under it.

    ## Why
    Every concept document's 参考文档 section splits into `N.1 内部参考文档` and
    `N.2 学术参考文献` (155/155 measured); reference checks and readers look for them there.

    ## Fails
    ```markdown path=concepts/01-a/01.1.1-示例.md
    # 01.1.1-示例

    ## 一、参考文档

    ### 1.1 内部参考文档
    ```

    ## Passes
    ```markdown path=concepts/01-a/01.1.1-示例.md
    # 01.1.1-示例

    ## 一、参考文档

    ### 1.1 内部参考文档

    ### 1.2 学术参考文献
    ```

    ## Fix
    Add the sub-section (numbered under its parent) and move the matching items into it.
    """
    found = _h2_matches(ctx)
    if found is None:
        return
    spec, matches = found
    for m in matches:
        if m.index is None:
            continue
        children = spec.items[m.index].children
        if children is None:
            continue
        titles = [bare_title(c.heading) for c in m.section.children]
        for item in children.items:
            if item.required and not any(item.title is None or item.title.search(t) for t in titles):
                yield ctx.report(
                    m.heading.line,
                    1,
                    f"section '{m.heading.text}' has no '{item.name}' sub-section; expected one under it",
                    context=m.heading.text,
                )


def _loose(text: str) -> str:
    """Compare titles ignoring spacing (pangu CJK/Latin spaces) and the `:`/`-` punctuation a
    file name cannot or does not carry (a colon is not allowed in Windows file names)."""
    text = unicodedata.normalize("NFC", text)
    return re.sub(r"[\s:：\-]+", "", text)


@rule("ST006", "title-matches-filename", "structure")
def title_matches_filename(ctx: DocContext) -> Iterator[Diagnostic]:
    """The H1 title differs from the file name, where the schema says they are the same.

    ## Why
    Concept topic files are named after their title (`08.4.5-涌现的底层机制.md` holds
    `# 08.4.5-涌现的底层机制`); links and indexes are written from one or the other, so a
    renamed title or file leaves one of them stale. CJK/Latin spacing
    (`GPU 矩阵运算` vs `GPU矩阵运算`) and `:` written as `-` are tolerated.

    ## Fails
    ```markdown path=concepts/01-a/01.1.1-示例.md
    # 01.1.2-另一个标题
    ```

    ## Passes
    ```markdown path=concepts/01-a/01.1.1-GPU矩阵运算.md
    # 01.1.1-GPU 矩阵运算
    ```

    ## Fix
    Rename the file or the title so they agree (and update links to the file).
    """
    schema = _schema(ctx)
    title = ctx.doc.title
    if schema is None or not schema.title_matches_filename or title is None:
        return
    stem = PurePosixPath(ctx.doc.path).stem
    if _loose(title.text) != _loose(stem):
        yield ctx.report(
            title.line, 1, f"title '{title.text}' differs from the file name '{stem}'; expected the same text",
            context=title.text,
        )


@rule("ST201", "missing-separator", "structure", fixable=True)
def missing_separator(ctx: DocContext) -> Iterator[Diagnostic]:
    """A `---` thematic break is missing before a section that the schema says needs one.

    ## Why
    concepts/DOCUMENT_STRUCTURE_STANDARD.md §5 puts `---` between 概述 and 目录, between 核心结论
    and 相关主题, and between 相关主题 and 参考文档. Other H2 may have one too (most do); only
    the required places are checked, and 一、概述 needs none.

    ## Fails
    ```markdown path=concepts/01-a/01.1.1-示例.md
    # 01.1.1-示例

    ## 一、概述

    内容。

    ## 二、目录
    ```

    ## Passes
    ```markdown path=concepts/01-a/01.1.1-示例.md
    # 01.1.1-示例

    ## 一、概述

    内容。

    ---

    ## 二、目录
    ```

    ## Fix
    Insert a `---` line (with blank lines around it) before the heading. Safe: `--fix`
    inserts exactly that, a blank line first when the heading follows text directly (else
    the `---` would turn that text into a setext heading).
    """
    found = _h2_matches(ctx)
    if found is None:
        return
    spec, matches = found
    separators = set(ctx.doc.separators)
    lines = ctx.lines
    for m in matches:
        if m.index is None or not spec.items[m.index].separator_before:
            continue
        n = m.heading.line - 1
        while n >= 1 and n <= len(lines) and not lines[n - 1].strip():
            n -= 1
        if n not in separators:
            line = m.heading.line
            blank_before = line == 1 or (line - 1 <= len(lines) and not lines[line - 2].strip())
            insert = ("" if blank_before else "\n") + "---\n\n"
            fix = safe(TextEdit(ctx.doc.path, line, 1, line, 1, insert), description="insert '---' before the heading")
            yield ctx.report(
                line, 1, f"no '---' before '{m.heading.text}'; expected a thematic break before this section",
                context=m.heading.text, fix=fix if lines else None,
            )


RULES: tuple[Rule, ...] = (
    required_section,
    section_order,
    unexpected_section,
    required_subsection,
    heading_increment,
    title_matches_filename,
    duplicate_section_title,
    empty_section,
    missing_separator,
)
