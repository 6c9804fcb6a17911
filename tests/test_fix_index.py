"""The fix engine's indexes (`edits.Taken`, `protect.Protected`) answer exactly what a scan
over every kept edit or protected span answers: properties over random edits and documents."""

from __future__ import annotations

from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from linter.diagnostics import TextEdit
from linter.document.gfm_tex import rewritten
from linter.document.parse import parse_text
from linter.fix.edits import Taken, overlapping, overlaps
from linter.fix.protect import Protected, _protected, same_tex

_POS = st.tuples(st.integers(1, 6), st.integers(1, 12))


@st.composite
def _edits(draw: st.DrawFn) -> TextEdit:
    a, b = sorted([draw(_POS), draw(_POS)])
    if draw(st.booleans()):
        b = a  # an insertion
    return TextEdit("a.md", a[0], a[1], b[0], b[1], draw(st.sampled_from(["", "x", "yz"])))


@settings(max_examples=300, deadline=None)
@given(st.lists(_edits(), max_size=25), st.lists(_edits(), min_size=1, max_size=4))
def test_taken_agrees_with_a_scan(offers: list[TextEdit], probe: list[TextEdit]) -> None:
    """Keeping edits one by one (each only if it overlaps none kept), then probing: the same
    answers as comparing with every kept edit."""
    taken, kept = Taken(), list[TextEdit]()
    for e in offers:
        scan = any(overlaps(e, k) for k in kept)
        assert taken.hits(e) == scan
        if not scan:
            taken.add(e)
            kept.append(e)
    for e in probe:
        assert taken.hits(e) == any(overlaps(e, k) for k in kept)
    assert overlapping(probe) == any(overlaps(a, b) for i, a in enumerate(probe) for b in probe[i + 1 :])


_LINES = ["text", "a $x$ b $y_1$ c", "$$", "x = 1", "```", "code $z$", "## 目录", "- [a](#a)", ""]


def _scan_hits(e: TextEdit, span: tuple[tuple[int, int], tuple[int, int]]) -> bool:
    (a, b) = span
    start, end = (e.start_line, e.start_column), (e.end_line, e.end_column)
    if start == end:  # an insertion touches only what it lands inside
        return a < start < b
    return start < b and a < end


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(_LINES), min_size=1, max_size=6),
    st.lists(_edits(), min_size=1, max_size=3),
    st.sampled_from(["MH008", "TC002", "LK005"]),
)
def test_protected_agrees_with_a_scan(lines: list[str], edits: list[TextEdit], rule_id: str) -> None:
    doc = parse_text("# T\n\n" + "\n".join(lines) + "\n", "a.md")
    spans = list(_protected(doc, rule_id))
    want = any(_scan_hits(e, s) for e in edits if e.start_line > 0 for s in spans)
    assert Protected(doc, rule_id).touched(edits) == want


_TEX = st.sampled_from([r"\{x\}", r"\lbrace x\rbrace", r"a\|b", r"a\Vert b", "x^2", " x^2 ", r"\%", "y"])


@settings(max_examples=300, deadline=None)
@given(st.lists(_TEX, max_size=8), st.lists(_TEX, max_size=8))
def test_same_tex_rewrites_only_the_difference_and_agrees_with_rewriting_all(a: list[str], b: list[str]) -> None:
    """`same_tex` rewrites only the contents one multiset has more of than the other: the
    answer is the one comparing every formula's rewritten TeX gives."""
    def everything(contents: list[str]) -> Counter[str]:
        return Counter(rewritten(c).strip() for c in contents)

    assert same_tex(Counter(a), Counter(b)) == (everything(a) == everything(b))
