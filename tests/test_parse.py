"""The parse model: a golden file for a fixture document, and focused unit checks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from linter.document.model import Document
from linter.document.inline import link_kind
from linter.document.parse import parse_bytes, parse_text
from linter.document.serde import document_from_data, document_to_data

FIXTURES = Path(__file__).parent / "fixtures" / "parse"


def _parse_fixture(name: str) -> Document:
    return parse_bytes((FIXTURES / name).read_bytes(), name)


def test_golden_model(request: pytest.FixtureRequest) -> None:
    """The whole model of sample.md; refresh with `pytest --update-golden` after a review."""
    doc = _parse_fixture("sample.md")
    got = json.dumps(document_to_data(doc), ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    golden = FIXTURES / "sample.json"
    if request.config.getoption("--update-golden"):
        golden.write_text(got, "utf-8")
    assert got == golden.read_text("utf-8")


def test_headings_numbers_and_anchors() -> None:
    doc = _parse_fixture("sample.md")
    h = {x.line: x for x in doc.headings}
    assert (h[1].level, h[1].anchor) == (1, "0123-示例文档解析模型")
    assert h[3].number is not None and (h[3].number.style, h[3].number.parts) == ("cjk", (1,))
    assert h[19].anchor == "三核心内容--core"
    assert h[21].number is not None and h[21].number.parts == (3, 1)
    assert h[39].anchor == "32--清单"  # emoji removed, both spaces kept
    assert [x.line for x in doc.headings].count(1) == 1  # `# 不是标题` in the fence is no heading


def test_toc_entries() -> None:
    doc = _parse_fixture("sample.md")
    assert doc.toc is not None
    assert (doc.toc.heading_line, doc.toc.end_line) == (10, 18)
    entries = [(e.text, e.anchor, e.depth, e.line) for e in doc.toc.entries]
    assert entries[0] == ("01.2.3-示例文档：解析模型", "0123-示例文档解析模型", 0, 12)
    assert entries[-1] == ("3.2 📋 清单", "32--清单", 2, 17)
    assert all(doc.toc.entries[i].column == 2 * doc.toc.entries[i].depth + 3 for i in range(len(entries)))
    assert set(e.anchor for e in doc.toc.entries) <= doc.anchors()


def test_links_kinds_positions_and_code_exclusion() -> None:
    doc = _parse_fixture("sample.md")
    links = {(l.dest, l.line, l.column) for l in doc.links if not l.in_toc}
    assert ("../02-其他/02.1.1-主题.md#三核心概念", 5, 15) in links
    assert ("img/a.png", 5, 54) in links
    assert all(l.dest != "x.md" and l.dest != "y.md" for l in doc.links)  # code spans / fences
    image = next(l for l in doc.links if l.image)
    assert image.text == "图"
    assert [(p.dest, p.line, p.column) for p in doc.pseudo_links] == [("../03-带 空格/README.md", 41, 1)]
    assert doc.explicit_anchors[0].name == "custom-anchor"
    assert "custom-anchor" in doc.anchors()


def test_formulas() -> None:
    doc = _parse_fixture("sample.md")
    kinds = [(f.kind, f.line, f.closed) for f in doc.formulas]
    assert ("inline", 6, True) in kinds
    assert ("display", 25, True) in kinds and ("display", 31, True) in kinds
    assert ("fence", 33, True) in kinds
    assert ("bracket_display", 37, True) in kinds and ("paren_inline", 37, True) in kinds
    # currency, `$…$` inside code, and the `$$$$` price scale are not formulas
    assert not any(f.line in (5, 46) for f in doc.formulas)
    multi = next(f for f in doc.formulas if f.line == 25)
    assert (multi.end_line, multi.content, multi.content_line) == (27, "f(x) = \\sum_{i=1}^{n} x_i", 26)


def test_references_metadata_fences_separators_comments() -> None:
    doc = _parse_fixture("sample.md")
    titles = [(r.title, len(r.items)) for r in doc.references]
    assert titles == [("四、参考文档", 0), ("4.1 学术参考文献", 3)]
    items = doc.references[1].items
    assert (items[0].number, items[0].marker, items[0].line) == (1, "1.", 57)
    assert items[1].has_sublist and items[1].text == "**2025年最新研究**："
    assert (items[2].number, items[2].marker) == (None, "-")
    assert [(m.key, m.value, m.line) for m in doc.metadata] == [
        ("最后更新", "2025-11-10", 65),
        ("维护者", "FormalAI项目组", 66),
        ("文档版本", "v2.0", 67),
    ]
    assert [(f.language, f.closed) for f in doc.fences] == [("math", True), ("python", True)]
    assert doc.separators == (8, 63)
    assert [c.text for c in doc.comments] == ["formalai-lint-disable-next-line LK001"]


def test_unclosed_and_blank_line_display_blocks() -> None:
    doc = parse_text("# T\n\n$$\na = 1\n\nb = 2\n$$\n\n## 二\n\n$$\nc\n")
    display = [(f.line, f.end_line, f.closed) for f in doc.formulas if f.kind == "display"]
    # the blank line breaks the first block on GitHub; the lone `$$` at line 7 was its closer
    assert display == [(3, 7, False), (11, 12, False)]


def test_double_dollar_inside_paragraph() -> None:
    doc = parse_text("# T\n\n**形式化表述**：\n$$x = 1$$\n\n正文 $$y$$ 中间。\n")
    kinds = [(f.kind, f.line, f.content) for f in doc.formulas]
    assert kinds == [("display", 4, "x = 1"), ("fragment", 6, "y")]


@pytest.mark.parametrize(
    ("dest", "kind"),
    [
        ("#a", "anchor"),
        ("a.md", "relative"),
        ("../a.md#x", "relative"),
        ("https://x.org", "external"),
        ("//cdn.x.org/a", "external"),
        ("mailto:a@b.c", "mailto"),
        ("javascript:alert(1)", "scheme"),
        ("file:///etc/passwd", "scheme"),
        ("data:text/html,x", "scheme"),
        ("c:\\Users\\a.md", "relative"),
        ("", "empty"),
    ],
)
def test_link_kind(dest: str, kind: str) -> None:
    assert link_kind(dest) == kind


def test_unsafe_schemes_are_still_links() -> None:
    doc = parse_text("# T\n\n[x](javascript:alert(1)) [y](file:///etc/passwd)\n")
    assert [l.dest for l in doc.links] == ["javascript:alert(1)", "file:///etc/passwd"]


def test_serde_round_trip() -> None:
    doc = _parse_fixture("sample.md")
    data = json.loads(json.dumps(document_to_data(doc)))
    assert document_from_data(data) == doc


def test_serde_rejects_corrupt_data() -> None:
    data = document_to_data(_parse_fixture("sample.md"))
    data["line_count"] = "many"
    with pytest.raises(ValueError):
        document_from_data(data)
    with pytest.raises(ValueError):
        document_from_data({**document_to_data(_parse_fixture("sample.md")), "extra": 1})


def test_gfm_extended_autolinks_are_links() -> None:
    """Bare URLs, `www.` and e-mail addresses are links on GitHub (cmark-gfm's autolink
    extension), with its boundaries: trailing ASCII punctuation cut, full-width kept."""
    doc = parse_text(
        "# T\n\n见https://example.org/a_(b)). 与 www.example.com/x, 或 a.b@example.org。\n"
        "`https://code.example` [l](https://link.example) <https://angle.example> xhttps://no.example\n"
        "$https://math.example$ 和 https://example.org/中文说明。\n"
    )
    got = [(x.dest, x.line, x.column, x.kind) for x in doc.links]
    assert got == [
        ("https://example.org/a_(b)", 3, 2, "external"),
        ("http://www.example.com/x", 3, 32, "external"),
        ("mailto:a.b@example.org", 3, 53, "mailto"),
        ("https://link.example", 4, 24, "external"),
        ("https://angle.example", 4, 50, "external"),
        ("https://example.org/中文说明。", 5, 26, "external"),
    ]


def test_email_autolink_column() -> None:
    doc = parse_text("# T\n\n联系 <user@example.com> 或 <https://a.example>\n")
    assert [(x.dest, x.column) for x in doc.links] == [
        ("mailto:user@example.com", 4),
        ("https://a.example", 25),
    ]


def test_heading_anchor_keeps_edge_spaces() -> None:
    doc = parse_text('# T\n\n## <a name="x"></a> Named\n\n## Named\n\n## &#x20;Named\n\n## 第一章  <!-- 注 -->\n')
    assert [(h.text, h.anchor) for h in doc.headings[1:]] == [
        ("Named", "-named"),
        ("Named", "named"),
        ("Named", "-named-1"),
        ("第一章", "第一章--"),
    ]
