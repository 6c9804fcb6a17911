"""Parsing over a process pool gives exactly the serial results, and survives a crash."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from linter.run import parallel
from linter.config.settings import Config
from linter.corpus import Corpus
from linter.run.entry import materialise
from linter.run.parallel import RunOptions, Session
from tests.speed_support import check, count_parses, with_link_rule, write


def make_corpus(root: Path) -> Path:
    files = {}
    for i in range(24):
        body = "".join(f"## {n}、第{n}节\n\n正文 $x_{i}$ 与 [下一篇](d{(i + 1) % 24:02d}.md#{n}第{n}节)。\n\n" for n in "一二三")
        broken = "[坏](d00.md#不存在)\n" if i % 5 == 0 else ""
        fence = "```python\nx = 1\n" if i % 6 == 0 else ""
        files[f"part{i % 3}/d{i:02d}.md" if i % 4 else f"d{i:02d}.md"] = f"# 文档{i}\n\n{body}{broken}{fence}"
    # the links above point at d??.md in the same folder; some resolve, some do not
    return write(root, files)


def session_docs(root: Path, jobs: int) -> tuple[Session, Corpus]:
    config = Config()
    session = Session.open(root, config, None, RunOptions(cache=False, jobs=jobs))
    corpus = Corpus(root, loader=session.load)
    session.prepare(corpus, corpus.paths)
    return session, corpus


def test_serial_equals_parallel(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_corpus(tmp_path / "repo")
    monkeypatch.setattr(parallel, "POOL_MIN_BYTES", 0)
    with with_link_rule():
        with count_parses() as in_parent:
            par = check(root, cache=False, jobs=3)
        ser = check(root, cache=False, jobs=1)
    assert in_parent == []  # every document was parsed in a worker
    assert par == ser
    # per-document findings and cross-file ones (the test rule and the real LK003)
    assert {"MK010", "LK999", "LK003"} <= {d[3] for d in ser}
    # documents and per-document findings too, not only the final report
    s_session, s_corpus = session_docs(root, 1)
    p_session, p_corpus = session_docs(root, 2)
    assert not p_session.pool_failed and sorted(p_session.analysed) == sorted(s_corpus.paths)
    for path in s_corpus.paths:
        assert materialise(p_corpus.document(path)) == s_corpus.document(path)  # type: ignore[arg-type]
        assert p_session.diagnostics[path] == s_session.diagnostics[path]


def crash(path: str, data: bytes, key: str) -> bytes:
    os._exit(3)  # a worker dying mid-task (segfault, OOM kill)


def test_worker_crash_falls_back_to_serial(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_corpus(tmp_path / "repo")
    expected = check(root, cache=False, jobs=1)
    monkeypatch.setattr(parallel, "POOL_MIN_BYTES", 0)
    monkeypatch.setattr(parallel, "_work", crash)
    with count_parses() as in_parent:
        assert check(root, cache=False, jobs=2) == expected
    assert sorted(in_parent) == sorted(Corpus(root).paths)
    session, _ = session_docs(root, 2)
    assert session.pool_failed


def test_small_work_stays_in_process(tmp_path: Path) -> None:
    root = make_corpus(tmp_path / "repo")
    with count_parses() as in_parent:
        check(root, cache=False, jobs=4)
    assert len(in_parent) == 24  # 24 small files: below POOL_MIN_BYTES, no pool started


def test_parallel_results_fill_the_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_corpus(tmp_path / "repo")
    monkeypatch.setattr(parallel, "POOL_MIN_BYTES", 0)
    cold = check(root, jobs=2)
    with count_parses() as parsed:
        assert check(root, jobs=1) == cold
    assert parsed == []
