"""From measured facts to settings: a schema per family and rule settings for the corpus.

Every decision keeps its evidence, a sentence such as "present in 143 of 155 documents",
which `render` writes as the comment above the setting. A convention becomes a rule only
when most documents already follow it (REQUIRED of them for a required section or key,
MOST for a style), so adopting the result reports the exceptions, not the corpus.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ..schema.dates import FORMATS
from .families import Family
from .measure import DocFacts

REQUIRED = 0.9  # share of documents for a required section or metadata key
OPTIONAL = 0.5  # share for an optional section that still fixes the order
MOST = 0.8  # share for a style (numbering, TOC, colon, citation styles)

CREATED = ("创建日期", "创建时间", "Created")
UPDATED = ("最后更新", "更新日期", "更新时间", "Last updated", "Last Updated", "Updated")
STYLE_EXAMPLE = {"cjk": "一、", "dotted": "1.1", "arabic": "1."}
FORMAL_PLACEHOLDER = r"^(\d{4}|YYYY)-(\d{2}|XX|MM)-(XX|DD)$"


def of(k: int, n: int, what: str) -> str:
    return f"{what} in {k} of {n} documents"


@dataclass
class Inferred:
    """One family's schema (as YAML data) and the rules its evidence supports."""

    family: Family
    data: dict[str, Any]
    notes: dict[str, str] = field(default_factory=dict)  # dotted key -> evidence
    rules: dict[str, Any] = field(default_factory=dict)  # rule name -> setting
    rule_notes: dict[str, str] = field(default_factory=dict)


def _key(title: str) -> str:
    """A bilingual heading counts by its first language (`概述 / Overview / Übersicht` and
    `概述 / Overview` are one section), as the hand-written schemas match them."""
    # a leading emoji is decoration some documents drop (`📚 参考文档`, `参考文档`)
    return re.sub(r"^\W+", "", title.split(" / ")[0]).strip()


def title_pattern(key: str) -> str:
    """`^\\W*概述(\\s*/|$)`: the title, after any emoji, alone or followed by its translations."""
    return r"^\W*" + re.escape(key).replace("\\ ", " ") + r"(\s*/|$)"


def _sections(facts: Sequence[DocFacts], out: Inferred) -> None:
    n = len(facts)
    present: Counter[str] = Counter()
    position: dict[str, float] = {}
    for f in facts:
        seen = set()
        for i, title in enumerate(_key(t) for t in f.h2):
            if title and title not in seen:
                seen.add(title)
                present[title] += 1
                position[title] = position.get(title, 0.0) + i / max(len(f.h2), 1)
    items = []
    for title, k in present.items():
        if k / n >= OPTIONAL:
            items.append((position[title] / k, title, k))
    items.sort()
    if not items:
        return
    out.data["sections"] = {"closed": False, "items": []}
    for i, (_, title, k) in enumerate(items):
        item: dict[str, Any] = {"name": title[:80], "title": title_pattern(title)}
        if k / n >= REQUIRED:
            item["required"] = True
        out.data["sections"]["items"].append(item)
        out.notes[f"sections.items.{i}"] = f"present in {k} of {n} documents" + (", required" if item.get("required") else ", optional")
    if any(i.get("required") for i in out.data["sections"]["items"]):
        out.rules["required-section"] = "on"
    if len(items) > 1:
        out.rules["section-order"] = "on"
        out.rule_notes["section-order"] = "sections in the order of their average position"


def _numbering(facts: Sequence[DocFacts], out: Inferred) -> None:
    numbering: dict[str, Any] = {}
    for level in (2, 3, 4):
        having = [f for f in facts if level in f.styles]
        if not having:
            continue
        style, k = Counter(f.styles[level] for f in having).most_common(1)[0]
        if style == "none" or k / len(having) < MOST:
            continue
        spec: dict[str, Any] = {"style": style}
        starts = Counter(f.starts[level] for f in having if f.styles[level] == style and level in f.starts)
        if level == 2 and starts:
            spec["start"] = starts.most_common(1)[0][0]
        note = f"{k} of {len(having)} documents with H{level} headings number them {style} ({STYLE_EXAMPLE.get(style, style)})"
        if level == 3 and style == "dotted":
            ok = sum(f.prefixed[0] for f in having)
            total = sum(f.prefixed[1] for f in having)
            spec["parent_prefix"] = total > 0 and ok / total >= REQUIRED
            note += f"; {ok} of {total} dotted H3 numbers start with their H2's number"
        numbering[f"h{level}"] = spec
        out.notes[f"numbering.h{level}"] = note
    if numbering:
        out.data["numbering"] = numbering
        for name in ("number-sequence", "number-parent-prefix", "subnumber-sequence", "number-style"):
            out.rules[name] = "warning"


def _toc(facts: Sequence[DocFacts], out: Inferred) -> None:
    n = len(facts)
    with_toc = [f for f in facts if f.toc]
    share = len(with_toc) / n
    if share < 0.3:
        return
    listed: Counter[int] = Counter(level for f in with_toc for level in f.toc_levels)
    levels = sorted(level for level, k in listed.items() if k / len(with_toc) >= 0.5) or [2, 3]
    exact = sum(1 for f in with_toc if f.toc_exact)
    out.data["toc"] = {"required": share >= MOST, "levels": levels, "check_text": exact / len(with_toc) >= MOST}
    out.notes["toc"] = (
        f"{len(with_toc)} of {n} documents have a TOC; levels listed by at least half of them: "
        f"{', '.join(map(str, levels))}; {exact} of {len(with_toc)} repeat every heading's text"
    )
    names = ["toc-stale-entry", "toc-missing-heading", "toc-order", "toc-depth"]
    names += ["toc-missing"] if share >= MOST else []
    names += ["toc-entry-text"] if exact / len(with_toc) >= MOST else []
    for name in names:
        out.rules[name] = "on"


