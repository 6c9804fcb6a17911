"""Well-formedness of a formula's TeX source, checked without rendering it.

Each check takes the formula's content (the TeX between the delimiters, exactly as the
parser hands it over) and returns `TexProblem`s whose `offset` indexes that content;
`position()` turns an offset into a file line and column through the formula's
`content_line` / `content_column`. The checks are deliberately syntactic: a lexer that
knows control words (`\\alpha`), control symbols (`\\{`, `\\\\`) and `%` comments, which is
all that brace, environment and `\\left`/`\\right` pairing needs. KaTeX and MathJax (what
GitHub uses) reject every formula these checks flag.
"""

from __future__ import annotations

import bisect
import re
from functools import lru_cache
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal, NamedTuple

from .model import Formula

ProblemKind = Literal["brace", "environment", "left-right", "blank-line", "escape"]


@dataclass(frozen=True, slots=True)
class TexProblem:
    kind: ProblemKind
    offset: int  # index into the formula's content
    message: str


class _Token(NamedTuple):
    # a tuple, not a frozen dataclass: formulas have ~300k tokens and this builds 2x faster
    kind: Literal["word", "symbol", "open", "close", "char", "comment"]
    text: str  # `\begin`, `\{`, `{`, `}`, or one other character
    offset: int


_LETTER = re.compile(r"[A-Za-z@]+")


def tokens(content: str) -> Iterator[_Token]:
    """TeX tokens of `content`; a `%` comment (to the end of its line) is one token."""
    # every check walks the same formula's tokens: tokenise each content once
    return iter(_tokenise(content))


@lru_cache(maxsize=512)
def _tokenise(content: str) -> tuple[_Token, ...]:
    return tuple(_scan(content))


# One alternative per token kind, tried at each position: a control word, a control symbol
# (any one character after `\`, newline included), a lone trailing `\`, a `%` comment to
# the end of its line, a brace, any other non-space character. Whitespace is skipped.
_TEX_TOKEN = re.compile(r"\\([A-Za-z@]+)|(\\.)|(\\)\Z|(%[^\n]*)|(\{)|(\})|(\S)", re.S)
_KINDS: tuple[Literal["word", "symbol", "open", "close", "char", "comment"], ...] = (
    "word", "symbol", "char", "comment", "open", "close", "char"
)


def _scan(content: str) -> Iterator[_Token]:
    kinds = _KINDS
    return (_Token(kinds[(m.lastindex or 0) - 1], m.group(), m.start()) for m in _TEX_TOKEN.finditer(content))


def check_braces(content: str) -> list[TexProblem]:
    """Every `{` has its `}` (escaped `\\{` `\\}` are literal braces, not groups)."""
    stack: list[int] = []
    found: list[TexProblem] = []
    comment = False
    for tok in tokens(content):
        comment = comment or tok.kind == "comment"
        if tok.kind == "open":
            stack.append(tok.offset)
        elif tok.kind == "close":
            if stack:
                stack.pop()
            else:
                found.append(TexProblem("brace", tok.offset, "unmatched `}`; no `{` is open here"))
    # an unescaped `%` (`12%` in a `\\text{}`) comments out the rest of the line, `}` included
    hint = "" if not comment else " (a bare `%` starts a TeX comment that hides the rest of its line; write `\\%`)"
    for offset in stack:
        found.append(TexProblem("brace", offset, f"`{{` is never closed; expected a matching `}}`{hint}"))
    return sorted(found, key=lambda p: p.offset)


_ENV_NAME = re.compile(r"\s*\{([^{}]*)\}")


def check_environments(content: str) -> list[TexProblem]:
    """`\\begin{env}` and `\\end{env}` pair up, innermost first, with the same name."""
    stack: list[tuple[str, int]] = []
    found: list[TexProblem] = []
    for tok in tokens(content):
        if tok.kind != "word" or tok.text not in ("\\begin", "\\end"):
            continue
        m = _ENV_NAME.match(content, tok.offset + len(tok.text))
        if m is None:
            found.append(TexProblem("environment", tok.offset, f"`{tok.text}` without an environment name"))
            continue
        name = m.group(1).strip()
        if tok.text == "\\begin":
            stack.append((name, tok.offset))
        elif not stack:
            found.append(
                TexProblem("environment", tok.offset, f"`\\end{{{name}}}` without a matching `\\begin{{{name}}}`")
            )
        elif stack[-1][0] != name:
            open_name, _ = stack.pop()
            found.append(
                TexProblem(
                    "environment",
                    tok.offset,
                    f"`\\end{{{name}}}` closes `\\begin{{{open_name}}}`; expected `\\end{{{open_name}}}`",
                )
            )
        else:
            stack.pop()
    for name, offset in stack:
        found.append(
            TexProblem("environment", offset, f"`\\begin{{{name}}}` is never closed; expected `\\end{{{name}}}`")
        )
    return sorted(found, key=lambda p: p.offset)


def check_left_right(content: str) -> list[TexProblem]:
    """`\\left` and `\\right` pair up inside the same brace group."""
    depth = 0
    lefts: list[tuple[int, int]] = []  # (offset, brace depth) of open `\left`s
    found: list[TexProblem] = []
    for tok in tokens(content):
        if tok.kind == "open":
            depth += 1
        elif tok.kind == "close":
            # a group that closes takes its unclosed `\left`s with it
            while lefts and lefts[-1][1] >= depth:
                found.append(TexProblem("left-right", lefts.pop()[0], "`\\left` without a matching `\\right`"))
            depth = max(0, depth - 1)
        elif tok.kind == "word" and tok.text == "\\left":
            lefts.append((tok.offset, depth))
        elif tok.kind == "word" and tok.text == "\\right":
            if lefts and lefts[-1][1] == depth:
                lefts.pop()
            else:
                found.append(TexProblem("left-right", tok.offset, "`\\right` without a matching `\\left`"))
    for offset, _ in lefts:
        found.append(TexProblem("left-right", offset, "`\\left` without a matching `\\right`"))
    return sorted(found, key=lambda p: p.offset)


