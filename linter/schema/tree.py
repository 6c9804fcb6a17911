"""Walk the section tree: the H2 sections, and every (parent, children) pair."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from ..document.model import Document, Section


def walk(sections: Sequence[Section]) -> Iterator[Section]:
    """Every section, depth first, without recursion (a 10,000-heading file stays safe)."""
    stack = list(reversed(sections))
    while stack:
        sec = stack.pop()
        yield sec
        stack.extend(reversed(sec.children))


def top_sections(doc: Document, level: int = 2) -> list[Section]:
    """The sections at `level` in document order (the H2 outline under the title)."""
    return [s for s in walk(doc.sections) if s.heading.level == level]


def families(doc: Document) -> Iterator[tuple[Section | None, tuple[Section, ...]]]:
    """(parent, children) for the root list and for every section with children."""
    yield None, doc.sections
    for sec in walk(doc.sections):
        if sec.children:
            yield sec, sec.children
