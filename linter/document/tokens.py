"""The token stream the document builder reads, whichever parser made it.

`linter.document.build` turns a markdown-it-shaped token stream into a `Document`. markdown-it
makes one directly (`linter.document.parse`); the native path (`linter.document.parse_native`)
makes the same shape from pulldown-cmark's events, with `Tok`, so both parsers share one
builder and differ only where the parsers themselves differ.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol


class TokenLike(Protocol):
    """What the builder reads of a token (markdown-it's `Token` has all of it)."""

    @property
    def type(self) -> str: ...
    @property
    def tag(self) -> str: ...
    @property
    def map(self) -> list[int] | None: ...  # [first line, line after the last], 0-based
    @property
    def content(self) -> str: ...
    @property
    def markup(self) -> str: ...
    @property
    def info(self) -> str: ...
    @property
    def children(self) -> Sequence[TokenLike] | None: ...

    def attrGet(self, name: str) -> None | str | int | float: ...  # noqa: N802 (markdown-it's name)


class Tok:
    """A token of the native path: only the fields the builder reads."""

    __slots__ = ("type", "tag", "map", "content", "markup", "info", "children", "href")

    def __init__(
        self,
        type: str,  # noqa: A002 (markdown-it's field name)
        map: list[int] | None = None,  # noqa: A002
        content: str = "",
        *,
        tag: str = "",
        markup: str = "",
        info: str = "",
        children: list[Tok] | None = None,
        href: str = "",
    ) -> None:
        self.type = type
        self.tag = tag
        self.map = map
        self.content = content
        self.markup = markup
        self.info = info
        self.children = children
        self.href = href  # a link's `href`, an image's `src`

    def attrGet(self, name: str) -> None | str | int | float:  # noqa: N802
        return self.href if name in ("href", "src") and self.href else None

    def __repr__(self) -> str:  # for test failures
        return f"Tok({self.type!r}, {self.map!r}, {self.content!r}, markup={self.markup!r}, info={self.info!r})"