def check_blank_lines(content: str) -> list[TexProblem]:
    """A blank line inside a display block: GitHub ends the block there."""
    found: list[TexProblem] = []
    offset = 0
    lines = content.split("\n")
    for index, line in enumerate(lines):
        if not line.strip() and 0 < index < len(lines) - 1:
            found.append(
                TexProblem("blank-line", offset, "blank line inside a display formula; GitHub ends the block here")
            )
        offset += len(line) + 1
    return found


# Control words a Markdown-escaped backslash most often hides: `\\alpha` is a line break
# followed by the letters "alpha", never what the author meant.
_COMMANDS = frozenset(
    """alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu nu
    xi pi rho sigma tau upsilon phi varphi chi psi omega Gamma Delta Theta Lambda Xi Pi Sigma
    Phi Psi Omega frac dfrac tfrac sqrt sum prod int oint lim log ln exp sin cos tan max min
    arg argmax argmin sup inf mathbb mathcal mathbf mathrm mathit mathsf mathfrak text textbf
    textit operatorname left right cdot cdots ldots dots times div pm mp leq geq neq le ge ne
    approx equiv sim propto infty partial nabla forall exists in notin subset subseteq supset
    supseteq cup cap setminus emptyset to rightarrow leftarrow Rightarrow Leftarrow
    leftrightarrow Leftrightarrow mapsto land lor lnot neg wedge vee oplus otimes circ hat bar
    tilde vec dot ddot overline underline langle rangle lVert rVert lvert rvert mid quad qquad
    begin end boldsymbol mathop limits binom top perp""".split()
)
# Commands whose argument is text, where `\_` is the right way to print an underscore
# (`\text{ODE\_Solver}`), so no escape finding is made inside their braces.
_TEXT_COMMANDS = frozenset(
    {"\\text", "\\textrm", "\\textbf", "\\textit", "\\texttt", "\\textsf", "\\mbox",
     "\\mathrm", "\\operatorname", "\\mathit", "\\mathtt", "\\mathsf", "\\textnormal"}
)


# `P_{node\\_failure}`, `Impact\\_Score`: an underscore inside a multi-letter name is meant
# to print, so only `\\_` before a group or a single character (`\\mathcal{R}\\_m`) counts.
_IDENTIFIER_UNDERSCORE = re.compile(r"[A-Za-z0-9]{2}")


def check_markdown_escapes(content: str) -> list[TexProblem]:
    """Markdown escapes inside a formula that change its TeX (`\\_`, `\\*`, `\\\\alpha`).

    `\\_` and `\\*` are TeX's literal underscore and a discretionary times. In math they
    are almost always Markdown escapes (`x\\_i` written so emphasis would not eat `_`) that
    turn a subscript into a printed underscore once rendered. Inside `\\text{...}` and in
    multi-letter names (`P_{node\\_failure}`) a printed underscore is what the author wants.
    """
    found: list[TexProblem] = []
    groups: list[bool] = []  # open brace groups: is this a text argument?
    previous: _Token | None = None
    for tok in tokens(content):
        in_text = any(groups)
        if tok.kind == "open":
            groups.append(previous is not None and previous.kind == "word" and previous.text in _TEXT_COMMANDS)
        elif tok.kind == "close":
            if groups:
                groups.pop()
        elif tok.kind == "symbol" and tok.text in ("\\_", "\\*") and not in_text:
            if tok.text == "\\_" and _IDENTIFIER_UNDERSCORE.match(content, tok.offset + 2):
                previous = tok
                continue
            char = tok.text[1]
            what = "underscore" if char == "_" else "asterisk"
            found.append(
                TexProblem(
                    "escape",
                    tok.offset,
                    f"`\\{char}` in a formula prints a literal {what}; expected `{char}` "
                    "(Markdown escapes do not apply inside math)",
                )
            )
        elif tok.kind == "symbol" and tok.text == "\\\\" and not in_text:
            # `\\alpha` is a line break and the letters "alpha", never what was meant
            letters = _LETTER.match(content, tok.offset + 2)
            word = letters.group(0) if letters else ""
            if word in _COMMANDS:
                found.append(
                    TexProblem(
                        "escape",
                        tok.offset,
                        f"`\\\\{word}` is a line break followed by the letters {word!r}; expected `\\{word}`",
                    )
                )
        if tok.kind != "comment":
            previous = tok
    return found


def check_pairs(content: str) -> list[TexProblem]:
    """Braces, environments and `\\left`/`\\right`, in content order."""
    found = check_braces(content) + check_environments(content) + check_left_right(content)
    return sorted(found, key=lambda p: p.offset)


def position(formula: Formula, offset: int) -> tuple[int, int]:
    """The file line and column (1-based) of `offset` in the formula's content.

    Lines after the content's first start at column 1 of their file line, which holds for
    multi-line `$$` blocks and math fences at the top level (the corpus writes no others).
    """
    breaks = _line_breaks(formula.content)
    line_index = bisect.bisect_left(breaks, offset)
    start_line = formula.content_line or formula.line
    start_col = formula.content_column or formula.column
    if line_index == 0:
        return start_line, start_col + offset
    return start_line + line_index, offset - breaks[line_index - 1]


@lru_cache(maxsize=64)
def _line_breaks(content: str) -> tuple[int, ...]:
    # found once per formula: counting the prefix per problem was quadratic in a formula
    # with thousands of unclosed braces
    return tuple(m.start() for m in re.finditer("\n", content))
