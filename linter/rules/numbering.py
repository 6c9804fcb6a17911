"""Family `structure`, ST1xx: heading numbers (`一、二、三、`, `3.1`, `3.1.1`, `1.`).

The schema says which style each level uses (`numbering: {h2: {style: cjk}}`); a level
without an entry is not checked. The rules default to warnings: the standard ranks
numbering breaks lowest ("低优先级：章节编号不连续（但内容完整）",
concepts/DOCUMENT_STRUCTURE_STANDARD.md §三 修复优先级); a config can raise them. Each finding names the number expected at that place, and
a sequence break is reported once (at the break), not at every heading after it.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Diagnostic, Severity, Suggestion
from ..document.model import Heading, HeadingNumber, Section
from ..document.numbering import int_to_cjk
from ..schema.model import LevelNumbering, Schema
from ..schema.tree import families
from .base import DocContext, Rule, rule

_STYLE_NAMES = {"cjk": "a CJK numeral (三、)", "dotted": "dotted (3.1)", "arabic": "arabic (3.)"}


def _fmt(style: str, parts: tuple[int, ...]) -> str:
    if style == "cjk":
        return f"{int_to_cjk(parts[0])}、"
    if style == "arabic":
        return f"{parts[0]}."
    return ".".join(map(str, parts))


def _spec(ctx: DocContext, level: int) -> LevelNumbering | None:
    schema = ctx.schema
    if not isinstance(schema, Schema):
        return None
    spec = schema.numbering.get(level)
    return spec if spec is not None and spec.style != "none" else None


def is_topic_id(num: HeadingNumber) -> bool:
    """`### 01.4-层间交互` names concept topic 01.4 (a zero-padded id), not a section number."""
    return num.style == "dotted" and len(num.raw.split(".")[0]) > 1 and num.raw.startswith("0")


def _numbered(children: tuple[Heading, ...], spec: LevelNumbering) -> list[tuple[Heading, HeadingNumber]]:
    return [
        (h, h.number)
        for h in children
        if h.number is not None and h.number.style == spec.style and not is_topic_id(h.number)
    ]


def _same_level(children: tuple[Section, ...]) -> tuple[Heading, ...]:
    """The children at the first child's level (a skipped level leaves deeper ones mixed in)."""
    level = children[0].heading.level
    return tuple(c.heading for c in children if c.heading.level == level)


def _suggest(h: Heading, expected: str) -> Suggestion:
    return Suggestion(replacement=expected, description=f"renumber '{h.text}'", target_line=h.line)


@rule("ST101", "number-sequence", "structure", severity=Severity.WARNING)
def number_sequence(ctx: DocContext) -> Iterator[Diagnostic]:
    """Section numbers at one level are not contiguous: repeated, skipped or going backwards.

    ## Why
    The standard (§4 and its checklist: "章节编号是否连续（没有跳跃）") numbers H2 sections
    `一、二、三、…`. When a section is inserted without renumbering the rest, the corpus ends
    up with `三、四、四、五、` (132 of 155 concept documents repeat a numeral) and TOC anchors
    that point at the old numbers. Only the break is reported: after `四、四、` the next
    `五、` follows the second `四、` and is fine.

    ## Fails
    ```markdown path=concepts/01-a/01.1.1-示例.md
    # 01.1.1-示例

    ## 一、概述

    ## 二、目录

    ## 三、定义

    ## 三、应用
    ```

    ## Passes
    ```markdown path=concepts/01-a/01.1.1-示例.md
    # 01.1.1-示例

    ## 一、概述

    ## 二、目录

    ## 三、定义

    ## 四、应用
    ```

    ## Fix
    Renumber the sections from the first break on (and their sub-sections and TOC entries).
    """
    for parent, children in families(ctx.doc):
        if not children:
            continue
        heads = _same_level(children)
        spec = _spec(ctx, heads[0].level)
        if spec is None or spec.style == "dotted" or not spec.contiguous:
            continue
        prev: int | None = None
        for h, num in _numbered(heads, spec):
            value = num.parts[0]
            expected = spec.start if prev is None else prev + 1
            if value != expected:
                if prev is None:
                    what = f"starts at {_fmt(spec.style, (value,))}"
                elif value == prev:
                    what = f"repeats {_fmt(spec.style, (value,))}"
                elif value < prev:
                    what = f"goes back to {_fmt(spec.style, (value,))}"
                else:
                    what = f"skips to {_fmt(spec.style, (value,))}"
                want = _fmt(spec.style, (expected,))
                yield ctx.report(
                    h.line, 1, f"H{h.level} number {what}; expected {want}",
                    suggestion=_suggest(h, want), context=h.text,
                )
            prev = value


