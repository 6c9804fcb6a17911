"""Checking a few files: parse those, what they link to, and what links into them; no more."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from hypothesis import given, settings
from hypothesis import strategies as st

from linter.config.settings import Config
from linter.corpus import Corpus
from linter.run.lazy import candidates, inbound_links, needles, resolve
from tests.speed_support import check, count_parses, with_link_rule, write

TARGET = "concepts/01-模型/01.1-概述.md"
ONLY_TEST_RULE = Config(only=frozenset({"LK999"}))
FILES = {
    TARGET: "# 概述\n\n## 一、定义\n\n## 二、性质\n\n详见 [附录](../02-附录/附录.md#一附录)。\n",
    "concepts/02-附录/附录.md": "# 附录\n\n## 一、附录\n",
    # links in by a relative path, by a percent-encoded one, and from the root
    "concepts/01-模型/01.2-应用.md": "# 应用\n\n前文：[定义](01.1-概述.md#一定义)\n\n[坏链](01.2-应用.md#无此节)\n",
    "concepts/03-其他/引用.md": "# 引用\n\n[性质](../01-模型/" + quote("01.1-概述.md") + "#二性质)\n",
    "README.md": "# 索引\n\n- [概述](concepts/01-模型/01.1-概述.md)\n- [附录](concepts/02-附录/附录.md)\n",
    # mentions the name in a path that resolves elsewhere: not a candidate
    "other/提及.md": "# 提及\n\n另一个 [同名文件](../elsewhere/01.1-概述.md#一定义)\n",
    # unrelated documents: never parsed
    **{f"notes/n{i}.md": f"# 笔记{i}\n\n[下一则](n{i + 1}.md#笔记{i + 1})\n" for i in range(6)},
}


def test_resolve() -> None:
    assert resolve("a/b/c.md", "../d.md#x") == "a/d.md"
    assert resolve("a/b/c.md", "./%E6%A6%82.md?plain=1") == "a/b/概.md"
    assert resolve("a/c.md", "/top.md") == "top.md"
    assert resolve("a/c.md", "../../escape.md") is None
    assert resolve("a/c.md", "#only-anchor") is None


def test_needles_cover_raw_and_percent_encoded_names() -> None:
    got = needles("概述 (1).md")
    assert "概述 (1).md".encode() in got
    assert b"%E6%A6%82%E8%BF%B0%20%281%29.md" in got
    assert b"%e6%a6%82%e8%bf%b0%20%281%29.md" in got
    assert b"%E6%A6%82%E8%BF%B0%20(1).md" in got


def test_prefilter_finds_inbound_documents_without_parsing(tmp_path: Path) -> None:
    root = write(tmp_path, FILES)
    with count_parses() as parsed:
        found = candidates(Corpus(root), [TARGET])
    assert parsed == []
    assert sorted(found) == ["README.md", "concepts/01-模型/01.2-应用.md", "concepts/03-其他/引用.md"]


def test_inbound_link_lines(tmp_path: Path) -> None:
    root = write(tmp_path, FILES)
    got = inbound_links(Corpus(root), [TARGET])
    assert got == {
        "README.md": frozenset({3}),
        "concepts/01-模型/01.2-应用.md": frozenset({3}),
        "concepts/03-其他/引用.md": frozenset({3}),
    }


def test_heading_rename_finds_broken_inbound_anchors_parsing_only_what_is_needed(tmp_path: Path) -> None:
    root = write(tmp_path, FILES)
    with with_link_rule():
        assert check(root, [root / TARGET], ONLY_TEST_RULE, cache=False, jobs=1) == []
        (root / TARGET).write_text(FILES[TARGET].replace("## 一、定义", "## 一、概念定义"), "utf-8")
        with count_parses() as parsed:
            found = check(root, [root / TARGET], ONLY_TEST_RULE, cache=False, jobs=1)
    assert [d[:4] for d in found] == [("concepts/01-模型/01.2-应用.md", 3, 4, "LK999")]
    assert found[0][4] == f"anchor #一定义 not found in {TARGET}"
    # the 01.2 file's own broken link (line 5) is not about the target: not reported here
    assert sorted(parsed) == sorted(
        [
            TARGET,
            "concepts/02-附录/附录.md",  # linked from the target
            "concepts/01-模型/01.2-应用.md",  # link in (broken)
            "concepts/03-其他/引用.md",  # link in (percent-encoded, fine)
            "README.md",  # link in without an anchor
        ]
    )


def test_same_findings_from_the_cache(tmp_path: Path) -> None:
    root = write(tmp_path, FILES)
    with with_link_rule():
        check(root, config=ONLY_TEST_RULE, jobs=1)
        (root / TARGET).write_text(FILES[TARGET].replace("## 二、性质", "## 二、特性"), "utf-8")
        with count_parses() as parsed:
            warm = check(root, [root / TARGET], ONLY_TEST_RULE, jobs=1)
        cold = check(root, [root / TARGET], ONLY_TEST_RULE, cache=False, jobs=1)
    assert parsed == [TARGET]
    assert warm == cold and [d[:4] for d in warm] == [("concepts/03-其他/引用.md", 3, 1, "LK999")]


def test_real_cross_file_anchor_rule_in_lazy_mode(tmp_path: Path) -> None:
    """The same with the registry's LK003 (bad-cross-file-anchor), all other rules on too."""
    files = {**FILES, "concepts/03-其他/引用.md": FILES["concepts/03-其他/引用.md"] + "\n[外部](../../notes/n0.md#不存在)\n"}
    root = write(tmp_path, files)
    (root / TARGET).write_text(FILES[TARGET].replace("## 一、定义", "## 一、概念定义"), "utf-8")
    with count_parses() as parsed:
        found = check(root, [root / TARGET], cache=False, jobs=1)
    inbound = [d for d in found if d[0] != TARGET]
    assert [d[:4] for d in inbound] == [("concepts/01-模型/01.2-应用.md", 3, 4, "LK003")]
    assert "#一定义" in inbound[0][4] and "#一概念定义" in inbound[0][4]  # with the likely fix
    # 引用.md's own broken link (into notes/) is neither reported nor followed: notes/ is not parsed
    assert not any(p.startswith("notes/") for p in parsed)
    assert {d[0] for d in found} <= {TARGET, "concepts/01-模型/01.2-应用.md"}


