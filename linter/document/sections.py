"""The section tree: each heading owns the lines up to the next heading of its level or higher."""

from __future__ import annotations

from collections.abc import Sequence

from .model import Heading, Section


def build_sections(headings: Sequence[Heading], line_count: int) -> tuple[Section, ...]:
    """Nest headings into sections. Iterative, so a 10,000-heading file cannot recurse deeply."""
    ends: list[int] = []
    for i, h in enumerate(headings):
        end = line_count
        for later in headings[i + 1 :]:
            if later.level <= h.level:
                end = later.line - 1
                break
        ends.append(max(end, h.line))
    # Build bottom-up: a section's children are complete when it is closed.
    roots: list[Section] = []
    stack: list[tuple[Heading, int, list[Section]]] = []

    def close() -> None:
        h, end, kids = stack.pop()
        sec = Section(h, h.line, end, tuple(kids))
        (stack[-1][2] if stack else roots).append(sec)

    for h, end in zip(headings, ends):
        while stack and stack[-1][0].level >= h.level:
            close()
        stack.append((h, end, []))
    while stack:
        close()
    return tuple(roots)


def section_path(headings: Sequence[Heading], line: int) -> tuple[str, ...]:
    """Titles of the headings enclosing `line`, outermost first (for baseline fingerprints)."""
    path: list[Heading] = []
    for h in headings:
        if h.line > line:
            break
        while path and path[-1].level >= h.level:
            path.pop()
        path.append(h)
    return tuple(h.text for h in path)
