"""What a fix may not touch, and what its result must keep.

Code blocks are never edited by a fix, formulas only by a math fix (MH*), except that a
TOC fix (TC*) rewrites TOC lines whose link text holds a heading's formula (derived text,
regenerated from the heading). After a fix the document must still have the same heading
levels, the same code blocks byte for byte, the same formula TeX (a math fix changes only
delimiters, and escapes GitHub would eat into the control words that mean the same:
formulas are compared through `gfm_tex.rewritten`, which maps `\\{` and `\\lbrace` alike),
and no more unrendered or stray math than before: otherwise the fix did not re-parse to the
model it meant, and the file is left alone.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Iterator

from ..diagnostics import TextEdit
from ..document.gfm_tex import rewritten
from ..document.model import Document, Formula
from .edits import Source

_CLOSER = {"inline": 1, "display": 2, "bracket_display": 2, "paren_inline": 2}
Span = tuple[tuple[int, int], tuple[int, int]]  # (line, column) from, to (exclusive)
_EOL = 1 << 30


def _in_toc(doc: Document, line: int) -> bool:
    return doc.toc is not None and doc.toc.heading_line <= line <= doc.toc.end_line


def _formula_span(f: Formula) -> Span:
    if f.line != f.end_line or f.kind in ("display", "fence") or "\n" in f.content:
        return (f.line, 1), (f.end_line, _EOL)
    end = f.content_column + len(f.content) + _CLOSER.get(f.kind, 0)
    return (f.line, f.column), (f.line, max(end, f.column + 1))


def _protected(doc: Document, rule_id: str) -> Iterator[Span]:
    for fence in doc.fences:
        yield (fence.line, 1), (fence.end_line, _EOL)
    if rule_id.startswith("MH"):
        return
    toc_fix = rule_id.startswith("TC")
    for f in doc.formulas:
        if f.kind == "fragment" or (toc_fix and _in_toc(doc, f.line)):
            continue
        yield _formula_span(f)


def protection_kind(rule_id: str) -> str:
    """Rules with the same protected spans (`_protected`): math, TOC, the rest."""
    return "MH" if rule_id.startswith("MH") else "TC" if rule_id.startswith("TC") else ""


class Protected:
    """The spans a rule's fixes may not touch in one document, sorted, with the running
    maximum of their ends: an edit is checked by one binary search (a document has hundreds
    of formulas and a corpus-wide fix hundreds of edits in it)."""

    def __init__(self, doc: Document, rule_id: str) -> None:
        spans = sorted(_protected(doc, rule_id))
        self._starts = [a for a, _ in spans]
        self._reach: list[tuple[int, int]] = []  # max end of spans[0..i]
        for _, b in spans:
            self._reach.append(max(b, self._reach[-1]) if self._reach else b)

    def touched(self, edits: Iterable[TextEdit]) -> bool:
        for e in edits:
            if e.start_line <= 0:
                continue
            start, end = (e.start_line, e.start_column), (e.end_line, e.end_column)
            # hit: a span that starts before the edit's end and ends after its start (an
            # insertion touches only a span it lands strictly inside)
            k = bisect_left(self._starts, start if start == end else end)
            if k and self._reach[k - 1] > start:
                return True
        return False


def _fences(doc: Document, src: Source) -> list[tuple[str, ...]]:
    return [src.lines[f.line - 1 : f.end_line] for f in doc.fences]


def _contents(doc: Document) -> Counter[str]:
    return Counter(f.content for f in doc.formulas if f.kind != "fragment" and not _in_toc(doc, f.line))


def _same_tex(before: Document, after: Document) -> bool:
    return same_tex(_contents(before), _contents(after))


def same_tex(old: Counter[str], new: Counter[str]) -> bool:
    """The same formulas by their TeX once `rewritten`. Only the contents that differ as
    written are rewritten: the multisets are equal exactly when what one has more of maps to
    what the other has more of (every fix but a math fix leaves them equal, and a math fix
    changes a few of a document's hundreds of formulas)."""
    if old == new:
        return True

    def tex(contents: Counter[str]) -> Counter[str]:
        out: Counter[str] = Counter()
        for content, n in contents.items():
            out[rewritten(content).strip()] += n
        return out

    return tex(old - new) == tex(new - old)


def _unrendered(doc: Document) -> tuple[int, int]:
    kinds = Counter(f.kind for f in doc.formulas)
    return kinds["bracket_display"] + kinds["paren_inline"], kinds["fragment"]


def model_problem(before: Document, after: Document, old: Source, new: Source) -> str | None:
    """What the fixed document lost of the original's model (None: nothing)."""
    if not after.readable:
        return "the file's encoding"
    if [h.level for h in before.headings] != [h.level for h in after.headings]:
        return "the heading levels"
    if _fences(before, old) != _fences(after, new):
        return "a code block"
    if not _same_tex(before, after):
        return "the TeX of a formula"
    (b_open, b_frag), (a_open, a_frag) = _unrendered(before), _unrendered(after)
    if a_open > b_open or a_frag > b_frag:
        return "how a formula renders"
    if (before.toc is None) != (after.toc is None):
        return "whether the document has a table of contents"
    return None