def test_without_link_rules_no_inbound_work(tmp_path: Path) -> None:
    root = write(tmp_path, FILES)
    with count_parses() as parsed:
        check(root, [root / TARGET], Config(only=frozenset({"MK010"})), cache=False, jobs=1)
    assert parsed == [TARGET]


def test_whole_corpus_needs_no_inbound_pass(tmp_path: Path) -> None:
    root = write(tmp_path, FILES)
    corpus = Corpus(root)
    assert inbound_links(corpus, corpus.paths) == {}


def test_shared_corpus_one_file_reports_inbound_broken_anchors(shared_corpus: Path) -> None:
    """Checking only 01.3.3 reports the three documents whose links into it name a heading
    it no longer has (`#十一2025年最新研究`; the heading is `## 七、2025年最新研究`, line 630),
    as the full run does, while parsing a small part of the corpus."""
    target = "concepts/01-AI三层模型架构/01.3.3-概率采样与奖励塑形.md"
    config = Config(only=frozenset({"LK003"}))
    with count_parses() as parsed:
        found = check(shared_corpus, [shared_corpus / target], config, cache=False, jobs=1)
    assert [d[:4] for d in found if d[0] != target] == [
        ("concepts/04-AI意识与认知模拟/04.2.2-强化学习范式.md", 437, 81, "LK003"),
        ("concepts/05-AI科学理论/05.1.2-强化学习范式.md", 602, 81, "LK003"),
        ("concepts/05-AI科学理论/05.4.2-RLHF理论.md", 571, 81, "LK003"),
    ]
    assert all("did you mean #七2025年最新研究 (line 630)?" in d[4] for d in found if d[0] != target)
    assert target in parsed and len(parsed) < len(Corpus(shared_corpus).paths) // 4


def _mentions_plainly(data: bytes, source: str, wanted: dict[bytes, set[str]]) -> bool:
    """The pre-filter as first written: the nearest of ten delimiters by ten searches, every
    match resolved (the reference for `_mentions`, which flattens and remembers)."""
    from linter.run.lazy import _DELIMITERS, _LOOKBEHIND

    for needle, targets in wanted.items():
        start = data.find(needle)
        while start != -1:
            end = start + len(needle)
            lo = max(0, start - _LOOKBEHIND)
            left = max(data.rfind(d, lo, start) for d in _DELIMITERS) + 1
            if resolve(source, data[left if left > 0 else lo : end].decode("utf-8", "replace")) in targets:
                return True
            start = data.find(needle, end)
    return False


_PIECES = ["a.md", "ba.md", "x/", "../", "./", "(", "<", '"', "'", " ", "\t", "\n", "[", "]", "=", "#h", "%61.md",
           "概", "/", "\xff"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=30), st.sampled_from(["s.md", "x/s.md", "x/y/s.md"]),
       st.sets(st.sampled_from(["a.md", "ba.md", "x/a.md", "x/ba.md", "概a.md"]), min_size=1, max_size=3))
def test_the_flattened_prefilter_answers_as_ten_searches(pieces: list[str], source: str, targets: set[str]) -> None:
    """Targets whose names end alike (`a.md`, `ba.md`) share matches: each is still
    resolved against its own targets."""
    from linter.run.lazy import _mentions

    data = "".join(pieces).encode("utf-8", "surrogateescape").replace("\xff".encode(), b"\xff")
    wanted: dict[bytes, set[str]] = {}
    for target in targets:
        for needle in needles(target.rsplit("/", 1)[-1]):
            wanted.setdefault(needle, set()).add(target)
    assert _mentions(data, source, wanted) == _mentions_plainly(data, source, wanted)
    # one memo across documents (as `candidates` keeps it): a token resolved from another
    # folder is never taken for this one's
    memo: dict[tuple[str, bytes], str | None] = {}
    for other in ("s.md", "x/s.md", "x/y/s.md", source):
        assert _mentions(data, other, wanted, memo) == _mentions_plainly(data, other, wanted)
