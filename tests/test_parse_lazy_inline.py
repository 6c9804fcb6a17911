"""The parser runs markdown-it's inline parser only where the model reads its result
(`linter.document.parse._inline_where_read`): the `Document` must be exactly the full parse's."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from linter.document import build, parse, parsers
from linter.corpus import Corpus
from linter.document.encoding import decode
from linter.document.model import Document

FIXTURES = Path(__file__).parent / "fixtures" / "parse"


def _full(text: str, path: str) -> Document:
    """`parse_text` with markdown-it's complete inline pass (what the parse floor times),
    and the builder walking every inline token's children (no `[`/`<`/`$` pre-filter)."""
    real, marks, work = parse._markdown, build.READS_CHILDREN, build._INLINE_WORK
    full = real(full=True)
    parse._markdown = lambda full_=False: full  # type: ignore[assignment, misc]
    build.READS_CHILDREN = build._INLINE_WORK = re.compile("")  # matches in every string
    try:
        return parse.parse_text(text, path, parser=parsers.MARKDOWN_IT)
    finally:
        parse._markdown, build.READS_CHILDREN, build._INLINE_WORK = real, marks, work


def test_lazy_and_full_inline_parse_differ_in_tokens_not_in_the_document() -> None:
    text = "# 标题 **粗体**\n\n普通段落，**没有**链接。\n\n见 [链接](a.md#x) 与 $x^2$。\n"
    lazy_tokens = parse._markdown().parse(text)
    full_tokens = parse._markdown(full=True).parse(text)
    plain = [t for t in lazy_tokens if t.type == "inline" and "普通段落" in t.content]
    # the plain paragraph is not inline-parsed (its emphasis is never read) ...
    assert plain and plain[0].children == []
    assert [len(t.children or []) for t in full_tokens if "普通段落" in t.content] == [5]
    # ... while the heading and the paragraph with a link and math are
    assert all(t.children for t in lazy_tokens if t.type == "inline" and t.content != plain[0].content)
    assert parse.parse_text(text, "d.md") == _full(text, "d.md")


def test_fixture_documents_are_the_same() -> None:
    for path in sorted(FIXTURES.glob("*.md")):
        text = decode(path.read_bytes()).text
        assert parse.parse_text(text, path.name) == _full(text, path.name), path.name


_PIECES = st.sampled_from(
    [
        "文字", "text", " ", "\n", "\n\n", "# ", "## 二、", "- ", "1. ", "> ", "    ", "| a | b |\n|---|---|\n",
        "**", "*", "_", "`", "```\n", "$", "$$", "$x^2$", "$$a$$", "\\(", "\\[", "\\", "[", "]", "(", ")", "<", ">",
        "](a.md)", "](#x)", "<a id=\"x\">", "<!-- c -->", "![", "&amp;", "http://x.y", "目录", "参考文献",
        "**作者**：某", "---\n", "<https://a.b>", "[^1]", "[ref]: u\n", "[ref]",
    ]
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_PIECES, max_size=40).map("".join))
def test_random_markdown_gives_the_same_document(text: str) -> None:
    assert parse.parse_text(text, "d.md") == _full(text, "d.md")


def _shared_texts(root: Path) -> Iterator[tuple[str, str]]:
    corpus = Corpus(root)
    for p in corpus.paths:
        decoded = decode((root / p).read_bytes())
        if decoded.encoding.error is None:
            yield p, decoded.text


def test_shared_corpus_documents_are_the_same(shared_corpus: Path) -> None:
    """Every document of the real corpus (about 12 s: each is parsed twice)."""
    differ = [p for p, text in _shared_texts(shared_corpus) if parse.parse_text(text, p) != _full(text, p)]
    assert differ == []
