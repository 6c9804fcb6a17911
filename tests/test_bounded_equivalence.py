"""The linear rewrites of issue 12 give exactly what the backtracking code gave.

Each old regex or loop is kept here as the specification and compared with its replacement
on random text built from the characters that matter to it.
"""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from linter.config import suppress
from linter.diagnostics import Diagnostic
from linter.document.inline import InlineText
from linter.document.metadata_lines import scan_metadata
from linter.document.raw_scan import blank_spans, bracket_math, html_anchors, html_comments

OLD_COMMENT = re.compile(r"<!--(.*?)-->", re.S)
OLD_ANCHOR = re.compile(r"<a\s[^>]*?\b(?:id|name)\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s>]+))", re.I)
OLD_BRACKET = re.compile(r"\\\[(.+?)\\\]|\\\((.+?)\\\)", re.S)

PIECES = [
    "<!--", "-->", "-", "<a ", "<A\t", "id=", "name =", '"', "'", ">", "x", " ", "\n", "[", "]", "(", ")",
    "!", "](", "\\[", "\\]", "\\(", "\\)", "\\", "<", "\u3000", "\t", "ID",
]
texts = st.lists(st.sampled_from(PIECES), max_size=16).map("".join)


@settings(max_examples=2000, deadline=None)
@given(texts)
def test_raw_scans_match_the_old_regexes(text: str) -> None:
    assert list(html_comments(text)) == [(m.start(), m.end(), m.group(1)) for m in OLD_COMMENT.finditer(text)]
    assert list(html_anchors(text)) == [
        (m.start(), next(g for g in m.groups() if g is not None)) for m in OLD_ANCHOR.finditer(text)
    ]
    spans = [(start, end) for start, end, _ in html_comments(text)]
    assert blank_spans(text, spans) == OLD_COMMENT.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)
    assert [tuple(b) for b in bracket_math(text)] == [
        (m.start(), m.end(), m.group(1) is not None, m.group(1) if m.group(1) is not None else m.group(2))
        for m in OLD_BRACKET.finditer(text)
    ]


_OLD_BOLD = re.compile(r"^\*\*(?P<key>[^*\n：:]{1,24}?)\*\*\s*(?P<colon>[：:])\s*(?P<value>.*?)\s*$")
_OLD_INSIDE = re.compile(r"^\*\*(?P<key>[^*\n：:]{1,24}?)\s*(?P<colon>[：:])\s*\*\*\s*(?P<value>.*?)\s*$")
_OLD_PLAIN = re.compile(r"^(?P<key>[^*\s：:]{1,12})\s*(?P<colon>[：:])\s*(?P<value>.*?)\s*$")
_OLD_PREFIX = re.compile(r"^(\s*>)*\s*(?:[-*+]\s+)?")


def _old_values(line: str) -> list[tuple[str, str, str]]:
    """(key, value, style) as the old metadata scan read one line (its regexes verbatim)."""
    body = line[_OLD_PREFIX.match(line).end():]  # type: ignore[union-attr]
    for style, pattern in (("bold", _OLD_BOLD), ("bold-colon-inside", _OLD_INSIDE), ("plain", _OLD_PLAIN)):
        m = pattern.match(body)
        if m:
            value = m.group("value")
            if style == "plain":
                value = re.split(r"\s+[·|]\s+", value)[0]
            return [(m.group("key").strip(), value, style)]
    return []


META = ["**", "最后更新", "维护", "：", ":", " ", "  ", "\t", "·", "|", "2025-01-02", "x", "> ", "- ", "\u3000", "\r"]


@settings(max_examples=2000, deadline=None)
@given(st.lists(st.sampled_from(META), max_size=10).map("".join))
def test_metadata_values_match_the_old_regexes(line: str) -> None:
    new = [(f.key, f.value, f.style) for f in scan_metadata([line], set())]
    old = [v for v in _old_values(line) if v[0] in ("最后更新", "维护")]
    assert new == old


@settings(max_examples=500, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 40), st.integers(0, 8)), max_size=6),
    st.lists(st.integers(0, 50), max_size=10),
)
def test_in_math_is_any_span(spans: list[tuple[int, int]], offsets: list[int]) -> None:
    loc = InlineText("x" * 60, 1, ["x" * 60])
    loc.math = [(a, a + w) for a, w in spans]
    assert [loc.in_math(o) for o in offsets] == [any(a <= o < b for a, b in loc.math) for o in offsets]


RULES = ["MD010", "LK002", suppress.ALL]
span = st.tuples(st.sampled_from(RULES), st.integers(1, 20), st.integers(0, 6) | st.just(1 << 40))


@settings(max_examples=500, deadline=None)
@given(st.lists(span, max_size=8), st.lists(st.tuples(st.integers(1, 25), st.sampled_from(RULES[:2])), max_size=10))
def test_suppression_sweep_finds_the_first_span(raw: list[tuple[str, int, int]], finds: list[tuple[int, str]]) -> None:
    spans = [suppress._Span(rule, a, a + w, None) for rule, a, w in raw]  # type: ignore[arg-type]
    found = [Diagnostic("x.md", line, 1, rule, "m") for line, rule in finds]
    first = [
        next((s for s in spans if s.start <= d.line <= s.end and (s.rule == suppress.ALL or s.rule == d.rule_id)), None)
        for d in found
    ]
    assert [id(s) for s in suppress._first_hits(spans, found)] == [id(s) for s in first]
