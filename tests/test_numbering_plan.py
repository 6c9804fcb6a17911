"""The numbering plan behind ST101-ST104: its fixes, applied, leave a correctly numbered
document; findings are one per cause; the anchors it renames are the ones the parser gives."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from linter.api import lint_text
from linter.config.settings import Config
from linter.diagnostics import Applicability, Diagnostic, TextEdit
from linter.document.numbering import int_to_cjk
from linter.document.parse import parse_text
from linter.fix.anchors import renamed_anchors, renamed_titles
from linter.rules.numbering_plan import compute_plan, planned_anchors, planned_renames
from linter.run.engine import schema_function

PATH = "concepts/01-a/01.1.1-示例.md"
NUMBERING = frozenset({"ST101", "ST102", "ST103", "ST104"})


def _lint(text: str) -> list[Diagnostic]:
    return lint_text(text, PATH, Config(only=NUMBERING))


def _apply(text: str, edits: list[TextEdit]) -> str:
    lines = text.split("\n")
    for e in sorted(edits, key=lambda e: (e.start_line, e.start_column), reverse=True):
        assert e.start_line == e.end_line and e.path == PATH
        s = lines[e.start_line - 1]
        lines[e.start_line - 1] = s[: e.start_column - 1] + e.replacement + s[e.end_column - 1 :]
    return "\n".join(lines)


def _fix_all(text: str) -> str:
    found = _lint(text)
    edits = [e for d in found if d.fix is not None for e in d.fix.edits]
    assert all(d.fix is None or d.fix.applicability is Applicability.UNSAFE for d in found)
    spans = sorted((e.start_line, e.start_column, e.end_column) for e in edits)
    for a, b in zip(spans, spans[1:]):  # the findings' fixes never overlap
        assert a[0] != b[0] or a[2] <= b[1]
    return _apply(text, edits)


INSERTED = """# 01.1.1-示例

## 一、概述

## 二、目录

## 三、核心形式化理论

### 3.1 定义

## 三、宏观视角

### 3.1 正反馈循环

### 3.2 混沌边缘

## 四、微观视角

### 5.1 阈值

#### 5.1.1 机制

## 五、结论
"""


def test_the_inserted_section_pattern_is_two_findings_and_one_fix() -> None:
    found = _lint(INSERTED)
    assert sorted((d.rule_id, d.line, len(d.related)) for d in found) == [("ST101", 11, 3), ("ST102", 13, 2)]
    h4 = [d for d in found if d.line == 21]
    assert h4 == []  # 5.1.1 under the corrected 5.1 is right once its parent is fixed
    fixed = _fix_all(INSERTED)
    assert [h.raw for h in parse_text(fixed, PATH).headings] == [
        "01.1.1-示例", "一、概述", "二、目录", "三、核心形式化理论", "3.1 定义", "四、宏观视角",
        "4.1 正反馈循环", "4.2 混沌边缘", "五、微观视角", "5.1 阈值", "5.1.1 机制", "六、结论",
    ]
    assert _lint(fixed) == []


def test_h4_takes_the_corrected_h3_prefix() -> None:
    text = "# 01.1.1-示例\n\n## 一、甲\n\n### 2.1 乙\n\n#### 2.1.1 丙\n\n#### 2.1.2 丁\n"
    found = _lint(text)
    assert [(d.rule_id, d.line) for d in found] == [("ST102", 5), ("ST102", 7)]
    assert "renumbering changes 2 H4 headings" in found[1].message
    assert [h.raw for h in parse_text(_fix_all(text), PATH).headings][2:] == ["1.1 乙", "1.1.1 丙", "1.1.2 丁"]


def test_the_fix_keeps_emphasis_and_separators_as_written() -> None:
    text = "# 01.1.1-示例\n\n## **一、甲**\n\n## **一、乙**\n\n## 三．丙\n"
    fixed = _fix_all(text)
    assert fixed == "# 01.1.1-示例\n\n## **一、甲**\n\n## **二、乙**\n\n## 三．丙\n"


def test_planned_anchors_are_what_the_parser_gives_after_the_fix() -> None:
    text = INSERTED.replace("## 五、结论", "## 四、微观视角\n\n## 五、结论")  # a duplicate title too
    before = parse_text(text, PATH)
    schema = _schema()
    after = parse_text(_fix_all(text), PATH)
    assert planned_anchors(before, compute_plan(before, schema)) == renamed_anchors(before, after)
    # what every numbering fix declares (`Fix.renames`), titles included
    renames = planned_renames(before, compute_plan(before, schema))
    assert {r.old: r.title for r in renames} == {old: new for old, (_, new) in renamed_titles(before, after).items()}
    assert {d.fix.renames for d in _lint(text) if d.fix is not None} == {renames}


def _schema() -> object:
    schema_for = schema_function(Config.default(), None)  # the engine's own resolution of the preset
    assert schema_for is not None
    return schema_for(PATH)


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 12), st.lists(st.tuples(st.integers(1, 12), st.integers(1, 6)), max_size=3)), min_size=1, max_size=7))
def test_fixing_any_numbering_converges_in_one_pass(sections: list[tuple[int, list[tuple[int, int]]]]) -> None:
    parts = ["# 01.1.1-示例", ""]
    for i, (h2, subs) in enumerate(sections):
        parts += [f"## {int_to_cjk(h2)}、节{i}", ""]
        for j, (a, b) in enumerate(subs):
            parts += [f"### {a}.{b} 小节{i}{j}", ""]
    text = "\n".join(parts)
    fixed = _fix_all(text)
    assert _lint(fixed) == []
    assert _fix_all(fixed) == fixed
