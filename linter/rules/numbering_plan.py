"""The intended numbering of a whole document, computed once and shared by the ST10x rules.

A one-heading-at-a-time check misreads the corpus's typical defect: a section inserted and
only partly renumbered (`三、三、四、五、`) breaks every number after it, and a sub-section
prefix judged against a parent that is itself misnumbered gives a wrong "expected". So the
plan renumbers the document top down, as a human would:

- a level numbered in a non-dotted style (`三、`, `3.`) counts its numbered headings
  contiguously from the schema's start, in document order within one parent;
- a dotted level (`4.1`, `4.1.2`) takes the parent's *corrected* number as prefix and counts
  its own numbered headings from 1 (or keeps the last part when the schema says the level
  need not be contiguous);
- a dotted number with the wrong number of parts for its level (`#### 10.10` under
  `### 10.9`) is a heading at the wrong level, not a misnumbered one: it is left out of the
  count and reported as a level error.

Headings without a number, in another style (ST104) or carrying a topic id (`01.4-…`) are
not numbered by the plan and do not take a number from the count.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from ..diagnostics import AnchorRename, TextEdit
from ..document.model import Document, Heading, HeadingNumber, Section
from ..document.numbering import int_to_cjk
from ..document.slug import Slugger
from ..schema.model import LevelNumbering, Schema
from ..schema.tree import families

Cause = Literal["sequence", "prefix", "sub"]  # ST101, ST102, ST103
# What may stand between the `#` marks and the number in the source: emphasis marks.
_LEAD = re.compile(r"[\s*_]*")


@dataclass(frozen=True, slots=True)
class Change:
    """One heading the plan renumbers."""

    heading: Heading
    number: HeadingNumber  # as written
    new_raw: str  # the number to write ("五", "4.1", "2")
    cause: Cause
    parent: Heading | None  # for dotted numbers: the heading the prefix comes from
    parent_new_raw: str | None  # the parent's corrected number, when the plan changes it

    @property
    def new_text(self) -> str:
        """The heading text after the change (`四、A` -> `五、A`)."""
        text = self.heading.text.lstrip()
        return self.new_raw + text[len(self.number.raw) :] if text.startswith(self.number.raw) else text


@dataclass(frozen=True, slots=True)
class LevelError:
    """A dotted number whose depth says the heading belongs at another level."""

    heading: Heading
    number: HeadingNumber
    parent: Heading
    base: tuple[int, ...]  # the parent's corrected number: the prefix a number here takes

    @property
    def expected_parts(self) -> int:
        return len(self.base) + 1


@dataclass(frozen=True, slots=True)
class Plan:
    """Every heading the plan changes, in document order, and the level errors it found."""

    changes: tuple[Change, ...]
    level_errors: tuple[LevelError, ...]
    numbered: tuple[Heading, ...]  # every heading the plan numbers (changed or not), in order

    def of(self, cause: Cause) -> tuple[Change, ...]:
        return tuple(c for c in self.changes if c.cause == cause)


def level_spec(schema: object, level: int) -> LevelNumbering | None:
    if not isinstance(schema, Schema):
        return None
    spec = schema.numbering.get(level)
    return spec if spec is not None and spec.style != "none" else None


def is_topic_id(num: HeadingNumber) -> bool:
    """`### 01.4-层间交互` names concept topic 01.4 (a zero-padded id), not a section number."""
    return num.style == "dotted" and len(num.raw.split(".")[0]) > 1 and num.raw.startswith("0")


def format_number(style: str, parts: tuple[int, ...]) -> str:
    """The number as the plan writes it, without the separator (`三`, `4.1`, `2`)."""
    if style == "cjk":
        return int_to_cjk(parts[0])
    return ".".join(map(str, parts))


def same_level(children: tuple[Section, ...]) -> tuple[Heading, ...]:
    """The children at the first child's level (a skipped level leaves deeper ones mixed in)."""
    level = children[0].heading.level
    return tuple(c.heading for c in children if c.heading.level == level)


_PLANS: dict[int, tuple[Document, object, Plan]] = {}


def plan_for(doc: Document, schema: object) -> Plan:
    """The document's numbering plan (memoised for the last document: four rules and TC003
    ask for the same one in a row)."""
    hit = _PLANS.get(0)
    if hit is not None and hit[0] is doc and hit[1] is schema:
        return hit[2]
    plan = compute_plan(doc, schema)
    _PLANS[0] = (doc, schema, plan)
    return plan


