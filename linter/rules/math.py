"""Family `math`: formula delimiters GitHub renders, and TeX that KaTeX/MathJax accept.

Formulas come from the parser (`doc.formulas`): `$$` blocks, inline `$…$` (markdown-it's
dollarmath rules, which already leave `营收$50亿` and `$$$$` price scales alone), ```` ```math ````
fences, `\\[ \\]` / `\\( \\)` occurrences and mid-line `$$` fragments. Code is never looked at.
The TeX checks live in `linter.document.tex`; positions inside a formula map back to the file.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence

from ..diagnostics import Diagnostic, Severity, Suggestion
from ..document.model import Formula
from ..references.schema import default_schema, formula_labels
from ..document.gfm_tex import check_github_escapes
from ..document.tex import TexProblem, check_blank_lines, check_pairs, position
from .base import DocContext, Rule, rule
from .math_fixes import delimiter_fix, escape_fix

_TEX_KINDS = ("display", "inline", "fence", "fragment")


def _tex_findings(
    ctx: DocContext, check: Callable[[str], list[TexProblem]], kinds: tuple[str, ...] = _TEX_KINDS
) -> Iterator[Diagnostic]:
    for f in ctx.doc.formulas:
        if f.kind not in kinds or not f.content:
            continue
        for problem in check(f.content):
            line, col = position(f, problem.offset, ctx.lines)
            yield ctx.report(line, col, problem.message, context=f.content)


@rule("MH001", "unclosed-display-math", "math")
def unclosed_display_math(ctx: DocContext) -> Iterator[Diagnostic]:
    """A `$$` line opens a display formula that is never closed.

    ## Why
    GitHub pairs `$$` lines; an opener without a closer shows its TeX as raw text with the
    dollars, and everything up to the next blank line is swallowed. (A block split by a
    blank line is reported by `blank-line-in-display-math` instead.)

    ## Fails
    ```markdown
    # 标题

    $$
    E = mc^2
    ```

    ## Passes
    ```markdown
    # 标题

    $$
    E = mc^2
    $$
    ```

    ## Fix
    Add the closing `$$` on its own line.
    """
    for f in ctx.doc.formulas:
        if f.kind == "display" and not f.closed and not check_blank_lines(f.content):
            yield ctx.report(
                f.line, f.column, "`$$` block is never closed; expected a closing `$$` line", context=f.content
            )


@rule("MH002", "stray-double-dollar", "math")
def stray_double_dollar(ctx: DocContext) -> Iterator[Diagnostic]:
    """A `$$` in running text that opens and closes nothing.

    ## Why
    A lone `$$` inside a paragraph is neither the start of a display block (which needs its
    own line) nor half of an inline pair, so GitHub prints the two dollars. It is usually the
    remains of a formula that was edited apart. `$$$$` (four dollars, a price scale in a
    table) and dollars in code are not reported.

    ## Fails
    ```markdown
    # 标题

    损失函数为 $$ 见下文。
    ```

    ## Passes
    ```markdown
    # 标题

    | 规模 | 价格 |
    |---|---|
    | 大型 | $$$$ |
    | 中型 | $$ |

    营收$50亿，成本 `$$x$$` 在代码里。
    ```

    A `$$` that is a whole table cell is a price tier (`$`, `$$`, `$$$`): GitHub splits a
    row into cells before it looks for math, so it prints the dollars, as meant.

    ## Fix
    Delete the stray `$$`, or complete the formula.
    """
    for f in ctx.doc.formulas:
        if f.kind == "fragment" and not f.content and not f.closed:
            if _whole_table_cell(ctx.lines[f.line - 1], f.column):
                continue
            yield ctx.report(f.line, f.column, "`$$` is not part of any formula; expected a `$$…$$` pair")


def _whole_table_cell(line: str, column: int) -> bool:
    """The `$$` at `column` is all there is in its table cell (`| $$ |`)."""
    before, after = line[: column - 1], line[column + 1 :]
    return "|" in line and before.rstrip().endswith("|") and (after.lstrip().startswith("|") or not after.strip())


@rule("MH003", "inline-display-math", "math", severity=Severity.INFO, enabled=False)
def inline_display_math(ctx: DocContext) -> Iterator[Diagnostic]:
    """`$$…$$` inside running text, which GitHub renders as inline math (off by default).

    ## Why
    This is a portability note, not an error: GitHub renders `$$…$$` as a display block
    only when it is alone in its paragraph and not in a list item; mid-sentence, after a
    list label (`- **公式**：$$…$$`), in a heading or a table cell it renders **inline**,
    exactly like `$…$`. Documented: the maintainer of MarkText checked each case against
    GitHub's Markdown API when matching it (marktext/marktext#4935), and a Gitea maintainer
    confirms `a $$\\alpha$$ b` is inline "the same as GitHub" (go-gitea/gitea#36096).
    Renderers that show every `$$…$$` as a centred block (MarkText before that change,
    several editors' previews) break the line in two, so `$…$` is the portable spelling.
    Enable it (`MH003: info`) when documents must also read well there.

    ## Fails
    ```markdown
    # 标题

    - **公式**：$$ARI = \\frac{a}{b}$$
    ```

    ## Passes
    ```markdown
    # 标题

    - **公式**：$ARI = \\frac{a}{b}$

    **形式化表述**：
    $$ARI = \\frac{a}{b}$$
    ```

    ## Fix
    Write `$…$` for inline math, or move the formula to its own paragraph.
    """
    for f in ctx.doc.formulas:
        if f.kind == "fragment" and f.content:
            yield ctx.report(
                f.line,
                f.column,
                "`$$…$$` inside running text: GitHub renders it inline, renderers that show every "
                "`$$` as a block break the line; expected `$…$` for inline math",
                context=f.content,
            )


@rule("MH004", "empty-formula", "math", severity=Severity.WARNING)
def empty_formula(ctx: DocContext) -> Iterator[Diagnostic]:
    """A formula has no content (`$$ $$`, an empty ```` ```math ```` fence).

    ## Why
    An empty formula renders as nothing, or as stray dollars; it is a placeholder that was
    never filled in or the remains of a deletion.

    ## Fails
    ```markdown
    # 标题

    $$
    $$
    ```

    ## Passes
    ```markdown
    # 标题

    $$
    a^2 + b^2 = c^2
    $$
    ```

    ## Fix
    Write the formula, or delete the empty delimiters.
    """
    for f in ctx.doc.formulas:
        if f.kind in ("display", "inline", "fence", "bracket_display", "paren_inline") and not f.content.strip():
            if f.kind == "display" and not f.closed:
                continue  # reported as unclosed
            yield ctx.report(f.line, f.column, f"empty {f.kind.replace('_', ' ')} formula; expected TeX content")
# What makes `\\( … \\)` / `\\[ … \\]` content TeX rather than escaped brackets in prose
_LOOKS_LIKE_TEX = re.compile(r"\\[A-Za-z]+|[\^_=<>+]")


@rule("MH005", "unrendered-math-delimiters", "math", fixable=True)
def unrendered_math_delimiters(ctx: DocContext) -> Iterator[Diagnostic]:
    """`\\[ … \\]` or `\\( … \\)` math, which GitHub shows as literal brackets.

    ## Why
    GitHub renders math only between `$` / `$$` delimiters and in ```` ```math ```` fences.
    In Markdown `\\[` and `\\(` are escapes for `[` and `(`, so the reader sees
    `[ \\mathbb{N} ]` with the TeX source spelled out.

    ## Fails
    ```markdown
    # 标题

    若 \\(VC(\\mathcal{H}) = d\\)，则成立。
    ```

    ## Passes
    ```markdown
    # 标题

    若 $VC(\\mathcal{H}) = d$，则成立。
    ```

    Escaped brackets in prose are what they look like: `[Docker \\[FULL COURSE\\]](…)` and
    `F\\[x\\]` show `[FULL COURSE]` and `F[x]`, as meant. A `\\[ … \\]` pair is reported only
    when its content reads as TeX (a control word such as `\\mathbb`, or one of
    `^ _ = < > +`); a `\\( … \\)` pair also when it holds a bare variable (`若 \\(m\\) 个`),
    unless it follows a letter (`f\\(x\\)`, an escaped call in prose).

    ## Fix
    Write `$…$` for `\\( … \\)` and `$$ … $$` for `\\[ … \\]`. Safe: `--fix` changes only
    the delimiters, keeping the TeX byte for byte (`\\( x \\)` loses the spaces just inside
    its delimiters, which `$…$` does not allow), when the TeX has no `$` and nothing that
    MH007/MH008 would report once it renders (an escape such as `\\{` that GitHub would
    eat), an inline formula is on one line and not followed by a digit, and each
    `\\[`/`\\]` is at the edge of its line (a `$$` mid-line is no block on GitHub); other
    cases are left to the author.
    """
    for f in ctx.doc.formulas:
        if f.kind == "bracket_display":
            opener, closer, want = "\\[", "\\]", "$$"
        elif f.kind == "paren_inline":
            opener, closer, want = "\\(", "\\)", "$"
        else:
            continue
        if not _LOOKS_LIKE_TEX.search(f.content):
            before = ctx.lines[f.line - 1][: f.column - 1] if f.line <= len(ctx.lines) else ""
            # `\\[FULL COURSE\\]`, `F\\[x\\]`, `f\\(x\\)`: escaped brackets in prose
            if f.kind == "bracket_display" or (before[-1:].isascii() and before[-1:].isalnum()):
                continue
        body = f.content.strip()
        yield ctx.report(
            f.line,
            f.column,
            f"`{opener} … {closer}` is not rendered as math on GitHub; expected `{want}…{want}`",
            suggestion=Suggestion(f"{want}{body}{want}", f"replace `{opener}`/`{closer}` with `{want}`"),
            context=f.content, fix=delimiter_fix(ctx, f),
        )


@rule("MH006", "blank-line-in-display-math", "math")
def blank_line_in_display_math(ctx: DocContext) -> Iterator[Diagnostic]:
    """A blank line inside a `$$` block, which ends the block on GitHub.

    ## Why
    Like a paragraph, a `$$` block stops at a blank line: GitHub renders the first half as
    broken math and the rest, closing `$$` included, as text. TeX itself treats a blank line
    in math as an error.

    ## Fails
    ```markdown
    # 标题

    $$
    a = b

    c = d
    $$
    ```

    ## Passes
    ```markdown
    # 标题

    $$
    a = b \\\\
    c = d
    $$
    ```

    ## Fix
    Delete the blank line (use `\\\\` inside an `aligned` environment for a line break).
    """
    for f in ctx.doc.formulas:
        # a math fence keeps its blank lines (it is a code block); only `$$` blocks break
        if f.kind != "display" or not f.content:
            continue
        for problem in check_blank_lines(f.content):
            line, _ = position(f, problem.offset, ctx.lines)
            yield ctx.report(
                line,
                1,
                f"blank line inside the `$$` block opened at line {f.line}; "
                "GitHub ends the block here, expected no blank line",
                context=f.content,
            )


@rule("MH007", "unbalanced-tex", "math")
def unbalanced_tex(ctx: DocContext) -> Iterator[Diagnostic]:
    """TeX that MathJax rejects: unbalanced groups and environments, unreadable dimensions.

    ## Why
    GitHub renders math with MathJax, which refuses the whole formula (a red error
    instead of the math) when a brace group, `\\begin`/`\\end` or `\\left`/`\\right` is
    not closed, or when a dimension is not a number with a unit. The checks follow
    MathJax's TeX input (`TexParser.GetArgument`, `GetDimen`; docs.mathjax.org,
    "Differences from Actual TeX"), not LaTeX or KaTeX:

    - escaped braces `\\{` `\\}` are literal braces and are not counted;
    - a bare `%` comments out the rest of its line in the main parse, so `{a % }` never
      closes; but a command's braced argument is cut out first by counting braces, `%`
      or not, so `\\frac{50%}{2}` closes and `\\text{0.3%}` prints its `%`;
    - `\\rule`, `\\hspace`, `\\kern`, `\\raise` … need `10em`-style dimensions: LaTeX's
      `\\rule{0.5\\textwidth}{0.4pt}` stops MathJax ("Missing dimension or its units"),
      and page lengths such as `\\textwidth` are undefined there.

    ## Fails
    ```markdown
    # 标题

    $$
    \\begin{aligned}
    f(x) &= \\frac{1}{2 x
    \\end{aligned}
    $$

    行内 $\\left( a + b$ 公式。

    $$
    \\rule{0.5\\textwidth}{0.4pt}
    $$
    ```

    ## Passes
    ```markdown
    # 标题

    $$
    \\begin{aligned}
    f(x) &= \\left\\{ \\frac{1}{2} x \\right. \\\\
    &\\text{HR从0.3%升至12%} \\\\
    &\\rule{10em}{0.4pt}
    \\end{aligned}
    $$
    ```

    ## Fix
    Close the group or environment the message names, write a dimension with a unit, or
    escape a literal `%` as `\\%` (inside ```` ```math ````; see MH008 for `$` math).
    """
    yield from _tex_findings(ctx, check_pairs)


@rule("MH008", "markdown-escape-in-math", "math", severity=Severity.WARNING, fixable=True)
def markdown_escape_in_math(ctx: DocContext) -> Iterator[Diagnostic]:
    """A Markdown escape that GitHub consumes before MathJax sees the TeX (`\\{ \\}`, `\\,`).

    ## Why
    GitHub looks for `$…$` and `$$…$$` math after its Markdown pass, so CommonMark's
    backslash escapes have already been applied: a backslash before ASCII punctuation is
    dropped. A MathJax maintainer explains the mechanism in mathjax/MathJax-src#1257 (a
    `$$…$$` formula), github/markup#1746 shows it in a multi-line `$$` block, and
    nschloe's "Math on GitHub" follow-up (2022) in inline `$…$`. Most of it is harmless,
    or what the author relied on, and is **not** reported: `x\\_i` arrives as `x_i`, a
    subscript; `a^\\*` as `a^*`; `\\\\alpha` as `\\alpha`. What really breaks is reported:

    - `\\{ \\}` arrive as `{ }`: a TeX group, the set braces vanish;
    - `\\,` `\\:` `\\;` `\\!` `\\>` arrive as punctuation instead of spaces, `\\|` as a bar;
    - `\\%` arrives as `%` and comments out the rest of the line, `\\#` and `\\&` as
      characters MathJax rejects;
    - `\\_` inside `\\text{…}` arrives as a bare `_` (issue 14 saw a MathJax error there);
    - `\\\\` arrives as `\\`, so a line break is lost, reported in one-line formulas only.

    Per delimiter: inline `$…$` and one-line `$$…$$` (documented, above); multi-line `$$`
    blocks (documented for `\\{ \\}` and the spacing symbols by github/markup#1746; for a
    `\\\\` at the end of a line the evidence does not say, so it is not reported: inferred,
    not asserted); ```` ```math ```` fences and GitHub's `` $`…`$ `` form are code, passed
    to MathJax as written (GitHub's "Writing mathematical expressions" page offers them for
    this), so they are never reported. `\\( … \\)` math is MH005's.

    ## Fails
    ```markdown
    # 标题

    集合 $S = \\{x \\mid x > 0\\}$ 非空。
    ```

    ## Passes
    ```markdown
    # 标题

    集合 $`S = \\{x \\mid x > 0\\}`$ 非空，$S = \\lbrace x \\mid x > 0 \\rbrace$，$x\\_i$ 是下标。

    ```math
    \\{a\\} \\\\ b
    ```
    ```

    ## Fix
    Safe: `--fix` spells the escapes that have a control word meaning the very same thing
    with that word: `\\{` `\\}` as `\\lbrace` `\\rbrace`, `\\|` as `\\Vert`, `\\,` as
    `\\thinspace`, `\\!` as `\\negthinspace` (a space follows the word before a letter:
    `\\{x` becomes `\\lbrace x`; TeX skips it). A control word is a backslash and letters,
    which no Markdown escape touches, so GitHub hands MathJax what the author wrote. It is
    the same TeX, not a look-alike: MathJax's `BaseMappings` defines `\\{` and `\\lbrace` as
    the same delimiter `{`, `\\|` and `\\Vert` as the same U+2016 of class ORD, `\\,` and
    `\\thinspace` as the same thin math space (likewise `\\!`, `\\negthinspace`); LaTeX's
    `fontmath.ltx` does `\\let\\|=\\Vert` and `\\{` is `\\lbrace` in math. It also
    renders the same where no escape pass runs (KaTeX, VS Code, a future GitHub), which is
    why it is preferred to the other workarounds in the evidence:

    - `\\lbrace`/`\\rbrace` is the fix maintainers give for exactly this (orsharir/github-mathjax#10,
      "you can use \\lbrace and \\rbrace"; #16 for `\\left\\{`; clavia-labs/tardigrade#77,
      "\\lbrace and \\rbrace survive the markdown pass");
    - doubling the backslash (`\\\\{`, nschloe's "Math on GitHub" follow-up, teorth/optimizationproblems#69)
      works only where the escape pass runs: VS Code reads `\\\\` as a line break
      (microsoft/vscode#208430), the same PR notes GitHub's display math then needs single
      `\\{`, and nschloe warns it must be undone once GitHub changes;
    - `` $`…`$ `` / ```` ```math ```` are GitHub's and GitLab's syntax; elsewhere they show
      backticks (microsoft/vscode#208430), and a formula that relied on the escape pass
      (`x\\_i` for `x_i`) would change meaning in them.

    Left alone: escapes with no control word of the same meaning among MathJax's base
    macros (`\\%`, `\\#`, `\\&`, `\\:` `\\;` `\\>`, `\\\\` in a one-line formula, `\\_`
    in `\\text{…}`), which keep the finding; anything inside `\\text{…}` (text mode: `\\{` is a text brace there,
    `\\lbrace` a math symbol); `\\|` in a table (GFM takes `\\|` as the cell escape for a
    pipe before anything else, and whether `|x|` or a norm was meant cannot be told); a
    formula in a heading or a TOC (its TeX is part of an anchor); a formula with a `\\{`
    where TeX wants a group (`x^\\{2\\}`, `\\frac\\{a\\}`: GitHub turns it into the group
    the author relied on, and which `\\}` closes it would be a guess). Everything outside the
    rewritten escapes stays byte for byte, and a fixed formula has nothing left to rewrite.

    By hand: write inline math as `` $`…`$ `` and display math as a ```` ```math ```` block
    (both are passed as written) for what the fix leaves.
    """
    for f in ctx.doc.formulas:
        if f.kind not in ("inline", "fragment", "display") or not f.content:
            continue
        one_line = f.line == f.end_line
        for problem in check_github_escapes(f.content, one_line=one_line, inline=f.kind != "display"):
            line, col = position(f, problem.offset, ctx.lines)
            yield ctx.report(line, col, problem.message, context=f.content, fix=escape_fix(ctx, f))


_LABEL_LINE = re.compile(r"^\s*(?:>\s*)*(?:[-*+]\s+|\d+[.)]\s+)?\*\*(?P<label>[^*]+?)\s*(?:[：:]\s*\*\*|\*\*\s*[：:])\s*$")


_LIST_ITEM = re.compile(r"^\s*(?:>\s*)*(?:[-*+]|\d+[.)])\s")


def _block_end(lines: Sequence[str], start: int) -> int:
    """The line number after the block that starts at `start` (it runs to a blank line)."""
    end = start
    while end <= len(lines) and lines[end - 1].strip():
        end += 1
    return end


def _describe(line: str) -> str:
    s = line.strip()
    if s.startswith(("```", "~~~")):
        lang = s.lstrip("`~").strip().split()[0] if s.lstrip("`~").strip() else ""
        return f"a ```{lang} block" if lang else "a code block"
    if s.startswith("#"):
        return "a heading"
    if s.startswith("|"):
        return "a table"
    return "text"


@rule(
    "MH009",
    "formula-label-without-formula",
    "math",
    severity=Severity.WARNING,
    options={
        "labels": {
            "type": "array",
            "items": {"type": "string"},
            "default": list(default_schema().formula_labels),
            "description": "bold labels that introduce a formula (a document schema's `formula_labels` wins)",
        }
    },
)
def formula_label_without_formula(ctx: DocContext) -> Iterator[Diagnostic]:
    """A label such as `**形式化表述**：` is not followed by a formula.

    ## Why
    The concept documents introduce each formal statement with a bold label on its own
    line, then the formula (`**形式化表述**：`, blank line, `$$…$$`). A label followed by
    prose or a ```` ```text ```` block promises a formula that is not there: GitHub shows
    Unicode approximations or raw TeX instead of rendered math. The labels come from the
    document's schema (`formula_labels`), or from the `labels` option. One line of prose
    may come between the label and the formula (`**形式化定义**：`, `给定变量集合 V，定义为：`,
    then the `$$` block or ```` ```math ```` fence).

    ## Fails
    ```markdown
    # 标题

    **形式化表述**：

    对任意状态 s，价值有界。
    ```

    ## Passes
    ```markdown
    # 标题

    **形式化表述**：

    $$
    \\forall s,\\; |V(s)| \\le \\frac{R_{max}}{1-\\gamma}
    $$
    ```

    ## Fix
    Write the formula in a `$$` block (or ```` ```math ````) right after the label, or
    change the label if what follows is prose.
    """
    labels = set(formula_labels(ctx.schema, ctx.options.get("labels", ())))
    if not labels:
        return
    code: set[int] | None = None
    starts: dict[int, Formula] | None = None
    lines = ctx.lines
    for number, raw in enumerate(lines, start=1):
        # the pattern needs `**`: most lines are ruled out without running it
        if "**" not in raw:
            continue
        m = _LABEL_LINE.match(raw)
        if m is None or m.group("label").strip() not in labels:
            continue
        if code is None or starts is None:  # built at the first label: most documents have none
            code = {n for f in ctx.doc.fences for n in range(f.line + 1, f.end_line + 1) if f.language != "math"}
            starts = {}
            for f in ctx.doc.formulas:
                if f.kind != "fragment" or f.content:
                    starts.setdefault(f.line, f)
        if number in code:
            continue
        # the next block: skip blank lines, then it runs to the next blank line
        nxt = number + 1
        while nxt <= len(lines) and not lines[nxt - 1].strip():
            nxt += 1
        if nxt > len(lines):
            found = "the end of the document"
        else:
            end = _block_end(lines, nxt)
            if any(n in starts for n in range(nxt, end)):
                continue
            found = _describe(lines[nxt - 1])
            # one sentence of prose may lead in to the formula (`给定…，定义为：` then `$$`)
            if found == "text" and end - nxt == 1 and not _LIST_ITEM.match(lines[nxt - 1]):
                after = end
                while after <= len(lines) and not lines[after - 1].strip():
                    after += 1
                if after <= len(lines) and any(n in starts for n in range(after, _block_end(lines, after))):
                    continue
        yield ctx.report(
            number,
            raw.find("**") + 1,
            f"label **{m.group('label').strip()}** is followed by {found}, not a formula; "
            "expected a `$$` block or ```math fence",
            context=raw.strip(),
        )


RULES: tuple[Rule, ...] = (
    unclosed_display_math,
    stray_double_dollar,
    inline_display_math,
    empty_formula,
    unrendered_math_delimiters,
    blank_line_in_display_math,
    unbalanced_tex,
    markdown_escape_in_math,
    formula_label_without_formula,
)
