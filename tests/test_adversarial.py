"""Hostile and odd input: no exception, no hang, round-trippable model (guide/reliability.md §5)."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from linter.document.encoding import decode
from linter.document.parse import parse_bytes, parse_text
from linter.document.serde import document_from_data, document_to_data
from linter.document.slug import Slugger

FRAGMENTS = [
    "# ", "## 三、", "### 3.1 ", "> ", "- ", "1. ", "```", "```math\n", "~~~", "$$", "$", "\\(", "\\)",
    "\\[", "\\]", "|a|b|\n|-|-|\n", "[x](", "](#", ")", "<!--", "-->", "<a id=\"x\">", "&", "*", "_", "`",
    "\r\n", "\r", "\n", "\n\n", "\ufeff", "\x00", "目录", "参考文献", "**最后更新**：", "2025-01-XX", "营收$50亿",
    "📋", "\ufe0f", " / ", "---\n", "[t](a b.md)", "<https://x.org>", "javascript:", "%2e%2e/",
]
documents = st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=8), max_size=60).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents)
def test_parse_never_raises_and_round_trips(text: str) -> None:
    doc = parse_bytes(text.encode("utf-8", "surrogatepass"), "x.md")
    data = json.loads(json.dumps(document_to_data(doc)))
    assert document_from_data(data) == doc
    assert parse_bytes(text.encode("utf-8", "surrogatepass"), "x.md") == doc  # deterministic
    for h in doc.headings:
        assert 1 <= h.line <= max(doc.line_count, 1)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=200))
def test_arbitrary_bytes_never_raise(data: bytes) -> None:
    doc = parse_bytes(data, "x.md")
    if doc.encoding.error is not None:
        assert doc.encoding.error_kind in {"undecodable", "binary", "too-large"}
        assert doc.headings == ()


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(["\n", "\r\n", "\r"]), min_size=3, max_size=3))
def test_line_endings_do_not_change_positions(eols: list[str]) -> None:
    parts = ["# 标题", "正文", "## 一、概述", "[x](#一概述)"]
    text = "".join(p + e for p, e in zip(parts, [*eols, "\n"]))
    doc = parse_bytes(text.encode(), "x.md")
    assert [(h.line, h.anchor) for h in doc.headings] == [(1, "标题"), (3, "一概述")]
    assert doc.links[0].line == 4


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("nested quotes", ">" * 100_000),
        ("nested lists", "- " * 50_000),
        ("unclosed dollars", "$$\n" * 10_000),
        ("dollar runs", "$$ a " * 10_000),
        ("ampersands", "&" * 300_000),
        ("brackets", "[" * 100_000),
        ("underscores", "a_" * 100_000),
        ("backticks", "`" * 50_000),
        ("long heading", "# " + "a" * 10_000),
        ("many identical headings", "# A\n" * 10_000),
        ("many links", "[x](y.md) " * 20_000),
        ("deep math braces", "$" + "{" * 20_000 + "$"),
    ],
)
def test_pathological_inputs_parse(name: str, text: str) -> None:
    doc = parse_text(text, "x.md")
    assert doc.line_count >= 1


def test_many_identical_headings_get_unique_anchors() -> None:
    doc = parse_text("# A\n" * 2000, "x.md")
    anchors = [h.anchor for h in doc.headings]
    assert anchors[:3] == ["a", "a-1", "a-2"] and len(set(anchors)) == 2000


def test_slugger_is_linear_on_collisions() -> None:
    s = Slugger()
    assert [s.slug("x") for _ in range(3)] + [s.slug("x-1")] == ["x", "x-1", "x-2", "x-1-1"]


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"a" * 20, None),
        (b"\xff\xfe" + "# T\n".encode("utf-16-le"), None),
        ("# T\n".encode("utf-16-be"), None),
        (b"# T\n\x00\x01", "binary"),
        (b"# \xe6\x97\n", "undecodable"),
    ],
)
def test_decode_kinds(data: bytes, kind: str | None) -> None:
    assert decode(data).encoding.error_kind == kind


def test_size_cap() -> None:
    d = decode(b"a" * 101, max_bytes=100)
    assert d.encoding.error_kind == "too-large"
    assert d.encoding.error == "file is larger than the 100-byte limit"


def test_crlf_and_bom_are_recorded() -> None:
    d = decode(b"\xef\xbb\xbf# T\r\nx\r\n")
    assert (d.text, d.encoding.bom, d.encoding.newline) == ("# T\nx\n", True, "crlf")
    assert decode(b"a\nb\r\n").encoding.newline == "mixed"
