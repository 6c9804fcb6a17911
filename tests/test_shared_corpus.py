"""The real FormalAI snapshot: every file parses, and same-file anchors resolve as on GitHub.

Skips when ../shared/formalai is absent.
"""

from __future__ import annotations

from collections import Counter
import pytest

from linter.corpus import Corpus
from linter.document.model import Document

TOPIC = "concepts/08-AI历史进程与原理演进/08.4.5-涌现的底层机制.md"


@pytest.fixture(scope="module")
def docs(shared_parsed: Corpus) -> dict[str, Document]:
    out = {}
    for p in shared_parsed.paths:
        doc = shared_parsed.document(p)
        assert doc is not None
        out[p] = doc
    return out


def test_every_file_parses(docs: dict[str, Document]) -> None:
    assert len(docs) == 604
    encodings = Counter(d.encoding.name for d in docs.values())
    assert encodings == {"utf-8": 592, "utf-8-sig": 11, "utf-16-le": 1}
    assert docs["Philosophy/研究问题与开放议题.md"].headings  # the UTF-16 file is read, not skipped
    assert all(d.readable for d in docs.values())
    # the BOM does not hide the title: every BOM file still has its H1 on line 1
    for d in docs.values():
        if d.encoding.bom and d.encoding.name == "utf-8-sig":
            assert d.headings[0].level == 1 and d.headings[0].line == 1, d.path


def test_same_file_toc_anchors_resolve(docs: dict[str, Document]) -> None:
    """About 99% of the corpus's TOC anchors work on GitHub; ours must resolve exactly those.

    The 82 that do not are the stale ones measured in guide/corpus.md section 3 (75 concept
    TOCs after renumbering, Mermaid labels, pangu spacing, ...).
    """
    total = ok = 0
    for d in docs.values():
        anchors = d.anchors()
        for link in d.links:
            if link.in_toc:
                total += 1
                ok += link.dest[1:] in anchors
    assert total == 10890
    assert ok == 10808
    assert total - ok == 82


def test_all_same_file_anchor_links(docs: dict[str, Document]) -> None:
    links = [(d, l) for d in docs.values() for l in d.links if l.kind == "anchor"]
    bad = [(d.path, l.line, l.dest) for d, l in links if l.dest[1:] not in d.anchors()]
    assert len(links) == 11016
    assert len(bad) == 95
    assert ("concepts/06-AI反实践判定系统/06.2.2-执行层反实践判定.md", 45, "#十核心结论") in bad


def test_link_kinds_and_pseudo_links(docs: dict[str, Document]) -> None:
    kinds = Counter(l.kind for d in docs.values() for l in d.links)
    # corpus study: 235 external and 52 mailto written as links; GitHub also links 12 bare URLs
    # and 11 bare e-mail addresses (GFM extended autolinks, issue 14 item 8)
    assert kinds == {"anchor": 11016, "relative": 5300, "external": 247, "mailto": 63}
    assert sum(len(d.pseudo_links) for d in docs.values()) == 221


def test_unclosed_fences(docs: dict[str, Document]) -> None:
    unclosed = sorted((d.path, f.line) for d in docs.values() for f in d.fences if not f.closed)
    assert unclosed == [("THINKING_REPRESENTATION_STANDARD.md", 350), ("view/VIEW_文档质量检查报告_2025.md", 279)]


def test_concept_topic_golden(docs: dict[str, Document]) -> None:
    """08.4.5: its 11 H2 (with the repeated 四、), TOC, formulas and references, at their lines."""
    d = docs[TOPIC]
    h2 = [(h.line, h.text) for h in d.headings if h.level == 2]
    assert h2 == [
        (3, "一、概述"), (9, "二、目录"), (46, "三、核心形式化理论"), (108, "四、宏观视角：自组织临界性"),
        (153, "四、微观视角：注意力相变"), (206, "五、训练动态：梯度信号过滤"), (261, "六、关键突破"),
        (295, "七、与三层模型的关系"), (319, "八、核心结论"), (329, "九、相关主题"), (341, "十、参考文档"),
    ]
    numbers = [h.number.parts[0] for h in d.headings if h.level == 2 and h.number]
    assert numbers == [1, 2, 3, 4, 4, 5, 6, 7, 8, 9, 10]
    h3_under_four = [h for h in d.headings if h.level == 3 and 108 < h.line < 153]
    assert [(h.line, h.number.parts if h.number else None) for h in h3_under_four] == [
        (110, (3, 1)), (122, (3, 2)), (134, (3, 3))
    ]
    assert d.toc is not None and (d.toc.heading_line, d.toc.end_line) == (9, 45)
    assert len(d.toc.entries) == 32
    assert (d.toc.entries[0].anchor, d.toc.entries[0].line) == ("0845-涌现的底层机制", 11)
    assert (d.toc.entries[7].anchor, d.toc.entries[7].depth) == ("四宏观视角自组织临界性", 1)
    assert all(e.anchor in d.anchors() for e in d.toc.entries)
    display = [f.line for f in d.formulas if f.kind == "display"]
    assert display[:3] == [54, 62, 68] and len(display) == 18
    refs = {r.title: r for r in d.references}
    academic = refs["10.2 学术参考文献"]
    assert [(i.number, i.line) for i in academic.items] == [(1, 359), (2, 361), (3, 363)]
    assert academic.items[0].text.startswith("**Wei, J., et al. (2022)**")
    assert [(m.key, m.line) for m in d.metadata] == [("最后更新", 376), ("维护者", 377), ("文档版本", 378)]
