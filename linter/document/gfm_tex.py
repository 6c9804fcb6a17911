"""What GitHub's Markdown does to the TeX of `$`-delimited math before MathJax reads it.

GitHub finds `$…$` and `$$…$$` math after its Markdown pass, so CommonMark backslash
escapes have already been applied to the formula's text (mathjax/MathJax-src#1257, where a
MathJax maintainer explains it; github/markup#1746): a backslash before ASCII punctuation
is removed and the punctuation kept. For most TeX that is harmless or even what the author
relied on (`x\\_i` arrives as `x_i`, a subscript; `\\*` as `*`), but TeX's control symbols
that are made of a backslash and punctuation lose their meaning: `\\{ \\}` arrive as group
braces (the set braces vanish), `\\,` as a comma, `\\|` as a bar, `\\\\` as one backslash.

```` ```math ```` fences and GitHub's `` $`…`$ `` form are code: their text reaches MathJax
as written, so nothing here applies to them.

Five of those control symbols have a control word that TeX and MathJax define as the very
same thing (MathJax's `BaseMappings`: `\\{` and `\\lbrace` both the delimiter `{`, `\\|` and
`\\Vert` both U+2016 of class ORD, `\\,` and `\\thinspace` both the thin math space, `\\!`
and `\\negthinspace` both the negative one; LaTeX's `fontmath.ltx` and plain TeX likewise).
A control word is a backslash and letters, which no Markdown escape touches: `rewrites`
spells a formula with them, the MH008 fix.
"""

from __future__ import annotations

import re

from .tex import TexProblem

_ASCII_PUNCTUATION = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
_TEXT_ARGUMENT = re.compile(r"\\(?:text|textrm|textbf|textit|texttt|textsf|mbox|textnormal)\s*\{")
_SPACING = {",": "a thin space", ":": "a medium space", ";": "a thick space", "!": "a negative space",
            ">": "a medium space"}


def is_code_form(content: str) -> bool:
    """`` $`…`$ ``: GitHub's inline math whose content is a code span (no escapes apply)."""
    return len(content) >= 2 and content.startswith("`") and content.endswith("`")


def _text_spans(content: str) -> list[tuple[int, int]]:
    """(start, end) of the brace contents of `\\text{…}`-like arguments (one level deep)."""
    spans: list[tuple[int, int]] = []
    for m in _TEXT_ARGUMENT.finditer(content):
        depth, i = 1, m.end()
        while i < len(content) and depth:
            ch = content[i]
            if ch == "\\":
                i += 2
                continue
            depth += ch == "{"
            depth -= ch == "}"
            i += 1
        spans.append((m.end(), i))
    return spans


def escape_losses(content: str, line_breaks: bool) -> list[tuple[int, str]]:
    """(offset, what is lost) for each escape GitHub consumes that changes the TeX.

    `line_breaks`: also report `\\\\` (in one-line formulas, where it can only be a line
    break); multi-line `$$` blocks are left alone there, see the MH008 page.
    """
    losses: list[tuple[int, str]] = []
    text = _text_spans(content)
    i, n = 0, len(content)
    while i < n - 1:
        if content[i] != "\\":
            i += 1
            continue
        ch = content[i + 1]
        if ch not in _ASCII_PUNCTUATION:
            i += 2
            continue
        what = ""
        if ch in "{}":
            what = "`\\{ \\}` arrive as `{ }`, so the braces are a TeX group and vanish"
        elif ch in _SPACING:
            what = f"`\\{ch}` arrives as `{ch}` (a `{ch}` instead of {_SPACING[ch]})"
        elif ch == "|":
            what = "`\\|` arrives as `|` (a single bar instead of a norm)"
        elif ch == "%":
            what = "`\\%` arrives as `%`, which comments out the rest of the line"
        elif ch == "#":
            what = "`\\#` arrives as `#`, which MathJax rejects in math"
        elif ch == "&":
            what = "`\\&` arrives as `&`, which MathJax rejects outside an alignment (Misplaced &)"
        elif ch == "_" and any(a <= i < b for a, b in text):
            what = "`\\_` inside `\\text{…}` arrives as a bare `_`, which MathJax's text mode rejects"
        elif ch == "\\" and content.startswith("\\\\", i + 2):
            i += 4  # `\\\\` arrives as `\\`, the line break the author wanted
            continue
        elif ch == "\\" and line_breaks:
            after = content[i + 2 : i + 3]
            if not (after.isascii() and after.isalpha()) and after not in _ASCII_PUNCTUATION:
                what = "`\\\\` arrives as `\\`, so the line break is lost"
        if what:
            losses.append((i, what))
        i += 2
    return losses


