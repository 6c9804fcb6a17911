"""Well-formedness of a formula's TeX source, checked without rendering it.

Each check takes the formula's content (the TeX between the delimiters, exactly as the
parser hands it over) and returns `TexProblem`s whose `offset` indexes that content;
`position()` turns an offset into a file line and column through the formula's
`content_line` / `content_column`. The checks are deliberately syntactic: a lexer that
knows control words (`\\alpha`), control symbols (`\\{`, `\\\\`) and `%` comments, and reads
braces and comments the way MathJax's TeX parser does (what GitHub uses). MathJax rejects
every formula these checks flag. What GitHub's Markdown does to the TeX first is in
`gfm_tex`.
"""

from __future__ import annotations

import bisect
import re
from functools import lru_cache
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Literal, NamedTuple

from .model import Formula

ProblemKind = Literal["brace", "environment", "left-right", "blank-line", "escape", "dimension"]


@dataclass(frozen=True, slots=True)
class TexProblem:
    kind: ProblemKind
    offset: int  # index into the formula's content
    message: str


class _Token(NamedTuple):
    kind: Literal["word", "open", "close"]
    text: str  # `\begin`, `{` or `}`
    offset: int


_LETTER = re.compile(r"[A-Za-z@]+")
# The words the pairing checks look at: `\begin`/`\end` and `\left`/`\right`.
_PAIRED_WORDS = frozenset({"begin", "end", "left", "right"})


def tokens(content: str) -> Iterator[_Token]:
    """The structural TeX tokens of `content`: braces and the paired words, in order."""
    # both pairing checks walk the same formula's tokens: tokenise each content once
    return iter(_tokenise(content))


# One alternative per token kind, tried at each position: a control word, a control symbol
# (any one character after `\`, newline included), a lone trailing `\`, a `%` comment to
# the end of its line, a brace. Every other character matches none of them and is skipped,
# as a token of its own would be; symbols and comments are consumed (so `\{` and `% {` are
# not braces) but not kept. Keeping only what the checks read, not a token per character,
# made the TeX checks 3x faster on the corpus (300,000 tokens, mostly single characters).
_TEX_TOKEN = re.compile(r"\\([A-Za-z@]+)|\\.|\\\Z|%[^\n]*|(\{)|(\})", re.S)


@lru_cache(maxsize=512)
def _tokenise(content: str) -> tuple[_Token, ...]:
    out: list[_Token] = []
    for m in _TEX_TOKEN.finditer(content):
        group = m.lastindex
        if group == 1:
            if m.group(1) in _PAIRED_WORDS:
                out.append(_Token("word", m.group(), m.start()))
        elif group == 2:
            out.append(_Token("open", "{", m.start()))
        elif group == 3:
            out.append(_Token("close", "}", m.start()))
    return tuple(out)


# Commands whose braced argument MathJax reads as text, not as math: their content is
# opaque to the brace and comment rules (`\\text{0.3%}` prints the `%`).
_TEXT_ARGS = frozenset(
    {"text", "textrm", "textbf", "textit", "texttt", "textsf", "mbox", "textnormal", "hbox", "textup", "textsl"}
)


