"""What a fix run must keep, as functions over a corpus before and after (used by the fix
tests on fixtures, on hypothesis documents and on the real corpus)."""

from __future__ import annotations

import difflib
from collections import Counter

from linter.corpus import Corpus
from linter.document.gfm_tex import rewritten
from linter.document.model import Document
from linter.document.parse import _markdown
from linter.links.check import LinkChecker

Place = tuple[str, str, int | None]


def resolving_links(corpus: Corpus) -> Counter[Place]:
    """Every internal link that works: (source, target file, index of the target heading,
    None for a link to the file itself). Heading indexes survive a fix (heading levels are
    kept), so a renamed anchor that was followed still counts as the same place."""
    checker = LinkChecker(corpus)
    out: Counter[Place] = Counter()
    for path in corpus.paths:
        doc = corpus.document(path)
        if doc is None or not doc.readable:
            continue
        for v in checker.judge_document(doc):
            if v.cause != "ok" or not v.internal or v.target is None:
                continue
            out[(path, v.target, _heading_index(corpus, v.target, v.dest))] += 1
    return out


def _heading_index(corpus: Corpus, target: str, dest: str) -> int | None:
    from urllib.parse import unquote

    _, hash_, fragment = dest.partition("#")
    if not hash_ or not target.lower().endswith(".md"):
        return None
    doc = corpus.document(target)
    if doc is None:
        return None
    frag = unquote(fragment)
    for i, h in enumerate(doc.headings):
        if h.anchor == frag:
            return i
    return -1  # an explicit anchor, or `#top`


def fences(doc: Document, lines: list[str]) -> list[str]:
    return ["\n".join(lines[f.line - 1 : f.end_line]) for f in doc.fences]


def formulas(doc: Document, math_fixed: bool = False) -> Counter[tuple[str, str]]:
    """Formula TeX outside the TOC (a regenerated TOC rewrites the headings' formulas it
    repeats). With `math_fixed`, `\\(`/`\\[` formulas count as the `$` kinds they became, and
    TeX is read through `gfm_tex.rewritten` (MH008 spells `\\{` as `\\lbrace`, the same TeX)."""
    toc = doc.toc
    kinds = {"bracket_display": "display", "paren_inline": "inline"} if math_fixed else {}
    return Counter(
        (kinds.get(f.kind, f.kind), (rewritten(f.content) if math_fixed else f.content).strip())
        for f in doc.formulas
        if f.kind != "fragment" and not (toc is not None and toc.heading_line <= f.line <= toc.end_line)
    )


def _blocks(text: str) -> list[tuple[range, str]]:
    """Top-level blocks of the markdown-it token stream: their source lines and a
    serialisation of every token inside them."""
    tokens = _markdown().parse(text)
    out: list[tuple[range, str]] = []
    depth = 0
    current: list[str] = []
    start = 0
    end = 0
    for tok in tokens:
        if depth == 0 and tok.map is not None:
            start, end = tok.map
            current = []
        current.append(f"{tok.type}|{tok.tag}|{tok.markup}|{tok.info}|{tok.content}")
        depth += tok.nesting
        if depth == 0:
            out.append((range(start, end), "\n".join(current)))
    return out


def tokens_outside_edits(old: str, new: str) -> tuple[list[str], list[str]]:
    """The token streams of the top-level blocks no edited line touches, in both texts
    (equal when a fix changed nothing around its edits)."""
    a, b = old.split("\n"), new.split("\n")
    changed_a: set[int] = set()
    changed_b: set[int] = set()
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag != "equal":
            # an insertion touches the lines on both sides of it
            changed_a.update(range(max(i1 - 1, 0), i2 + 1))
            changed_b.update(range(max(j1 - 1, 0), j2 + 1))
    keep_a = [s for r, s in _blocks(old) if not changed_a.intersection(r)]
    keep_b = [s for r, s in _blocks(new) if not changed_b.intersection(r)]
    return keep_a, keep_b