def compute_plan(doc: Document, schema: object) -> Plan:
    corrected: dict[int, tuple[int, ...]] = {}  # heading line -> its corrected number parts
    changes: list[Change] = []
    errors: list[LevelError] = []
    numbered: list[Heading] = []
    # families() walks parents before children, so a parent's corrected number is known
    for parent, children in families(doc):
        if not children:
            continue
        heads = same_level(children)
        spec = level_spec(schema, heads[0].level)
        if spec is None:
            continue
        mine = [(h, h.number) for h in heads if h.number is not None and h.number.style == spec.style]
        mine = [(h, n) for h, n in mine if not is_topic_id(n)]
        if spec.style != "dotted":
            for i, (h, num) in enumerate(mine):
                value = spec.start + i if spec.contiguous else num.parts[0]
                corrected[h.line] = (value,)
                numbered.append(h)
                if value != num.parts[0]:
                    changes.append(Change(h, num, format_number(spec.style, (value,)), "sequence", None, None))
            continue
        base = _parent_number(parent, corrected)
        count = 0
        for h, num in mine:
            if base is not None and parent is not None and len(num.parts) != len(base) + 1:
                errors.append(LevelError(h, num, parent.heading, base))
                continue
            count += 1
            last = count if spec.contiguous else num.parts[-1]
            prefix = base if base is not None and spec.parent_prefix else num.parts[:-1]
            new = (*prefix, last)
            corrected[h.line] = new
            numbered.append(h)
            if new == num.parts:
                continue
            cause: Cause = "prefix" if new[:-1] != num.parts[:-1] else "sub"
            assert parent is not None or cause == "sub"
            parent_h = parent.heading if parent is not None else None
            parent_new = None
            if parent_h is not None and parent_h.number is not None and corrected.get(parent_h.line) != parent_h.number.parts:
                parent_new = format_number(parent_h.number.style, corrected[parent_h.line])
            changes.append(Change(h, num, format_number("dotted", new), cause, parent_h, parent_new))
    changes.sort(key=lambda c: c.heading.line)
    numbered.sort(key=lambda h: h.line)
    return Plan(tuple(changes), tuple(sorted(errors, key=lambda e: e.heading.line)), tuple(numbered))


def _parent_number(parent: Section | None, corrected: dict[int, tuple[int, ...]]) -> tuple[int, ...] | None:
    """The parent's corrected number; its number as written when the plan does not number it
    (a level the schema does not check); None when it has no number at all."""
    if parent is None or parent.heading.number is None:
        return None
    return corrected.get(parent.heading.line, parent.heading.number.parts)


def number_edit(path: str, lines: Sequence[str], change: Change) -> TextEdit | None:
    """The edit that writes the new number into the heading's source line, or None when the
    number cannot be found there as written (a heading built from inline markup)."""
    h = change.heading
    if not 1 <= h.line <= len(lines):
        return None
    text = lines[h.line - 1]
    marks = re.match(r" {0,3}#{1,6}", text)
    start = marks.end() if marks else 0
    lead = _LEAD.match(text, start)
    at = lead.end() if lead else start
    if not text.startswith(change.number.raw, at):
        return None
    return TextEdit(path, h.line, at + 1, h.line, at + 1 + len(change.number.raw), change.new_raw)


def planned_anchors(doc: Document, plan: Plan) -> dict[str, str]:
    """Old anchor -> new anchor for the headings the plan renames, duplicate suffixes
    recomputed over the renumbered titles (what the fix engine will find after the fix)."""
    return {r.old: r.new for r in planned_renames(doc, plan)}


def planned_renames(doc: Document, plan: Plan) -> tuple[AnchorRename, ...]:
    """`planned_anchors` with each renamed heading's new title: what a numbering fix declares
    (`Fix.renames`) so that the fix engine can rewrite the document's own TOC in the same pass."""
    new_text = {c.heading.line: c.new_text for c in plan.changes}
    slugger = Slugger()
    out: list[AnchorRename] = []
    for h in doc.headings:
        title = new_text.get(h.line, h.text)
        anchor = slugger.slug(title)
        if anchor != h.anchor:
            out.append(AnchorRename(h.anchor, anchor, title))
    return tuple(out)
