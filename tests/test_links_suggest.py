""""Did you mean": headings by number or text, files one ../ away or moved."""

from __future__ import annotations

from linter.links.resolve import FileTree
from linter.links.suggest import cjk_number, suggest_anchor, suggest_path
from linter.document.parse import parse_text


def test_cjk_numbers() -> None:
    assert [cjk_number(t) for t in ("三", "十", "十一", "二十三", "一百零五")] == [3, 10, 11, 23, 105]
    assert cjk_number("核心") is None


HEADINGS = parse_text(
    "# 06.2.2-执行层\n\n## 十、与三层模型的关系\n\n### 10.1 执行层\n\n## 十一、核心结论\n\n"
    "## 十二、相关主题\n\n## 0.0 ZFC 公理系统\n\n### 5. 技术栈选型决策树\n\n## 第七部分\n\n### 1. 技术栈选型决策树\n"
).headings


def _guess(fragment: str, text: str = "") -> tuple[str, int] | None:
    g = suggest_anchor(fragment, HEADINGS, text)
    return (g.heading.anchor, g.heading.line) if g else None


def test_renumbered_heading() -> None:
    assert _guess("十核心结论") == ("十一核心结论", 7)
    assert _guess("十一相关主题") == ("十二相关主题", 9)
    assert _guess("九与三层模型的关系") == ("十与三层模型的关系", 3)
    assert _guess("81-执行层") == ("101-执行层", 5)


def test_spacing_and_dotted_numbers() -> None:
    assert _guess("00-zfc公理系统") == ("00-zfc-公理系统", 11)
    # `7.1` slugs to `71`: the subsection numbered `1.` wins over `5.`
    assert _guess("71-技术栈选型决策树") == ("1-技术栈选型决策树", 17)


def test_no_guess_for_unrelated_fragment() -> None:
    assert _guess("t01-ontology与决策知识库") is None
    assert suggest_anchor("x", (), "") is None


def test_toc_position_breaks_ties() -> None:
    doc = parse_text("# T\n\n## 五、甲\n\n### 5.2 判定\n\n## 七、乙\n\n### 5.2 判定\n")
    g = suggest_anchor("72-判定", doc.headings, "", between=(7, 10**6))
    assert g is not None and (g.heading.anchor, g.heading.line) == ("52-判定-1", 9)
    assert "TOC position" in g.why


TREE = FileTree(
    ["concepts/01-AI三层模型架构/README.md", "concepts/02-x/a.md", "view/T07.md", "archive/old/T07.md",
     "docs/plans/PLAN.md", "docs/README.md", "archive/README.md"],
    ["concepts", "concepts/01-AI三层模型架构", "concepts/02-x", "view", "archive", "archive/old", "docs", "docs/plans"],
)


def test_one_dotdot_less_or_more() -> None:
    g = suggest_path("concepts/02-x/a.md", "../../01-AI三层模型架构/README.md", TREE)
    assert g is not None and (g.dest, g.why) == ("../01-AI三层模型架构/README.md", "one ../ less")
    g = suggest_path("concepts/02-x/a.md", "./01-AI三层模型架构/README.md", TREE)
    assert g is not None and (g.dest, g.why) == ("../01-AI三层模型架构/README.md", "one ../ more")


def test_same_name_elsewhere_nearest_wins() -> None:
    g = suggest_path("view/index.md", "old/T07.md", TREE)
    assert g is not None and g.target == "archive/old/T07.md" and g.dest == "../archive/old/T07.md"
    g = suggest_path("archive/reports/S.md", "PLAN.md", TREE)
    assert g is not None and g.dest == "../../docs/plans/PLAN.md" and g.why == "moved"


def test_generic_names_need_the_same_folder() -> None:
    assert suggest_path("concepts/02-x/a.md", "../07-safety/README.md", TREE) is None
    g = suggest_path("x/y.md", "../other/docs/README.md", TREE)
    assert g is not None and g.target == "docs/README.md"
