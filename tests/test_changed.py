"""Changed-files mode in real temporary git repositories (no shell anywhere)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from linter.api import make_corpus
from linter.run.changed import changed_targets, parse_name_status
from linter.config.settings import Config, ConfigError
from linter.run.lazy import resolve as link_target
from linter.rules import get_rule
from tests.helpers import write_tree

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=repo, check=True, capture_output=True, text=True, timeout=60
    ).stdout


@pytest.fixture()
def repo(tmp_path: Path) -> Path:
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "config", "user.email", "t@example.invalid")
    git(tmp_path, "config", "user.name", "t")
    git(tmp_path, "config", "commit.gpgsign", "false")
    files = {
        "a.md": "# A\n\n## 一、概述\n\n正文。\n",
        "b.md": "# B\n\n见 [概述](a.md#一概述)。\n",
        "空格 文件.md": "# 空格\n\n见 [A](./a.md)。\n",
        "sub/c.md": "# C\n\n无关。\n",
        "d.md": "# D\n",
        "e.md": "# E\n\n[D](d.md)\n",
        "f.md": "# F\n",
        "g.md": "# G\n\n[F](f.md#f)\n",
    }
    write_tree(tmp_path, files)
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-q", "-m", "base")
    git(tmp_path, "checkout", "-q", "-b", "feature")
    return tmp_path


def targets(repo: Path, ref: str = "main") -> list[str]:
    corpus = make_corpus(repo, Config.default())
    found, _ = changed_targets(corpus, ref)
    return found


def test_heading_rename_pulls_in_inbound_linkers(repo: Path) -> None:
    (repo / "a.md").write_text("# A\n\n## 一、总览\n\n正文。\n", "utf-8")
    git(repo, "commit", "-qam", "rename heading")
    assert targets(repo) == ["a.md", "b.md", "空格 文件.md"]


def test_uncommitted_and_untracked_changes_count(repo: Path) -> None:
    (repo / "sub" / "c.md").write_text("# C\n\n改了。\n", "utf-8")
    (repo / "新 文件.md").write_text("# 新\n", "utf-8")
    assert targets(repo) == ["sub/c.md", "新 文件.md"]


def test_rename_and_delete_are_tracked(repo: Path) -> None:
    git(repo, "mv", "d.md", "d2.md")
    git(repo, "rm", "-q", "f.md")
    git(repo, "commit", "-qm", "move and delete")
    corpus = make_corpus(repo, Config.default())
    found, changes = changed_targets(corpus, "main")
    assert changes.gone == {"d.md", "f.md"} and changes.changed == {"d2.md"}
    assert found == ["d2.md", "e.md", "g.md"]


def test_root_below_the_git_top_level(repo: Path) -> None:
    (repo / "sub" / "c.md").write_text("# C\n\n改了。\n", "utf-8")
    (repo / "a.md").write_text("# A2\n", "utf-8")
    assert targets(repo / "sub") == ["c.md"]


def test_option_like_ref_is_refused(repo: Path) -> None:
    with pytest.raises(ConfigError, match="expected a git revision"):
        targets(repo, "--output=/tmp/x")


def test_unknown_ref_is_a_config_error(repo: Path) -> None:
    with pytest.raises(ConfigError, match="git merge-base failed"):
        targets(repo, "no-such-branch")


def test_parse_name_status_handles_spaces_newlines_and_renames() -> None:
    out = "M\0a b.md\0R087\0旧 名.md\0新\n名.md\0D\0gone.md\0A\0x.md\0".encode()
    changed, gone = parse_name_status(out)
    assert changed == {"a b.md", "新\n名.md", "x.md"}
    assert gone == {"旧 名.md", "gone.md"}


@pytest.mark.parametrize(
    ("source", "dest", "target"),
    [
        ("x/b.md", "../a.md#s", "a.md"),
        ("b.md", "./sub/c.md", "sub/c.md"),
        ("b.md", "%E7%A9%BA%E6%A0%BC%20%E6%96%87%E4%BB%B6.md", "空格 文件.md"),
        ("x/b.md", "/a.md", "a.md"),
        ("b.md", "#local", None),
        ("b.md", "../../outside.md", None),
    ],
)
def test_link_target(source: str, dest: str, target: str | None) -> None:
    assert link_target(source, dest) == target


def test_cli_changed_since_catches_broken_inbound_anchor(repo: Path) -> None:
    assert get_rule("LK003") is not None
    (repo / "a.md").write_text("# A\n\n## 一、总览\n\n正文。\n", "utf-8")
    git(repo, "commit", "-qam", "rename heading")
    r = subprocess.run(
        [sys.executable, "-m", "linter", "check", "--changed-since", "main", "--format", "github"],
        cwd=repo, capture_output=True, text=True, timeout=120,
    )
    assert r.returncode == 1, r.stderr
    lines = [ln for ln in r.stdout.splitlines() if "LK003" in ln]
    assert len(lines) == 1 and lines[0].startswith("::error file=b.md,line=3,")
    assert "一概述" in lines[0]


def test_cli_changed_since_lints_only_the_affected_files(repo: Path) -> None:
    (repo / "sub" / "c.md").write_text("# C\n\n# 第二个\n", "utf-8")
    (repo / "d.md").write_text("# D\n\n# 未改动时不会被检查\n", "utf-8")
    git(repo, "commit", "-qam", "two H1s in c.md")
    git(repo, "checkout", "-q", "main", "--", "d.md")  # d.md back to its base content
    (repo / "d.md").write_text("# D\n", "utf-8")
    r = subprocess.run(
        [sys.executable, "-m", "linter", "check", "--changed-since", "main", "--format", "json", "--select", "MK020"],
        cwd=repo, capture_output=True, text=True, timeout=120,
    )
    import json

    data = json.loads(r.stdout)
    assert r.returncode == 1
    assert data["files"] == 1
    assert [(d["path"], d["line"], d["rule"]) for d in data["diagnostics"]] == [("sub/c.md", 3, "MK020")]


def test_inbound_prefilter_near_and_far(tmp_path: Path) -> None:
    from linter.run.changed import inbound
    from linter.run.lazy import candidates

    files = {
        "x/README.md": "# X\n\n## 旧\n",
        "x/y/z.md": "# Z\n\n[up](../README.md#旧)\n",
        "other/w.md": "# W\n\n[x](../x/README.md)\n",
        "other/v.md": "# V\n\n[own](README.md)\n",
        "other/README.md": "# O\n",
        "root.md": "# R\n\n[x](x/README.md#%E6%97%A7)\n",
    }
    write_tree(tmp_path, files)
    corpus = make_corpus(tmp_path, Config.default())
    # the byte pre-filter already tells `README.md` beside other/v.md from x/README.md
    assert candidates(corpus, {"x/README.md"}) == ["other/w.md", "root.md", "x/y/z.md"]
    assert inbound(corpus, frozenset({"x/README.md"}), skip=["x/README.md"]) == ["other/w.md", "root.md", "x/y/z.md"]
