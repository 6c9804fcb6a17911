"""Unsafe fixes for broken links (LK001, LK002, LK003, TC003): attached only when one
candidate is clearly right, rewriting just the path or the fragment, and saying where the
guess came from; LK001 also from the renames git history records."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from linter.api import lint_paths
from linter.config.settings import Config, RuleSetting
from linter.diagnostics import Applicability, Diagnostic, TextEdit
from linter.links.git_history import git_renames, in_git_checkout, parse_log
from tests.helpers import write_tree

RULES = ("LK001", "LK002", "LK003", "TC003")


def _lint(root: Path, rules: tuple[str, ...] = RULES) -> list[Diagnostic]:
    config = Config(rules={r: RuleSetting(enabled=True) for r in rules}, only=frozenset(rules))
    return list(lint_paths([root], root=root, config=config).diagnostics)


def _edit(d: Diagnostic) -> TextEdit:
    assert d.fix is not None and d.fix.applicability is Applicability.UNSAFE and len(d.fix.edits) == 1
    return d.fix.edits[0]


def _applied(root: Path, e: TextEdit) -> str:
    line = (root / e.path).read_text("utf-8").split("\n")[e.start_line - 1]
    return line[: e.start_column - 1] + e.replacement + line[e.end_column - 1 :]


def test_clear_anchor_guesses_are_fixes_and_ambiguous_ones_are_not(tmp_path: Path) -> None:
    write_tree(tmp_path, {
        "a.md": "# A\n\n见 [结论](#十核心结论) 与 [它](b.md#三主题结构) 与 [重](b.md#一判定方法)。\n\n## 十一、核心结论\n",
        "b.md": "# B\n\n## 四、主题结构\n\n## 五、甲\n\n### 5.2 判定方法\n\n## 六、乙\n\n### 6.2 判定方法\n",
    })
    found = {(d.rule_id, d.column): d for d in _lint(tmp_path)}
    lk002 = found[("LK002", 3)]
    assert _applied(tmp_path, _edit(lk002)) == (
        "见 [结论](#十一核心结论) 与 [它](b.md#三主题结构) 与 [重](b.md#一判定方法)。"
    )
    assert lk002.fix is not None and "renumbered" in lk002.fix.description
    lk003 = found[("LK003", 18)]
    assert _edit(lk003).replacement == "四主题结构"
    # two headings titled 判定方法: a suggestion, but no fix
    ambiguous = found[("LK003", 36)]
    assert ambiguous.suggestion is not None and ambiguous.fix is None


def test_toc_entry_fix_keeps_percent_encoding(tmp_path: Path) -> None:
    write_tree(tmp_path, {
        "a.md": "# A\n\n## 目录\n\n- [十、核心结论](#%E5%8D%81%E6%A0%B8%E5%BF%83%E7%BB%93%E8%AE%BA)\n\n## 十一、核心结论\n",
    })
    (d,) = _lint(tmp_path, ("TC003",))
    assert _edit(d).replacement == "%E5%8D%81%E4%B8%80%E6%A0%B8%E5%BF%83%E7%BB%93%E8%AE%BA"


def test_missing_file_fixes_from_dotdot_and_unique_name(tmp_path: Path) -> None:
    write_tree(tmp_path, {
        "concepts/01-x/README.md": "# X\n",
        "concepts/02-y/a.md": "# A\n\n[x](../../01-x/README.md#x) [p](plan/PLAN.md) [r](old/README.md)\n",
        "archive/plan/PLAN.md": "# P\n",
        "docs/README.md": "# D\n",
    })
    x, p, r = sorted(_lint(tmp_path, ("LK001",)), key=lambda d: d.column)
    assert _applied(tmp_path, _edit(x)).startswith("[x](../01-x/README.md#x) ")
    assert x.suggestion is not None and x.suggestion.description == "one ../ less"
    assert _edit(p).replacement == "../../archive/plan/PLAN.md"
    assert p.fix is not None and "(moved)" in p.fix.description
    assert r.fix is None  # README.md is generic: no same-named folder, no guess


def test_two_files_of_the_same_name_give_a_suggestion_but_no_fix(tmp_path: Path) -> None:
    write_tree(tmp_path, {
        "a/doc.md": "# A\n\n[n](NOTES.md)\n",
        "x/NOTES.md": "# N\n",
        "y/NOTES.md": "# N\n",
    })
    (d,) = _lint(tmp_path, ("LK001",))
    assert d.suggestion is not None and "nearest of 2" in d.suggestion.description and d.fix is None


def test_parse_log_follows_rename_chains_newest_first() -> None:
    out = (
        b"\x01ccc3333\x00\nR100\x00b.md\x00c.md\x00"
        b"\x01bbb2222\x00\nR095\x00a.md\x00b.md\x00R100\x00\xe6\x97\xa7.md\x00\xe6\x96\xb0.md\x00"
        b"\x01aaa1111\x00\nC100\x00k.md\x00l.md\x00"
    )
    got = {k: (v.new, v.commit) for k, v in parse_log(out).items()}
    assert got == {"b.md": ("c.md", "ccc3333"), "a.md": ("c.md", "bbb2222"), "旧.md": ("新.md", "bbb2222")}


def test_no_git_outside_a_checkout(tmp_path: Path) -> None:
    assert not in_git_checkout(tmp_path)
    assert git_renames(tmp_path) == {}


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        check=True, capture_output=True, text=True,
    ).stdout.strip()


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_missing_file_fix_from_git_history(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    write_tree(repo, {
        "view/ai_alpha_view.md": "# Alpha\n\n很长的正文，用于让 git 识别重命名。\n" * 3,
        "view/old/beta.md": "# Beta\n\n另一段足够长的正文内容。\n" * 3,
        "notes/beta.md": "# 另一个 beta\n",
    })
    _git(repo, "init", "-q")
    _git(repo, "add", ".")
    _git(repo, "commit", "-qm", "one")
    _git(repo, "mv", "view/ai_alpha_view.md", "view/T01_alpha.md")
    _git(repo, "mv", "view/old/beta.md", "view/beta-new.md")
    _git(repo, "commit", "-qm", "rename")
    commit = _git(repo, "log", "-1", "--format=%h")
    write_tree(repo, {"index.md": "# I\n\n[a](view/ai_alpha_view.md#alpha) [b](view/old/beta.md)\n"})
    a, b = sorted(_lint(repo, ("LK001",)), key=lambda d: d.column)
    assert a.message == (
        "file or folder view/ai_alpha_view.md not found (link view/ai_alpha_view.md#alpha); "
        f"did you mean view/T01_alpha.md#alpha? (git history: renamed in {commit})"
    )
    assert _applied(repo, _edit(a)).startswith("[a](view/T01_alpha.md#alpha) ")
    assert a.fix is not None and f"git history: view/ai_alpha_view.md renamed to view/T01_alpha.md in {commit}" in a.fix.description
    # a file named beta.md exists elsewhere, but git knows where this one went
    assert _edit(b).replacement == "view/beta-new.md"


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_git_renames_relative_to_a_corpus_in_a_subfolder(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    write_tree(repo, {"site/x.md": "# X\n\n一段足够长的正文，让重命名可以被识别出来。\n" * 3, "other/y.md": "# Y\n" * 5})
    _git(repo, "init", "-q")
    _git(repo, "add", ".")
    _git(repo, "commit", "-qm", "one")
    _git(repo, "mv", "site/x.md", "site/z.md")
    _git(repo, "commit", "-qm", "two")
    assert {k: v.new for k, v in git_renames(repo / "site").items()} == {"x.md": "z.md"}
