"""The fix engine on fixtures: exact results, idempotency, what it refuses, loops, writes."""

from __future__ import annotations

import codecs
import os
from collections.abc import Callable
from pathlib import Path

from linter import fix_paths
from linter.api import make_corpus
from linter.config.settings import Config
from linter.diagnostics import AnchorRename, Applicability, Diagnostic, Fix, TextEdit
from linter.fix.engine import run_fixes
from linter.fix.overlay import OverlayCorpus

from .helpers import write_tree

TOPIC = "concepts/01-a/01.1.1-示例.md"
TOPIC_TEXT = """# 01.1.1-示例

## 一、概述

若 \\(x_1 + y\\)，则成立。

\\[
E = mc^2
\\]

```python
s = "\\(not math\\)"
```

<!-- formalai-lint-disable-next-line MH005 -->
保留 \\(z\\) 不动。

## 二、目录

- [01.1.1-示例](#0111-示例)
  - [一、概述](#一概述)
  - [二、目录](#二目录)
  - [十、旧的](#十旧的)

## 三、定义

### 3.1 要点

**最后更新**: 2025-01-15
"""
FILES: dict[str, str | bytes] = {
    TOPIC: TOPIC_TEXT,
    "notes/a b.md": "# A B\n\n## 节\n",
    "notes/sub/c.md": "# C\n",
    "notes/index.md": b"# Index\r\n\r\n[ab](a b.md#\xe8\x8a\x82) [bs](sub\\c.md) [miss](no such.md)\r\n",
    "notes/bom.md": codecs.BOM_UTF8 + "# 有 BOM\n\n正文\n".encode(),
    "notes/clean.md": "# Clean\n\n[c](sub/c.md)\n",
}


def _fixed(tmp_path: Path, **kwargs: object) -> tuple[Path, object]:
    root = write_tree(tmp_path / "c", FILES)
    return root, fix_paths([root], root=root, **kwargs)  # type: ignore[arg-type]


def test_safe_fixes_give_exactly_the_intended_text(tmp_path: Path) -> None:
    root, result = _fixed(tmp_path)
    text = (root / TOPIC).read_text("utf-8")
    assert "若 $x_1 + y$，则成立。" in text
    assert "\n$$\nE = mc^2\n$$\n" in text
    assert 's = "\\(not math\\)"' in text  # code is never touched
    assert "保留 \\(z\\) 不动。" in text  # a suppressed finding is never fixed
    assert "**最后更新**：2025-01-15" in text
    assert "\n---\n\n## 二、目录\n\n" in text
    toc = text.split("## 二、目录\n\n")[1].split("\n\n")[0]
    assert toc == (
        "- [01.1.1-示例](#0111-示例)\n"
        "  - [一、概述](#一概述)\n"
        "  - [二、目录](#二目录)\n"
        "  - [三、定义](#三定义)\n"
        "    - [3.1 要点](#31-要点)"
    )
    index = (root / "notes/index.md").read_bytes()
    assert index == "# Index\r\n\r\n[ab](<a b.md#节>) [bs](sub/c.md) [miss](no such.md)\r\n".encode()
    assert (root / "notes/bom.md").read_bytes() == "# 有 BOM\n\n正文\n".encode()


def test_a_second_run_changes_nothing_and_untouched_files_keep_their_mtime(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "c", FILES)
    clean = root / "notes/clean.md"
    os.utime(clean, ns=(1_000_000_000, 1_000_000_000))
    first = fix_paths([root], root=root)
    assert set(first.changes) == {TOPIC, "notes/index.md", "notes/bom.md"}
    assert first.fixed >= 8 and first.problems == ()
    assert os.stat(clean).st_mtime_ns == 1_000_000_000
    second = fix_paths([root], root=root)
    assert second.changes == {} and second.fixed == 0
    assert [d.rule_id for d in second.result.diagnostics if d.fix is not None] == []


def test_a_dry_run_writes_nothing(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "c", FILES)
    before = {p: (root / p).read_bytes() for p in FILES}
    result = fix_paths([root], root=root, write=False)
    assert result.changes and not result.written
    assert {p: (root / p).read_bytes() for p in FILES} == before
    assert result.diff().count("\n--- ") + result.diff().startswith("--- ") == len(result.changes)


