"""Structure, numbering, TOC and metadata rules on the real FormalAI snapshot
(../shared/formalai; skipped when absent). Figures and cases are listed in docs/structure.md."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from linter.api import lint_paths
from linter.config.settings import Config
from linter.corpus import Corpus
from linter.run.engine import lint
from linter.diagnostics import Diagnostic, Severity
from linter.rules import ALL_RULES
from linter.util.globs import glob_match

MINE = frozenset(r.id for r in ALL_RULES if r.id[:2] in ("ST", "TC", "MT"))
TOPIC = "concepts/[0-9][0-9]-*/[0-9][0-9].[0-9]*-*.md"


@pytest.fixture(scope="module")
def found(shared_parsed: Corpus) -> list[Diagnostic]:
    """The family's findings on the whole snapshot (documents parsed once per session)."""
    return lint(shared_parsed, shared_parsed.paths, Config(only=MINE))


def test_cli_path_gives_the_same_findings(shared_corpus: Path, found: list[Diagnostic]) -> None:
    """`check ../shared/formalai` (lint_paths) and the engine on the parsed corpus agree."""
    folder = shared_corpus / "concepts" / "06-AI反实践判定系统"
    via_api = lint_paths([folder], root=shared_corpus, config=Config(only=MINE)).diagnostics
    prefix = "concepts/06-AI反实践判定系统/"
    assert list(via_api) == [d for d in found if d.path.startswith(prefix)]


def _at(found: list[Diagnostic], rule: str, path: str, line: int) -> Diagnostic:
    hits = [d for d in found if (d.rule_id, d.path, d.line) == (rule, path, line)]
    assert len(hits) == 1, [(d.rule_id, d.line, d.message) for d in found if d.path == path][:20]
    return hits[0]


def test_counts_per_rule(found: list[Diagnostic]) -> None:
    counts = Counter(d.rule_id for d in found)
    assert dict(counts) == {
        # ST001 +15, MT001 +77: view-topic enforces view/VIEW_文档模板标准_2025.md (概述,
        # 参考文献, 维护责任人, ...) and the cards their templates' footer; ST002 -8: the concept
        # README schema knows the `2025年最新发展` block (issue 14, item 19)
        "ST001": 27, "ST002": 34, "ST003": 9, "ST004": 2, "ST005": 3, "ST007": 28, "ST008": 13,
        "ST101": 156, "ST102": 236, "ST104": 6,
        "TC001": 2, "TC002": 421, "TC003": 82,
        "MT001": 78, "MT002": 39, "MT003": 215, "MT004": 13, "MT005": 1, "MT007": 10,
    }


def test_stale_toc_anchor_names_the_heading_it_meant(found: list[Diagnostic]) -> None:
    d = _at(found, "TC003", "concepts/06-AI反实践判定系统/06.2.2-执行层反实践判定.md", 45)
    assert d.message == "anchor #十核心结论 not found; did you mean #十一核心结论 (line 1023)?"
    assert d.suggestion is not None and d.suggestion.target_line == 1023
    # the corpus study's 82 bad TOC anchors in 25 files
    tc003 = [x for x in found if x.rule_id == "TC003"]
    assert len({x.path for x in tc003}) == 25


def test_emergence_doc_numbering(found: list[Diagnostic]) -> None:
    path = "concepts/08-AI历史进程与原理演进/08.4.5-涌现的底层机制.md"
    # the corpus's typical defect: 三、核心形式化理论 inserted, the rest partly renumbered. One
    # finding per level, every changed heading listed, the whole renumbering as the fix.
    h2 = _at(found, "ST101", path, 153)
    assert h2.message.startswith("H2 number repeats 四、; expected 五、; renumbering changes 7 H2 headings")
    assert [r.line for r in h2.related] == [153, 206, 261, 295, 319, 329, 341]
    assert h2.related[0].message == "四、微观视角：注意力相变 → 五、微观视角：注意力相变"
    h3 = _at(found, "ST102", path, 110)
    assert h3.message.startswith(
        "number 3.1 does not match its parent '四、宏观视角：自组织临界性' (line 108); expected 4.1; "
        "renumbering changes 17 H3 headings"
    )
    assert h2.fix is not None and h3.fix is not None and len(h3.fix.edits) == 17
    assert [d.line for d in found if d.rule_id in ("ST101", "ST102") and d.path == path] == [110, 153]


def test_duplicate_maintainer_in_the_standard_itself(found: list[Diagnostic]) -> None:
    d = _at(found, "MT004", "concepts/DOCUMENT_STRUCTURE_STANDARD.md", 108)
    assert d.message == "metadata 维护者 repeats line 106; expected one 维护者 line"


def test_other_real_findings(found: list[Diagnostic]) -> None:
    assert "earlier than 创建日期 2025-11-10 (line 3)" in _at(found, "MT005", "PROJECT_CROSS_MODULE_MAPPING.md", 450).message
    assert "has no '学术参考文献' sub-section" in " ".join(
        d.message for d in found if (d.rule_id, d.line) == ("ST004", 703)
    )
    assert _at(found, "ST005", "docs/04-language-models/04.1-大型语言模型/README.md", 3).message == (
        "heading jumps from H1 to H3; expected H2"
    )
    assert _at(found, "TC001", "view/T05_AI反思_批判分析.md", 7).message.startswith("document has no table of contents")
    assert "'5.3' is dotted" in _at(found, "ST104", "view/T01_DKB_形式化证明.md", 261).message
    assert "'2025年1月15日' is not an ISO date" in _at(found, "MT002", "view/VIEW_文档模板标准_2025.md", 3).message


def test_what_the_standard_accepts_is_clean(found: list[Diagnostic], shared_corpus: Path) -> None:
    topics = sorted(
        p.relative_to(shared_corpus).as_posix() for p in shared_corpus.glob("concepts/*/*.md")
        if glob_match(TOPIC, p.relative_to(shared_corpus).as_posix())
    )
    assert len(topics) == 155
    structural = [d for d in found if d.path in set(topics) and d.rule_id[:2] in ("ST", "TC")]
    by_path = Counter(d.path for d in structural)
    clean = [p for p in topics if not by_path[p]]
    # the corpus study: 8/155 pass every check together, 77 ignoring numbering
    assert len(clean) == 8
    assert "concepts/06-AI反实践判定系统/06.1.1-图灵停机问题到实践判别.md" in clean
    numbering = {"ST101", "ST102", "ST103", "ST104"}
    assert sum(1 for p in topics if not {d.rule_id for d in structural if d.path == p} - numbering) == 77
    # every topic document has the six required sections, the separators and a TOC;
    # the 8 Scaling Law documents' 与收敛模型的关系 counts as the three-layer section
    assert not [d for d in structural if d.rule_id in ("ST001", "ST201", "TC001", "ST006")]


def test_placeholders_are_warnings_and_dates_are_not_future(found: list[Diagnostic]) -> None:
    placeholders = [d for d in found if d.rule_id == "MT003"]
    assert placeholders and all(d.severity is Severity.WARNING for d in placeholders)
    assert not [d for d in found if d.rule_id == "MT006"]  # no metadata date after the clock's today
