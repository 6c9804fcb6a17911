"""linter.fix.anchors: which anchors a heading fix renames, and the link edits that follow them."""

from __future__ import annotations

from urllib.parse import quote

from hypothesis import given, settings
from hypothesis import strategies as st

from linter.corpus import MemoryCorpus
from linter.diagnostics import TextEdit
from linter.document.parse import parse_text
from linter.fix.anchors import follow_all_renames, follow_renames, renamed_anchors, renamed_titles, toc_links
from linter.links.check import LinkChecker


def _apply(text: str, edits: list[TextEdit]) -> str:
    """The edits of one file applied bottom-up (single-line edits only, as follow_renames makes)."""
    lines = text.split("\n")
    for e in sorted(edits, key=lambda e: (e.start_line, e.start_column), reverse=True):
        assert e.start_line == e.end_line
        s = lines[e.start_line - 1]
        lines[e.start_line - 1] = s[: e.start_column - 1] + e.replacement + s[e.end_column - 1 :]
    return "\n".join(lines)


def _apply_all(files: dict[str, str], edits: list[TextEdit]) -> dict[str, str]:
    return {p: _apply(t, [e for e in edits if e.path == p]) for p, t in files.items()}


def _broken(files: dict[str, str]) -> list[tuple[str, int, str]]:
    corpus = MemoryCorpus({p: t.encode("utf-8") for p, t in files.items()})
    checker = LinkChecker(corpus)
    return [(v.source, v.line, v.dest) for p in corpus.paths for v in checker.verdicts(p) if v.broken]


DOC_BEFORE = """# 标题

## 目录

- [一、概述](#一概述)
- [三、核心](#三核心)
  - [3.1 定义](#31-定义)
- [三、核心](#三核心-1)

## 一、概述

见 [核心](#三核心) 与 [第二个](#三核心-1)。

## 三、核心

### 3.1 定义

## 三、核心
"""

DOC_AFTER = DOC_BEFORE.replace("## 三、核心\n\n### 3.1", "## 二、核心\n\n### 2.1")


def test_renamed_anchors_pairs_by_position_and_recomputes_duplicate_suffixes() -> None:
    before = parse_text(DOC_BEFORE, "a.md")
    after = parse_text(DOC_AFTER, "a.md")
    # the first 三、核心 became 二、核心: the second loses its -1 suffix
    assert renamed_anchors(before, after) == {"三核心": "二核心", "31-定义": "21-定义", "三核心-1": "三核心"}


def test_renamed_anchors_ignores_unchanged_and_explicit_anchors() -> None:
    before = parse_text('# T\n\n<a id="旧"></a>\n\n## 旧\n\n## 甲\n', "a.md")
    after = parse_text('# T\n\n<a id="旧"></a>\n\n## 新\n\n## 甲\n', "a.md")
    assert renamed_anchors(before, after) == {}
    assert renamed_anchors(parse_text("# T\n\n## 甲\n", "a.md"), parse_text("# T\n\n## 甲\n", "a.md")) == {}


def test_renamed_anchors_with_an_inserted_heading_pairs_only_matching_runs() -> None:
    before = parse_text("# T\n\n## 甲\n\n## 乙\n\n### 丙\n", "a.md")
    after = parse_text("# T\n\n## 新\n\n## 甲\n\n## 乙改\n\n### 丙\n", "a.md")
    # 甲 is unchanged (aligned, not paired with 新); 乙 -> 乙改 is a replaced run of one
    assert renamed_anchors(before, after) == {"乙": "乙改"}


