"""The TOC-regeneration fix shared by TC002-TC006: rewrite the TOC's list in the corpus's
own format, from the headings.

The corpus's TOCs are what *Markdown All in One* writes (guide/corpus.md §3): one line per
heading, `- [text](#anchor)`, two spaces per level below the shallowest listed level. The
regenerated list keeps what the TOC already does right:

- the levels it lists, plus the levels the schema requires (TC002's);
- whether it lists its own heading (most do; TC002 does not ask for it);
- the nesting offset it uses (the H1 at depth 0, or the H2 when it omits the H1); under a
  skipped heading level an entry is one deeper than its parent (a list cannot skip one);
- the text of each entry TC004 accepts (a first-language-only `概述` for a bilingual
  heading stays as it is); a new entry gets the heading's source text with the Markdown
  escapes such a generator writes (`[`, `]`, and a literal `*`, `_`, `<`, `>`).

A TOC heading with no list under it gets one, at the schema's levels (TC002's finding).
Otherwise only the lines from the first entry to the last are replaced, and only when each of them is
an entry line (one link, to an anchor) or blank: a TOC with prose, other links or a code block between its entries
gets no fix (its heading, position and the lines around it are never touched anyway).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from ..diagnostics import Fix, TextEdit
from ..document.model import Document, Heading, Toc, TocEntry
from .fixes import safe

_ENTRY_LINE = re.compile(r"^(?P<indent> *)(?P<bullet>[-*+]) \[.*\]\(#[^()\s]*\)\s*$")
_ESCAPE = re.compile(r"(?<!\\)([\[\]])")


def _same_text(entry: str, heading: str) -> bool:
    def key(text: str) -> str:
        return re.sub(r"\s+", " ", text.replace("\\", "")).strip()

    e, h = key(entry), key(heading)
    return e == h or (" / " in h and e == h.split(" / ")[0].strip())


def _entry_source(line: str) -> str | None:
    """The link text of a TOC line as written (`- [text](#a)` gives `text`)."""
    start = line.find("[")
    end = line.rfind("](#")
    return line[start + 1 : end] if 0 <= start < end else None


def entry_text(h: Heading) -> str:
    """The text a TOC generator writes for `h`: its source, with the characters the
    rendered heading shows literally escaped, so the link renders the heading's text."""
    text = _ESCAPE.sub(r"\\\1", h.raw)
    for ch in "*_<>":
        if ch in h.text and ch in text:
            text = re.sub(r"(?<!\\)" + re.escape(ch), "\\\\" + ch, text)
    return text