@rule("ST102", "number-parent-prefix", "structure", severity=Severity.WARNING)
def number_parent_prefix(ctx: DocContext) -> Iterator[Diagnostic]:
    """A dotted sub-section number does not start with its parent section's number.

    ## Why
    Under `## 四、宏观视角` the sub-sections are `### 4.1`, `### 4.2` (§4 of the standard:
    `### 2.1 [内容]` sits under `## 二、`). Copied or renumbered sections keep stale prefixes:
    in 141 of 155 concept documents some H3 prefix differs from its H2, so a reader citing
    "3.1" cannot tell which section is meant.

    ## Fails
    ```markdown path=concepts/01-a/01.1.1-示例.md
    # 01.1.1-示例

    ## 四、宏观视角

    ### 3.1 正反馈循环
    ```

    ## Passes
    ```markdown path=concepts/01-a/01.1.1-示例.md
    # 01.1.1-示例

    ## 四、宏观视角

    ### 4.1 正反馈循环

    #### 4.1.1 机制
    ```

    ## Fix
    Rewrite the prefix to the parent's number (the message gives it).
    """
    for parent, children in families(ctx.doc):
        if parent is None or parent.heading.number is None:
            continue
        heads = _same_level(children)
        spec = _spec(ctx, heads[0].level)
        if spec is None or spec.style != "dotted" or not spec.parent_prefix:
            continue
        base = parent.heading.number.parts
        for h, num in _numbered(heads, spec):
            if num.parts[:-1] != base:
                want = _fmt("dotted", (*base, num.parts[-1]))
                yield ctx.report(
                    h.line,
                    1,
                    f"number {num.raw} does not match its parent '{parent.heading.text}' "
                    f"(line {parent.heading.line}); expected {want}",
                    suggestion=_suggest(h, want),
                    context=h.text,
                )


@rule("ST103", "subnumber-sequence", "structure", severity=Severity.WARNING)
def subnumber_sequence(ctx: DocContext) -> Iterator[Diagnostic]:
    """Dotted sub-section numbers under one parent are not contiguous (`3.1`, `3.3`).

    ## Why
    The last part of `N.M` counts the sub-sections of `N` from 1; a gap or a repeat means a
    sub-section was removed, moved or duplicated without renumbering, and references to
    "3.3" go to the wrong place. The prefix itself is ST102's business.

    ## Fails
    ```markdown path=concepts/01-a/01.1.1-示例.md
    # 01.1.1-示例

    ## 三、定义

    ### 3.1 甲

    ### 3.3 乙
    ```

    ## Passes
    ```markdown path=concepts/01-a/01.1.1-示例.md
    # 01.1.1-示例

    ## 三、定义

    ### 3.1 甲

    ### 3.2 乙
    ```

    ## Fix
    Renumber the sub-sections from the first break on.
    """
    for parent, children in families(ctx.doc):
        if parent is None:
            continue
        heads = _same_level(children)
        spec = _spec(ctx, heads[0].level)
        if spec is None or spec.style != "dotted" or not spec.contiguous:
            continue
        base = parent.heading.number.parts if parent.heading.number is not None else None
        prev: int | None = None
        for h, num in _numbered(heads, spec):
            last = num.parts[-1]
            if spec.parent_prefix and base is not None and num.parts[:-1] != base:
                prev = last  # a wrong prefix is ST102's finding; keep counting from it
                continue
            expected = 1 if prev is None else prev + 1
            if last != expected:
                want = _fmt("dotted", (*num.parts[:-1], expected))
                yield ctx.report(
                    h.line, 1, f"sub-section number {num.raw} breaks the sequence; expected {want}",
                    suggestion=_suggest(h, want), context=h.text,
                )
            prev = last


@rule("ST104", "number-style", "structure", severity=Severity.WARNING)
def number_style(ctx: DocContext) -> Iterator[Diagnostic]:
    """A heading is numbered in a different style from the one its level uses.

    ## Why
    The standard numbers H2 with CJK numerals and H3/H4 dotted (§4). A `## 1. 小节` among
    `## 三、` sections, or `### 三、` under an H2, is a heading pasted from another document or
    at the wrong level; numbering checks and TOC generators then disagree with the reader.

    ## Fails
    ```markdown path=concepts/01-a/01.1.1-示例.md
    # 01.1.1-示例

    ## 一、概述

    ## 2. 定义
    ```

    ## Passes
    ```markdown path=concepts/01-a/01.1.1-示例.md
    # 01.1.1-示例

    ## 一、概述

    ## 二、定义

    ### 2.1 要点
    ```

    ## Fix
    Renumber the heading in its level's style, or move it to the level it belongs at. A level
    whose style is `none` takes no numbers at all.
    """
    schema = ctx.schema if isinstance(ctx.schema, Schema) else None
    for h in ctx.doc.headings:
        spec = schema.numbering.get(h.level) if schema is not None else None
        if spec is None or h.number is None or h.number.style == spec.style or is_topic_id(h.number):
            continue
        if spec.style == "none":
            yield ctx.report(
                h.line, 1, f"H{h.level} is numbered '{h.number.raw}'; expected no number at this level",
                context=h.text,
            )
            continue
        yield ctx.report(
            h.line,
            1,
            f"H{h.level} number '{h.number.raw}' is {_STYLE_NAMES[h.number.style]}; "
            f"expected {_STYLE_NAMES[spec.style]}",
            context=h.text,
        )


RULES: tuple[Rule, ...] = (number_sequence, number_parent_prefix, subnumber_sequence, number_style)
