"""arXiv ids and DOIs in a reference item: found, normalised, and checked.

Well-formed (arXiv's own definitions): new-style ids `YYMM.NNNN` (2007-2014) and
`YYMM.NNNNN` (2015 on) with an optional `vN`; old-style `archive/YYMMNNN`; a DOI is
`10.` + a registrant code of at least four digits + `/` + a suffix. Anything that says
arXiv or DOI but does not fit, including unfilled placeholders such as `arXiv:2407.xxx`, is
reported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

IdKind = Literal["arxiv", "doi"]

# What an arXiv mention looks like, well-formed or not: `arXiv:2203.11175`, `arxiv.org/abs/…`,
# `arXiv preprint arXiv:…`. The id is everything up to a space or closing punctuation.
_ARXIV_MENTION = re.compile(
    r"(?:arxiv\.org/(?:abs|pdf)/|\barxiv\s*[:：]\s*)\[?(?P<id>[^\s)\[\]*,;，。）>\"'_]+)", re.I
)
_ARXIV_NEW = re.compile(r"^(?P<yy>\d\d)(?P<mm>\d\d)\.(?P<num>\d+)(?:v\d+)?(?:\.pdf)?$")
_ARXIV_OLD = re.compile(r"^[a-z\-]+(?:\.[A-Z]{2})?/\d{7}(?:v\d+)?$")
# a `[` may open link text around the id (`DOI: [10.1145/3290353](https://doi.org/…)`)
_DOI_MENTION = re.compile(r"(?:\bdoi\s*[:：]\s*|doi\.org/)\[?(?P<id>[^\s)\[\]*,;，。）>\"']+)", re.I)
_DOI = re.compile(r"^10\.\d{4,9}/\S+$")
_PLACEHOLDER = re.compile(r"x{2,}|X{2,}|\?{2,}|待补充|待定|TBD|\.\.\.|…", re.I)


@dataclass(frozen=True, slots=True)
class Identifier:
    kind: IdKind
    value: str  # as written, trailing period removed
    offset: int  # in the item text
    valid: bool
    problem: str = ""  # why it is not valid


def _arxiv_problem(value: str) -> str:
    if _PLACEHOLDER.search(value):
        return "is a placeholder, not an arXiv id"
    if re.fullmatch(r"(?:19|20)\d\d", value):
        return "is a year, not an arXiv id"
    m = _ARXIV_NEW.match(value)
    if m:
        yy, mm, num = int(m.group("yy")), int(m.group("mm")), m.group("num")
        if not 1 <= mm <= 12:
            return f"has month {mm:02d}"
        # 4-digit numbers until 2014-12, 5-digit from 2015-01 (arXiv identifier scheme)
        if yy >= 15 and len(num) != 5:
            return "needs a 5-digit number after the dot for papers since 2015"
        if yy < 15 and len(num) != 4:
            return "needs a 4-digit number after the dot for papers before 2015"
        return ""
    if _ARXIV_OLD.match(value):
        return ""
    return "is not of the form NNNN.NNNNN(vN)"


def find_identifiers(text: str) -> list[Identifier]:
    """Every arXiv and DOI mention in `text`, in order, with its validity."""
    found: list[Identifier] = []
    for m in _ARXIV_MENTION.finditer(text):
        value = m.group("id").rstrip(".")
        problem = _arxiv_problem(value)
        found.append(Identifier("arxiv", value, m.start("id"), not problem, problem))
    for m in _DOI_MENTION.finditer(text):
        value = m.group("id").rstrip(".")
        if _PLACEHOLDER.search(value):
            problem = "is a placeholder, not a DOI"
        elif not _DOI.match(value):
            problem = "is not of the form 10.NNNN/suffix"
        else:
            problem = ""
        found.append(Identifier("doi", value, m.start("id"), not problem, problem))
    return sorted(found, key=lambda i: i.offset)
