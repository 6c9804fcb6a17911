"""Inline suppressions: exact effect on findings, by id or name, ranges, file, unused."""

from __future__ import annotations

from collections.abc import Iterable

from linter import lint_text
from linter.config.settings import Config
from linter.diagnostics import Diagnostic

# The rules these fixtures exercise; findings of other rules are not this file's subject.
CORE = {"MK010", "MK020", "MK900"}


def core(found: Iterable[Diagnostic]) -> list[Diagnostic]:
    return [d for d in found if d.rule_id in CORE]


def found(text: str, config: Config | None = None) -> list[tuple[int, str]]:
    return [(d.line, d.rule_id) for d in core(lint_text(text, config=config))]


THREE_H1 = "# 一\n\n# 二\n\n# 三\n\n# 四\n"


def test_baseline_of_the_fixture() -> None:
    assert found(THREE_H1) == [(3, "MK020"), (5, "MK020"), (7, "MK020")]


def test_disable_next_line_silences_exactly_one_finding() -> None:
    text = "# 一\n\n# 二\n\n<!-- formalai-lint-disable-next-line MK020 -->\n# 三\n\n# 四\n"
    assert found(text) == [(3, "MK020"), (8, "MK020")]


def test_by_name_and_several_rules_per_comment() -> None:
    text = "# 一\n\n<!-- formalai-lint-disable-next-line unclosed-code-fence, single-h1 -->\n# 二\n"
    # MK020 is silenced; MK010 had nothing to silence on that line, and says so
    assert [(d.line, d.rule_id, d.message) for d in core(lint_text(text))] == [
        (3, "MK900", "formalai-lint-disable-next-line for MK010 silences no finding; remove it")
    ]


def test_disable_enable_range() -> None:
    text = (
        "# 一\n\n# 二\n\n<!-- formalai-lint-disable single-h1 -->\n# 三\n\n# 四\n"
        "<!-- formalai-lint-enable single-h1 -->\n# 五\n"
    )
    assert found(text) == [(3, "MK020"), (10, "MK020")]


def test_enable_without_rules_closes_every_range() -> None:
    text = "# 一\n<!-- formalai-lint-disable -->\n# 二\n<!-- formalai-lint-enable -->\n# 三\n"
    assert found(text) == [(5, "MK020")]


def test_disable_file_without_rules_silences_everything() -> None:
    text = "<!-- formalai-lint-disable-file -->\n" + THREE_H1 + "\n```\nx\n"
    assert found(text) == []


def test_disable_file_for_one_rule_keeps_others() -> None:
    text = THREE_H1 + "\n<!-- formalai-lint-disable-file MK020 -->\n\n```\nx\n"
    assert found(text) == [(11, "MK010")]


def test_other_rule_is_not_silenced() -> None:
    text = "# 一\n\n<!-- formalai-lint-disable-next-line MK010 -->\n# 二\n"
    assert [(d.line, d.rule_id, d.severity.value) for d in core(lint_text(text))] == [
        (3, "MK900", "warning"),
        (4, "MK020", "error"),
    ]


def test_unused_and_unknown_are_reported_with_messages() -> None:
    text = "# 一\n\n<!-- formalai-lint-disable-next-line single-h1 nope -->\n正文\n"
    msgs = [(d.line, d.rule_id, d.message) for d in core(lint_text(text))]
    assert msgs == [
        (3, "MK900", "formalai-lint-disable-next-line for MK020 silences no finding; remove it"),
        (3, "MK900", "suppression names unknown rule 'nope'; expected a rule id or name"),
    ]


def test_directive_inside_code_fence_is_text() -> None:
    text = "# 一\n\n```html\n<!-- formalai-lint-disable-file -->\n```\n\n# 二\n"
    assert found(text) == [(7, "MK020")]


def test_unused_not_reported_when_md900_disabled() -> None:
    from linter.config.files import config_from_text

    text = "# 一\n\n<!-- formalai-lint-disable-next-line single-h1 -->\n正文\n"
    assert found(text, config_from_text("rules:\n  unused-suppression: off\n")) == []


def test_suppression_applies_to_corpus_level_paths_through_lint_paths(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from linter import lint_paths

    (tmp_path / ".git").mkdir()
    (tmp_path / ".formalai-lint.yaml").write_text("extends: formalai\n", "utf-8")  # single-h1 is a FormalAI rule
    (tmp_path / "a.md").write_text("# 一\n<!-- formalai-lint-disable-next-line -->\n# 二\n# 三\n", "utf-8")
    result = lint_paths([tmp_path / "a.md"], root=tmp_path)
    assert [(d.path, d.line, d.rule_id) for d in core(result.diagnostics)] == [("a.md", 4, "MK020")]
