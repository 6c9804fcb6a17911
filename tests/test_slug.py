"""GitHub heading anchors: `linter.document.slug` against real headings and the TOC links that reach them.

Each row is a heading of the FormalAI snapshot (../shared/formalai) as GitHub renders it, the
anchor that the document's own hand-written TOC links to (and that resolves on GitHub), and
where both are: path, heading line, TOC line. `test_table_matches_the_snapshot` re-reads those
places, so a row cannot drift from the corpus; it skips when the snapshot is absent.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import pytest

from linter.document.parse import parse_bytes, parse_text
from linter.document.slug import Slugger, slug


class Case(NamedTuple):
    text: str  # rendered heading text, what GitHub slugs
    anchor: str  # the fragment the corpus's own TOC uses for it
    path: str  # where the heading is, relative to the snapshot root
    heading_line: int
    toc_line: int | None  # line of a `[..](#anchor)` TOC link to it; None when nothing links to it
    raw: str | None = None  # heading source after the `#` marks, when it differs from `text`


CASES: tuple[Case, ...] = (
    # CJK headings and full-width punctuation, which GitHub drops
    Case('四、宏观视角：自组织临界性', '四宏观视角自组织临界性', "concepts/08-AI历史进程与原理演进/08.4.5-涌现的底层机制.md", 108, 18),
    Case('五、训练动态：梯度信号过滤', '五训练动态梯度信号过滤', "concepts/08-AI历史进程与原理演进/08.4.5-涌现的底层机制.md", 206, 26),
    Case('一、概述', '一概述', "concepts/08-AI历史进程与原理演进/08.4.5-涌现的底层机制.md", 3, 12),
    Case('二、目录', '二目录', "concepts/08-AI历史进程与原理演进/08.4.5-涌现的底层机制.md", 9, 13),
    Case('十一、核心结论', '十一核心结论', "concepts/01-AI三层模型架构/01.1.2-GPU矩阵运算与CUDA优化.md", 508, 42),
    Case('十、参考文档', '十参考文档', "concepts/01-AI三层模型架构/01.1.1-图灵机抽象与可计算性理论.md", 647, 41),
    Case('路径1：商业决策者', '路径1商业决策者', "Philosophy/00-主题总览与导航.md", 273, 33),
    Case('1. Ontology（本体论）', '1-ontology本体论', "Philosophy/00-主题总览与导航.md", 180, 19),
    Case('3. ARI指数（AI Ready指数）', '3-ari指数ai-ready指数', "Philosophy/00-主题总览与导航.md", 195, 21),
    Case('3.2 新内容应该放哪里？', '32-新内容应该放哪里', "Philosophy/model/11-写作与结构规范.md", 114, 16),
    Case('企业是否投资Ontology？', '企业是否投资ontology', "Philosophy/快速参考指南.md", 152, 18),
    Case('7.1 DeepSeek-R1 的纯 RL 驱动——三层耦合的极致实践', '71-deepseek-r1-的纯-rl-驱动三层耦合的极致实践', "concepts/01-AI三层模型架构/01.4.4-跨层优化策略.md", 396, 34),
    Case("5.1 ICML'25《Quantifying AI Empiricism》", '51-icml25quantifying-ai-empiricism', "concepts/07-AI框架批判与重构/07.1.3-炼金度隐喻的不可操作性.md", 123, 21),
    Case('4.2 2025 年新概念：神经算子=城市"新陈代谢"', '42-2025-年新概念神经算子城市新陈代谢', "concepts/07-AI框架批判与重构/07.10-现象层重构：零公式叙事.md", 149, 23),
    Case('预测3：毛利率90%+', '预测3毛利率90', "Philosophy/model/06-时间线演进模型.md", 637, 34),
    Case("2. Lowe's（劳氏）", '2-lowes劳氏', "Philosophy/model/08-案例研究索引.md", 392, 21),
    Case('8. U.S. Insurer（未命名美国大型保险公司）- 2024-2025年新案例', '8-us-insurer未命名美国大型保险公司--2024-2025年新案例', "Philosophy/model/08-案例研究索引.md", 859, 64),
    Case('0.6 近期文献（2024–2025）/ Recent Literature (2024–2025)', '06-近期文献20242025-recent-literature-20242025', "docs/05-multimodal-ai/05.1-视觉语言模型/README.md", 1993, 1372),
    Case('5.1 函数拟合：ARI(t) = 哲学成熟度 × log(历史数据量)', '51-函数拟合arit--哲学成熟度--log历史数据量', "view/T03_IT技术哲学_工程实践.md", 255, 20, raw='**5.1 函数拟合：ARI(t) = 哲学成熟度 × log(历史数据量)**'),
    # dotted numbers: the dots go, the hyphens and spaces stay
    Case('08.4.5-涌现的底层机制', '0845-涌现的底层机制', "concepts/08-AI历史进程与原理演进/08.4.5-涌现的底层机制.md", 1, 11),
    Case('01.1.2-GPU 矩阵运算与 CUDA 优化', '0112-gpu-矩阵运算与-cuda-优化', "concepts/01-AI三层模型架构/01.1.2-GPU矩阵运算与CUDA优化.md", 1, 11),
    Case('01.2.1-形式文法与 λ 演算', '0121-形式文法与-λ-演算', "concepts/01-AI三层模型架构/01.2.1-形式文法与λ演算.md", 1, 11),
    Case('08-AI 历史进程与原理演进', '08-ai-历史进程与原理演进', "concepts/08-AI历史进程与原理演进/README.md", 1, 11),
    Case('08.5-2023-2025 工程化突破', '085-2023-2025-工程化突破', "concepts/08-AI历史进程与原理演进/README.md", 72, 19),
    Case('3.1 自组织临界性的形式化定义', '31-自组织临界性的形式化定义', "concepts/08-AI历史进程与原理演进/08.4.5-涌现的底层机制.md", 48, 15),
    Case('5.3 信号-噪声比', '53-信号-噪声比', "concepts/08-AI历史进程与原理演进/08.4.5-涌现的底层机制.md", 242, 29),
    Case('10.1 内部参考文档', '101-内部参考文档', "concepts/01-AI三层模型架构/01.2.1-形式文法与λ演算.md", 463, 42),
    Case('10.1 2025年工程化突破', '101-2025年工程化突破', "concepts/08-AI历史进程与原理演进/README.md", 211, 27),
    Case('3.5 GPU图灵完备性定理', '35-gpu图灵完备性定理', "concepts/01-AI三层模型架构/01.1.1-图灵机抽象与可计算性理论.md", 115, 20),
    # emoji (So) are removed, leaving the space as a leading '-'; U+FE0F (Mn) is kept
    Case('📚 文档结构总览', '-文档结构总览', "Philosophy/00-主题总览与导航.md", 54, 7),
    Case('🎯 核心主题体系', '-核心主题体系', "Philosophy/00-主题总览与导航.md", 60, 8),
    Case('🔬 证明树2：Ontology构建"不可复制"的竞争优势', '-证明树2ontology构建不可复制的竞争优势', "Philosophy/model/04-证明树图总览.md", 72, 9),
    Case('🗂️ 主题层级关系', '️-主题层级关系', "Philosophy/00-主题总览与导航.md", 140, 16),
    Case('🗺️ 思维表征方式', '️-思维表征方式', "Philosophy/README.md", 198, 22),
    Case('🏗️ 第一层：哲学基础层（Philosophical Foundation Layer）', '️-第一层哲学基础层philosophical-foundation-layer', "Philosophy/model/01-主题层级模型.md", 51, 8),
    # '/', '&', '→' and '↔' between spaces leave two spaces, so '--'
    Case('6.1 执行层 → 控制层', '61-执行层--控制层', "concepts/01-AI三层模型架构/01.1.1-图灵机抽象与可计算性理论.md", 482, 33),
    Case('Wide & Deep', 'wide--deep', "view/Kimi_Agent_AIML建模全景/ai_ml_applications.md", 826, 61),
    Case('4.2 Weights & Biases实验管理', '42-weights--biases实验管理', "view/Kimi_Agent_AIML建模全景/AI_ML_建模与设计_全面指南.md", 1824, 185),
    Case('定理 4.2.1 (深度效率 - Eldan & Shamir 2016)', '定理-421-深度效率---eldan--shamir-2016', "view/Kimi_Agent_AIML建模全景/ai_ml_formal_theory.md", 1038, 93),
    Case('跨模块映射索引：Philosophy ↔ docs / concepts', '跨模块映射索引philosophy--docs--concepts', "Philosophy/model/09-跨模块映射索引.md", 1, 17),
    Case('7.1 在 Lean / Coq 中的建模草案', '71-在-lean--coq-中的建模草案', "Philosophy/model/10-DKB公理与定理索引.md", 341, 37),
    Case('概述 / Overview', '概述--overview', "docs/01-foundations/01.1-形式逻辑/01.1.1-命题逻辑.md", 7, 16),
    Case('参考文献 / References', '参考文献--references', "docs/01-foundations/01.1-形式逻辑/01.1.1-命题逻辑.md", 520, 42),
    Case('目录 / Table of Contents', '目录--table-of-contents', "docs/01-foundations/01.1-形式逻辑/01.1.1-命题逻辑.md", 13, 17),
    # German and French letters keep their accents (lower-cased)
    Case('概述 / Overview / Übersicht / Aperçu', '概述--overview--übersicht--aperçu', "docs/00-foundations/00-mathematical-foundations/00-set-theory-zfc.md", 5, 14),
    Case('目录 / Table of Contents / Inhaltsverzeichnis / Table des matières', '目录--table-of-contents--inhaltsverzeichnis--table-des-matières', "docs/00-foundations/00-mathematical-foundations/00-set-theory-zfc.md", 11, 15),
    Case('5.3 大数定律 / Law of Large Numbers / Gesetz der großen Zahlen / Loi des grands nombres', '53-大数定律--law-of-large-numbers--gesetz-der-großen-zahlen--loi-des-grands-nombres', "docs/01-foundations/01.2-数学基础/README.md", 419, 108),
    # rendered text: code-span content, TeX source and bold text without their markers; '_' (Pc) is kept
    Case('6.1 与 Philosophy/00-主题总览与导航.md', '61-与-philosophy00-主题总览与导航md', "Philosophy/model/11-写作与结构规范.md", 192, 26, raw='6.1 与 `Philosophy/00-主题总览与导航.md`'),
    Case('6.2 与 docs/ / concepts/ 的协同', '62-与-docs--concepts-的协同', "Philosophy/model/11-写作与结构规范.md", 199, 27, raw='6.2 与 `docs/` / `concepts/` 的协同'),
    Case('1. 商业论证层 (view01.md)', '1-商业论证层-view01md', "Philosophy/00-主题总览与导航.md", 64, 10, raw='1. **商业论证层** (view01.md)'),
    Case('定义 1.2.3 (\\beta-平滑性 / Lipschitz梯度)', '定义-123-beta-平滑性--lipschitz梯度', "view/Kimi_Agent_AIML建模全景/AI_ML_建模与设计_全面指南.md", 394, 25, raw='定义 1.2.3 ($\\beta$-平滑性 / Lipschitz梯度)'),
    Case('定义 1.2.4 (\\mu-强凸性)', '定义-124-mu-强凸性', "view/Kimi_Agent_AIML建模全景/AI_ML_建模与设计_全面指南.md", 404, 26, raw='定义 1.2.4 ($\\mu$-强凸性)'),
    Case('定义 1.3.2 (平方损失 / L_2损失)', '定义-132-平方损失--l_2损失', "view/Kimi_Agent_AIML建模全景/AI_ML_建模与设计_全面指南.md", 431, 29, raw='定义 1.3.2 (平方损失 / $L_2$损失)'),
    Case('定义 2.4.4 (L_2(P_n)覆盖数)', '定义-244-l_2p_n覆盖数', "view/Kimi_Agent_AIML建模全景/ai_ml_formal_theory.md", 569, 51, raw='定义 2.4.4 ($L_2(P_n)$覆盖数)'),
    # a lone '$' is currency, not math, and is removed (Sc)
    Case('示例1：大型企业（营收$50亿）', '示例1大型企业营收50亿', "Philosophy/model/05-决策树图总览.md", 291, 20),
    Case('预测2：2030年市值$5000亿', '预测22030年市值5000亿', "Philosophy/model/06-时间线演进模型.md", 576, 33),
    # a trailing emoji leaves a trailing '-' (nothing in the snapshot links to this one)
    Case("1.1 文档结构规范化 ✅", "11-文档结构规范化-", "ADVANCEMENT_SUMMARY_FINAL_2025_01_15.md", 29, None),
)


def _id(case: Case) -> str:
    return case.anchor


@pytest.mark.parametrize("case", CASES, ids=_id)
def test_slug(case: Case) -> None:
    assert slug(case.text) == case.anchor


@pytest.mark.parametrize("case", [c for c in CASES if c.raw is not None], ids=_id)
def test_parser_slugs_the_rendered_text(case: Case) -> None:
    # code spans keep their content, `$…$` keeps its TeX, `**` goes: the parser must hand the
    # slugger the rendered text, not the source
    assert case.raw is not None
    (heading,) = parse_text(f"## {case.raw}\n").headings
    assert (heading.text, heading.anchor) == (case.text, case.anchor)


def test_table_is_large_and_varied() -> None:
    assert len(CASES) >= 45
    assert len({c.anchor for c in CASES}) == len(CASES)
    assert any(c.anchor.startswith("-") for c in CASES) and any(c.anchor.endswith("-") for c in CASES)
    assert any("\ufe0f" in c.anchor for c in CASES)
    assert any("--" in c.anchor for c in CASES) and any("_" in c.anchor for c in CASES)


def test_table_matches_the_snapshot(shared_corpus: Path) -> None:
    """Every row is where it says: the heading renders to `text`, the TOC line links `#anchor`."""
    problems = []
    for case in CASES:
        doc = parse_bytes((shared_corpus / case.path).read_bytes(), case.path)
        heading = next((h for h in doc.headings if h.line == case.heading_line), None)
        if heading is None or heading.text != case.text or (case.raw and heading.raw != case.raw):
            problems.append(f"{case.path}:{case.heading_line}: heading is {heading}")
        if case.toc_line is not None:
            dests = {link.dest for link in doc.links if link.line == case.toc_line}
            if "#" + case.anchor not in dests:
                problems.append(f"{case.path}:{case.toc_line}: no link to #{case.anchor} (found {dests})")
    assert problems == []


# ---- Slugger: duplicates get -1, -2, ... in document order --------------------------------------


def _run(texts: list[str]) -> list[str]:
    slugger = Slugger()
    return [slugger.slug(t) for t in texts]


def test_interleaved_duplicates() -> None:
    # Philosophy/model/08-案例研究索引.md, lines 288-568; its TOC (lines 13-33) links all six
    texts = ["基本信息", "实施路径", "基本信息", "实施路径", "基本信息", "实施路径"]
    assert _run(texts) == ["基本信息", "实施路径", "基本信息-1", "实施路径-1", "基本信息-2", "实施路径-2"]


def test_many_duplicates_count_past_ten() -> None:
    # the same file has 20 `基本信息` headings; its TOC line 201 links #基本信息-16
    anchors = _run(["基本信息"] * 20)
    assert anchors[0] == "基本信息" and anchors[10] == "基本信息-10" and anchors[16] == "基本信息-16"
    assert len(set(anchors)) == 20


def test_duplicates_compare_slugs_not_texts() -> None:
    # `Wide & Deep` and `Wide  Deep` differ as text but share the slug `wide--deep`
    assert _run(["Wide & Deep", "Wide  Deep"]) == ["wide--deep", "wide--deep-1"]


def test_generated_suffix_collides_with_a_literal_heading() -> None:
    # github-slugger: a generated `a-1` is taken, so a heading literally titled `a-1` gets `a-1-1`
    assert _run(["a", "a", "a-1"]) == ["a", "a-1", "a-1-1"]


def test_literal_suffix_first_pushes_the_counter_on() -> None:
    assert _run(["a-1", "a", "a"]) == ["a-1", "a", "a-2"]


def test_slugger_instances_are_independent() -> None:
    first, second = Slugger(), Slugger()
    assert first.slug("目录") == "目录" and first.slug("目录") == "目录-1"
    assert second.slug("目录") == "目录"


# ---- enclosed Latin letters: symbols with the Alphabetic property, which github-slugger keeps ----
# (github-slugger test/General_Category/Other_Symbol.json keeps U+1F130-1F149 and U+1F170-1F189)


@pytest.mark.parametrize(
    ("text", "anchor"),
    [("🅰️ 血型", "🅰️-血型"), ("🄰 Squared", "🄰-squared"), ("Ⓐ circled", "ⓐ-circled"), ("🅐 neg", "🅐-neg"), ("⒜ paren", "-paren")],
)
def test_squared_latin_letters_are_alphabetic(text: str, anchor: str) -> None:
    assert slug(text) == anchor


def test_circled_latin_letters_are_kept_and_lower_cased() -> None:
    assert slug("Ⓐ 方案") == "ⓐ-方案"
