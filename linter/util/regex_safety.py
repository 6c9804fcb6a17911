"""Refuse user regular expressions that can backtrack without bound (issue 12, item 8).

Python's `re` backtracks, and a pattern such as `^(a+)+$` or `^(a|ab)*$` takes time
exponential in the text it fails to match; a schema's section-title or metadata pattern runs
on every heading or value of every document, so one such pattern stalls any run. The check
is static and happens when the schema is loaded (a one-line `file:line: key:` error, exit 2),
before any document is read. It rejects the two shapes behind catastrophic backtracking:

- a nested quantifier: a repeated group that itself holds a variable repeat, `(a+)+`,
  `(\\w+\\s?)*`, `(x{1,9})+`;
- an ambiguous alternation under a quantifier: two alternatives that can start with the
  same character, or one that can match nothing, `(a|ab)*`, `(\\d|\\w)+`, `(a|)+`.

A possessive repeat (`a++`) or an atomic group (`(?>…)`, Python 3.11+) never backtracks
into itself and is accepted. Why not a time limit or another engine instead: `re` cannot be
interrupted mid-match (a thread cannot stop it, a signal is only seen after it returns),
and RE2 would change what patterns mean (`\\d` is ASCII-only there, no lookarounds), so a
schema that works today could silently match differently. A rejected pattern can almost
always be rewritten without the nesting (`(a+)+` is `a+`).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterable
from typing import Any

with warnings.catch_warnings():
    # `sre_parse` is the parser `re` itself uses (`re._parser` since 3.11, deprecated alias)
    warnings.simplefilter("ignore", DeprecationWarning)
    import sre_constants as C
    import sre_parse

_REPEATS = {C.MAX_REPEAT, C.MIN_REPEAT}
_POSSESSIVE = getattr(C, "POSSESSIVE_REPEAT", None)
_ATOMIC = getattr(C, "ATOMIC_GROUP", None)
# Characters tried when asking whether two alternatives can start alike: ASCII, the
# pattern's own literals, and a few the corpus writes (CJK, full-width digits and colon).
_PROBES = [chr(c) for c in range(128)] + list("一三十、：０９ａＡ\u3000\u00a0é")
_CATEGORY: dict[Any, Callable[[str], bool]] = {
    C.CATEGORY_DIGIT: str.isdigit,
    C.CATEGORY_SPACE: str.isspace,
    C.CATEGORY_WORD: lambda c: c.isalnum() or c == "_",
    C.CATEGORY_NOT_DIGIT: lambda c: not c.isdigit(),
    C.CATEGORY_NOT_SPACE: lambda c: not c.isspace(),
    C.CATEGORY_NOT_WORD: lambda c: not (c.isalnum() or c == "_"),
}


class UnsafePattern(ValueError):
    """The pattern can backtrack without bound; the message says where and why."""


def check_pattern(pattern: str) -> None:
    """Raise `UnsafePattern` for a nested quantifier or an ambiguous alternation under a
    quantifier; `re.error` for a pattern that does not compile at all."""
    parsed: list[tuple[Any, Any]] = list(sre_parse.parse(pattern).data)
    probes = _PROBES + sorted({chr(av) for op, av in _walk(parsed) if op is C.LITERAL})
    _check(parsed, probes)


def _walk(items: Iterable[tuple[Any, Any]], into_atomic: bool = True) -> Iterable[tuple[Any, Any]]:
    for op, av in items:
        yield op, av
        if into_atomic or not (op is _POSSESSIVE or op is _ATOMIC):
            for sub in _children(op, av):
                yield from _walk(sub, into_atomic)


def _children(op: Any, av: Any) -> list[list[tuple[Any, Any]]]:
    if op in _REPEATS or op is _POSSESSIVE:
        return [list(av[2])]
    if op is C.SUBPATTERN:
        return [list(av[3])]
    if op is C.BRANCH:
        return [list(b) for b in av[1]]
    if op is _ATOMIC:
        return [list(av)]
    if op in (C.ASSERT, C.ASSERT_NOT):
        return [list(av[1])]
    if op is C.GROUPREF_EXISTS:
        return [list(b) for b in av[1:] if b is not None]
    return []


def _check(items: list[tuple[Any, Any]], probes: list[str]) -> None:
    for op, av in items:
        if op is _POSSESSIVE or op is _ATOMIC:
            continue  # never backtracks into itself
        if op in _REPEATS and av[1] > 1:
            _check_repeated(list(av[2]), probes)
        for sub in _children(op, av):
            _check(sub, probes)


def _check_repeated(body: list[tuple[Any, Any]], probes: list[str]) -> None:
    """A body that can match several times in a row may make choices (a variable repeat, a
    `?`, an alternation) only when each iteration is forced to start at a known place: its
    first element is one mandatory character that no choice inside can consume
    (`\\d+(\\.\\d+)*`, `(ab?)*`), or it is an alternation whose branches start differently
    and choose nothing themselves (`(ab|cd)*`)."""
    while len(body) == 1 and body[0][0] is C.SUBPATTERN:
        body = list(body[0][1][3])
    if _nullable(body) and _width(body) != 0:
        raise UnsafePattern(
            "a repeated group that can match nothing (`(a?)*`) can repeat any number of "
            "times at one place; make the group match at least one character"
        )
    choices = [(op, av) for op, av in _walk(body, into_atomic=False) if _is_choice(op, av)]
    if not choices:
        return
    marker = _marker(body, probes)
    if marker and all(not (marker & _chars([node], probes)) for node in choices):
        return
    if len(body) == 1 and body[0][0] is C.BRANCH:
        branches = [list(b) for b in body[0][1][1]]
        starts = [{c for c in probes if _can_start(b, c)} for b in branches]
        overlap = any(starts[i] & starts[j] for i in range(len(starts)) for j in range(i))
        nested = any(_is_choice(op, av) for b in branches for op, av in _walk(b, into_atomic=False))
        if not overlap and not nested and not any(_nullable(b) for b in branches):
            return
    if any(op in _REPEATS and av[1] > 1 for op, av in choices):
        raise UnsafePattern(
            "nested quantifier: a repeat inside a repeated group can split the same text "
            "in exponentially many ways; write it without the nesting (`(a+)+` is `a+`) "
            "or make the inner repeat possessive (`a++`)"
        )
    raise UnsafePattern(
        "ambiguous alternation under a quantifier: the alternatives (or an optional part) can "
        "match the same characters as the start of the next repetition, so a failing match tries "
        "every way of splitting the text; make them start differently (`(a|aa)*` is `a*`)"
    )


def _is_choice(op: Any, av: Any) -> bool:
    if op in _REPEATS:
        return bool(av[0] != av[1])
    return op is C.BRANCH and len(av[1]) > 1


def _marker(body: list[tuple[Any, Any]], probes: list[str]) -> set[str]:
    """The characters the body's first element matches, when that element is exactly one
    mandatory character (else empty)."""
    if not body:
        return set()
    op, av = body[0]
    if op is C.LITERAL or op is C.IN:
        return {c for c in probes if _first_has(op, av, c)}
    return set()


def _chars(items: list[tuple[Any, Any]], probes: list[str]) -> set[str]:
    """Every character some part of `items` can match (over-approximated)."""
    found: set[str] = set()
    for op, av in _walk(items):
        if op in (C.LITERAL, C.IN, C.NOT_LITERAL, C.ANY, C.GROUPREF):
            found.update(c for c in probes if _first_has(op, av, c))
    return found


def _width(items: list[tuple[Any, Any]]) -> int:
    """0 when the items can only match the empty string (anchors, lookarounds)."""
    lo, hi = sre_parse.SubPattern(sre_parse.State(), items).getwidth()
    return int(hi)


def _nullable(items: list[tuple[Any, Any]]) -> bool:
    return all(_item_nullable(op, av) for op, av in items)


def _item_nullable(op: Any, av: Any) -> bool:
    if op in _REPEATS or op is _POSSESSIVE:
        return bool(av[0] == 0 or _nullable(list(av[2])))
    if op is C.SUBPATTERN:
        return _nullable(list(av[3]))
    if op is C.BRANCH:
        return any(_nullable(list(b)) for b in av[1])
    if op is _ATOMIC:
        return _nullable(list(av))
    return op in (C.AT, C.ASSERT, C.ASSERT_NOT, C.GROUPREF, C.GROUPREF_EXISTS)


def _can_start(items: list[tuple[Any, Any]], c: str) -> bool:
    """Whether a match of `items` can begin with character `c` (over-approximated)."""
    for op, av in items:
        if _first_has(op, av, c):
            return True
        if not _item_nullable(op, av):
            return False
    return False


def _first_has(op: Any, av: Any, c: str) -> bool:
    if op is C.LITERAL:
        return chr(av) == c or chr(av).lower() == c.lower()
    if op in (C.NOT_LITERAL, C.ANY, C.GROUPREF):
        return True
    if op is C.IN:
        return _in_set(av, c)
    return any(_can_start(sub, c) for sub in _children(op, av) if op not in (C.ASSERT, C.ASSERT_NOT))


def _anything(c: str) -> bool:
    return True


def _in_set(items: list[tuple[Any, Any]], c: str) -> bool:
    if items and items[0][0] is C.NEGATE:
        return True  # a negated set matches almost anything
    for op, av in items:
        if op is C.LITERAL and chr(av) == c:
            return True
        if op is C.RANGE and av[0] <= ord(c) <= av[1]:
            return True
        if op is C.CATEGORY and _CATEGORY.get(av, _anything)(c):
            return True
    return False
