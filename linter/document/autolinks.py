"""GFM extended autolinks: bare `https://…`, `www.…` and e-mail addresses GitHub links.

GitHub renders these as links although no `[…](…)` or `<…>` is written, so they are links
of the document (external checks must see them). The boundaries follow GitHub's renderer,
cmark-gfm (`extensions/autolink.c`: `url_match`, `www_match`, `check_domain`,
`autolink_delim`, `postprocess_text`), which is looser than the GFM spec's prose (spec 0.29
section 6.9, "Autolinks (extension)"):

- `http://`, `https://`, `ftp://` are found at their `:`; the scheme is the run of ASCII
  letters before it (`xhttps://` is not a link), and nothing else is asked of the character
  before, so `见https://example.org` links. `www.` needs the start, a space or one of `*_~(`
  before it and a domain with a dot.
- A link runs to the next whitespace or `<`; trailing `?!.,:*_~'"` are cut, a trailing `)`
  only while `)` outnumber `(`, and a trailing `&entity;`. Full-width punctuation (`。`,
  `）`) is not cut: GitHub links it too.
- A domain with `_` in one of its last two labels is not linked.

Callers mask what is not text first (code spans, links, raw HTML, math). Every scan here is
one pass over the text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

_URL = re.compile(r"(?<![A-Za-z])(?:https?|ftp)://", re.I)
_WWW = re.compile(r"(?:^|(?<=[\s*_~(]))www\.", re.M)
_AT = re.compile(r"@")
_ASCII_PUNCT = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
_ASCII_SPACE = frozenset(" \t\n\v\f\r")
_TRIM = frozenset("?!.,:*_~'\"")
_EMAIL_LOCAL = frozenset(".+-_")


def _host_char(ch: str) -> bool:
    """cmark's `is_valid_hostchar`: neither a space nor punctuation (ASCII or Unicode P*)."""
    if ch in _ASCII_PUNCT or ch.isspace():
        return False
    return not unicodedata.category(ch).startswith("P")


def _domain(text: str, start: int, allow_short: bool) -> int:
    """cmark's `check_domain` on `text[start:]`: the domain's length, 0 when it is invalid."""
    size = len(text) - start
    i, dots, under_last, under_current = 1, 0, 0, 0
    while i < size - 1:
        ch = text[start + i]
        if ch == "\\" and i < size - 2:
            i += 1
            ch = text[start + i]
        if ch == "_":
            under_current += 1
        elif ch == ".":
            under_last, under_current = under_current, 0
            dots += 1
        elif ch != "-" and not _host_char(ch):
            break
        i += 1
    if (under_last or under_current) and dots <= 10:
        return 0
    return i if allow_short or dots else 0


def _run_end(text: str, at: int) -> int:
    """The end of the non-space, non-`<` run starting at `at`."""
    end = at
    while end < len(text) and text[end] not in _ASCII_SPACE and text[end] != "<":
        end += 1
    return end


def _delimit(text: str, start: int, end: int) -> int:
    """cmark's `autolink_delim` on `text[start:end]`: the end once trailing punctuation goes."""
    lt = text.find("<", start, end)
    if lt >= 0:
        end = lt
    opening = text.count("(", start, end)
    closing = text.count(")", start, end)
    while end > start:
        ch = text[end - 1]
        if ch == ")":
            if closing <= opening:
                return end
            closing -= 1
            end -= 1
        elif ch in _TRIM:
            end -= 1
        elif ch == ";":
            back = end - 2
            while back > start and text[back].isascii() and text[back].isalpha():
                back -= 1
            end = back if back < end - 2 and text[back] == "&" else end - 1
        else:
            return end
    return end


def _urls(text: str) -> Iterator[tuple[int, int, str]]:
    floor = 0  # the renderer goes on after a link: nothing inside it starts another
    for m in _URL.finditer(text):
        if m.start() < floor:
            continue
        after = m.end()
        if after >= len(text) or not _host_char(text[after]):
            continue
        domain = _domain(text, after, allow_short=True)
        if domain == 0:
            continue
        end = _delimit(text, m.start(), _run_end(text, after + domain))
        if end > after:
            floor = end
            yield m.start(), end, text[m.start() : end]


def _wwws(text: str) -> Iterator[tuple[int, int, str]]:
    floor = 0
    for m in _WWW.finditer(text):
        if m.start() < floor:
            continue
        domain = _domain(text, m.start(), allow_short=False)
        if domain == 0:
            continue
        end = _delimit(text, m.start(), _run_end(text, m.start() + domain))
        if end > m.start():
            floor = end
            yield m.start(), end, "http://" + text[m.start() : end]


def _emails(text: str) -> Iterator[tuple[int, int, str]]:
    floor = 0  # no address starts before the end of the previous one
    for m in _AT.finditer(text):
        at = m.start()
        if at < floor:
            continue
        start = at
        while start > floor and (text[start - 1].isascii() and text[start - 1].isalnum() or text[start - 1] in _EMAIL_LOCAL):
            start -= 1
        if start == at or not (text[at - 1].isascii() and text[at - 1].isalnum()):
            continue
        end, dots = at + 1, 0
        while end < len(text):
            ch = text[end]
            if ch.isascii() and ch.isalnum() or ch in "-_":
                end += 1
            elif ch == "." and end + 1 < len(text) and text[end + 1].isascii() and text[end + 1].isalnum():
                dots += 1
                end += 1
            else:
                break
        last = text[end - 1]
        if end - at < 2 or not dots or not (last.isascii() and last.isalpha() or last == "."):
            continue
        end = _delimit(text, at, end)
        if end > at + 1:
            floor = end
            yield start, end, "mailto:" + text[start:end]


def extended_autolinks(text: str) -> list[tuple[int, int, str]]:
    """(start, end, href) of every extended autolink in `text`, in order, none overlapping."""
    found = sorted([*_urls(text), *_wwws(text)])
    out: list[tuple[int, int, str]] = []
    for item in found:
        if not out or item[0] >= out[-1][1]:
            out.append(item)
    # e-mail addresses are found in the text between the URLs (cmark-gfm's post-pass)
    result: list[tuple[int, int, str]] = []
    previous = 0
    for start, end, href in [*out, (len(text), len(text), "")]:
        gap = text[previous:start]
        if "@" in gap:
            result.extend((previous + a, previous + b, h) for a, b, h in _emails(gap))
        if href:
            result.append((start, end, href))
        previous = end
    return result
