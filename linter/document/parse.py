"""Markdown text -> `Document`: the parser chosen (`linter.document.parsers`), then the builder.

The reference parser is markdown-it-py: CommonMark + GFM tables + front matter + `$`/`$$`
math, configured the way GitHub renders a repository: raw HTML allowed, links not normalised
(we want destinations as written), and no link validation (markdown-it hides
`javascript:`/`file:`/`data:` links by default; a linter must see them). The native parser
(pulldown-cmark through pyromark, `linter.document.parse_native`) makes the same token shape
about ten times faster; a document it refuses is parsed here with markdown-it instead. Both
token streams go through one builder (`linter.document.build`).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.rules_core import StateCore
    from markdown_it.rules_block import StateBlock
    from markdown_it.rules_inline import StateInline

from . import parsers
from .build import READS_CHILDREN, build_document
from .encoding import DEFAULT_MAX_BYTES, decode
from .model import Document, Encoding
from .tokens import TokenLike


def _inline_where_read(state: StateCore) -> None:
    """markdown-it's core `inline` rule, run only on the inline tokens this module reads.

    `_Builder` reads a token's inline children for a heading's text and for links, images,
    math and HTML, which need `[`, `<` or `$` in the content; everything else it takes from
    the token's content and the source lines. Three quarters of the corpus's inline tokens
    are plain text that never reaches the children, so parsing them would be work thrown
    away (about a quarter of a full parse). Their children stay empty. The tokens are
    private to this module; tests check that the `Document`s are the same as with a full
    parse (`_markdown(full=True)`, which is also what the benchmark's parse floor times).
    """
    previous = ""
    for token in state.tokens:
        if token.type == "inline":
            if token.children is None:
                token.children = []
            if previous == "heading_open" or READS_CHILDREN.search(token.content):
                state.md.inline.parse(token.content, state.md, state.env, token.children)
        previous = token.type


def _front_matter_at_start_only(md: MarkdownIt) -> None:
    """The front matter plugin checks that the block is on line 0 and that the text starts
    with `-`, but not that the block starts at the text's first character: `- * ---` opened
    front matter inside the nested list item (GitHub shows a list and a thematic break)."""
    rules = md.block.ruler.__rules__
    rule = next(r for r in rules if r.name == "front_matter").fn

    def front_matter(state: StateBlock, start: int, end: int, silent: bool) -> bool:
        if state.bMarks[start] + state.tShift[start] != 0:
            return False
        return bool(rule(state, start, end, silent))

    md.block.ruler.at("front_matter", front_matter)


def _fix_math_at_start(md: MarkdownIt) -> None:
    """dollarmath's inline rule reads `src[pos - 1]` for the character before a `$`, which at
    the start of the content is Python's `src[-1]`, the last character: a cell or paragraph
    opening with a formula and ending in a digit (`| $n$ 维，第 $i$ 位为1 |`) lost its first
    formula, and one ending in a backslash too (also after `\\\\` at the start). GitHub renders it, and so does pulldown-cmark.
    The rule runs on a copy of the content ending in a space there, so it reads a space."""
    rules = md.inline.ruler.__rules__
    index = next(i for i, r in enumerate(rules) if r.name == "math_inline")
    rule = rules[index].fn

    def math_inline(state: StateInline, silent: bool) -> bool:
        # (its escape count walks back past the start the same way, through `\\$` at the start)
        if state.pos != 0 and not (state.src[:1] == "\\" and state.pos <= len(state.src) - len(state.src.lstrip("\\"))):
            return bool(rule(state, silent))
        src = state.src
        state.src = src + " "
        try:
            return bool(rule(state, silent))
        finally:
            state.src = src

    md.inline.ruler.at("math_inline", math_inline)


@lru_cache(maxsize=2)
def _markdown(full: bool = False) -> MarkdownIt:
    # imported here: a run answered from the parse cache never loads markdown-it
    from markdown_it import MarkdownIt
    from mdit_py_plugins.dollarmath import dollarmath_plugin
    from mdit_py_plugins.front_matter import front_matter_plugin

    md = MarkdownIt("commonmark", {"html": True}).enable("table")
    md.use(front_matter_plugin)
    _front_matter_at_start_only(md)
    # GitHub (like pandoc) does not open inline math on `$ ` or close on ` $`, and a digit
    # right after a closing `$` means currency (`$5 to $10`); blank lines end a `$$` block.
    # GitHub parses `$$` at the inline level too, so `$$` inside a paragraph is math.
    md.use(
        dollarmath_plugin,
        allow_space=False,
        allow_digits=False,
        allow_blank_lines=False,
        double_inline=True,
    )
    _fix_math_at_start(md)
    md.validateLink = lambda url: True  # type: ignore[method-assign]
    md.normalizeLink = lambda url: url  # type: ignore[method-assign]
    md.normalizeLinkText = lambda link: link  # type: ignore[method-assign]
    if not full:
        md.core.ruler.at("inline", _inline_where_read)
    return md


def markdown_it_tokens(text: str) -> Sequence[TokenLike]:
    return _markdown().parse(text)


def parse_text(
    text: str, path: str = "doc.md", encoding: Encoding | None = None, parser: str = parsers.DEFAULT_PARSER
) -> Document:
    """Parse decoded text (line endings already `\\n`, no BOM) into a `Document`."""
    tokens: Sequence[TokenLike] | None = None
    if parsers.resolve(parser) == parsers.PULLDOWN:
        from .parse_native import native_tokens

        tokens = native_tokens(text)  # None: refused, the reference parser takes over
    if tokens is None:
        tokens = markdown_it_tokens(text)
    return build_document(text, tokens, path, encoding)


def parse_bytes(
    data: bytes, path: str, max_bytes: int = DEFAULT_MAX_BYTES, parser: str = parsers.DEFAULT_PARSER
) -> Document:
    """Decode and parse a file's bytes. Undecodable input gives an empty, flagged Document."""
    decoded = decode(data, max_bytes)
    if decoded.encoding.error is not None:
        return Document(path=path, encoding=decoded.encoding, line_count=0)
    return parse_text(decoded.text, path, decoded.encoding, parser)
