"""linter.document.tex and gfm_tex: TeX pairing, dimension and GitHub escape checks on formula content, and offset -> file position."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from linter.document.gfm_tex import check_github_escapes, escape_losses
from linter.document.model import Formula
from linter.document.tex import (
    check_blank_lines,
    check_braces,
    check_environments,
    check_left_right,
    check_dimensions,
    check_pairs,
    position,
    tokens,
)


def test_tokens_are_braces_and_paired_words_outside_symbols_and_comments() -> None:
    toks = [(t.kind, t.text, t.offset) for t in tokens(r"\left\frac{a}{\{b\}} % c}" + "\n" + r"\leftarrow\right")]
    assert toks == [
        ("word", r"\left", 0),
        ("open", "{", 10),
        ("close", "}", 12),
        ("open", "{", 13),
        ("close", "}", 19),
        ("word", r"\right", 36),
    ]


def test_braces() -> None:
    assert check_braces(r"\frac{1}{2}") == []
    assert check_braces(r"\left\{ x \right\}") == []
    [p] = check_braces(r"\frac{1}{2")
    assert (p.offset, p.message) == (8, "`{` is never closed; expected a matching `}`")
    [p] = check_braces("a}")
    assert (p.offset, p.message) == (1, "unmatched `}`; no `{` is open here")


def test_percent_comment_hides_a_brace_and_the_message_says_so() -> None:
    [p] = check_braces(r"{HR从0.3%升至12%}")
    assert p.offset == 0
    assert "write `\\%`" in p.message
    assert check_braces(r"{100\%}") == []


def test_environments() -> None:
    assert check_environments(r"\begin{aligned} a \\ b \end{aligned}") == []
    [p] = check_environments(r"\begin{aligned} a \end{align}")
    assert p.message == "`\\end{align}` closes `\\begin{aligned}`; expected `\\end{aligned}`"
    assert p.offset == 18
    [p] = check_environments(r"\begin{cases} a")
    assert (p.offset, p.message) == (0, "`\\begin{cases}` is never closed; expected `\\end{cases}`")
    [p] = check_environments(r"a \end{matrix}")
    assert p.message == "`\\end{matrix}` without a matching `\\begin{matrix}`"


def test_left_right() -> None:
    assert check_left_right(r"\left( \frac{a}{b} \right)") == []
    assert check_left_right(r"\left. x \right|_{0}") == []
    [p] = check_left_right(r"\left( a")
    assert (p.offset, p.message) == (0, "`\\left` without a matching `\\right`")
    [p] = check_left_right(r"a \right)")
    assert (p.offset, p.message) == (2, "`\\right` without a matching `\\left`")
    # a group that closes takes its unclosed \left with it, and the \right outside is orphaned
    found = check_left_right(r"{\left( a} \right)")
    assert [(p.offset, p.message.split()[0]) for p in found] == [(1, "`\\left`"), (11, "`\\right`")]


def test_blank_lines_only_inside() -> None:
    assert check_blank_lines("a\nb") == []
    [p] = check_blank_lines("a = b\n\nc = d")
    assert p.offset == 6


def test_github_escapes_report_what_breaks_not_what_they_fix() -> None:
    # consumed escapes that GitHub's Markdown turns into what the author meant
    assert escape_losses(r"\mathcal{R}\_m + a^\* + \\alpha + x\_{i}", line_breaks=True) == []
    # consumed escapes that change the TeX
    kinds = [what.split()[0] for _, what in escape_losses(r"\{a\} \, \| \% \# \&", line_breaks=True)]
    assert kinds == ["`\\{", "`\\{", "`\\,`", "`\\|`", "`\\%`", "`\\#`", "`\\&`"]
    # `\\` is a lost line break in one-line formulas only; `\\\\` arrives as `\\`
    assert [o for o, _ in escape_losses(r"a \\ b", line_breaks=True)] == [2]
    assert escape_losses(r"a \\ b", line_breaks=False) == []
    assert escape_losses(r"a \\\\ b \\{c\\}", line_breaks=True) == []
    # `\_` prints an underscore only where the author wanted one: inside `\text{}`
    [(offset, what)] = escape_losses(r"\text{ODE\_Solver} + P_{node\_failure}", line_breaks=True)
    assert offset == 9 and "bare `_`" in what
    # one finding per formula, listing each kind once; the code form is verbatim
    [p] = check_github_escapes(r"\{a\} \cup \{b\}", one_line=True, inline=True)
    assert p.offset == 0 and p.message.count("arrive as `{ }`") == 1 and "`\\lbrace`" in p.message
    assert check_github_escapes(r"`\{a\}`", one_line=True, inline=True) == []


def test_dimensions_follow_mathjax_getdimen() -> None:
    assert check_dimensions(r"\rule{10em}{0.4pt} \rule[2pt]{1.5em}{1ex} \hspace{-3mu} \kern 1em") == []
    [p] = check_dimensions(r"\rule{0.5\textwidth}{0.4pt}")
    assert p.offset == 5 and "Missing dimension or its units" in p.message
    [p] = check_dimensions(r"a \linewidth")
    assert p.offset == 2 and "does not define" in p.message
    assert check_dimensions(r"a \\rule b") == []


def test_braces_read_as_mathjax_reads_them() -> None:
    # an argument is cut out by counting braces: `%` inside it hides nothing
    assert check_braces(r"\text{从0.3%升至12%} + \frac{50%}{2}") == []
    # the main parse comments out to the end of the line
    [p] = check_braces("x^{12% }\n + y")
    assert p.offset == 2 and "write `\\%`" in p.message
    assert check_braces("{a % }\n}") == []
    # inside an argument, a nested group still loses its brace to a comment
    [p] = check_braces(r"\frac{ {a % } }{b}")
    assert p.offset == 7


def test_position_on_one_line_and_across_lines() -> None:
    one = Formula("inline", 3, 3, 6, r"a^{2}}", True, 3, 7)
    assert position(one, 5) == (3, 12)
    block = Formula("display", 5, 9, 1, "a = b\n  c}", True, 6, 1)
    assert position(block, 0) == (6, 1)
    assert position(block, 9) == (7, 4)


_TEX_CHARS = st.text(alphabet="{}\\ab %\n()", max_size=40)


@given(_TEX_CHARS)
def test_checks_never_crash_and_offsets_are_in_range(content: str) -> None:
    escapes = check_github_escapes(content, one_line=True, inline=True)
    for p in check_pairs(content) + escapes + check_blank_lines(content):
        assert 0 <= p.offset < max(1, len(content))


@given(st.lists(st.sampled_from(["a", "{", "}", r"\{", r"\}", " "]), max_size=30))
def test_balanced_iff_no_brace_problem(parts: list[str]) -> None:
    """Against a reference count that ignores escaped braces."""
    content = "".join(parts)
    depth, ok = 0, True
    for part in parts:
        if part == "{":
            depth += 1
        elif part == "}":
            depth -= 1
            ok = ok and depth >= 0
            depth = max(depth, 0)
    assert (check_braces(content) == []) == (ok and depth == 0)


@given(st.text(alphabet="ab{}", max_size=20))
def test_a_balanced_formula_stays_balanced_in_a_group(content: str) -> None:
    if check_braces(content) == []:
        assert check_braces("{" + content + "}") == []
        assert check_left_right(r"\left(" + content + r"\right)") == []


def _reference_tokens(content: str) -> list[tuple[str, str, int]]:
    """The character-by-character TeX scanner the regex tokenizer replaced (kept as the
    specification: control words, control symbols, `%` comments, braces, other characters)."""
    out: list[tuple[str, str, int]] = []
    i, n = 0, len(content)
    while i < n:
        c = content[i]
        if c == "\\":
            j = i + 1
            while j < n and (content[j].isascii() and content[j].isalpha() or content[j] == "@"):
                j += 1
            if j > i + 1:
                out.append(("word", content[i:j], i))
                i = j
            elif i + 1 < n:
                out.append(("symbol", content[i : i + 2], i))
                i += 2
            else:
                out.append(("char", c, i))
                i += 1
        elif c == "%":
            end = content.find("\n", i)
            out.append(("comment", content[i : n if end < 0 else end], i))
            i = n if end < 0 else end
        elif c in "{}":
            out.append(("open" if c == "{" else "close", c, i))
            i += 1
        else:
            if not c.isspace():
                out.append(("char", c, i))
            i += 1
    return out


@given(st.lists(st.sampled_from(list("\\{}%@aZ \n\t\u3000é1$^_") + ["\\begin", "\\end", "\\left", "\\right", "\\\\"]), max_size=40).map("".join))
def test_tokenizer_matches_the_reference_scanner(content: str) -> None:
    # the tokenizer keeps only what the pairing checks read: braces and four words
    wanted = [t for t in _reference_tokens(content) if t[0] in ("open", "close") or t[1] in _PAIRED]
    assert [(t.kind, t.text, t.offset) for t in tokens(content)] == wanted


_PAIRED = (r"\begin", r"\end", r"\left", r"\right")
