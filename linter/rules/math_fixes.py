"""The math fixes: `\\( \\)`/`\\[ \\]` to dollars (MH005), escapes GitHub eats to control
words (MH008).

Both change a formula only where the source holds it verbatim (the edit lands on the very
characters the parser saw), and only so that what MathJax reads on GitHub is the TeX the
author wrote: the delimiters GitHub renders, or `\\lbrace` for `\\{` (the same delimiter to
TeX and MathJax, see `linter.document.gfm_tex`). The model check after a fix compares each
formula through `gfm_tex.rewritten`, so these are the only changes to TeX it lets through.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..diagnostics import Fix, TextEdit
from ..document.gfm_tex import check_github_escapes, rewrites, rewritten
from ..document.model import Formula
from ..document.tex import check_pairs, position
from .base import DocContext
from .fixes import replace_span, safe

# a GFM table's delimiter row (`|---|:--:|`, `--- | ---`): the paragraph above it is a table
_DELIMITER_ROW = re.compile(r"^\s*(?:>\s*)*\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?\s*$")


def _in_table(lines: Sequence[str], line: int) -> bool:
    """Whether `line` may be a table row: a delimiter row in its block, up to it."""
    n = line
    while n >= 1 and lines[n - 1].strip():
        if _DELIMITER_ROW.match(lines[n - 1]) and "-" in lines[n - 1]:
            return True
        n -= 1
    return False


def _off_limits(ctx: DocContext, f: Formula) -> bool:
    """A formula in a heading (its anchor is the TeX as GitHub's slugger sees it) or in a TOC
    (regenerated from the headings) is left alone: rewriting it would move an anchor."""
    if any(f.line <= h.line <= f.end_line for h in ctx.doc.headings):
        return True
    toc = ctx.doc.toc
    return toc is not None and toc.heading_line <= f.end_line and f.line <= toc.end_line


def _rewrite_edits(ctx: DocContext, f: Formula) -> list[TextEdit] | None:
    """The edits spelling `f`'s escapes as control words, or None when one of them is not in
    the source where the model says (then no fix is offered)."""
    bars = not _in_table(ctx.lines, f.end_line)
    edits = []
    for offset, word in rewrites(f.content, bars=bars):
        line, col = position(f, offset, ctx.lines)
        if not 0 < line <= len(ctx.lines) or ctx.lines[line - 1][col - 1 : col + 1] != f.content[offset : offset + 2]:
            return None
        edits.append(replace_span(ctx.doc.path, line, col, col + 2, word))
    return edits


def escape_fix(ctx: DocContext, f: Formula) -> Fix | None:
    """MH008: `\\lbrace \\rbrace \\Vert \\thinspace \\negthinspace` for the escapes GitHub
    would eat, when the formula has any (others, such as `\\%`, stay: no control word means
    the same)."""
    if _off_limits(ctx, f):
        return None
    edits = _rewrite_edits(ctx, f)
    if not edits:
        return None
    return safe(*edits, description="write \\lbrace/\\rbrace/\\Vert/\\thinspace for escapes GitHub consumes")


def delimiter_fix(ctx: DocContext, f: Formula) -> Fix | None:
    """MH005: `\\( x \\)` -> `$x$` on one line; `\\[ … \\]` -> `$$ … $$` when each delimiter
    stands at the edge of its line (mid-line `$$` is no block on GitHub). Only when the
    source holds the formula verbatim and its TeX has no `$` (which would end the new math).
    Escapes GitHub would eat once it renders (`\\{`) are spelled as control words in the
    same fix (MH008's); a formula with one that has none (`\\%`) is left to the author."""
    lines, path = ctx.lines, ctx.doc.path
    if "$" in f.content or not f.content.strip() or f.end_line > len(lines):
        return None
    # once it renders, the TeX is checked (MH007, MH008): a fix must not trade one finding
    # for another, so TeX with an unbalanced pair or an escape GitHub would eat and no
    # control word can replace is left to the author
    one_line = f.line == f.end_line
    inline = f.kind == "paren_inline"
    rewrite = _rewrite_edits(ctx, f)
    if rewrite is None or (rewrite and _off_limits(ctx, f)):
        return None
    tex = rewritten(f.content) if rewrite else f.content
    if check_pairs(f.content) or check_github_escapes(tex, one_line=one_line, inline=inline):
        return None
    first = lines[f.line - 1]
    start = f.column - 1
    opener, closer = ("\\[", "\\]") if f.kind == "bracket_display" else ("\\(", "\\)")
    if first[start : start + 2] != opener:
        return None
    source = "\n".join(lines[f.line - 1 : f.end_line])[start + 2 :]
    if not source.startswith(f.content + closer):
        return None
    end_line = f.line + f.content.count("\n")
    last = lines[end_line - 1]
    close_at = (start + 2 + len(f.content)) if end_line == f.line else len(f.content.rsplit("\n", 1)[1])
    after = last[close_at + 2 :]
    if inline:
        if end_line != f.line or after[:1].isdigit():
            return None
        return safe(replace_span(path, f.line, start + 1, close_at + 3, f"${tex.strip()}$"), description="write $…$")
    if first[:start].strip() or after.strip():
        return None
    if end_line == f.line:
        return safe(replace_span(path, f.line, start + 1, close_at + 3, f"$${tex}$$"), description="write $$…$$")
    return safe(
        replace_span(path, f.line, start + 1, start + 3, "$$"),
        *rewrite,
        replace_span(path, end_line, close_at + 1, close_at + 3, "$$"),
        description="write $$…$$",
    )
