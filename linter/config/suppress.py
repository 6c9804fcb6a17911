"""Inline suppressions in HTML comments, applied by the engine (rules never see them).

    <!-- formalai-lint-disable MK010 single-h1 -->   ... until ...
    <!-- formalai-lint-enable MK010 single-h1 -->
    <!-- formalai-lint-disable-next-line LK001 -->
    <!-- formalai-lint-disable-file -->               (no rule: every rule)

Rules are named by id or name, separated by spaces or commas. Comments inside code fences
are not directives (the parser only collects comments outside code). A directive that
silences nothing, or names an unknown rule, is itself reported (MK900 unused-suppression).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from ..diagnostics import Diagnostic
from ..document.model import Document
from ..rules import get_rule

UNUSED_RULE_ID = "MK900"
ALL = "*"
_DIRECTIVE = re.compile(
    r"^formalai-lint-(disable-next-line|disable-line|disable-file|disable|enable)(?:\s+(.*))?$", re.S
)


@dataclass
class Directive:
    kind: str  # disable | enable | disable-next-line | disable-line | disable-file
    rules: tuple[str, ...]  # rule ids; (ALL,) for every rule
    line: int
    end_line: int
    unknown: tuple[str, ...] = ()
    used: set[str] = field(default_factory=set)


def parse_directives(doc: Document) -> list[Directive]:
    out: list[Directive] = []
    for c in doc.comments:
        m = _DIRECTIVE.match(c.text.strip())
        if not m:
            continue
        names = [n for n in re.split(r"[\s,]+", (m.group(2) or "").strip()) if n]
        ids: list[str] = []
        unknown: list[str] = []
        for n in names:
            r = get_rule(n)
            (ids.append(r.id) if r else unknown.append(n))
        rules = tuple(ids) if names else (ALL,)
        out.append(Directive(m.group(1), rules, c.line, c.end_line, tuple(unknown)))
    return out


@dataclass(frozen=True)
class _Span:
    rule: str  # a rule id or ALL
    start: int
    end: int  # inclusive; a huge number for "to the end of the file"
    directive: Directive


_EOF = 1 << 62


def _spans(directives: Sequence[Directive]) -> list[_Span]:
    spans: list[_Span] = []
    open_: dict[str, tuple[int, Directive]] = {}
    for d in sorted(directives, key=lambda d: d.line):
        if d.kind == "disable-file":
            spans.extend(_Span(r, 1, _EOF, d) for r in d.rules)
        elif d.kind == "disable-next-line":
            spans.extend(_Span(r, d.end_line + 1, d.end_line + 1, d) for r in d.rules)
        elif d.kind == "disable-line":
            spans.extend(_Span(r, d.line, d.end_line, d) for r in d.rules)
        elif d.kind == "disable":
            for r in d.rules:
                open_.setdefault(r, (d.line, d))
        else:  # enable: closes the named rules, or every open range when it names none
            for r in list(open_) if d.rules == (ALL,) else d.rules:
                if r in open_:
                    start, opener = open_.pop(r)
                    spans.append(_Span(r, start, d.line, opener))
    spans.extend(_Span(r, start, _EOF, opener) for r, (start, opener) in open_.items())
    return spans


def apply(
    diagnostics: Iterable[Diagnostic], doc: Document, active: frozenset[str]
) -> tuple[list[Diagnostic], list[Diagnostic]]:
    """(kept findings, unused-suppression findings) for one document.

    `active` is the set of rule ids that ran on the document: a directive naming a rule
    that did not run cannot be judged unused, so it is not reported.
    """
    found = list(diagnostics)
    directives = parse_directives(doc)
    if not directives:
        return found, []
    spans = _spans(directives)
    kept: list[Diagnostic] = []
    for d in found:
        hit = next(
            (s for s in spans if s.start <= d.line <= s.end and (s.rule == ALL or s.rule == d.rule_id)), None
        )
        if hit is None or d.rule_id == UNUSED_RULE_ID:
            kept.append(d)
        else:
            hit.directive.used.add(hit.rule)
    unused: list[Diagnostic] = []
    for directive in directives:
        for name in directive.unknown:
            unused.append(_unused(doc, directive, f"suppression names unknown rule {name!r}; expected a rule id or name"))
        for r in directive.rules:
            if r in directive.used or (r != ALL and r not in active) or directive.kind == "enable":
                continue
            what = "every rule" if r == ALL else r
            unused.append(_unused(doc, directive, f"formalai-lint-{directive.kind} for {what} silences no finding; remove it"))
    return kept, unused


def _unused(doc: Document, d: Directive, message: str) -> Diagnostic:
    return Diagnostic(doc.path, d.line, 1, UNUSED_RULE_ID, message, context=message)