def _region(toc: Toc, lines: Sequence[str]) -> tuple[int, int, str, int] | None:
    """(first, last) entry lines, the bullet and the indent unit, when every line between
    them is an entry line or blank."""
    if not toc.entries:
        return None
    first, last = toc.entries[0].line, toc.entries[-1].line
    if last > len(lines):
        return None
    bullets: Counter[str] = Counter()
    for n in range(first, last + 1):
        text = lines[n - 1]
        m = _ENTRY_LINE.match(text) if text.count("](") == 1 else None
        if m is None:
            if text.strip():
                return None
            continue
        bullets[m.group("bullet")] += 1
    # An entry-shaped line the parser did not take as an entry is one a generator wrote and
    # a hand edit mis-indented (six spaces under a top-level item make it code): it is part
    # of the TOC and is regenerated with the rest.
    depths = [(e.depth, len(lines[e.line - 1]) - len(lines[e.line - 1].lstrip(" "))) for e in toc.entries]
    units = Counter(indent // d for d, indent in depths if d > 0 and indent % d == 0)
    unit = units.most_common(1)[0][0] if units else 2
    return first, last, bullets.most_common(1)[0][0], max(unit, 1)


def regenerate(doc: Document, lines: Sequence[str], schema_levels: Sequence[int]) -> Fix | None:
    """The fix that rewrites `doc`'s TOC list, or None when it cannot be done safely or
    would change nothing."""
    toc = doc.toc
    if toc is None:
        return None
    if not toc.entries:
        return _fill_empty(doc, toc, lines, schema_levels)
    region = _region(toc, lines)
    if region is None:
        return None
    first, last, bullet, unit = region
    by_anchor = {h.anchor: h for h in doc.headings}
    resolved: list[tuple[TocEntry, Heading]] = [(e, by_anchor[e.anchor]) for e in toc.entries if e.anchor in by_anchor]
    levels = set(schema_levels) | {h.level for _, h in resolved}
    offsets = Counter(h.level - e.depth for e, h in resolved)
    offset = min(offsets, key=lambda o: (-offsets[o], o)) if offsets else min(levels, default=1)
    lists_itself = any(h.line == toc.heading_line for _, h in resolved)
    out = _entries(doc, toc, lines, levels, offset, lists_itself, bullet, unit, _kept_texts(resolved, lines))
    if not out:
        return None
    new_block = "\n".join(out)
    old_block = "\n".join(lines[first - 1 : last])
    if new_block == old_block:
        return None
    edit = TextEdit(doc.path, first, 1, last, len(lines[last - 1]) + 1, new_block)
    return safe(edit, description=f"regenerate the table of contents ({len(out)} entries)")


def _fill_empty(doc: Document, toc: Toc, lines: Sequence[str], schema_levels: Sequence[int]) -> Fix | None:
    """A TOC heading with no list under it: write the list after the heading's blank line,
    in the corpus's default form (the shallowest schema level at depth 0, the TOC listing
    itself, as 261 of the corpus's 271 TOCs do)."""
    h = toc.heading_line
    if not schema_levels or h + 1 > len(lines) or lines[h].strip():
        return None
    levels = set(schema_levels)
    out = _entries(doc, toc, lines, levels, min(levels), True, "-", 2, {})
    if not out:
        return None
    # after the blank line below the heading: the list, then a blank line before what was there
    tail = "\n" if h + 2 <= len(lines) and lines[h + 1].strip() else ""
    edit = TextEdit(doc.path, h + 2, 1, h + 2, 1, "\n".join(out) + "\n" + tail)
    if h + 2 > len(lines):
        edit = TextEdit(doc.path, h + 1, 1, h + 1, 1, "\n" + "\n".join(out) + "\n")
    return safe(edit, description=f"write the table of contents ({len(out)} entries)")


def _kept_texts(resolved: Sequence[tuple[TocEntry, Heading]], lines: Sequence[str]) -> dict[int, str]:
    """Heading line -> the entry text the TOC already writes for it, where TC004 accepts it."""
    kept_text: dict[int, str] = {}
    for e, h in resolved:
        written = _entry_source(lines[e.line - 1])
        if written is not None and _same_text(e.text, h.text) and h.line not in kept_text:
            kept_text[h.line] = written
    return kept_text


def _entries(
    doc: Document, toc: Toc, lines: Sequence[str], levels: set[int], offset: int, lists_itself: bool,
    bullet: str, unit: int, kept_text: dict[int, str],
) -> list[str]:
    out: list[str] = []
    stack: list[tuple[int, int]] = []  # (level, depth) of the entries that can be parents
    for h in doc.headings:
        if h.level not in levels or (h.line == toc.heading_line and not lists_itself):
            continue
        while stack and stack[-1][0] >= h.level:
            stack.pop()
        # a list nests one level at a time: under a skipped heading level (H1 then H3) the
        # entry is its parent's child, as any generator's indentation renders it
        depth = max(min(h.level - offset, stack[-1][1] + 1 if stack else 0), 0)
        stack.append((h.level, depth))
        text = kept_text.get(h.line) or entry_text(h)
        out.append(f"{' ' * (unit * depth)}{bullet} [{text}](#{h.anchor})")
    return out


# TC002-TC006 run one after another on the same document: build its fix once.
_last: tuple[Document, tuple[int, ...], Fix | None] | None = None


def toc_fix(doc: Document, lines: Sequence[str], schema_levels: Sequence[int]) -> Fix | None:
    """`regenerate`, memoised for the most recent document."""
    global _last
    levels = tuple(schema_levels)
    if _last is None or _last[0] is not doc or _last[1] != levels:
        _last = (doc, levels, regenerate(doc, lines, levels) if lines else None)
    return _last[2]