def test_only_the_named_files_are_fixed(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "c", FILES)
    result = fix_paths([root / "notes" / "bom.md"], root=root)
    assert set(result.changes) == {"notes/bom.md"}
    assert (root / TOPIC).read_text("utf-8") == TOPIC_TEXT


# -- the engine on its own, with findings made up for the purpose ----------------------------


def _corpus(tmp_path: Path, files: dict[str, str | bytes]) -> OverlayCorpus:
    root = write_tree(tmp_path / "e", files)
    corpus = make_corpus(root, Config.default(), None, OverlayCorpus)
    assert isinstance(corpus, OverlayCorpus)
    return corpus


def _finding(path: str, rule: str, edit: TextEdit, unsafe: bool = False) -> Diagnostic:
    applicability = Applicability.UNSAFE if unsafe else Applicability.SAFE
    return Diagnostic(path, edit.start_line, edit.start_column, rule, "made up", fix=Fix((edit,), applicability, "x"))


def test_fixes_that_undo_each_other_are_a_loop_naming_their_rules(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path, {"a.md": "# A\n\nping\n"})

    def lint(c: OverlayCorpus) -> list[Diagnostic]:
        word = c.lines("a.md")[2]
        other = "pong" if word == "ping" else "ping"
        return [_finding("a.md", "XX001" if word == "ping" else "XX002", TextEdit("a.md", 3, 1, 3, 5, other))]

    out = run_fixes(corpus, ["a.md"], lint)
    assert out.loop and out.passes == 2
    assert out.problems == ["fixes did not settle after 2 passes (rules XX002); the last pass is kept"]


def test_a_fix_that_never_settles_stops_after_ten_passes(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path, {"a.md": "# A\n\nx\n"})

    def lint(c: OverlayCorpus) -> list[Diagnostic]:
        return [_finding("a.md", "XX003", TextEdit("a.md", 3, 1, 3, 1, "x"))]

    out = run_fixes(corpus, ["a.md"], lint)
    assert out.loop and out.passes == 10 and "XX003" in out.problems[0]
    assert out.changes["a.md"][1] == b"# A\n\n" + b"x" * 11 + b"\n"


def test_unsafe_fixes_only_when_asked_and_overlapping_fixes_wait_a_pass(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path, {"a.md": "# A\n\nabc\n"})

    def lint(c: OverlayCorpus) -> list[Diagnostic]:
        line = c.lines("a.md")[2]
        found = []
        if "a" in line:
            found.append(_finding("a.md", "XX001", TextEdit("a.md", 3, 1, 3, 3, "A")))  # "ab" -> "A"
        if "b" in line:
            found.append(_finding("a.md", "XX002", TextEdit("a.md", 3, 2, 3, 4, "B")))  # overlaps the first
        if "c" in line:
            found.append(_finding("a.md", "XX003", TextEdit("a.md", 3, line.index("c") + 1, 3, line.index("c") + 2, "C"), unsafe=True))
        return found

    safe = run_fixes(corpus, ["a.md"], lint)
    assert safe.changes["a.md"][1] == b"# A\n\nAc\n" and safe.fixed == 1
    corpus = _corpus(tmp_path / "2", {"a.md": "# A\n\nabc\n"})
    both = run_fixes(corpus, ["a.md"], lint, unsafe=True)
    assert both.changes["a.md"][1] == b"# A\n\nAC\n" and both.fixed == 2


def test_code_blocks_are_protected_and_a_broken_model_leaves_the_file_alone(tmp_path: Path) -> None:
    text = "# A\n\n```\ncode\n```\n\n## B\n"
    corpus = _corpus(tmp_path, {"a.md": text, "b.md": text})

    def lint(c: OverlayCorpus) -> list[Diagnostic]:
        return [
            _finding("a.md", "LK005", TextEdit("a.md", 4, 1, 4, 5, "edited")),  # inside the fence
            _finding("b.md", "XX001", TextEdit("b.md", 7, 1, 7, 3, "###")),  # changes a heading level
        ]

    out = run_fixes(corpus, ["a.md", "b.md"], lint)
    assert out.changes == {}
    assert out.problems == ["b.md: fix would change the heading levels; left untouched"]