# the control word that means exactly what the control symbol means (see the module doc)
CONTROL_WORDS = {"{": "\\lbrace", "}": "\\rbrace", "|": "\\Vert", ",": "\\thinspace", "!": "\\negthinspace"}


# Where `\{` takes the place of a TeX group (`x^\{2\}`, `\frac\{a\}\{b\}`): wrong TeX, but
# GitHub's escape pass turns it into the group the author relied on, so it renders right there.
# Looked for in the 40 characters before each `\{` (the longest name here is 10): linear.
_GROUP_PLACE = re.compile(
    r"(?:[\^_]|\\(?:[dt]?frac|sqrt|binom|math[a-z]+|boldsymbol|operatorname|text[a-z]*|mbox|hat|bar|vec|"
    r"tilde|dot|ddot|check|breve|acute|grave|overline|underline|widehat|widetilde|overbrace|underbrace|"
    r"overset|underset|stackrel|substack|begin|end|color|boxed))\s*$"
)


def rewrites(content: str, *, bars: bool = True) -> list[tuple[int, str]]:
    """(offset, control word) for each escape of `content` that GitHub would consume and
    that has a control word meaning the same (`\\{` -> `\\lbrace`); a space follows the
    word when a letter follows the escape (`\\{x` -> `\\lbrace x`; TeX skips that space in
    math). Inside `\\text{…}` nothing is rewritten: in text mode `\\{` is a text brace and
    `\\lbrace` is not. `bars=False` leaves `\\|` alone (in a table row `\\|` is the cell
    escape for a pipe, and whether the author meant `|x|` or a norm cannot be told). A
    formula with a `\\{` where TeX wants a group (after `^`, `_`, `\\frac`) gets no rewrite:
    GitHub makes that a group, as the author meant, and which `\\}` closes it is a guess."""
    if is_code_form(content):
        return []
    text = _text_spans(content)
    out: list[tuple[int, str]] = []
    losses = escape_losses(content, line_breaks=False)
    if any(content[i + 1] == "{" and _GROUP_PLACE.search(content, max(0, i - 40), i) for i, _ in losses):
        return []
    for offset, _ in losses:
        ch = content[offset + 1]
        word = CONTROL_WORDS.get(ch)
        if word is None or (ch == "|" and not bars) or any(a <= offset < b for a, b in text):
            continue
        after = content[offset + 2 : offset + 3]
        out.append((offset, word + " " if after.isascii() and after.isalpha() else word))
    return out


def rewritten(content: str) -> str:
    """`content` with every `rewrites` applied: the TeX the author meant, spelled so that
    GitHub passes it on. The fix's result is a fixed point (it has nothing left to rewrite),
    so a model check can compare formulas before and after a fix through this."""
    out, last = [], 0
    for offset, word in rewrites(content):
        out.append(content[last:offset])
        out.append(word)
        last = offset + 2
    out.append(content[last:])
    return "".join(out)


def check_github_escapes(content: str, *, one_line: bool, inline: bool) -> list[TexProblem]:
    """One problem per formula: where the first loss is, and every kind of loss in it."""
    if is_code_form(content):
        return []
    losses = escape_losses(content, line_breaks=one_line)
    if not losses:
        return []
    kinds = list(dict.fromkeys(what for _, what in losses))
    fix = (
        "the $`…`$ form, which GitHub passes to MathJax as written"
        if inline
        else "a ```math block, which GitHub passes to MathJax as written"
    )
    if any(what.startswith("`\\{") for what in kinds):
        fix += " (or `\\lbrace`/`\\rbrace` for literal braces)"
    message = "GitHub applies Markdown escapes before MathJax: " + "; ".join(kinds) + f"; expected {fix}"
    return [TexProblem("escape", losses[0][0], message)]
