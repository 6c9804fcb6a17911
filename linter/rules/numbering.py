"""Family `structure`, ST1xx: heading numbers (`一、二、三、`, `3.1`, `3.1.1`, `1.`).

The schema says which style each level uses (`numbering: {h2: {style: cjk}}`); a level
without an entry is not checked. The rules default to warnings: the standard ranks
numbering breaks lowest ("低优先级：章节编号不连续（但内容完整）",
concepts/DOCUMENT_STRUCTURE_STANDARD.md §三 修复优先级); a config can raise them.

All four rules read one plan of the whole document (`numbering_plan`): the number each
heading should carry once the document is renumbered top down. A finding is one cause, not
one heading: the headings a renumbering changes at one level are one finding at the first
of them, every changed heading listed as a related location, with the whole renumbering as
an unsafe fix (anchors change; the fix engine rewrites the TOC entries and links that
follow them). A single heading that is off while its neighbours are right is its own
finding with its own one-edit fix.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Applicability, Diagnostic, Fix, Related, Severity, Suggestion
from ..document.model import Heading
from ..document.numbering import int_to_cjk
from ..schema.model import Schema
from .base import DocContext, Rule, rule
from .numbering_plan import Cause, Change, Plan, is_topic_id, number_edit, plan_for, planned_renames

_STYLE_NAMES = {"cjk": "a CJK numeral (三、)", "dotted": "dotted (3.1)", "arabic": "arabic (3.)"}
# how many changes a grouped finding's message spells out (all of them are in `related`)
_SHOWN = 3


def _fmt(style: str, parts: tuple[int, ...]) -> str:
    if style == "cjk":
        return f"{int_to_cjk(parts[0])}、"
    if style == "arabic":
        return f"{parts[0]}."
    return ".".join(map(str, parts))


def _split(plan: Plan, cause: Cause) -> Iterator[list[Change]]:
    """The changes of one cause as findings: each isolated change alone (its neighbours at
    its level keep their numbers), and the rest of each level as one group."""
    changed = {c.heading.line for c in plan.changes}
    by_level: dict[int, list[Heading]] = {}
    for h in plan.numbered:
        by_level.setdefault(h.level, []).append(h)
    position = {h.line: (i, by_level[h.level]) for h in plan.numbered for i in [by_level[h.level].index(h)]}
    groups: dict[int, list[Change]] = {}
    singles: list[list[Change]] = []
    for c in plan.of(cause):
        i, row = position[c.heading.line]
        before = i > 0 and row[i - 1].line in changed
        after = i + 1 < len(row) and row[i + 1].line in changed
        if before or after:
            groups.setdefault(c.heading.level, []).append(c)
        else:
            singles.append([c])
    found = singles + list(groups.values())
    yield from sorted(found, key=lambda g: g[0].heading.line)


def _arrow(c: Change) -> str:
    return f"{c.heading.text} → {c.new_text}"


def _report(ctx: DocContext, plan: Plan, group: list[Change], message: str, suggestion: Suggestion) -> Diagnostic:
    first = group[0]
    if len(group) > 1:
        shown = ", ".join(_arrow(c) for c in group[:_SHOWN])
        more = f", … ({len(group) - _SHOWN} more)" if len(group) > _SHOWN else ""
        message += f"; renumbering changes {len(group)} H{first.heading.level} headings from here ({shown}{more})"
    edits = [number_edit(ctx.doc.path, ctx.lines, c) for c in group]
    fix = None
    if edits and all(e is not None for e in edits):
        rest = f" and {len(group) - 1} more headings" if len(group) > 1 else ""
        fix = Fix(
            tuple(e for e in edits if e is not None),
            Applicability.UNSAFE,
            f"renumber {_arrow(first)}{rest} (their anchors change)",
            planned_renames(ctx.doc, plan),
        )
    diag = ctx.report(first.heading.line, 1, message, suggestion=suggestion, context=first.heading.text)
    related = tuple(Related(ctx.doc.path, c.heading.line, 1, _arrow(c)) for c in group)
    return Diagnostic(
        diag.path, diag.line, diag.column, diag.rule_id, diag.message, diag.severity,
        suggestion=diag.suggestion, context=diag.context, fix=fix, related=related if len(group) > 1 else (),
    )


def _shown(c: Change) -> str:
    """The planned number as the messages write it: `三、`, `2.`, `4.1`."""
    return c.new_raw + {"cjk": "、", "arabic": "."}.get(c.number.style, "")


def _suggest(c: Change) -> Suggestion:
    return Suggestion(replacement=_shown(c), description=f"renumber '{c.heading.text}'", target_line=c.heading.line)


def _previous(plan: Plan, h: Heading) -> Heading | None:
    """The numbered heading before `h` at its level under the same parent (for "repeats")."""
    prev = None
    for x in plan.numbered:
        if x.line >= h.line:
            break
        if x.level == h.level:
            prev = x
        elif x.level < h.level:
            prev = None
    return prev


@rule("ST101", "number-sequence", "structure", severity=Severity.WARNING, fixable=True)
def number_sequence(ctx: DocContext) -> Iterator[Diagnostic]:
    """Section numbers at one level are not contiguous: repeated, skipped or going backwards.

    ## Why
    The standard (§4 and its checklist: "章节编号是否连续（没有跳跃）") numbers H2 sections
    `一、二、三、…`. When a section is inserted without renumbering the rest, the corpus ends
    up with `三、四、四、五、` (in 101 of 143 numbered concept documents a `三、核心形式化理论`
    was inserted and the sections after it only partly renumbered) and TOC anchors that
    point at the old numbers. The rule renumbers the whole level in the document's own style,
    contiguously from the schema's `start`, and reports the renumbering once, at the first
    heading that changes, with every changed heading as a related location
    (`四、微观视角 → 五、微观视角`, …). A single heading that is off while its neighbours are
    right (`一、二、五、四、`) is a finding of its own.

    ## Fails
    ```markdown path=concepts/01-a/01.1.1-示例.md
    # 01.1.1-示例

    ## 一、概述

    ## 二、目录

    ## 三、定义

    ## 三、应用

    ## 四、结论
    ```

    ## Passes
    ```markdown path=concepts/01-a/01.1.1-示例.md
    # 01.1.1-示例

    ## 一、概述

    ## 二、目录

    ## 三、定义

    ## 四、应用

    ## 五、结论
    ```

    ## Options
    None; the schema's `numbering.hN` gives the style, `start` and `contiguous: false` (which
    turns the check off for that level).

    ## Fix
    Unsafe: the anchors of the renumbered headings change, and sites outside the corpus may
    link to them. The finding's fix writes the planned number into each heading it lists;
    `--unsafe-fixes` applies it and the fix engine rewrites the TOC entries (their anchors,
    and the number in an entry that shows the heading's title) and the links in every
    document that point at the old anchors; other link texts are left as written.
    Sub-section prefixes that follow the renumbered parent are ST102's finding and fix.
    """
    plan = plan_for(ctx.doc, ctx.schema)
    for group in _split(plan, "sequence"):
        c = group[0]
        style, value = c.number.style, c.number.parts[0]
        prev = _previous(plan, c.heading)
        if prev is None or prev.number is None:
            what = f"starts at {_fmt(style, (value,))}"
        elif value == prev.number.parts[0]:
            what = f"repeats {_fmt(style, (value,))}"
        elif value < prev.number.parts[0]:
            what = f"goes back to {_fmt(style, (value,))}"
        else:
            what = f"skips to {_fmt(style, (value,))}"
        yield _report(ctx, plan, group, f"H{c.heading.level} number {what}; expected {_shown(c)}", _suggest(c))


@rule("ST102", "number-parent-prefix", "structure", severity=Severity.WARNING, fixable=True)
def number_parent_prefix(ctx: DocContext) -> Iterator[Diagnostic]:
    """A dotted sub-section number does not start with its parent section's number.

    ## Why
    Under `## 四、宏观视角` the sub-sections are `### 4.1`, `### 4.2` (§4 of the standard:
    `### 2.1 [内容]` sits under `## 二、`). Copied or renumbered sections keep stale prefixes:
    in 141 of 155 concept documents some H3 prefix differs from its H2, so a reader citing
    "3.1" cannot tell which section is meant. The prefix expected is the parent's *corrected*
    number (the one ST101 plans), not the one written: `### 3.1` under a `## 三、应用` that
    ST101 renumbers `四、` expects `4.1`, and the message says so. As for ST101, the prefixes a
    renumbering changes at one level are one finding; a lone stale prefix is its own.

    ## Fails
    ```markdown path=concepts/01-a/01.1.1-示例.md
    # 01.1.1-示例

    ## 一、宏观视角

    ### 3.1 正反馈循环
    ```

    ## Passes
    ```markdown path=concepts/01-a/01.1.1-示例.md
    # 01.1.1-示例

    ## 一、宏观视角

    ### 1.1 正反馈循环

    #### 1.1.1 机制
    ```

    ## Options
    None; `parent_prefix: false` on the schema's level turns the check off.

    ## Fix
    Unsafe: like ST101's, the fix writes `N.M` from the parent's corrected number and the
    sub-section's position into each listed heading; the engine follows the anchor renames
    into TOCs and links.
    """
    plan = plan_for(ctx.doc, ctx.schema)
    for group in _split(plan, "prefix"):
        c = group[0]
        assert c.parent is not None
        where = f"'{c.parent.text}' (line {c.parent.line})"
        if c.parent_new_raw is not None:
            sep = "、" if c.parent.number is not None and c.parent.number.style == "cjk" else ""
            msg = f"number {c.number.raw} under {where}, which is renumbered {c.parent_new_raw}{sep}; expected {c.new_raw}"
        else:
            msg = f"number {c.number.raw} does not match its parent {where}; expected {c.new_raw}"
        yield _report(ctx, plan, group, msg, _suggest(c))


@rule("ST103", "subnumber-sequence", "structure", severity=Severity.WARNING, fixable=True)
def subnumber_sequence(ctx: DocContext) -> Iterator[Diagnostic]:
    """Dotted sub-section numbers under one parent are not contiguous (`3.1`, `3.3`).

    ## Why
    The last part of `N.M` counts the sub-sections of `N` from 1; a gap or a repeat means a
    sub-section was removed, moved or duplicated without renumbering, and references to
    "3.3" go to the wrong place. A number whose prefix is wrong too is ST102's finding (its
    fix writes the whole number); this rule reports numbers whose prefix is right.

    ## Fails
    ```markdown path=concepts/01-a/01.1.1-示例.md
    # 01.1.1-示例

    ## 一、定义

    ### 1.1 甲

    ### 1.3 乙
    ```

    ## Passes
    ```markdown path=concepts/01-a/01.1.1-示例.md
    # 01.1.1-示例

    ## 一、定义

    ### 1.1 甲

    ### 1.2 乙
    ```

    ## Options
    None; `contiguous: false` on the schema's level turns the check off.

    ## Fix
    Unsafe: anchors change. The fix renumbers the listed sub-sections by position.
    """
    plan = plan_for(ctx.doc, ctx.schema)
    for group in _split(plan, "sub"):
        c = group[0]
        msg = f"sub-section number {c.number.raw} breaks the sequence; expected {c.new_raw}"
        yield _report(ctx, plan, group, msg, _suggest(c))


@rule("ST104", "number-style", "structure", severity=Severity.WARNING)
def number_style(ctx: DocContext) -> Iterator[Diagnostic]:
    """A heading is numbered in a different style from the one its level uses.

    ## Why
    The standard numbers H2 with CJK numerals and H3/H4 dotted (§4). A `## 1. 小节` among
    `## 三、` sections, or `### 三、` under an H2, is a heading pasted from another document or
    at the wrong level; numbering checks and TOC generators then disagree with the reader.
    A dotted number with too few or too many parts for its level (`#### 10.10` right after
    `### 10.9`) is a heading at the wrong level, not a misnumbered one: it is reported here,
    and the numbering rules leave it out of their count.

    ## Fails
    ```markdown path=concepts/01-a/01.1.1-示例.md
    # 01.1.1-示例

    ## 一、概述

    ## 2. 定义

    ### 2.1 甲

    #### 2.2 乙
    ```

    ## Passes
    ```markdown path=concepts/01-a/01.1.1-示例.md
    # 01.1.1-示例

    ## 一、概述

    ## 二、定义

    ### 2.1 要点

    ### 2.2 乙
    ```

    ## Options
    None.

    ## Fix
    None automatic: renumber the heading in its level's style, or move it to the level its
    number names (a level change moves its whole section, which needs a human). A level
    whose style is `none` takes no numbers at all.
    """
    schema = ctx.schema if isinstance(ctx.schema, Schema) else None
    found: list[tuple[int, str, str]] = []
    for h in ctx.doc.headings:
        spec = schema.numbering.get(h.level) if schema is not None else None
        if spec is None or h.number is None or h.number.style == spec.style or is_topic_id(h.number):
            continue
        if spec.style == "none":
            found.append((h.line, f"H{h.level} is numbered '{h.number.raw}'; expected no number at this level", h.text))
            continue
        found.append((
            h.line,
            f"H{h.level} number '{h.number.raw}' is {_STYLE_NAMES[h.number.style]}; "
            f"expected {_STYLE_NAMES[spec.style]}",
            h.text,
        ))
    for e in plan_for(ctx.doc, ctx.schema).level_errors:
        depth = e.heading.level + len(e.number.parts) - e.expected_parts
        parent = ".".join(map(str, e.base))
        found.append((
            e.heading.line,
            f"H{e.heading.level} number {e.number.raw} has {len(e.number.parts)} parts, the depth of an "
            f"H{depth} under '{e.parent.text}' (line {e.parent.line}); expected a heading at level {depth} "
            f"or a number {parent}.M",
            e.heading.text,
        ))
    for line, message, text in sorted(found, key=lambda f: f[0]):
        yield ctx.report(line, 1, message, context=text)


RULES: tuple[Rule, ...] = (number_sequence, number_parent_prefix, subnumber_sequence, number_style)