def test_follow_renames_rewrites_toc_same_file_and_cross_file_links() -> None:
    files = {
        "docs/a.md": DOC_BEFORE,
        "docs/b.md": "# B\n\n见 [a](a.md#三核心)、[a2](./a.md#三核心-1) 与 [不变](a.md#一概述)。\n",
        "c.md": "# C\n\n[深](docs/a.md#31-定义) [别](docs/b.md#三核心) [外](https://x.org/a.md#三核心)\n",
        "docs/sub/d.md": "# D\n\n[上](../a.md#三核心)\n\n[ref]: ../a.md#31-定义\n\n[引用][ref]\n",
    }
    renames = renamed_anchors(parse_text(DOC_BEFORE, "docs/a.md"), parse_text(DOC_AFTER, "docs/a.md"))
    corpus = MemoryCorpus({p: t.encode("utf-8") for p, t in files.items()})
    edits = follow_renames(corpus, "docs/a.md", renames)
    got = {(e.path, e.start_line, e.start_column, e.end_column, e.replacement) for e in edits}
    assert got == {
        ("docs/a.md", 6, 11, 14, "二核心"),
        ("docs/a.md", 7, 15, 20, "21-定义"),
        ("docs/a.md", 8, 11, 16, "三核心"),
        ("docs/a.md", 12, 9, 12, "二核心"),
        ("docs/a.md", 12, 23, 28, "三核心"),
        ("docs/b.md", 3, 12, 15, "二核心"),
        ("docs/b.md", 3, 29, 34, "三核心"),
        ("c.md", 3, 15, 20, "21-定义"),
        ("docs/sub/d.md", 3, 13, 16, "二核心"),
        ("docs/sub/d.md", 5, 16, 21, "21-定义"),  # the reference definition, edited once
    }
    fixed = _apply_all(files, edits)
    fixed["docs/a.md"] = _apply(DOC_AFTER, [e for e in edits if e.path == "docs/a.md"])
    assert _broken(files) == [("c.md", 3, "docs/b.md#三核心")]
    assert _broken(fixed) == [("c.md", 3, "docs/b.md#三核心")]
    assert "[a](a.md#二核心)" in fixed["docs/b.md"] and "[a2](./a.md#三核心)" in fixed["docs/b.md"]


def test_toc_entries_take_the_new_number_of_their_heading() -> None:
    """A renumbering changes the TOC entries' text with their anchors (no TC004 left for a
    second pass); the first-language form TC004 accepts keeps its form; an entry whose
    text is not the heading's, a link outside the TOC, and an unchanged title are left."""
    before_text = DOC_BEFORE.replace("- [一、概述](#一概述)", "- [一、概述](#一概述)\n- [三、核](#三核心)")
    before_text = before_text.replace("  - [3.1 定义](#31-定义)", "  - [**3.1 定义**](#31-定义)")
    before_text = before_text.replace("## 一、概述", "## 一、概述 / Overview").replace("(#一概述)", "(#一概述--overview)")
    after_text = before_text.replace("## 三、核心\n\n### 3.1", "## 二、核心\n\n### 2.1").replace(
        "## 一、概述 / Overview", "## 零、概述 / Overview"
    )
    before, after = parse_text(before_text, "a.md"), parse_text(after_text, "a.md")
    assert renamed_titles(before, after) == {
        "一概述--overview": ("一、概述 / Overview", "零、概述 / Overview"),
        "三核心": ("三、核心", "二、核心"),
        "31-定义": ("3.1 定义", "2.1 定义"),
        "三核心-1": ("三、核心", "三、核心"),
    }
    corpus = MemoryCorpus({"a.md": after_text.encode("utf-8")})
    renames = {"a.md": renamed_anchors(before, after)}
    edits = follow_all_renames(corpus, renames, {"a.md": renamed_titles(before, after)})
    fixed = _apply(after_text, edits)
    toc = fixed.split("## 零、概述")[0]
    assert toc.splitlines()[4:9] == [
        "- [零、概述](#零概述--overview)",  # the first-language form, renumbered
        "- [三、核](#二核心)",  # not the heading's text: anchor only
        "- [二、核心](#二核心)",
        "  - [**2.1 定义**](#21-定义)",  # the number inside the emphasis
        "- [三、核心](#三核心)",  # same title, new duplicate suffix
    ]
    assert "见 [核心](#二核心) 与 [第二个](#三核心)" in fixed  # prose links: anchors only
    assert follow_all_renames(corpus, renames) == [e for e in edits if e.replacement not in ("零", "二", "2")]


def test_a_number_that_grows_or_shrinks_a_digit_is_inserted_or_removed() -> None:
    """`一、` -> `十一、` leaves the old title as the new one's suffix: the entry gets the
    missing `十` in front (and `十二、` -> `二、` loses it)."""
    before_text = "# T\n\n## 目录\n\n- [一、甲](#一甲)\n- [十二、乙](#十二乙)\n\n## 一、甲\n\n## 十二、乙\n"
    after_text = before_text.replace("## 一、甲", "## 十一、甲").replace("## 十二、乙", "## 二、乙")
    before, after = parse_text(before_text, "a.md"), parse_text(after_text, "a.md")
    corpus = MemoryCorpus({"a.md": after_text.encode("utf-8")})
    edits = follow_all_renames(corpus, {"a.md": renamed_anchors(before, after)}, {"a.md": renamed_titles(before, after)})
    assert _apply(after_text, edits).splitlines()[4:6] == ["- [十一、甲](#十一甲)", "- [二、乙](#二乙)"]