def _metadata(facts: Sequence[DocFacts], out: Inferred) -> None:
    n = len(facts)
    fields = [m for f in facts for m in f.meta]
    if not fields:
        return
    # in the order documents write them (dict.fromkeys: a set's order varies between runs)
    docs_with: Counter[str] = Counter(key for f in facts for key in dict.fromkeys(m.key for m in f.meta))
    required = [k for k, c in docs_with.items() if c / n >= REQUIRED]
    colons = Counter(m.colon for m in fields)
    colon = next((c for c, k in colons.items() if k / len(fields) >= REQUIRED), "any")
    per_key: dict[str, list[int]] = {}
    for m in fields:
        counts = per_key.setdefault(m.key, [0, 0])
        counts[0] += 1
        counts[1] += m.date_format is not None or m.placeholder
    dates = sorted(k for k, (total, d) in per_key.items() if d / total >= MOST)
    spec: dict[str, Any] = {}
    if required:
        spec["required"] = required
        out.notes["metadata.required"] = "; ".join(of(docs_with[k], n, k) for k in required)
        out.rules["required-metadata"] = "on"
    spec["unique"] = True
    spec["colon"] = colon
    half, full = colons.get("half", 0), colons.get("full", 0)
    out.notes["metadata.colon"] = f"{full} of {len(fields)} metadata lines use a full-width colon, {half} a half-width one"
    if colon != "any":
        out.rules["metadata-colon"] = "warning"
    created = [k for k in dates if k in CREATED]
    updated = [k for k in dates if k in UPDATED]
    if created:
        spec["created"] = created
    if updated:
        spec["updated"] = updated
    if created and updated:
        out.rules["update-before-creation"] = "on"
    if any(m.placeholder for m in fields):
        spec["placeholder"] = FORMAL_PLACEHOLDER
        out.rules["placeholder-date"] = "warning"
    if dates:
        spec["values"] = {"type": "object", "properties": {k: {"type": "string", "format": "date"} for k in dates}}
        out.notes["metadata.values"] = "; ".join(f"{k}: {per_key[k][1]} of {per_key[k][0]} values are dates" for k in dates)
        out.rules["metadata-value"] = "on"
        out.rules["future-date"] = "on"
    out.data["metadata"] = spec


def _references(facts: Sequence[DocFacts], out: Inferred) -> None:
    n = len(facts)
    docs: Counter[str] = Counter()
    items: Counter[str] = Counter()
    styles: dict[str, Counter[str]] = {}
    for f in facts:
        for r in f.refs:
            if r.citations:
                docs[r.title] += 1
                items[r.title] += r.citations
                styles.setdefault(r.title, Counter()).update(r.styles)
    sections = []
    notes = []
    for title, k in docs.most_common():
        matched = sum(styles[title].values())
        if k / n < 0.3 or matched / items[title] < 0.5:
            continue
        chosen = [s for s, c in styles[title].most_common() if c / matched >= 0.1]
        sections.append({"title": f"^{re.escape(title)}$", "styles": chosen})
        notes.append(f"'{title}' in {k} of {n} documents, {matched} of {items[title]} items in {', '.join(chosen)}")
    if sections:
        out.rules["reference-style"] = {"severity": "warning", "options": {"sections": sections}}
        out.rule_notes["reference-style"] = "; ".join(notes)


def infer_family(family: Family, facts: Sequence[DocFacts]) -> Inferred:
    out = Inferred(family, {"kind": "document", "name": family.name,
                            "description": f"inferred by formalai-lint init from {len(facts)} documents matching {family.glob}"})
    _sections(facts, out)
    _numbering(facts, out)
    _toc(facts, out)
    _metadata(facts, out)
    _references(facts, out)
    return out


@dataclass
class Global:
    rules: dict[str, Any] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)


def infer_global(facts: Sequence[DocFacts]) -> Global:
    """Corpus-wide rules: on when the whole corpus (not one family) follows them."""
    out = Global()
    n = len(facts)
    if not n:
        return out
    for name, k, what in (
        ("h1-first-line", sum(f.h1_first for f in facts), "open with their H1 title"),
        ("single-h1", sum(f.single_h1 for f in facts), "have exactly one H1"),
        ("heading-increment", sum(f.increments for f in facts), "step heading levels down one at a time"),
    ):
        if k / n >= REQUIRED:
            out.rules[name] = "on"
            out.notes[name] = f"{k} of {n} documents {what}"
    formats = Counter(m.date_format for f in facts for m in f.meta if m.date_format)
    total = sum(formats.values())
    if total:
        accepted = [name for name in FORMATS if formats.get(name, 0) / total >= 0.05] or [formats.most_common(1)[0][0]]
        out.rules["metadata-value"] = {"options": {"date-formats": accepted}}
        out.notes["metadata-value"] = "dates: " + ", ".join(f"{formats[f]} of {total} are {FORMATS[f][1]}" for f in formats)
    return out
