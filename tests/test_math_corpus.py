"""The math rules on the real FormalAI snapshot: no finding in code or on currency lines,
and specific findings that were read and confirmed (docs/math-references.md)."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from linter.config.settings import Config
from linter.corpus import Corpus
from linter.diagnostics import Diagnostic
from linter.run.engine import lint
from linter.rules import ALL_RULES

MATH = frozenset(r.id for r in ALL_RULES if r.family == "math")
_CODE_SPAN = re.compile(r"(`+).+?\1")
# a `$` right before a digit on a line with an odd number of unescaped `$`: `营收$50亿`
_CURRENCY = re.compile(r"(?<![$\\])\$\d")
_DOLLAR = re.compile(r"(?<!\\)\$")


@pytest.fixture(scope="module")
def math_findings(shared_parsed: Corpus) -> list[Diagnostic]:
    return lint(shared_parsed, shared_parsed.paths, Config(only=MATH))


def _code_lines(corpus: Corpus, path: str) -> set[int]:
    doc = corpus.document(path)
    assert doc is not None
    return {n for f in doc.fences if f.language != "math" for n in range(f.line, f.end_line + 1)}


def _currency_lines(corpus: Corpus) -> set[tuple[str, int]]:
    found: set[tuple[str, int]] = set()
    for path in corpus.paths:
        doc = corpus.document(path)
        if doc is None or not doc.readable:
            continue
        skip = _code_lines(corpus, path) | {
            n for f in doc.formulas if f.kind in ("display", "fence") for n in range(f.line, f.end_line + 1)
        }
        for number, line in enumerate(corpus.lines(path), start=1):
            text = _CODE_SPAN.sub("", line)
            if number not in skip and _CURRENCY.search(text) and len(_DOLLAR.findall(text)) % 2 == 1:
                found.add((path, number))
    return found


def test_no_math_finding_inside_code(shared_parsed: Corpus, math_findings: list[Diagnostic]) -> None:
    assert math_findings
    for d in math_findings:
        assert d.line not in _code_lines(shared_parsed, d.path), d
        line = shared_parsed.lines(d.path)[d.line - 1]
        for span in _CODE_SPAN.finditer(line):
            assert not span.start() < d.column - 1 < span.end(), d


def test_no_math_finding_on_currency_lines(shared_parsed: Corpus, math_findings: list[Diagnostic]) -> None:
    currency = _currency_lines(shared_parsed)
    assert len(currency) >= 250  # the corpus study counts 261 such lines
    assert ("Philosophy/model/05-决策树图总览.md", 291) in currency  # `### 示例1：大型企业（营收$50亿）`
    assert ("Philosophy/model/08-案例研究索引.md", 2280) in currency  # `营收$50亿，5个工厂`
    hits = [d for d in math_findings if (d.path, d.line) in currency]
    assert hits == []


def test_price_scales_are_not_math(math_findings: list[Diagnostic]) -> None:
    assert not [d for d in math_findings if d.path == "view/AIML建模全景/data_components.md"]


def test_counts_per_rule(math_findings: list[Diagnostic]) -> None:
    """The figures in docs/math-references.md."""
    counts = Counter(d.rule_id for d in math_findings)
    assert counts == {"MH003": 7, "MH005": 425, "MH007": 2, "MH008": 940, "MH009": 6}


def test_inline_display_math_is_off_by_default() -> None:
    """GitHub renders `$$…$$` in running text inline: MH003 is an opt-in portability note."""
    [mh003] = [r for r in ALL_RULES if r.id == "MH003"]
    assert not mh003.enabled


def test_braces_lost_to_github_escapes(math_findings: list[Diagnostic]) -> None:
    """213 inline formulas lose their `\\{ \\}` (the figure issue 14 measured independently)."""
    inline = [
        d for d in math_findings
        if d.rule_id == "MH008" and "arrive as `{ }`" in d.message and "$`…`$ form" in d.message
    ]
    assert len(inline) == 213


@pytest.mark.parametrize(
    ("rule_id", "where", "message"),
    [
        ("MH007", "docs/03-formal-methods/03.5-DKB案例研究.md:298:7", "`\\rule{0.5\\textwidth}`: MathJax reads"),
        ("MH008", "docs/04-language-models/04.2-形式语义/README.md:212:13", "`\\{ \\}` arrive as `{ }`"),
        ("MH008", "docs/18-cognitive-architecture/18.2-记忆系统/README.md:597:38", "the $`…`$ form"),
        ("MH008", "view/Kimi_Agent_AIML建模全景/ai_ml_formal_theory.md:799:14", "`\\|` arrives as `|`"),
        ("MH005", "docs/01-foundations/01.2-数学基础/README.md:72:6", "`\\( … \\)` is not rendered"),
        ("MH005", "docs/02-machine-learning/02.4-因果推理/README.md:30:1", "`\\[ … \\]` is not rendered"),
        ("MH003", "PROJECT_CONCEPT_SYSTEM.md:362:10", "GitHub renders it inline"),
        ("MH009", "concepts/06-AI反实践判定系统/06.1.1-图灵停机问题到实践判别.md:103:1", "followed by a ```text block"),
        ("MH009", "concepts/08-AI历史进程与原理演进/08.4.4-涌现的学术争议.md:138:1", "**数学描述** is followed by text"),
    ],
)
def test_confirmed_findings(math_findings: list[Diagnostic], rule_id: str, where: str, message: str) -> None:
    found = {f"{d.path}:{d.line}:{d.column}": d for d in math_findings if d.rule_id == rule_id}
    assert where in found, f"{rule_id} {where} not reported"
    assert message in found[where].message