def _argument_ends(content: str) -> dict[int, int]:
    """`{` offset -> offset of its `}`, counted the way MathJax's `GetArgument` does.

    GetArgument walks characters, skips the one after a `\\`, and counts braces; it knows
    nothing of `%` comments. One pass with a stack, so every lookup later is O(1).
    """
    ends: dict[int, int] = {}
    opened: list[int] = []
    i, n = 0, len(content)
    while i < n:
        ch = content[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "{":
            opened.append(i)
        elif ch == "}" and opened:
            ends[opened.pop()] = i
        i += 1
    return ends


def check_braces(content: str) -> list[TexProblem]:
    """Every `{` has its `}`, read the way MathJax's TeX parser reads them.

    Escaped `\\{` `\\}` are literal braces. MathJax's main loop takes a bare `%` as a
    comment to the end of the line (so `{a % }` never closes), but a command's braced
    argument is first cut out by counting braces, `%` or not: `\\frac{50%}{2}` and
    `\\text{0.3%}` (text, printed as written) close. Only when the argument is parsed in
    turn does a `%` in it comment out the rest of its line, up to the argument's end.
    Linear: each character is read by exactly one level.
    """
    ends = _argument_ends(content)
    found: list[TexProblem] = []
    # frames: (end offset of the argument string, its open groups, a comment was skipped)
    frames: list[tuple[int, list[int], list[bool]]] = [(len(content), [], [False])]
    previous = ""  # "word:<name>", "arg" (an argument just closed), or "" for anything else
    i = 0
    while frames:
        hi, groups, commented = frames[-1]
        if i >= hi:
            for offset in groups:
                found.append(TexProblem("brace", offset, _never_closed(commented[0])))
            frames.pop()
            i, previous = hi + 1, "arg"
            continue
        ch = content[i]
        if ch == "\\":
            word = _LETTER.match(content, i + 1)
            if word:
                previous, i = "word:" + word.group(), word.end()
            else:
                previous, i = "", i + 2
        elif ch == "%":
            newline = content.find("\n", i, hi)
            i = hi if newline < 0 else newline
            commented[0] = True
        elif ch == "{" and (previous.startswith("word:") or previous == "arg") and i in ends and ends[i] < hi:
            if previous[5:] in _TEXT_ARGS:
                i, previous = ends[i] + 1, "arg"
            else:
                frames.append((ends[i], [], [False]))
                i, previous = i + 1, ""
        elif ch == "{":
            groups.append(i)
            i, previous = i + 1, ""
        elif ch == "}":
            if groups:
                groups.pop()
            else:
                found.append(TexProblem("brace", i, "unmatched `}`; no `{` is open here"))
            i, previous = i + 1, ""
        else:
            # to the next character that means something here, in one step (the formula's
            # letters and digits one at a time were most of the corpus's TeX checking)
            m = _BRACE_SPECIAL.search(content, i, hi)
            j = hi if m is None else m.start()
            if not content[i:j].isspace():
                previous = ""
            i = j
    return sorted(found, key=lambda p: p.offset)


_BRACE_SPECIAL = re.compile(r"[\\%{}]")


def _never_closed(after_comment: bool) -> str:
    # an unescaped `%` (`12%` outside a command's argument) comments out the rest of the line
    hint = " (a bare `%` starts a TeX comment that hides the rest of its line; write `\\%`)"
    return f"`{{` is never closed; expected a matching `}}`{hint if after_comment else ''}"


_ENV_NAME = re.compile(r"\s*\{([^{}]*)\}")


def check_environments(content: str) -> list[TexProblem]:
    """`\\begin{env}` and `\\end{env}` pair up, innermost first, with the same name."""
    stack: list[tuple[str, int]] = []
    found: list[TexProblem] = []
    if "\\begin" not in content and "\\end" not in content:
        return found  # no token can be either word: nothing to pair
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
    if "\\left" not in content and "\\right" not in content:
        return found  # only these words make findings
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


# MathJax's `GetDimen`: a number and one of these units, nothing else (ParseUtil.matchDimen).
_DIMEN = re.compile(r"\s*[-+]?(?:\.\d+|\d+(?:[.,]\d*)?)\s*(?:pt|em|ex|mu|px|pc|in|mm|cm)\s*")
# Commands whose arguments MathJax reads with GetDimen, and how many dimensions each takes.
_DIMEN_COMMANDS = {"rule": 2, "hspace": 1, "kern": 1, "mkern": 1, "mskip": 1, "hskip": 1,
                   "mspace": 1, "raise": 1, "lower": 1, "moveleft": 1, "moveright": 1}
# LaTeX page-layout lengths: MathJax defines none of them ("Undefined control sequence").
_LAYOUT_LENGTHS = frozenset(
    {"textwidth", "linewidth", "columnwidth", "paperwidth", "textheight", "paperheight",
     "baselineskip", "parindent", "parskip", "columnsep", "marginparwidth"}
)


_OPTIONAL = re.compile(r"\s*\[[^\]]*\]")
_BRACED = re.compile(r"\s*\{([^{}]*)\}")
_CONTROL_WORD = re.compile(r"\\([A-Za-z]+)\*?")


def check_dimensions(content: str) -> list[TexProblem]:
    """Dimension arguments MathJax cannot read, and LaTeX lengths it does not define.

    `\\rule{0.5\\textwidth}{0.4pt}` is fine in LaTeX, but MathJax wants a number with a
    unit (`\\rule{10em}{0.4pt}`) and stops with "Missing dimension or its units for \\rule".
    """
    found: list[TexProblem] = []
    reported: set[int] = set()
    for m in _CONTROL_WORD.finditer(content):
        name = m.group(1)
        if m.start() > 0 and content[m.start() - 1] == "\\":
            continue  # `\\rule` is a line break followed by letters
        wanted = _DIMEN_COMMANDS.get(name)
        if wanted:
            pos = m.end()
            opt = _OPTIONAL.match(content, pos) if name == "rule" else None
            if opt:
                pos = opt.end()
            for _ in range(wanted):
                arg = _BRACED.match(content, pos)
                if arg is None:
                    break
                if not _DIMEN.fullmatch(arg.group(1)):
                    found.append(
                        TexProblem(
                            "dimension",
                            arg.start(1) - 1,
                            f"`\\{name}{{{arg.group(1).strip()}}}`: MathJax reads a number with a unit here "
                            "(pt, em, ex, mu, px, pc, in, mm, cm) and shows \"Missing dimension or its units\"; "
                            "expected e.g. `10em`",
                        )
                    )
                    reported.update(range(arg.start(1), arg.end(1)))
                pos = arg.end()
        elif name in _LAYOUT_LENGTHS and m.start() not in reported:
            found.append(
                TexProblem(
                    "dimension",
                    m.start(),
                    f"`\\{name}` is a LaTeX length MathJax does not define (\"Undefined control sequence\"); "
                    "expected a dimension with a unit such as `10em`",
                )
            )
    return found


def check_pairs(content: str) -> list[TexProblem]:
    """Braces, environments, `\\left`/`\\right` and dimensions, in content order."""
    found = check_braces(content) + check_environments(content) + check_left_right(content)
    found += check_dimensions(content)
    return sorted(found, key=lambda p: p.offset)


def position(formula: Formula, offset: int, lines: Sequence[str] = ()) -> tuple[int, int]:
    """The file line and column (1-based) of `offset` in the formula's content.

    Lines after the content's first are found in the file's `lines` (a block inside a `>`
    quote or a list item keeps its markers and indentation there, not in the content);
    without `lines`, or when the line does not end with the content's, column 1 is assumed.
    """
    breaks = _line_breaks(formula.content)
    line_index = bisect.bisect_left(breaks, offset)
    start_line = formula.content_line or formula.line
    start_col = formula.content_column or formula.column
    if line_index == 0:
        # content on the line after a lone `$$` in a list item: the parser's column is 1,
        # the line's indentation is before it
        if start_line != formula.line and 0 < start_line <= len(lines):
            shift = _column_shift(formula.content, 0, lines[start_line - 1])
            if shift is not None:
                return start_line, shift + offset + 1
        return start_line, start_col + offset
    line = start_line + line_index
    within = offset - breaks[line_index - 1] - 1
    if 0 < line <= len(lines):
        shift = _column_shift(formula.content, line_index, lines[line - 1])
        if shift is not None:
            return line, shift + within + 1
    return line, within + 1


# Both memoised per formula and line: counting the prefix and slicing the line per problem
# was quadratic in a formula with thousands of unclosed braces (MH007: 15 s for 20,000).
@lru_cache(maxsize=64)
def _line_breaks(content: str) -> tuple[int, ...]:
    return tuple(m.start() for m in re.finditer("\n", content))


@lru_cache(maxsize=256)
def _column_shift(content: str, line_index: int, source_line: str) -> int | None:
    """Where the content's line `line_index` starts in its file line, when that line ends
    with it (a `>` quote or list indentation before it); None otherwise."""
    breaks = _line_breaks(content)
    start = breaks[line_index - 1] + 1 if line_index else 0
    end = breaks[line_index] if line_index < len(breaks) else len(content)
    text = content[start:end]
    source = source_line.rstrip("\r\n")
    return len(source) - len(text) if text and source.endswith(text) else None
