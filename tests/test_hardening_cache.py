"""Issue 12, items 11-13: what the parse cache serves is never stale or fatal. MT006's
"today" is part of the key; the digest index compares the ctime too (as git does); a
corrupt or deeply nested index is a miss, not an exit 2 on every later run."""

from __future__ import annotations

import datetime as real_dt
import os
import types
from pathlib import Path

import pytest

import linter.rules.metadata as metadata
import linter.run.keys as run_cache
from linter.api import RunOptions, lint_paths
from linter.config.files import load_config
from tests.hardening import run
from tests.helpers import write_tree

FORMALAI = "extends: formalai\n"


def lint(root: Path, cache_dir: Path, select: list[str] | None = None) -> list[tuple[str, int, str]]:
    result = lint_paths([root], root=root, select=select,
                        options=RunOptions(cache=True, cache_dir=cache_dir, jobs=1, quiet=True))
    return [(d.path, d.line, d.rule_id) for d in result.diagnostics]


def _on(day: real_dt.date, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make both the rule and the cache believe today is `day`."""

    class FakeDate(real_dt.date):
        @classmethod
        def today(cls) -> real_dt.date:
            return day

    fake = types.SimpleNamespace(date=FakeDate, datetime=real_dt.datetime)
    monkeypatch.setattr(metadata, "dt", fake)
    monkeypatch.setattr(run_cache, "dt", fake, raising=False)


def test_a_future_date_is_not_served_from_yesterdays_entry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = write_tree(tmp_path / "repo", {"标题.md": "# 标题\n\n**最后更新**：2030-01-02\n",
                                          ".formalai-lint.yaml": FORMALAI})
    cache = tmp_path / "cache"
    _on(real_dt.date(2030, 1, 1), monkeypatch)
    assert lint(root, cache) == [("标题.md", 3, "MT006")]  # tomorrow's date: in the future
    _on(real_dt.date(2030, 1, 2), monkeypatch)
    assert lint(root, cache) == []  # today's date now; before: the cached finding


def test_a_fixed_today_keeps_the_cache_across_midnight(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = FORMALAI + "rules:\n  future-date:\n    options:\n      today: '2030-01-01'\n"
    root = write_tree(tmp_path / "repo", {"a.md": "# a\n", ".formalai-lint.yaml": config})
    config = load_config(root)
    _on(real_dt.date(2030, 1, 1), monkeypatch)
    monday = run_cache.environment(config, root)
    _on(real_dt.date(2030, 1, 2), monkeypatch)
    assert run_cache.environment(config, root) == monday
    clock = load_config(write_tree(tmp_path / "clock", {".formalai-lint.yaml": FORMALAI}))
    wednesday = run_cache.environment(clock, root)  # still 2030-01-02 here
    _on(real_dt.date(2030, 1, 3), monkeypatch)
    assert run_cache.environment(clock, root) != wednesday  # the real clock's today is in the key


def test_a_same_size_edit_with_the_mtime_restored_is_seen(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "repo", {"a.md": "# A\n\n[b](b.md)\n", "b.md": "# B\n"})
    old = 1_600_000_000_000_000_000  # 2020: far from "racy"
    os.utime(root / "a.md", ns=(old, old))
    cache = tmp_path / "cache"
    assert lint(root, cache, ["LK001"]) == []
    (root / "a.md").write_text("# A\n\n[b](c.md)\n", "utf-8")  # same size, as `tar -x` or `cp -p` leave it
    os.utime(root / "a.md", ns=(old, old))
    assert lint(root, cache, ["LK001"]) == [("a.md", 3, "LK001")]  # before: the stale entry (no finding)


def test_a_deeply_nested_digest_index_is_a_miss(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    root = write_tree(tmp_path / "repo", {"a.md": "# A\n\n[坏](missing.md)\n"})
    cache = tmp_path / "cache"
    first = run(capsys, monkeypatch, "check", str(root), "--cache-dir", str(cache), "-j", "1", "--format", "json")
    index = next(cache.rglob("digests.idx"))
    index.write_text("[" * 100_000 + "]" * 100_000)
    for _ in range(2):  # before: RecursionError, exit 2, on this run and every later one
        again = run(capsys, monkeypatch, "check", str(root), "--cache-dir", str(cache), "-j", "1", "--format", "json")
        assert (again.code, again.out) == (first.code, first.out) == (1, first.out)
    entry = next(p for p in cache.rglob("*.json"))
    entry.write_text("{" * 50_000)
    again = run(capsys, monkeypatch, "check", str(root), "--cache-dir", str(cache), "-j", "1", "--format", "json")
    assert (again.code, again.out) == (1, first.out)
