"""The bundled example corpus (corpus/): every document is indexed, and linting it reports the
deliberate defects that corpus/README.md lists, on the lines it gives, and nothing else."""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath
from urllib.parse import unquote

import pytest

from linter.api import lint_paths
from linter.document.parse import parse_text

PROJECT = Path(__file__).resolve().parents[1]
CORPUS = PROJECT / "corpus"

# Every finding, exactly (rule, path relative to corpus/, line). corpus/ is linted as its own
# root, as `make demo` does, so the FormalAI schemas apply to concepts/ and docs/.
C1 = "concepts/01-三层模型示例"
C2 = "concepts/02-Scaling Law与涌现"
D1 = "docs/01-foundations"
EXPECTED = {
    ("ST102", f"{C1}/01.1.2-控制层形式语言.md", 59),  # a: 3.1 under 四
    ("ST101", f"{C1}/01.1.2-控制层形式语言.md", 72),  # a: 四 repeated
    ("TC003", f"{C1}/01.1.3-执行层工程系统.md", 32),  # b: stale TOC anchor #九核心结论
    ("TC002", f"{C1}/01.1.3-执行层工程系统.md", 136),  # b: 十、核心结论 not in the TOC
    ("LK003", f"{C1}/01.2.1-三层协同机制.md", 40),  # d: #三数据层的形式化定义
    ("LK005", f"{C1}/README.md", 62),  # e: raw space in the destination
    ("LK001", f"{C2}/02.1.1-规模定律的形式化.md", 110),  # c: one ../ too many
    ("RF001", f"{C2}/02.1.2-涌现能力的度量.md", 115),  # g: no venue
    ("RF002", f"{C2}/02.1.2-涌现能力的度量.md", 117),  # g: arXiv:2407.xxx
    ("MT002", f"{C2}/02.1.3-规模与成本的权衡.md", 118),  # h: 2025-13-45
    ("MT004", f"{C2}/02.1.3-规模与成本的权衡.md", 120),  # h: 维护者 twice
    ("MH005", f"{D1}/01.1-形式逻辑基础/README.md", 45),  # f: \( … \)
    ("MH001", f"{D1}/01.1-形式逻辑基础/README.md", 79),  # f: unclosed $$
    ("MK010", f"{D1}/01.2-概率与信息论/README.md", 63),  # i: unclosed fence
}


def _defect_table() -> dict[str, set[int]]:
    """corpus/README.md's "Deliberate defects" table: path (relative to corpus/) -> its lines."""
    text = (CORPUS / "README.md").read_text(encoding="utf-8")
    section = text.split("## Deliberate defects", 1)[1].split("\n## ", 1)[0]
    table: dict[str, set[int]] = {}
    for row in re.finditer(r"^\| [a-z] \| \[[^\]]*\]\(([^)]+)\) \| ([\d, ]+) \|", section, re.M):
        path = unquote(row.group(1))
        table[path] = {int(n) for n in row.group(2).split(",")}
    return table


def test_defect_table_has_nine_defects_in_nine_documents() -> None:
    table = _defect_table()
    assert len(table) == 9
    assert all((CORPUS / p).is_file() for p in table)


def test_every_document_is_reachable_from_the_index() -> None:
    docs = {p.relative_to(CORPUS).as_posix() for p in CORPUS.rglob("*.md")}
    assert 10 <= len(docs) <= 13
    seen, todo = {"README.md"}, ["README.md"]
    while todo:
        current = todo.pop()
        doc = parse_text((CORPUS / current).read_text(encoding="utf-8"), current)
        for link in doc.links:
            if link.kind != "relative":
                continue
            target = PurePosixPath(current).parent / unquote(link.dest.split("#", 1)[0])
            rel = Path(CORPUS / target).resolve().relative_to(CORPUS.resolve()).as_posix()
            if rel.endswith(".md") and rel in docs and rel not in seen:
                seen.add(rel)
                todo.append(rel)
    assert docs - seen == set()


@pytest.fixture(scope="module")
def findings() -> set[tuple[str, str, int]]:
    result = lint_paths([CORPUS], root=CORPUS)
    return {(d.rule_id, d.path, d.line) for d in result.diagnostics}


def test_lint_reports_exactly_the_listed_defects(findings: set[tuple[str, str, int]]) -> None:
    assert findings == EXPECTED


def test_every_finding_is_on_a_listed_defect_line(findings: set[tuple[str, str, int]]) -> None:
    # ties the README's table to the linter: a rule added later may report a listed defect in
    # its own way, but never a line the table does not list
    table = _defect_table()
    stray = sorted(f for f in findings if f[2] not in table.get(f[1], set()))
    assert stray == []
