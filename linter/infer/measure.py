"""The facts `init` reads from one document (one pass over its model and lines)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..document.model import Document, Heading
from ..references.items import classify
from ..references.match import best_match
from ..references.schema import default_schema
from ..schema.dates import format_of
from ..schema.outline import bare_title

_ITEM = re.compile(r"^\s*(?:[-*+]\s|\d+[.)]\s|>)")
_NUMBER = re.compile(r"^\s*(?:[零〇一二两三四五六七八九十百千]+\s*[、．.]|\d{1,3}(?:\.\d{1,3})*[.、．]?(?=\s|$))\s*")
_PLACEHOLDER = re.compile(r"^(\d{4}|YYYY)-(\d{2}|XX|MM)-(XX|DD)$")


@dataclass(frozen=True, slots=True)
class MetaFact:
    key: str
    colon: str  # full, half
    date_format: str | None  # iso, cjk, ... when the value is a date
    placeholder: bool


@dataclass(frozen=True, slots=True)
class RefFact:
    title: str
    citations: int
    styles: Counter[str] = field(default_factory=Counter)  # style key -> items matching it fully


@dataclass(frozen=True, slots=True)
class DocFacts:
    path: str
    h1_first: bool
    single_h1: bool
    increments: bool  # heading levels never skip one going down
    h2: tuple[str, ...]  # H2 titles, numbers stripped, in order
    styles: dict[int, str]  # level -> the numbering style most of its headings use ("none")
    starts: dict[int, int]  # level -> the first heading's number at that level
    prefixed: tuple[int, int]  # dotted H3 numbers starting with their H2's number, of all dotted H3
    toc: bool
    toc_levels: frozenset[int]
    toc_exact: bool | None  # every TOC entry repeats its heading's text
    meta: tuple[MetaFact, ...]
    refs: tuple[RefFact, ...]


def _first_line_h1(doc: Document, lines: Sequence[str]) -> bool:
    first = (doc.front_matter.end_line + 1) if doc.front_matter else 1
    while first <= len(lines) and not lines[first - 1].strip():
        first += 1
    top = doc.headings[0] if doc.headings else None
    return top is not None and top.level == 1 and top.line == first


def _text_key(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\\", "")).strip()


def measure(doc: Document, lines: Sequence[str]) -> DocFacts:
    heads = doc.headings
    levels = [h.level for h in heads]
    increments = all(b <= a + 1 for a, b in zip(levels, levels[1:]))
    styles: dict[int, str] = {}
    starts: dict[int, int] = {}
    for level in (2, 3, 4):
        at = [h for h in heads if h.level == level]
        if not at:
            continue
        # unnumbered 概述 / 目录 / References beside numbered chapters: the chapters decide
        count = Counter(h.number.style for h in at if h.number is not None)
        numbered = sum(count.values())
        styles[level] = count.most_common(1)[0][0] if numbered >= 2 or numbered * 3 >= len(at) else "none"
        first = next((h for h in at if h.number is not None), None)
        if first is not None and first.number is not None:
            starts[level] = first.number.parts[-1]
    parent: Heading | None = None
    checks: list[bool] = []
    for h in heads:
        if h.level == 2:
            parent = h
        elif h.level == 3 and h.number is not None and h.number.style == "dotted" and parent is not None and parent.number:
            checks.append(h.number.parts[:-1] == parent.number.parts[-1:])
    prefixed = (sum(checks), len(checks))
    by_anchor = {h.anchor: h for h in heads}
    toc_levels: set[int] = set()
    exact: bool | None = None
    if doc.toc is not None:
        exact = True
        for e in doc.toc.entries:
            target = by_anchor.get(e.anchor)
            if target is None:
                continue
            toc_levels.add(target.level)
            t, ht = _text_key(e.text), _text_key(target.text)
            if t != ht and not (" / " in ht and t == ht.split(" / ")[0].strip()):
                exact = False
    meta = []
    for f in doc.metadata:
        if f.line <= len(lines) and _ITEM.match(lines[f.line - 1]):
            continue  # a content item's label, not document metadata
        value = re.sub(r"\s*[（(].*$", "", f.value).strip()
        meta.append(MetaFact(f.key, f.colon, format_of(value), bool(_PLACEHOLDER.match(value))))
    styles_all = tuple(default_schema().styles.values())
    refs = []
    for sec in doc.references:
        counted: Counter[str] = Counter()
        citations = 0
        for item in sec.items:
            if classify(item) != "citation":
                continue
            citations += 1
            m = best_match(item.text.strip(), styles_all)
            if m.ok:
                counted[m.style.key] += 1
        refs.append(RefFact(_NUMBER.sub("", sec.title, count=1).strip(), citations, counted))
    return DocFacts(
        path=doc.path,
        h1_first=_first_line_h1(doc, lines),
        single_h1=sum(1 for h in heads if h.level == 1) == 1,
        increments=increments,
        h2=tuple(bare_title(h) for h in heads if h.level == 2),
        styles=styles,
        starts=starts,
        prefixed=prefixed,
        toc=doc.toc is not None,
        toc_levels=frozenset(toc_levels),
        toc_exact=exact,
        meta=tuple(meta),
        refs=tuple(refs),
    )
