"""Match a reference item against the allowed styles; parse it into its parts."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from .identifiers import Identifier, find_identifiers
from .schema import Part, Style


@dataclass(frozen=True, slots=True)
class StyleMatch:
    """How far an item gets in one style: `missing` is None when it matches completely."""

    style: Style
    matched: int  # how many parts matched, in order
    end: int  # where the matched prefix ends in the text
    missing: Part | None
    groups: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.missing is None


def match_style(text: str, style: Style, exact_end: bool = True) -> StyleMatch:
    """The longest prefix of the style's parts that matches the start of `text`.

    `exact_end=False` skips finding where a missing part belongs (`end` is then where the
    matched prefix stopped), for callers that only compare how many parts matched.
    """
    best: re.Match[str] | None = None
    count = 0
    for k in range(1, len(style.parts) + 1):
        pattern = style.prefix(k)
        # the full style must consume the whole item; a prefix only has to start it
        m = pattern.fullmatch(text) if k == len(style.parts) else pattern.match(text)
        if m is None:
            break
        best, count = m, k
    groups = {k: v for k, v in (best.groupdict() if best else {}).items() if v is not None}
    missing = None if count == len(style.parts) else style.parts[count]
    # trailing optional parts may be absent without the item failing
    if missing is not None and all(p.optional for p in style.parts[count:]):
        tail = style.prefix(count)
        if tail.fullmatch(text):
            missing = None
    end = best.end() if best else 0
    if missing is not None and count and exact_end:
        # a lazy part (`authors` is `[^*]+?`) matches as little as it can; the place where
        # the missing part belongs is after the longest text the matched parts accept
        pattern = style.prefix(count)
        end = next((e for e in range(len(text), end - 1, -1) if pattern.fullmatch(text, 0, e)), end)
    return StyleMatch(style, count, end, missing, groups)


def best_match(text: str, styles: Sequence[Style]) -> StyleMatch:
    """A complete match if any style gives one, else the style that got furthest."""
    matches = [match_style(text, s, exact_end=False) for s in styles]
    for m in matches:
        if m.ok:
            return m
    # only the styles that got furthest can win: find the exact `end` for those alone
    top = max((m.matched for m in matches), default=0)
    finalists = [match_style(text, m.style) for m in matches if m.matched == top]
    return max(finalists, key=lambda m: (m.matched, m.end))


@dataclass(frozen=True, slots=True)
class ParsedReference:
    """What `formalai-lint parse` exports for one reference item."""

    line: int
    number: int | None
    text: str
    style: str | None  # the style key it matches, None when it matches none
    authors: tuple[str, ...]
    year: str | None
    title: str | None
    venue: str | None
    note: str | None
    identifiers: tuple[Identifier, ...]


_YEAR = re.compile(r"[(（]((?:1[5-9]|20)\d\d)[a-z]?[)）]")
_QUOTED = re.compile(r"[\"“]([^\"”]{3,})[\"”]")
_ETAL = re.compile(r",?\s*(?:et al\.?|等)\s*$")


def split_authors(raw: str) -> tuple[str, ...]:
    """`Wei, J., Wang, X., & Zhou, D.` -> ("Wei, J.", "Wang, X.", "Zhou, D."); `et al.` is dropped."""
    raw = _ETAL.sub("", raw.strip().rstrip(",").strip())
    raw = re.sub(r",?\s*(?:&|\band\b)\s*", ", ", raw)
    pieces = [p.strip() for p in raw.split(",") if p.strip()]
    out: list[str] = []
    for piece in pieces:
        # `Wei, J.` is written as two comma-separated pieces: surname, then initials
        if out and re.fullmatch(r"(?:[A-Z]\.\s*-?)+(?:[A-Z]\.)?|[A-Z]\.?(?:\s?[A-Z]\.)*", piece):
            out[-1] = f"{out[-1]}, {piece}"
        else:
            out.append(piece)
    return tuple(out)


def parse_reference(text: str, styles: Sequence[Style], line: int = 0, number: int | None = None) -> ParsedReference:
    """Parse an item with the first style it matches; else a best-effort reading."""
    m = best_match(text, styles) if styles else None
    ids = tuple(find_identifiers(text))
    if m is not None and m.ok:
        g = m.groups
        return ParsedReference(
            line, number, text, m.style.key,
            split_authors(g.get("authors", "")),
            g.get("year"),
            (g.get("title") or g.get("book") or "").strip() or None,
            (g.get("venue") or g.get("plain_venue") or "").strip() or None,
            (g.get("note") or "").strip().lstrip(".。,， ").strip() or None,
            ids,
        )
    year = _YEAR.search(text)
    quoted = _QUOTED.search(text)
    return ParsedReference(
        line, number, text, None, (), year.group(1) if year else None,
        quoted.group(1) if quoted else None, None, None, ids,
    )
