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


def crash(batch: list[tuple[str, bytes, str]]) -> list[bytes]:
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


def test_small_files_are_batched_largest_first() -> None:
    """One task per tiny file made 20,000 of them slower in the pool than in one process."""
    tiny = [(f"f{i}.md", 100) for i in range(1000)]
    assert [len(b) for b in parallel.batched(tiny)] == [parallel.BATCH_FILES] * (1000 // parallel.BATCH_FILES)
    big = [("big.md", parallel.BATCH_BYTES), ("a.md", 10), ("b.md", 10)]
    assert list(parallel.batched(big)) == [["big.md"], ["a.md", "b.md"]]
    assert list(parallel.batched([])) == []


def test_batches_over_several_workers_equal_serial(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_corpus(tmp_path / "repo")
    monkeypatch.setattr(parallel, "POOL_MIN_BYTES", 0)
    monkeypatch.setattr(parallel, "BATCH_FILES", 5)  # 24 files: 5 batches over 2 workers
    with count_parses() as in_parent:
        par = check(root, cache=False, jobs=2)
    assert in_parent == []
    assert par == check(root, cache=False, jobs=1)
    cold = check(root, jobs=2)
    assert cold == par and check(root, jobs=1) == cold  # the cache the workers filled


def test_a_model_another_worker_stored_is_read_not_redone_serially(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Files with the same bytes (a copied folder) share one model entry: a worker finding the
    entry another worker stored during the run sends no model back, and the parent reads it
    from the cache instead of redoing the batch itself (which made most of a cold run over
    ten copies of the shared corpus serial)."""
    one = {f"d{i}.md": f"# 文档{i}\n\n## 一、节\n\n正文 [下一篇](d{(i + 1) % 8}.md#一节)。\n" for i in range(8)}
    root = write(tmp_path / "repo", {f"copy{c}/{name}": text for c in range(3) for name, text in one.items()})
    monkeypatch.setattr(parallel, "POOL_MIN_BYTES", 0)
    monkeypatch.setattr(parallel, "BATCH_FILES", 1)  # one file a task: copies land in other tasks
    config = Config()
    session = Session.open(root, config, None, RunOptions(cache=True, cache_dir=tmp_path / "cache", jobs=2))
    corpus = Corpus(root, loader=session.load)
    session.prepare(corpus, corpus.paths)
    assert not session.pool_failed
    assert len(session.analysed) + len(session.rechecked) == 24
    _, serial = session_docs(root, 1)
    for path in serial.paths:
        assert materialise(corpus.document(path)) == serial.document(path)  # type: ignore[arg-type]
