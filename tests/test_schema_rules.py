"""Schema-driven rules beyond the YAML cases: several findings at one place, suggestions as
data, silence without a schema, and options."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from linter.api import lint_text
from linter.config.settings import Config, RuleSetting
from linter.diagnostics import Diagnostic
from linter.document.numbering import int_to_cjk
from linter.document.parse import parse_text
from linter.rules import ALL_RULES
from linter.schema import schema_resolver

CONCEPT = "concepts/01-a/01.1.1-示例.md"
GENERIC = {"ST005", "ST007", "ST008", "TC003", "TC004", "TC005", "TC006"}
MINE = {r.id for r in ALL_RULES if r.id[:2] in ("ST", "TC", "MT")}


def _only(rule_id: str, text: str, path: str = "doc.md", **options: object) -> list[Diagnostic]:
    config = Config(rules={rule_id: RuleSetting(enabled=True, options=options)}, only=frozenset({rule_id}))
    return [d for d in lint_text(text, path, config) if d.rule_id == rule_id]


BROKEN = """# 01.1.1-示例

## 二、概述

## 二、目录

- [01.1.1-示例](#0111-示例)
  - [十、核心结论](#十核心结论)
  - [2.1 要点](#21-要点)

## 四、定义

### 3.1 要点

#### 3.1.1 细节

## 十一、核心结论

**最后更新**: 2025-13-45
**维护者**：甲
**维护者**：乙
"""


def test_without_a_schema_only_generic_rules_report() -> None:
    config = Config(only=frozenset(MINE))
    found = lint_text(BROKEN, CONCEPT, config, schema_for=lambda path: None)
    assert {d.rule_id for d in found} <= GENERIC
    assert "TC003" in {d.rule_id for d in found}
    with_schema = {d.rule_id for d in lint_text(BROKEN, CONCEPT, config)}
    assert {"ST001", "ST101", "TC002", "MT001", "MT002", "MT004", "MT007"} <= with_schema
    # `### 3.1` sits under `## 四、定义`, which the numbering plan renumbers 三、: it is right
    assert "ST102" not in with_schema


def test_missing_sections_each_named_at_the_same_place() -> None:
    text = "# 01.1.1-示例\n\n## 一、概述\n\n## 二、目录\n\n## 三、定义\n\n## 四、与三层模型的关系\n"
    found = _only("ST001", text, CONCEPT)
    assert [(d.line, d.message) for d in found] == [
        (9, "required section '参考文档' is missing; expected after '四、与三层模型的关系'"),
        (9, "required section '核心结论' is missing; expected after '四、与三层模型的关系'"),
        (9, "required section '相关主题' is missing; expected after '四、与三层模型的关系'"),
    ]


def test_stale_toc_entry_suggestion_is_data() -> None:
    d, other = _only("TC003", BROKEN, CONCEPT)
    assert other.message == "anchor #21-要点 not found; did you mean #31-要点 (line 13)?"
    assert (d.line, d.column) == (8, 5)
    assert d.message == "anchor #十核心结论 not found; did you mean #十一核心结论 (line 17)?"
    assert d.suggestion is not None
    assert (d.suggestion.replacement, d.suggestion.target_line) == ("#十一核心结论", 17)


def test_numbering_suggestions_carry_the_expected_number() -> None:
    seq = _only("ST101", BROKEN, CONCEPT)
    # 二、二、四、十一、 becomes 一、二、三、四、: the first heading alone (its neighbour is right),
    # then one finding for the two at the end
    assert [(d.line, d.message, d.suggestion.replacement if d.suggestion else None) for d in seq] == [
        (3, "H2 number starts at 二、; expected 一、", "一、"),
        (11, "H2 number skips to 四、; expected 三、; renumbering changes 2 H2 headings from here "
             "(四、定义 → 三、定义, 十一、核心结论 → 四、核心结论)", "三、"),
    ]
    assert [r.line for r in seq[1].related] == [11, 17]
    assert _only("ST102", BROKEN, CONCEPT) == []


def test_metadata_findings_on_one_footer() -> None:
    assert [(d.line, d.column, d.message) for d in _only("MT007", BROKEN, CONCEPT)] == [
        (19, 9, "metadata 最后更新 uses ':'; expected '：'")
    ]
    assert [(d.line, d.message) for d in _only("MT004", BROKEN, CONCEPT)] == [
        (21, "metadata 维护者 repeats line 20; expected one 维护者 line")
    ]
    assert [d.line for d in _only("MT002", BROKEN, CONCEPT)] == [19]


def test_future_date_uses_the_option_or_the_clock() -> None:
    text = "# 标题\n\n**最后更新**：2026-11-29\n"
    assert [d.message for d in _only("MT006", text, today="2026-11-28")] == [
        "最后更新 2026-11-29 is in the future; expected a date on or before 2026-11-28"
    ]
    assert _only("MT006", text, today="2026-11-29") == []
    assert _only("MT006", "# 标题\n\n**最后更新**：2025-01-15\n") == []


def test_placeholder_is_a_warning_and_not_a_format_error() -> None:
    text = "# 标题\n\n**最后更新**：2025-01-XX\n"
    (warn,) = _only("MT003", text)
    assert warn.severity.value == "warning"
    assert _only("MT002", text) == []


@given(st.lists(st.integers(min_value=1, max_value=30), min_size=1, max_size=15))
@settings(max_examples=60, deadline=None)
def test_sequence_breaks_are_reported_exactly_once_each(numbers: list[int]) -> None:
    """Every H2 whose number is not its position (from 一、) is named exactly once: as a
    finding of its own or as a related location of its level's one grouped finding, and each
    finding's suggestion is the planned number of the heading it is at."""
    body = "".join(f"## {int_to_cjk(n)}、节\n\n内容。\n\n" for n in numbers)
    found = _only("ST101", f"# 01.1.1-示例\n\n{body}", CONCEPT)
    want = {3 + 4 * i: i + 1 for i, n in enumerate(numbers) if n != i + 1}
    named = [r.line for d in found for r in d.related] + [d.line for d in found if not d.related]
    assert sorted(named) == sorted(want)
    assert sum(1 for d in found if d.related) <= 1
    assert {d.line: d.suggestion.replacement if d.suggestion else "" for d in found} == {
        d.line: f"{int_to_cjk(want[d.line])}、" for d in found
    }


@given(st.lists(st.sampled_from(["一、概述", "二、目录", "3.1 要点", "十、核心结论", "参考文档"]), min_size=1, max_size=8),
       st.lists(st.sampled_from(["#十核心结论", "#31-要点", "#一概述", "#不存在", "#二目录-1"]), min_size=1, max_size=6))
@settings(max_examples=60, deadline=None)
def test_toc_suggestions_point_at_real_headings(headings: list[str], anchors: list[str]) -> None:
    entries = "\n".join(f"- [{a[1:]}]({a})" for a in anchors)
    heads = "\n\n".join(f"## {h}" for h in headings)
    text = f"# 标题\n\n## 目录\n\n{entries}\n\n{heads}\n"
    doc = parse_text(text, "doc.md")
    by_line = {h.line: h.anchor for h in doc.headings}
    for d in _only("TC003", text):
        assert d.message.startswith("anchor #")
        if d.suggestion is not None:
            assert d.suggestion.target_line in by_line
            assert d.suggestion.replacement == "#" + by_line[d.suggestion.target_line]


def test_user_schema_with_unnumbered_level_and_closed_sections(tmp_path: Path) -> None:
    schema_file = tmp_path / "note.yaml"
    schema_file.write_text(
        "kind: document\nname: note\nsections:\n  closed: true\n  items:\n"
        "    - {name: 背景, title: '^背景$', required: true}\n"
        "numbering:\n  h2: {style: none}\n",
        "utf-8",
    )
    schema_for = schema_resolver([("notes/**", "note.yaml")], base=tmp_path)
    text = "# 笔记\n\n## 1. 背景\n\n## 其他\n"
    config = Config(only=frozenset({"ST104", "ST003", "ST001"}))
    found = sorted((d.rule_id, d.line, d.message) for d in lint_text(text, "notes/a.md", config, schema_for=schema_for))
    assert found == [
        ("ST003", 5, "section '其他' is not in the schema; expected one of: 背景"),
        ("ST104", 3, "H2 is numbered '1'; expected no number at this level"),
    ]
