"""Fuzzing the whole linter over corpus-like fragments (issue 12, acceptance).

Documents are built from the pieces the FormalAI corpus is made of: numbered CJK headings
(`## 三、标题`, `### 3.1`), TOCs, `$$` blocks, links with anchors, reference lists, bold
metadata footers and suppression comments, glued with random text. Every rule runs. The
properties: no exception, the same findings twice, every position inside the document, and
the per-document findings of a document are the same linted alone and inside a corpus.

`make test` runs a short budget (`quick`); `make fuzz` runs the `fuzz` profile (thousands
of examples): `FORMALAI_FUZZ=fuzz pytest tests/test_fuzz.py`.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from linter.api import lint_text
from linter.document.parse import parse_text
from linter.rules import ALL_RULES

settings.register_profile("quick", max_examples=int(os.environ.get("FORMALAI_FUZZ_EXAMPLES", "25")), deadline=None, suppress_health_check=list(HealthCheck))
settings.register_profile("fuzz", max_examples=3000, deadline=None, suppress_health_check=list(HealthCheck))
PROFILE = settings.get_profile(os.environ.get("FORMALAI_FUZZ", "quick"))

PIECES = [
    "# 标题\n\n", "## 一、概述\n\n", "## 三、标题\n\n", "## 十一、核心结论\n\n", "### 3.1 小节\n\n", "### 1.2.3 细节\n\n",
    "## 目录\n\n", "- [一、概述](#一概述)\n", "- [三、标题](#三标题)\n", "  - [3.1 小节](#31-小节)\n",
    "- [十、核心结论](#十核心结论)\n", "$$\n", "E = mc^2\n", "\\frac{1}{2\n", "$x_1$ ", "$$a$$", "\\(a\\) ",
    "\\[b\\]", "[链接](other.md#一概述) ", "[坏](#不存在) ", "[文件](missing.md) ", "[空]() ", "[t](a b.md) ",
    "## 参考文献\n\n", "1. Vaswani, A. (2017). Attention Is All You Need. arXiv:1706.03762\n",
    "2. Smith (2020). Title. DOI: 10.1000/xyz\n", "**最后更新**：2025-11-10\n", "**创建日期**：2025-01-01\n",
    "**维护者**：FormalAI项目组\n", "<!-- formalai-lint-disable-next-line LK002 -->\n",
    "<!-- formalai-lint-disable MH007 -->\n", "<!-- formalai-lint-enable -->\n", "<a id=\"锚点\"></a>\n",
    "```\ncode\n```\n", "```\n", "|a|b|\n|-|-|\n|1|2|\n", "---\n", "> 引用\n", "**加粗**", "\n", "\n\n",
    "正文", " ", "{", "}", "、", "：",
]
OTHER = "# 其他\n\n## 一、概述\n\n[回](doc.md#三标题)\n"
documents = st.lists(st.sampled_from(PIECES) | st.text(max_size=6), max_size=40).map("".join)
DOCUMENT_RULES = frozenset(r.id for r in ALL_RULES if r.scope == "document")


@PROFILE
@given(documents)
def test_lint_is_total_deterministic_and_local(text: str) -> None:
    alone = lint_text(text, "doc.md")
    assert lint_text(text, "doc.md") == alone  # deterministic
    # lint_text reads the text as a file does: a lone `\r` is a line break there too
    doc = parse_text(text.replace("\r\n", "\n").replace("\r", "\n"), "doc.md")
    last = max(doc.line_count, 1)
    for d in alone:
        assert d.path == "doc.md"
        assert 1 <= d.line <= last and d.column >= 1, d
        if d.end_line is not None:
            assert d.line <= d.end_line <= last, d
    in_corpus = lint_text(text, "doc.md", others={"other.md": OTHER, "sub/x.md": text})
    mine = [d for d in in_corpus if d.path == "doc.md" and d.rule_id in DOCUMENT_RULES]
    assert mine == [d for d in alone if d.rule_id in DOCUMENT_RULES]