def test_an_undecodable_file_is_reported_and_left_alone(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path, {"a.md": b"# A\n\n\xff\xfe\n"})

    def lint(c: OverlayCorpus) -> list[Diagnostic]:
        return [_finding("a.md", "XX001", TextEdit("a.md", 1, 1, 1, 2, "#"))]

    out = run_fixes(corpus, ["a.md"], lint)
    assert out.changes == {} and out.problems[0].startswith("a.md: cannot be decoded")


RENAMED: dict[str, str | bytes] = {
    "a.md": "# A\n\n## 目录\n\n- [一、甲](#一甲)\n- [二、乙](#二乙)\n\n见 [甲](#一甲)。\n\n## 一、甲\n\n## 二、乙\n",
    "b.md": "# B\n\n[甲](a.md#一甲) [乙](a.md#二乙)\n",
}


def _renaming_lint(renames: tuple[AnchorRename, ...], toc: TextEdit | None = None) -> Callable[[OverlayCorpus], list[Diagnostic]]:
    """One finding while a.md's heading still reads 一、甲: renumber it to 零、甲 (declaring
    `renames`), and with `toc` a second fix replacing the TOC list the same pass."""

    def lint(c: OverlayCorpus) -> list[Diagnostic]:
        if c.lines("a.md")[9] != "## 一、甲":
            return []
        edit = TextEdit("a.md", 10, 4, 10, 5, "零")
        found = [Diagnostic("a.md", 10, 1, "ST101", "x", fix=Fix((edit,), Applicability.UNSAFE, "renumber", renames))]
        if toc is not None:
            found.insert(0, _finding("a.md", "TC004", toc))
        return found

    return lint


def _run_counting(tmp_path: Path, lint: Callable[[OverlayCorpus], list[Diagnostic]]) -> tuple[dict[str, str], list[list[str]]]:
    corpus = _corpus(tmp_path, RENAMED)
    parsed: list[list[str]] = []  # the batches the engine asks to have parsed
    out = run_fixes(corpus, ["a.md"], lint, unsafe=True, prepare=lambda paths: parsed.append(sorted(paths)))
    assert not out.problems and out.passes == 1
    return {p: new.decode() for p, (_, new) in out.changes.items()}, parsed


RIGHT = (AnchorRename("一甲", "零甲", "零、甲"),)
WANT_A = str(RENAMED["a.md"]).replace("[一、甲](#一甲)", "[零、甲](#零甲)").replace("(#一甲)", "(#零甲)").replace("## 一、甲", "## 零、甲")


def test_a_fix_declaring_its_renames_has_its_own_links_rewritten_in_the_same_parse(tmp_path: Path) -> None:
    changed, parsed = _run_counting(tmp_path, _renaming_lint(RIGHT))
    assert changed == {"a.md": WANT_A, "b.md": str(RENAMED["b.md"]).replace("a.md#一甲", "a.md#零甲")}
    assert parsed == [["a.md"], ["b.md"]]  # a.md once: its TOC and prose link went with the fix


def test_without_declared_renames_the_same_text_takes_a_second_parse(tmp_path: Path) -> None:
    changed, parsed = _run_counting(tmp_path, _renaming_lint(()))
    assert changed["a.md"] == WANT_A
    assert parsed == [["a.md"], ["a.md", "b.md"]]


def test_a_wrong_prediction_is_redone_from_the_parsed_result(tmp_path: Path) -> None:
    wrong = (AnchorRename("一甲", "三甲", "三、甲"),)
    changed, parsed = _run_counting(tmp_path, _renaming_lint(wrong))
    assert changed["a.md"] == WANT_A  # never the predicted #三甲
    assert parsed == [["a.md"], ["a.md"], ["a.md", "b.md"]]


def test_a_toc_replaced_in_the_same_pass_takes_the_renames_inside_its_replacement(tmp_path: Path) -> None:
    toc = TextEdit("a.md", 5, 1, 6, 13, "- [一、甲](#一甲)\n  - [二、乙](#二乙)")  # regenerated from the old headings
    changed, parsed = _run_counting(tmp_path, _renaming_lint(RIGHT, toc))
    assert changed["a.md"] == WANT_A.replace("- [二、乙]", "  - [二、乙]")
    assert parsed == [["a.md"], ["b.md"]]
