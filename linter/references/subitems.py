"""The sub-bullets of a reference group (`2. **2025年最新研究**：` over `- …` lines).

A group takes a number in the reference list; whether it is a placeholder depends on what
its sub-bullets are. A sub-bullet cites a work when it carries evidence a reader can follow:
a well-formed arXiv id or DOI, a URL, an RFC number, an ISBN, or an author and a year
(`Wadler 1992`, `Solar-Lezama, A. (2008).`, `**Wei, J., et al. (2022)**`). A topic line
such as `**注意力机制** (2017-2025): …` has none, and neither has `（arXiv:2025）`, a year
where the id should be.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from .identifiers import find_identifiers

_SUB_BULLET = re.compile(r"^(?P<indent>\s+)(?:[-*+]|\d{1,3}[.)])\s+(?P<text>\S.*?)\s*$")
_YEAR = r"(?:1[5-9]|20)\d\d[a-z]?"
# `Wadler 1992`, `Wadler (1992)`, `Solar-Lezama, A. (2008)`, `Wei et al. (2022)`, `Smith & Doe 2020`
_SURNAME = r"[A-Z][a-z][A-Za-z'\-]*"
_AUTHOR_YEAR = re.compile(
    rf"\b{_SURNAME}(?:,\s*(?:[A-Z]\.\s*-?)+)?(?:,?\s+et al\.?|\s*(?:&|and)\s*{_SURNAME})?,?"
    rf"\s*[(（]?{_YEAR}[)）]?(?![\d\-–年月])"
)
_OTHER_EVIDENCE = re.compile(
    rf"https?://|\bRFC\s?\d{{3,5}}\b|\bISBN[\s:：-]*[\dX-]{{10,17}}|\({_YEAR}\)\.|\({_YEAR}\)\*\*", re.I
)


@dataclass(frozen=True, slots=True)
class SubItem:
    line: int  # file line (1-based)
    column: int  # where the text starts (1-based)
    text: str


def sub_items(lines: Sequence[str], first: int, last: int) -> list[SubItem]:
    """The bullet lines among file lines `first`..`last` (1-based, inclusive)."""
    found: list[SubItem] = []
    for number in range(first, min(last, len(lines)) + 1):
        m = _SUB_BULLET.match(lines[number - 1])
        if m:
            found.append(SubItem(number, m.start("text") + 1, m.group("text")))
    return found


def names_authors(text: str) -> bool:
    """An author and a year, in any of the corpus's forms (`Wadler 1992`, `**Wei, J. (2022)**`)."""
    return bool(_AUTHOR_YEAR.search(text))


def cites_a_work(text: str) -> bool:
    """Evidence that this line cites a work (see the module docstring)."""
    if any(ident.valid for ident in find_identifiers(text)):
        return True
    return bool(_OTHER_EVIDENCE.search(text) or _AUTHOR_YEAR.search(text))
