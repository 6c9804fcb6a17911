"""Family `markdown`: headings GitHub does not show as headings, and code it does not show as
code: a byte-order mark before `#` (MK004), a code block that swallows the document's
headings because its fences pair up wrongly (MK011), and the test MK020 uses to tell a
code comment left outside a fence from a second title."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from ..diagnostics import Diagnostic
from ..document.model import CodeFence, Document
from .base import DocContext, Rule, rule

_BOM_HEADING = re.compile(r"^\ufeff {0,3}(#{1,6})(?:[ \t]|$)")
# An ATX heading of level 2 or more (`# x` inside code is usually a comment)
_SUB_HEADING = re.compile(r"^ {0,3}#{2,6}[ \t]+\S")
# An opening fence with an info string: never a closing fence (CommonMark 0.31 section 4.5)
_INFO_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})[ \t]*[^\s`]")
# A line of program text: a keyword, an assignment, a call, a closing bracket, or indentation
_CODE_LINE = re.compile(
    r"""^(?:\s*(?:def|class|import|from|return|for|while|if|elif|else|try|except|with|print|
    let|const|var|fn|pub|async|await)\b
    |\s*[A-Za-z_][\w.\[\]'"]*\s*[-+*/]?=(?!=)
    |\s*[A-Za-z_][\w.]*\(.*$
    |\s*[)\]}][,;)\]}]*\s*$
    |\s{4,}\S)""",
    re.X,
)


def _fence_lines(fence: CodeFence) -> range:
    """1-based lines of a fence's content (without its opening and closing lines)."""
    return range(fence.line + 1, fence.end_line if fence.closed else fence.end_line + 1)


def _opens_like(text: str, marker: str) -> bool:
    """An opening fence with an info string that the block's own closing fence could match
    (inside a longer fence, ```` ```python ```` is a Markdown example, not a sign)."""
    m = _INFO_FENCE.match(text)
    return m is not None and m.group(1)[0] == marker[0] and len(m.group(1)) >= len(marker)


def _near(lines: Sequence[str], line: int, step: int) -> str | None:
    """The nearest non-blank line within two lines of `line` (1-based) in direction `step`."""
    for n in (line + step, line + 2 * step):
        if 1 <= n <= len(lines) and lines[n - 1].strip():
            return lines[n - 1]
    return None


def looks_like_code_comment(lines: Sequence[str], line: int) -> bool:
    """Whether the `# …` at `line` sits between lines of program text, so it is a comment of
    code whose fence is missing rather than a heading someone wrote."""
    around = [_near(lines, line, -1), _near(lines, line, 1)]
    present = [x for x in around if x is not None]
    return bool(present) and all(_CODE_LINE.match(x) for x in present)


def _cause(lines: Sequence[str], before: CodeFence | None, fence: CodeFence) -> str:
    """Why the fences pair up wrongly: an example whose inner fence closed it early, or a
    block whose opening fence is missing."""
    if before is not None and before.closed and before.end_line < fence.line:
        inner = next((n for n in _fence_lines(before) if _opens_like(lines[n - 1], before.marker)), None)
        if inner is not None:
            longer = before.marker[0] * (len(before.marker) + 1)
            return (
                f"the block at line {before.line} holds a fence ({lines[inner - 1].strip()}, line "
                f"{inner}) whose closing fence ended it at line {before.end_line}; expected a longer "
                f"outer fence ({longer}{before.info.split()[0] if before.info.split() else ''} "
                f"… {longer}) around that example"
            )
    return f"expected an opening fence before the code above line {fence.line}"