def test_follow_renames_keeps_the_authors_percent_encoding() -> None:
    enc = quote("三核心")
    files = {
        "a.md": DOC_BEFORE,
        "b.md": f"# B\n\n[x](a.md#{enc}) [y](a.md#{enc.lower()}) [z](<a.md#三核心>)\n",
    }
    corpus = MemoryCorpus({p: t.encode("utf-8") for p, t in files.items()})
    renames = {"三核心": "二核心"}
    edits = {e.start_column: e.replacement for e in follow_renames(corpus, "a.md", renames) if e.path == "b.md"}
    new = quote("二核心")
    assert sorted(edits.values()) == sorted([new, new.lower(), "二核心"])
    fixed = _apply(files["b.md"], [e for e in follow_renames(corpus, "a.md", renames) if e.path == "b.md"])
    assert fixed == f"# B\n\n[x](a.md#{new}) [y](a.md#{new.lower()}) [z](<a.md#二核心>)\n"


def test_follow_renames_leaves_links_to_other_files_and_folders_alone() -> None:
    files = {
        "a.md": "# A\n\n## 旧\n",
        "x/a.md": "# A2\n\n## 旧\n\n[自](#旧) [上](../a.md#旧) [夹](../a.md/#旧)\n",
        "b.md": "# B\n\n[x](x/a.md#旧) [y](a.md#旧) [z](../a.md#旧)\n",
    }
    corpus = MemoryCorpus({p: t.encode("utf-8") for p, t in files.items()})
    edits = follow_renames(corpus, "a.md", {"旧": "新"})
    # ../a.md from b.md escapes the root: not a link to a.md on GitHub
    assert {(e.path, e.start_line, e.start_column) for e in edits} == {("x/a.md", 5, 21), ("b.md", 3, 24)}
    assert follow_renames(corpus, "a.md", {}) == []


def test_follow_all_renames_handles_several_documents_in_one_pass() -> None:
    files = {
        "a.md": "# A\n\n## 一\n\n[b](b.md#二)\n",
        "b.md": "# B\n\n## 二\n\n[a](a.md#一)\n",
    }
    corpus = MemoryCorpus({p: t.encode("utf-8") for p, t in files.items()})
    edits = follow_all_renames(corpus, {"a.md": {"一": "壹"}, "b.md": {"二": "贰"}})
    assert sorted((e.path, e.replacement) for e in edits) == [("a.md", "贰"), ("b.md", "壹")]


_TITLES = st.sampled_from(["甲", "乙", "丙", "一、概述", "A / B", "1.1 定义"])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(2, 3), _TITLES), min_size=1, max_size=6), st.data())
def test_a_link_that_resolved_before_a_rename_resolves_after(
    headings: list[tuple[int, str]], data: st.DataObject
) -> None:
    new_titles = [data.draw(_TITLES) for _ in headings]
    body = "".join(f"{'#' * lvl} {t}\n\n" for lvl, t in headings)
    after_body = "".join(f"{'#' * lvl} {t}\n\n" for (lvl, _), t in zip(headings, new_titles))
    before = parse_text("# T\n\n" + body, "a.md")
    after = parse_text("# T\n\n" + after_body, "a.md")
    links = " ".join(f"[l](#{h.anchor}) [m](a.md#{quote(h.anchor)})" for h in before.headings[1:])
    other = " ".join(f"[o](a.md#{h.anchor})" for h in before.headings[1:])
    files = {"a.md": "# T\n\n" + body + links + "\n", "b.md": "# B\n\n" + other + "\n"}
    corpus = MemoryCorpus({p: t.encode("utf-8") for p, t in files.items()})
    edits = follow_renames(corpus, "a.md", renamed_anchors(before, after))
    fixed = {
        "a.md": _apply("# T\n\n" + after_body + links + "\n", [e for e in edits if e.path == "a.md"]),
        "b.md": _apply(files["b.md"], [e for e in edits if e.path == "b.md"]),
    }
    assert _broken(files) == []
    assert _broken(fixed) == []
    # each link still points at the heading in the same position
    fixed_doc = parse_text(fixed["b.md"], "b.md")
    assert [link.dest for link in fixed_doc.links] == [f"a.md#{h.anchor}" for h in after.headings[1:]]


