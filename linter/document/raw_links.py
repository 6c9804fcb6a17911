"""Link-like text markdown-it leaves as text: pseudo-links, and `<a href>` in raw HTML.

A pseudo-link is `[text](dest with space.md)`: CommonMark ends a destination at a raw space,
and what follows is not a title, so GitHub shows the whole construct as text. Whitespace
around the destination is allowed (`[a]( https://x)`, `[a](https://x )`, the destination on
the next line are links), and `[t](a b.md "title")` is a pseudo-link too (the title does not
save the space). Only what looks like a link target counts: `Hom[C](-, R)` or `f[x](a, b)`
in prose is notation, not a link someone meant (spec 0.31 section 6.3, "Links").

Raw HTML links: GitHub renders `<a href="x.md">` in HTML blocks and inline HTML and rewrites
its relative `href` like a Markdown link's, so a broken one is as broken.
"""

from __future__ import annotations

import bisect
import html
import re
from collections.abc import Iterator

# `[text](...)` whose parenthesis holds no `()<>` and at most one line break (CommonMark
# allows one line ending in the whitespace around a destination). Linear: the classes
# exclude the characters that end them, so nothing backtracks.
_CANDIDATE = re.compile(r"(!?)\[([^\[\]\n]*)\]\(([^()<>\n]*(?:\n[^()<>\n]*)?)\)")
# A destination someone meant as a link: a URL scheme, a path separator, a `#fragment`, or a
# file name with an extension (`Level 2: x.md`).
_LINK_LIKE = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.\-]*:|/|^#|\.[A-Za-z0-9]{1,8}(?:$|[#?\s])")
_SPACE = re.compile(r"\s")
_A_OPEN = re.compile(r"<a\s[^<>]*?\bhref\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s\"'=<>`]+))[^<>]*>", re.I)
_A_CLOSE = re.compile(r"</a\s*>", re.I)
_TAG = re.compile(r"<[^>]*>")


def _without_title(inner: str) -> str:
    """The destination part of a link's parenthesis, a trailing `"title"`/`'title'` cut off."""
    s = inner.strip()
    if len(s) >= 2 and s[-1] in "\"'":
        opening = s.rfind(s[-1], 0, len(s) - 1)
        if opening > 0 and s[opening - 1].isspace():
            return s[:opening].strip()
    return s


def pseudo_links(masked: str) -> Iterator[tuple[int, str, str]]:
    """(offset, destination, text) of each pseudo-link in inline content (code masked)."""
    for m in _CANDIDATE.finditer(masked):
        dest = _without_title(m.group(3))
        if dest and _SPACE.search(dest) and _LINK_LIKE.search(dest):
            yield m.start(), dest, m.group(2)


def html_links(content: str) -> Iterator[tuple[int, str, str]]:
    """(offset, href, text) of each `<a href>` in raw HTML (comments masked by the caller);
    the text is what the element shows when its `</a>` is in the same content, else ""."""
    closes = [m for m in _A_CLOSE.finditer(content)] if "</" in content else []
    starts = [m.start() for m in closes]
    for m in _A_OPEN.finditer(content):
        href = next(g for g in m.groups() if g is not None)
        i = bisect.bisect_left(starts, m.end())
        text = ""
        if i < len(closes) and closes[i].start() - m.end() <= 2000:  # bounded: no rescans
            text = html.unescape(_TAG.sub("", content[m.end() : closes[i].start()])).strip()
        yield m.start(), html.unescape(href).strip(), text