@rule("MK004", "bom-hides-heading", "markdown")
def bom_hides_heading(ctx: DocContext) -> Iterator[Diagnostic]:
    """A heading line starts with a byte-order mark (U+FEFF), so it is not a heading.

    ## Why
    A BOM is skipped only at the very start of a file: cmark (GitHub's parser) and micromark
    strip it there and nowhere else (micromark's `preprocess.js`; MK003 reports that one).
    Further down, U+FEFF is an ordinary, invisible character, and an ATX heading may be
    preceded by up to three spaces only (CommonMark 0.31 section 4.2), so GitHub shows
    `U+FEFF# 标题` as a paragraph reading `# 标题`. It comes from files joined by concatenation,
    each saved with its BOM: 714 such headings were measured on one corpus. The heading is
    lost from the outline, the TOC and every anchor that links to it.

    ## Fails
    A line 40 holding the bytes `EF BB BF 23 20 E7 AC AC` (`U+FEFF` then `# 第二部分`).

    ## Passes
    ```markdown
    # 第一部分

    # 第二部分
    ```

    ## Fix
    Delete the invisible character (`sed -i 's/\\xEF\\xBB\\xBF//g' file.md`).
    """
    code = {n for f in ctx.doc.fences for n in range(f.line, f.end_line + 1)}
    for n, text in enumerate(ctx.lines, start=1):
        if text.startswith("\ufeff"):
            m = _BOM_HEADING.match(text)
            if m and n not in code:
                shown = text[1:].strip()
                yield ctx.report(
                    n, 1,
                    f"line starts with a byte-order mark (U+FEFF), so GitHub shows '{shown}' as "
                    f"text; expected an H{len(m.group(1))} heading (remove the invisible character)",
                    context=shown,
                )


@rule("MK011", "fence-swallows-headings", "markdown")
def fence_swallows_headings(ctx: DocContext) -> Iterator[Diagnostic]:
    """A fence meant to close a code block opens one, which swallows the document's headings.

    ## Why
    When one opening fence is missing (or one fence too many is written), every later fence
    pairs up with the wrong partner: the ```` ``` ```` that should close a block opens a new
    one, and the text between two code blocks, headings included, renders as code on GitHub.
    The symptoms show up elsewhere (a second H1 from a `# comment` of the code left outside,
    a jump in heading levels, TOC entries without headings) and their fixes would be wrong;
    this rule reports the cause. The sign is unambiguous: the swallowed text holds an opening
    fence with an info string (```` ```python ````), which can never close a block
    (CommonMark 0.31 section 4.5: "The closing code fence ... may be followed only by spaces
    or tabs"), so the author thought the block had ended. Unclosed fences are MK010's.

    ## Fails
    ````markdown
    # 标题

    x = 1
    ```

    ## 二、工具

    ```python
    y = 2
    ```
    ````

    ## Passes
    ````markdown
    # 标题

    ```python
    x = 1
    ```

    ## 二、工具

    ```python
    y = 2
    ```
    ````

    ## Fix
    The message says which of the two causes it is: a ```` ```markdown ```` example holding
    a ```` ```python ```` block (its inner closing fence ends the example early) needs a longer
    outer fence (```` ````markdown ````); otherwise add the missing opening fence before the
    code above the reported line (or delete the stray fence).
    """
    lines = ctx.lines
    for fence, before, headings, opener in swallowing_fences(ctx.doc, lines):
        first = lines[headings[0] - 1].strip()
        what = "heading" if len(headings) == 1 else "headings"
        yield ctx.report(
            fence.line, 1,
            f"code fence {fence.marker} opens a code block that swallows {len(headings)} "
            f"{what} (first '{first}', line {headings[0]}) up to line {fence.end_line}; line "
            f"{opener} ({lines[opener - 1].strip()}) inside it shows this fence was meant to "
            f"close a block: {_cause(lines, before, fence)}",
            context=first,
        )


def swallowing_fences(
    doc: Document, lines: Sequence[str]
) -> Iterator[tuple[CodeFence, CodeFence | None, list[int], int]]:
    """Each bare, closed fence whose content holds headings (H2+) and an opening fence with an
    info string: (fence, the fence before it, the swallowed heading lines, that opener's line)."""
    previous: CodeFence | None = None
    for fence in doc.fences:
        before, previous = previous, fence
        if fence.info.strip() or not fence.closed:
            continue
        headings: list[int] = []
        opener: int | None = None
        for n in _fence_lines(fence):
            text = lines[n - 1] if n <= len(lines) else ""
            if _SUB_HEADING.match(text):
                headings.append(n)
            elif opener is None and _opens_like(text, fence.marker):
                opener = n
        if headings and opener is not None:
            yield fence, before, headings, opener


RULES: tuple[Rule, ...] = (bom_hides_heading, fence_swallows_headings)
