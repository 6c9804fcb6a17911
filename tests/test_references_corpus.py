"""The reference rules and parser on the real FormalAI snapshot (docs/math-references.md)."""

from __future__ import annotations

from collections import Counter

import pytest

from linter.config.settings import Config
from linter.corpus import Corpus
from linter.diagnostics import Diagnostic
from linter.run.engine import lint
from linter.references import best_match, family_for
from linter.references.items import classify
from linter.rules import ALL_RULES

REFS = frozenset(r.id for r in ALL_RULES if r.family == "references")


@pytest.fixture(scope="module")
def ref_findings(shared_parsed: Corpus) -> list[Diagnostic]:
    return lint(shared_parsed, shared_parsed.paths, Config(only=REFS))


def test_concept_citations_parse_as_valid(shared_parsed: Corpus) -> None:
    """At least 90% of the real citations in concept `学术参考文献` sections match a style."""
    kinds: Counter[str] = Counter()
    valid = 0
    for path in shared_parsed.paths:
        family = family_for(None, path)
        doc = shared_parsed.document(path)
        if family.name != "concept" or doc is None:
            continue
        for section in doc.references:
            if not family.is_citation_section(section.title):
                continue
            for item in section.items:
                kind = classify(item)
                kinds[kind] += 1
                if kind == "citation" and best_match(item.text.strip(), family.styles).ok:
                    valid += 1
    assert kinds["citation"] == 294 and kinds["group"] == 172
    assert valid == 276  # 274 before plain venues (`OpenAI Blog.`) were accepted
    assert valid / kinds["citation"] >= 0.9


def test_counts_per_rule(ref_findings: list[Diagnostic]) -> None:
    counts = Counter(d.rule_id for d in ref_findings)
    assert counts == {"RF001": 115, "RF002": 27, "RF003": 1, "RF005": 135}


@pytest.mark.parametrize(
    ("rule_id", "where", "message"),
    [
        ("RF002", "concepts/08-AI历史进程与原理演进/08.5.4-工程化实践突破.md:373:78", "'2407.xxx' is a placeholder"),
        ("RF002", "concepts/02-AI炼金术转化度模型/02.3.1-Prompt巫术.md:412:70", "'2025' is a year"),
        ("RF001", "concepts/01-AI三层模型架构/01.3.2-Transformer注意力机制.md:807:67", "expected the venue (`*Venue*` or `Venue.`)"),
        ("RF001", "concepts/01-AI三层模型架构/01.1.3-执行层工程实践与工具链.md:429:6", "names no authors"),
        ("RF005", "concepts/02-AI炼金术转化度模型/02.3.1-Prompt巫术.md:408:4", "**2025年最新研究**："),
        ("RF001", "concepts/01-AI三层模型架构/01.1.2-GPU矩阵运算与CUDA优化.md:563:4", "expected the year"),
        ("RF001", "docs/02-machine-learning/02.2-深度学习理论/02.2.1-神经网络理论.md:115:80", "expected the venue"),
        ("RF003", "concepts/04-AI意识与认知模拟/04.1.1-主观体验（Qualia）问题.md:672:1", "number 1 out of sequence; expected 7"),
        ("RF005", "concepts/01-AI三层模型架构/01.4.4-跨层优化策略.md:569:4", "**2025年最新研究**："),
    ],
)
def test_confirmed_findings(ref_findings: list[Diagnostic], rule_id: str, where: str, message: str) -> None:
    found = {f"{d.path}:{d.line}:{d.column}": d for d in ref_findings if d.rule_id == rule_id}
    assert where in found, f"{rule_id} {where} not reported"
    assert message in found[where].message


def test_language_groups_that_cite_works_are_not_placeholders(ref_findings: list[Diagnostic]) -> None:
    flagged = {(d.path, d.line) for d in ref_findings if d.rule_id == "RF005"}
    assert ("docs/03-formal-methods/03.2-程序综合/README.md", 1057) not in flagged  # **Français / French:**


def test_pointer_lines_and_repository_files_are_not_citations(ref_findings: list[Diagnostic]) -> None:
    flagged = {(d.path, d.line) for d in ref_findings if d.rule_id == "RF001"}
    assert ("Philosophy/model/README.md", 397) not in flagged  # `Philosophy/00-主题总览与导航.md`
    assert ("Philosophy/model/README.md", 398) not in flagged  # 各view文件的参考文献部分
    assert ("view/T05_01_批判回应.md", 106) not in flagged  # FormalAI 项目, "…," view/….md.
