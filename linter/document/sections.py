"""The section tree: each heading owns the lines up to the next heading of its level or higher."""

from __future__ import annotations

from collections.abc import Sequence

from .model import Heading, Section


def build_sections(headings: Sequence[Heading], line_count: int) -> tuple[Section, ...]:
    """Nest headings into sections. Iterative, so a 10,000-heading file cannot recurse deeply."""
    # A section ends before the next heading of its level or higher: one pass with a stack
    # of the headings still open (rescanning the rest per heading was quadratic).
    ends = [line_count] * len(headings)
    open_: list[int] = []
    for i, h in enumerate(headings):
        while open_ and headings[open_[-1]].level >= h.level:
            ends[open_.pop()] = h.line - 1
        open_.append(i)
    ends = [max(end, h.line) for h, end in zip(headings, ends)]
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
