"""Family `markdown`: the file itself (encoding, bytes) and basic Markdown well-formedness."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

from ..diagnostics import Diagnostic, Severity
from ..diagnostics import TextEdit
from .base import DocContext, Rule, rule
from .code_blocks import looks_like_code_comment
from .fixes import safe


def _unreadable(ctx: DocContext) -> Iterator[Diagnostic]:
    """A file that cannot be read as UTF-8 text is skipped by every other rule.

    ## Why
    An undecodable, binary, oversized or unreadable `.md` file cannot be checked at all, and
    tools that crash on it (every maintainer script crashed or silently skipped the corpus's
    UTF-16 file) hide the problem. This rule names it, with the byte offset, and the run
    goes on.

    ## Fails
    A `.md` file holding invalid UTF-8 (`\\xe6\\x97` cut mid-character), NUL bytes (an image
    saved as `.md`), or more bytes than `max_bytes`.

    ## Passes
    ```markdown
    # 标题

    正文。
    ```

    ## Fix
    Re-save the file as UTF-8, or remove it from the corpus (or raise `max_bytes`). Not
    auto-fixable: guessing an encoding could corrupt text.
    """
    enc = ctx.doc.encoding
    if enc.error is None:
        return
    if enc.error_kind == "too-large":
        yield ctx.report(1, 1, f"file skipped: {enc.error}")
    elif enc.error_kind == "binary":
        yield ctx.report(1, 1, f"file skipped: {enc.error}; expected UTF-8 Markdown text")
    else:
        yield ctx.report(1, 1, f"file skipped: {enc.error}; expected UTF-8 text")


unreadable_file = dataclasses.replace(
    rule("MK001", "unreadable-file", "markdown", aliases=("MD001",))(_unreadable), reads_unreadable=True
)


@rule("MK002", "non-utf8-encoding", "markdown", aliases=("MD002",))
def non_utf8_encoding(ctx: DocContext) -> Iterator[Diagnostic]:
    """The file is valid text in an encoding other than UTF-8 (UTF-16).

    ## Why
    The corpus's `.editorconfig` says `charset = utf-8`; git diffs UTF-16 files as binary and
    most tools (grep, the maintainer scripts, many renderers) cannot read them. The file is
    still linted: its headings and links are checked as usual.

    ## Fails
    A file saved as UTF-16 LE with a byte-order mark (`b"\\xff\\xfe# \\x00..."`), or as
    UTF-32 (BOM `FF FE 00 00` or `00 00 FE FF`; read as such, not as UTF-16).

    ## Passes
    ```markdown
    # UTF-8 文档
    ```

    ## Fix
    Convert the file: `iconv -f UTF-16 -t UTF-8 in.md > out.md`.
    """
    name = ctx.doc.encoding.name
    if ctx.doc.encoding.error is None and name.startswith(("utf-16", "utf-32")):
        yield ctx.report(1, 1, f"file is encoded as {name.upper()}; expected UTF-8")


@rule("MK003", "byte-order-mark", "markdown", aliases=("MD003",), severity=Severity.WARNING, fixable=True)
def byte_order_mark(ctx: DocContext) -> Iterator[Diagnostic]:
    """The file starts with a UTF-8 byte-order mark.

    ## Why
    A BOM is invisible but not harmless: parsers that do not strip it (markdown-it-py among
    them) read `\\ufeff# Title` as a paragraph, so the title is lost, and scripts testing
    `line.startswith("# ")` fail on line 1 (the corpus's quality script reported its 11 BOM
    files as having no title).

    ## Fails
    A file whose first bytes are `EF BB BF`, then `# 标题`.

    ## Passes
    ```markdown
    # 标题
    ```

    ## Fix
    Safe: `--fix` removes the three BOM bytes and nothing else (the same as
    `sed -i '1s/^\\xEF\\xBB\\xBF//' file.md`).
    """
    if ctx.doc.encoding.bom and ctx.doc.encoding.name == "utf-8-sig":
        # line 0 is the BOM, which the decoded text the rules see does not hold
        fix = safe(TextEdit(ctx.doc.path, 0, 1, 0, 2, ""), description="remove the byte-order mark")
        yield ctx.report(1, 1, "file starts with a UTF-8 byte-order mark; expected none", fix=fix)


@rule("MK010", "unclosed-code-fence", "markdown", aliases=("MD010",))
def unclosed_code_fence(ctx: DocContext) -> Iterator[Diagnostic]:
    """A fenced code block is never closed, so it swallows the rest of its container.

    ## Why
    CommonMark runs an unclosed fence to the end of the document (or of the enclosing list
    item or quote): every heading, link and formula after it turns into code on GitHub. The
    usual cause is a ```` ``` ```` nested inside a ```` ```markdown ```` example. The message
    names the lines swallowed; a fence on the last line of its container swallows none and
    shows as an empty code block (CommonMark 0.31.2, section 4.5: an unclosed block runs to
    the end of its container, and a lone fence gives `<pre><code></code></pre>`).

    ## Fails
    ````markdown
    # 标题

    ```python
    print("hi")
    ````

    ## Passes
    ````markdown
    # 标题

    ```python
    print("hi")
    ```
    ````

    ## Fix
    Close the fence with the same marker, or use a longer outer fence (```` ```` ````) around
    examples that contain ```` ``` ````.
    """
    for fence in ctx.doc.fences:
        if not fence.closed:
            lang = f" ({fence.info.split()[0]})" if fence.info.split() else ""
            first, last = fence.line + 1, fence.end_line
            if last < first:  # the fence is the last line of its container: an empty code block
                swallowed = "nothing follows it, so it renders as an empty code block"
            elif last == first:
                swallowed = f"so line {first} renders as code"
            else:
                swallowed = f"so lines {first}-{last} render as code"
            yield ctx.report(
                fence.line, 1, f"code fence {fence.marker}{lang} is never closed, {swallowed}; expected a closing {fence.marker}"
            )


@rule("MK020", "single-h1", "markdown", aliases=("MD020",))
def single_h1(ctx: DocContext) -> Iterator[Diagnostic]:
    """A document has exactly one H1, its title.

    ## Why
    The H1 is the document's title: indexes, the TOC and the file-name check read it. A
    second H1 usually means a section was pasted in at the wrong level.

    ## Fails
    ```markdown
    # 标题

    # 另一个标题
    ```

    ## Passes
    ```markdown
    # 标题

    ## 一、概述
    ```

    A `# comment` line of code whose fence is missing (program text right above and below
    it) is reported as what it is, with the fence as the fix, not the demotion.

    ## Fix
    Demote the extra H1 to the level it belongs at (usually H2); for a code comment, put the
    code in a fence.
    """
    h1s = [h for h in ctx.doc.headings if h.level == 1]
    for extra in h1s[1:]:
        if looks_like_code_comment(ctx.lines, extra.line):
            yield ctx.report(
                extra.line,
                1,
                f"'# {extra.text}' at line {extra.line} is a comment of the code around it, left "
                "outside a code fence, so GitHub shows it as a second H1; expected the code "
                "inside a fence (an opening fence is probably missing above it)",
                context=extra.text,
            )
            continue
        yield ctx.report(
            extra.line,
            1,
            f"second H1 '{extra.text}'; expected one H1 per document (the title at line {h1s[0].line})",
            context=extra.text,
        )


@rule(
    "MK021",
    "h1-first-line",
    "markdown",
    aliases=("MD021",),
    options={
        "position": {
            "type": "string",
            "enum": ["first-line", "first-heading"],
            "default": "first-line",
            "description": "first-line: the H1 is the first non-blank line (FormalAI); first-heading: text "
            "(badges, a notice) may precede it, but the first heading is the H1",
        }
    },
)
def h1_first_line(ctx: DocContext) -> Iterator[Diagnostic]:
    """The document starts with its H1 title (after any YAML front matter).

    ## Why
    Every document in the corpus opens with `# 标题` on line 1; indexes and link text are built
    from it. A document without one (or with text before it) has no title on GitHub's file
    view either.

    ## Fails
    ```markdown
    引言段落。

    # 标题
    ```

    ## Passes
    ```markdown
    # 标题

    引言段落。
    ```

    Knowledge bases whose READMEs open with badges set `position: first-heading`: text may
    precede the title as long as the first heading is the H1 (the FormalAI preset keeps
    `first-line`).

    ## Fix
    Move the title to the first line, or add one.
    """
    doc = ctx.doc
    first = (doc.front_matter.end_line + 1) if doc.front_matter else 1
    lines = ctx.lines
    while first <= len(lines) and not lines[first - 1].strip():
        first += 1
    if doc.line_count == 0 or first > len(lines) or not "".join(lines).strip():
        yield ctx.report(1, 1, "document is empty; expected an H1 title on line 1")
        return
    top = doc.headings[0] if doc.headings else None
    if ctx.options.get("position") == "first-heading":
        if top is None or top.level != 1:
            where = top.line if top is not None else first
            found = f"an H{top.level} '{top.text}'" if top is not None else "no heading"
            yield ctx.report(where, 1, f"the first heading is {found}; expected the H1 title first")
        return
    if top is None or top.line != first or top.level != 1:
        found = f"an H{top.level} '{top.text}'" if top is not None and top.line == first else "text"
        yield ctx.report(first, 1, f"line {first} has {found}; expected the H1 title here")


RULES: tuple[Rule, ...] = (
    unreadable_file,
    non_utf8_encoding,
    byte_order_mark,
    unclosed_code_fence,
    single_h1,
    h1_first_line,
)
