"""gfm_tex.rewrites / rewritten, the MH008 fix: escapes GitHub eats spelled as the control
words TeX and MathJax define as the same thing, and nothing else changed."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from linter.document.gfm_tex import CONTROL_WORDS, escape_losses, rewrites, rewritten
from linter.document.tex import tokens

_SAME = {word: "\\" + ch for ch, word in CONTROL_WORDS.items()}  # \lbrace -> \{
_WORD = re.compile(r"\\(?:lbrace|rbrace|Vert|negthinspace|thinspace)(?![A-Za-z])")


def _comment(text: str) -> str:
    """A comment's text with the words read as their symbols, spaces dropped."""
    return re.sub(r"\s", "", _WORD.sub(lambda m: _SAME[m.group(0)], text))


def test_each_control_symbol_and_its_word() -> None:
    assert rewritten(r"S = \{x \mid x > 0\}") == r"S = \lbrace x \mid x > 0\rbrace"
    assert rewritten(r"\|w\|^2 + a\,b\!c") == r"\Vert w\Vert^2 + a\thinspace b\negthinspace c"
    assert rewritten(r"\left\{ x \right.") == r"\left\lbrace x \right."
    assert rewritten(r"\{1\}_{i}") == r"\lbrace1\rbrace_{i}"  # no space needed before a digit


def test_what_is_left_alone() -> None:
    # no control word means the same; text mode; escapes GitHub turns into what was meant
    for tex in (r"50\%", r"a \; b \: c", r"\text{\{a\} \|}", r"x\_i", r"\\{a\\}", r"a \\ b", r"\lbrace a\rbrace"):
        assert rewritten(tex) == tex, tex
    assert rewritten(r"`\{a\}`") == r"`\{a\}`"  # the $`…`$ form is code
    # `\{` where TeX wants a group: GitHub makes it the group the author relied on
    for tex in (r"x^\{2\} + \{a\}", r"a_ \{i\}", r"\frac\{a\}\{b\}", r"\mathbb\{R\}"):
        assert rewritten(tex) == tex, tex
    assert rewritten(r"\in\{0,1\} \setminus\{i\}") == r"\in\lbrace0,1\rbrace \setminus\lbrace i\rbrace"
    assert rewrites(r"\|x\| \{y\}", bars=False) == [(6, "\\lbrace "), (9, r"\rbrace")]


_PIECES = st.sampled_from(
    ["\\{", "\\}", "\\|", "\\,", "\\!", "\\%", "\\\\", "\\_", "\\;", "\\text{", "\\alpha", "{", "}", "x", "1", " ",
     "_", "^", "\n", "\\", "`", "|", "\\left", "%"]
)


@given(st.lists(_PIECES, max_size=30).map("".join))
def test_rewriting_is_idempotent_and_leaves_nothing_to_rewrite(tex: str) -> None:
    once = rewritten(tex)
    assert rewritten(once) == once and rewrites(once) == []


@given(st.lists(_PIECES, max_size=30).map("".join))
def test_the_tex_tokens_are_the_same_and_no_escape_loss_is_added(tex: str) -> None:
    """Meaning kept: the TeX token stream (whitespace is no token in math) is the original's
    once each control word is read as its symbol; the escapes GitHub would eat after the
    rewrite are a subset of those before (only the rewritten ones are gone)."""
    once = rewritten(tex)
    if tex.startswith("`") and tex.endswith("`"):
        return
    # a `%` comment is one token: the rewrite inside it (harmless, never rendered) is the same
    after = [_SAME.get(t.text, t.text) if t.kind != "comment" else _comment(t.text) for t in tokens(once)]
    assert after == [t.text if t.kind != "comment" else _comment(t.text) for t in tokens(tex)]
    before = {what for _, what in escape_losses(tex, line_breaks=True)}
    assert {what for _, what in escape_losses(once, line_breaks=True)} <= before