def test_follow_renames_matches_fragments_in_any_case_and_skips_code_view() -> None:
    files = {
        "a.md": "# A\n\n## PHP\n",
        "b.md": "# B\n\n[x](a.md#PHP) [y](a.md#php) [z](a.md?plain=1#php)\n",
    }
    corpus = MemoryCorpus({p: t.encode("utf-8") for p, t in files.items()})
    edits = follow_renames(corpus, "a.md", {"php": "php-8"})
    assert [(e.start_column, e.replacement) for e in edits] == [(10, "php-8"), (24, "php-8")]


_PLAIN = st.text(alphabet="一二、定义 AZaz09.-:()", min_size=1, max_size=8)
_ENTRY_TEXT = _PLAIN | _PLAIN | _PLAIN | _PLAIN | _PLAIN | st.text(alphabet="一 az`*_<>&!|~$[]\\\t\x00\x01\x7f\u00a0", max_size=6)
_SAFE_FRAGMENT = st.text(alphabet="一二az09-_%.", max_size=8)
_FRAGMENT = _SAFE_FRAGMENT | _SAFE_FRAGMENT | _SAFE_FRAGMENT | st.text(alphabet="a()&<>\\ \x00\x01\x7f\u00a0", max_size=4)


@st.composite
def _toc_text(draw: st.DrawFn) -> str:
    """TOC lists, most of them plain (so the fast reading is exercised), some not."""
    lines, indent = [], 0
    for _ in range(draw(st.integers(1, 5))):
        indent = draw(st.sampled_from([0, indent, indent, indent, indent + 2, indent + 2, 1, indent + 3, indent + 4]))
        bullet = draw(st.sampled_from(["-"] * 8 + ["*", "+", "1."]))
        tail = draw(st.sampled_from([""] * 12 + [" ", "x"]))
        lines.append(f"{' ' * indent}{bullet} [{draw(_ENTRY_TEXT)}](#{draw(_FRAGMENT)}){tail}")
        if draw(st.integers(0, 19)) == 0:
            lines.append("")
    return "\n".join(lines) + draw(st.sampled_from(["", "\n"]))


@settings(max_examples=500, deadline=None)
@given(_toc_text())
def test_toc_links_read_a_plain_toc_as_the_parser_does(text: str) -> None:
    """`toc_links` (the fix engine's reading of a regenerated TOC without a parse) gives the
    links markdown-it gives, or None (then the text is parsed)."""
    fast = toc_links(text.split("\n"))
    if fast is not None:
        assert fast == parse_text(text, "a.md").links


def test_toc_links_take_the_regenerated_tocs_and_leave_the_rest() -> None:
    assert toc_links(["- [一、概述](#一概述)", "  - [1.1 定义](#11-定义)", ""]) is not None
    assert toc_links(["  - [一、概述](#一概述)"]) is None  # indented first line
    assert toc_links(["- [一、概述](#一概述)", "      - [深](#深)"]) is None  # could be code
    assert toc_links(["- [**一、概述**](#一概述)"]) is None  # markup: parsed
    assert toc_links(["- [一、概述](#一概述)", "", "- [二](#二)"]) is None  # a blank line


@st.composite
def _plain_toc(draw: st.DrawFn) -> str:
    lines, indent = [], 0
    for n in range(draw(st.integers(1, 8))):
        indent = 0 if n == 0 else draw(st.sampled_from(sorted({0, max(indent - 2, 0), indent, indent + 1, indent + 2})))
        text = draw(_PLAIN).strip() or "x"
        lines.append(f"{' ' * indent}{draw(st.sampled_from('-*+'))} [{text}](#{draw(_SAFE_FRAGMENT)})")
    return "\n".join(lines) + "\n"


@settings(max_examples=300, deadline=None)
@given(_plain_toc())
def test_toc_links_read_every_plain_toc(text: str) -> None:
    fast = toc_links(text.split("\n"))
    assert fast is not None and fast == parse_text(text, "a.md").links
