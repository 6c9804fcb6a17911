"""Match a document's headings to a schema's section list: which heading fills which slot.

Specific items (with a `title` pattern) claim the headings they match; the rest go to a
wildcard item (the standard's "三、[核心内容]" slots). Order is then a property of the
item indices: they must not decrease down the document.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..document.model import Heading, Section
from .model import SectionList, SectionSpec

_SEPARATOR = re.compile(r"^[\s、．.:：)）\-–—]*")


def bare_title(h: Heading) -> str:
    """The heading text without its number: `三、宏观视角` -> `宏观视角`, `3.1 定义` -> `定义`."""
    text = h.text.strip()
    if h.number is not None and text.startswith(h.number.raw):
        text = _SEPARATOR.sub("", text[len(h.number.raw) :], count=1)
    return text.strip()


@dataclass(frozen=True, slots=True)
class Match:
    heading: Heading
    section: Section
    index: int | None  # the item it fills, None when no item matches (open list)


def _specific(items: Sequence[SectionSpec], title: str) -> list[int]:
    return [i for i, it in enumerate(items) if it.title is not None and it.title.search(title)]


def match_sections(sections: Sequence[Section], spec: SectionList) -> list[Match]:
    """Assign each section to an item of `spec`, in document order."""
    items = spec.items
    wildcards = [i for i, it in enumerate(items) if it.wildcard]
    out: list[Match] = []
    pos = 0  # the highest item index seen so far
    for sec in sections:
        title = bare_title(sec.heading)
        cands = _specific(items, title)
        index: int | None
        if cands:
            # several patterns may match; prefer the first one not behind the current position
            index = next((i for i in cands if i >= pos), cands[0])
        elif wildcards:
            index = next((i for i in wildcards if i >= pos), wildcards[-1])
        else:
            index = None
        if index is not None and index >= pos:
            pos = index
        out.append(Match(sec.heading, sec, index))
    return out
