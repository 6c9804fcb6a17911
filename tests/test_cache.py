"""The parse cache: hits, every invalidation trigger, bad entries, sharing, fallbacks."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import linter
from linter.run import cache as cache_module
from linter.run import keys as keys_module
from linter.run.cache import CACHE_DIR_NAME
from linter.config.settings import Config, RuleSetting
from linter.corpus import Corpus
from linter.diagnostics import Severity
from linter.run.engine import lint
from linter.run.entry import materialise
from linter.run.parallel import RunOptions, Session
from tests.speed_support import check, count_parses, count_rule_runs, with_link_rule, write

FILES = {
    "a.md": "# A\n\n## 一、概述\n\n见 [B](b.md#二目录)。\n",
    "b.md": "# B\n\n## 二、目录\n\n```python\nx = 1\n",  # unclosed fence: MK010 at 5:1
    "sub/c.md": "# C\n\n[上级](../a.md#一概述)\n",
}
UNCLOSED = ("b.md", 5, 1, "MK010")


def entries(folder: Path, kind: str = "models") -> list[Path]:
    """The stored models (or findings) under a cache folder."""
    return sorted(p for p in folder.rglob("*.json") if kind in p.relative_to(folder).parts)


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    return write(tmp_path / "repo", FILES)


def test_second_run_parses_nothing_and_reports_the_same(corpus: Path) -> None:
    with count_parses() as first:
        cold = check(corpus, jobs=1)
    with count_parses() as second:
        warm = check(corpus, jobs=1)
    assert sorted(first) == ["a.md", "b.md", "sub/c.md"]
    assert second == []
    assert warm == cold and [d[:4] for d in cold] == [UNCLOSED]
    folder = corpus / CACHE_DIR_NAME
    assert (folder / "CACHEDIR.TAG").read_text().startswith("Signature: 8a477f597d28d172789f06886806bc55")
    assert (folder / ".gitignore").read_text() == "*\n"
    assert len(entries(folder)) == 3


def test_no_cache_writes_nothing(corpus: Path) -> None:
    with count_parses() as parsed:
        check(corpus, cache=False, jobs=1)
        check(corpus, cache=False, jobs=1)
    assert len(parsed) == 6
    assert not (corpus / CACHE_DIR_NAME).exists()


def test_content_change_reparses_only_that_file(corpus: Path) -> None:
    check(corpus, jobs=1)
    (corpus / "b.md").write_text("# B\n\n## 二、目录\n\n```python\nx = 1\n```\n", "utf-8")
    with count_parses() as parsed:
        assert check(corpus, jobs=1) == []
    assert parsed == ["b.md"]


def test_a_rename_keeps_the_model_and_reruns_the_rules(corpus: Path) -> None:
    check(corpus, jobs=1)
    (corpus / "b.md").rename(corpus / "b2.md")
    with count_parses() as parsed, count_rule_runs() as ran:
        found = check(corpus, jobs=1)
    # the model is the bytes' (no path in it); findings name the path, and schemas select by it
    assert parsed == [] and {p for p, _ in ran} == {"b2.md"}
    # a.md came from the cache, but its link to b.md is judged again: now missing
    assert [d[:4] for d in found] == [("a.md", 5, 3, "LK001"), ("b2.md", 5, 1, "MK010")]


@pytest.mark.parametrize("change", ["tool-version", "code", "parser", "max-bytes"])
def test_every_model_input_reparses(corpus: Path, change: str, monkeypatch: pytest.MonkeyPatch) -> None:
    check(corpus, jobs=1)
    config = None
    if change == "tool-version":
        monkeypatch.setattr(linter.resources, "__version__", "99.0.0")
    elif change == "code":
        monkeypatch.setattr(keys_module, "code_hash", lambda: "edited")
    elif change == "parser":  # another parser, or another version of one
        monkeypatch.setattr(keys_module, "parser_identity", lambda choice: "markdown-it markdown-it-py=0.0.1")
    else:
        config = Config(max_bytes=1024 * 1024)
    with count_parses() as parsed:
        found = check(corpus, config=config, jobs=1)
    assert sorted(parsed) == ["a.md", "b.md", "sub/c.md"]
    assert [d[:4] for d in found] == [UNCLOSED]


def test_a_schema_edit_reruns_the_rules_without_parsing(corpus: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    schemas = tmp_path / "schemas"
    schemas.mkdir()
    (schemas / "concept.json").write_text('{"type": "object"}', "utf-8")
    monkeypatch.setattr(keys_module, "schemas_dir", lambda: schemas)
    cold = check(corpus, jobs=1)
    (schemas / "concept.json").write_text('{"type": "object", "required": ["x"]}', "utf-8")
    with count_parses() as parsed, count_rule_runs() as ran:
        assert check(corpus, jobs=1) == cold
    assert parsed == []
    assert sorted({p for p, _ in ran}) == ["a.md", "b.md", "sub/c.md"]  # every rule, on every model


def test_a_severity_edit_parses_nothing_and_runs_no_rule(corpus: Path) -> None:
    check(corpus, config=Config(), jobs=1)
    config = Config(rules={"MK010": RuleSetting(severity=Severity.WARNING)})
    with count_parses() as parsed, count_rule_runs() as ran:
        found = check(corpus, config=config, jobs=1)
    assert parsed == [] and ran == []
    assert [(d[:4], d[5]) for d in found] == [(UNCLOSED, "warning")]
    assert found == check(corpus, config=config, cache=False, jobs=1)


def test_disabling_and_enabling_a_rule_reruns_only_what_changed(corpus: Path) -> None:
    check(corpus, config=Config(), jobs=1)
    off = Config(rules={"MK010": RuleSetting(enabled=False)})
    with count_parses() as parsed, count_rule_runs() as ran:
        assert check(corpus, config=off, jobs=1) == []
    assert parsed == [] and ran == []
    assert check(corpus, config=off, cache=False, jobs=1) == []
    # other options for one rule: only that rule runs again, on the cached models
    from linter.rules import get_rule

    rule = get_rule("MK010")
    assert rule is not None
    extra = Config(extra=frozenset({"MK010"}), rules={"MK010": RuleSetting(options={"x-test": 1})})
    with count_parses() as parsed, count_rule_runs() as ran:
        again = check(corpus, config=extra, jobs=1)
    assert parsed == [] and sorted(set(ran)) == [(p, "MK010") for p in ("a.md", "b.md", "sub/c.md")]
    assert [d[:4] for d in again] == [UNCLOSED]


def test_unchanged_environment_is_stable(corpus: Path) -> None:
    config = Config(rules={"MK010": RuleSetting(severity=Severity.WARNING)})
    one = keys_module.environment(config, corpus)
    same = keys_module.environment(Config(rules={"MK010": RuleSetting(severity=Severity.WARNING)}), corpus)
    assert one == same != keys_module.environment(Config(), corpus)
    # the model environment ignores the configuration's rules
    assert keys_module.model_environment(config) == keys_module.model_environment(Config())


@pytest.mark.parametrize("kind", ["models", "findings"])
@pytest.mark.parametrize("damage", ["truncate", "garbage", "flip-byte", "empty", "other-entry"])
def test_bad_entries_are_misses(corpus: Path, damage: str, kind: str) -> None:
    cold = check(corpus, jobs=1)
    paths = entries(corpus / CACHE_DIR_NAME, kind)
    blobs = [p.read_bytes() for p in paths]
    for i, p in enumerate(paths):
        blob = blobs[i]
        if damage == "truncate":
            p.write_bytes(blob[: len(blob) // 2])
        elif damage == "garbage":
            p.write_bytes(b"\x80\x81not json\n[1,2]\n")
        elif damage == "flip-byte":  # in the light lines (the first after the header)
            at = blob.index(b"\n") + 2
            p.write_bytes(blob[:at] + bytes([blob[at] ^ 0x01]) + blob[at + 1 :])
        elif damage == "empty":
            p.write_bytes(b"")
        else:  # a well-formed entry for another file (a foreign entry under this key)
            p.write_bytes(blobs[(i + 1) % len(blobs)])
    with count_parses() as parsed, count_rule_runs() as ran:
        assert check(corpus, jobs=1) == cold
    # a bad model is parsed again; bad findings are found again by the rules, over the model
    assert sorted(parsed) == (["a.md", "b.md", "sub/c.md"] if kind == "models" else [])
    assert sorted({p for p, _ in ran}) == ["a.md", "b.md", "sub/c.md"]
    with count_parses() as again, count_rule_runs() as ran_again:  # the bad entries were replaced
        assert check(corpus, jobs=1) == cold
    assert again == [] and ran_again == []


def test_damaged_heavy_lines_are_replaced_by_a_fresh_parse_when_read(corpus: Path) -> None:
    """A flipped byte among the fields a run does not read costs nothing; once a field of
    them is read, its checksum fails and the document is parsed again (never wrong data)."""
    from linter.api import lint_paths

    cold = check(corpus, jobs=1)
    for p in entries(corpus / CACHE_DIR_NAME):
        blob = p.read_bytes()
        p.write_bytes(blob[:-3] + bytes([blob[-3] ^ 0x01]) + blob[-2:])
    with count_parses() as parsed:
        result = lint_paths([corpus], root=corpus, options=RunOptions(jobs=1, quiet=True))
        assert [(d.path, d.line, d.column, d.rule_id) for d in result.diagnostics] == [d[:4] for d in cold]
        assert parsed == []
        assert result.corpus is not None
        doc = result.corpus.document("b.md")
        assert doc is not None and [h.text for h in doc.headings] == ["B", "二、目录"]
    assert parsed == ["b.md"]


def test_read_only_root_falls_back_to_the_user_cache(corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    os.chmod(corpus, 0o555)
    try:
        cold = check(corpus, jobs=1)
        with count_parses() as parsed:
            assert check(corpus, jobs=1) == cold
    finally:
        os.chmod(corpus, 0o755)
    assert parsed == []
    assert not (corpus / CACHE_DIR_NAME).exists()
    assert len(entries(cache_module.user_cache_dir(corpus))) == 3


def test_nowhere_writable_runs_without_cache_after_one_note(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    xdg = tmp_path / "xdg"
    xdg.mkdir()
    monkeypatch.setenv("XDG_CACHE_HOME", str(xdg))
    os.chmod(corpus, 0o555)
    os.chmod(xdg, 0o555)
    try:
        found = check(corpus, jobs=1)
        err = capsys.readouterr().err
        assert check(corpus, jobs=1, quiet=True) == found
        assert capsys.readouterr().err == ""
    finally:
        os.chmod(corpus, 0o755)
        os.chmod(xdg, 0o755)
    assert [d[:4] for d in found] == [UNCLOSED]
    assert err.count("\n") == 1 and err.startswith("note: no writable cache folder")


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "linter", *args], capture_output=True, text=True, cwd=cwd, timeout=300)


def test_cache_dir_option_and_cache_clear(corpus: Path, tmp_path: Path) -> None:
    folder = tmp_path / "elsewhere"
    r = run_cli("check", str(corpus), "--cache-dir", str(folder), "--jobs", "1")
    assert r.returncode == 1 and r.stderr == ""
    assert len(entries(folder)) == 3 and not (corpus / CACHE_DIR_NAME).exists()
    cleared = run_cli("cache", "clear", "--cache-dir", str(folder))
    assert cleared.returncode == 0 and not folder.exists()
    run_cli("check", str(corpus), "--jobs", "1")
    assert (corpus / CACHE_DIR_NAME).is_dir()
    assert run_cli("cache", "clear", "--root", str(corpus)).stdout.startswith("cleared ")
    assert not (corpus / CACHE_DIR_NAME).exists()
    assert run_cli("cache", "clear", "--root", str(corpus)).stdout.strip() == "no cache to clear"


def test_cache_clear_refuses_a_folder_it_did_not_make(tmp_path: Path) -> None:
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "notes.txt").write_text("keep", "utf-8")
    r = run_cli("cache", "clear", "--cache-dir", str(precious))
    assert r.returncode == 2 and (precious / "notes.txt").exists()
    assert r.stderr.startswith("error: cache folder") and "not clearing it" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


def test_two_concurrent_runs_sharing_a_cache(tmp_path: Path) -> None:
    files = {f"d{i:02d}.md": f"# D{i}\n\n## 一、节\n\n[下一个](d{(i + 1) % 40:02d}.md#一节)\n" + ("```\n" if i % 7 == 0 else "") for i in range(40)}
    root = write(tmp_path / "repo", files)
    shared = tmp_path / "shared-cache"
    args = [sys.executable, "-m", "linter", "check", str(root), "--format", "json", "--cache-dir", str(shared), "--jobs", "2"]
    procs = [subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outs = [p.communicate(timeout=300) for p in procs]
    reference = run_cli("check", str(root), "--format", "json", "--no-cache")
    assert all(err == "" for _, err in outs)
    assert outs[0][0] == outs[1][0] == reference.stdout
    assert '"rule": "MK010"' in reference.stdout
    assert run_cli("check", str(root), "--format", "json", "--cache-dir", str(shared)).stdout == reference.stdout
    assert len(entries(shared)) == 40


def test_cached_equals_uncached_with_cross_file_rules(corpus: Path) -> None:
    with with_link_rule():
        cold = check(corpus, jobs=1)
        (corpus / "a.md").write_text("# A\n\n## 一、总览\n\n见 [B](b.md#二目录)。\n", "utf-8")
        warm = check(corpus, jobs=1)
        fresh = check(corpus, cache=False, jobs=1)
    assert [d[:4] for d in cold] == [UNCLOSED]
    # renaming a.md's heading breaks c.md's link: recomputed although c.md came from the cache
    assert warm == fresh and ("sub/c.md", 3, 1, "LK999") in [d[:4] for d in warm]


# -- cached == --no-cache over random edit/rename/delete sequences -----------------------------

NAMES = ["a.md", "b.md", "sub/c.md", "sub/深.md", "d e.md"]
FRAGMENTS = [
    "# 标题\n", "## 一、概述\n", "## 二、目录\n", "## 一、概述\n", "正文。\n", "```python\n", "```\n",
    "$$\nx\n$$\n", "[a](a.md#一概述)\n", "[b](b.md#二目录)\n", "[c](sub/c.md#标题)\n",
    "[深](sub/%E6%B7%B1.md#一概述)\n", "[up](../a.md#标题)\n", "[self](#一概述)\n", "- [x](b.md)\n",
]

operations = st.lists(
    st.tuples(
        st.sampled_from(["edit", "edit", "rename", "delete"]),
        st.sampled_from(NAMES),
        st.sampled_from(NAMES),
        st.lists(st.sampled_from(FRAGMENTS), max_size=8),
    ),
    min_size=1,
    max_size=6,
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(operations)
def test_cached_equals_uncached_over_random_edits(ops: list[tuple[str, str, str, list[str]]]) -> None:
    with tempfile.TemporaryDirectory() as tmp, with_link_rule():
        root = write(Path(tmp) / "repo", {n: "# 标题\n\n## 一、概述\n" for n in NAMES[:3]})
        check(root, jobs=1)  # warm the cache
        for op, name, other, fragments in ops:
            path, dest = root / name, root / other
            if op == "edit":
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text("".join(fragments), "utf-8")
            elif op == "rename" and path.exists() and not dest.exists():
                dest.parent.mkdir(parents=True, exist_ok=True)
                path.rename(dest)
            elif op == "delete" and path.exists():
                path.unlink()
            cached = check(root, jobs=1)
            assert cached == check(root, cache=False, jobs=1)
            # and a run over one file (inbound links from the cache) agrees too
            if path.exists():
                assert check(root, [path], jobs=1) == check(root, [path], cache=False, jobs=1)


# -- the shared corpus ------------------------------------------------------------------------


def test_shared_corpus_cached_equals_uncached(shared_parsed: Corpus, tmp_path: Path) -> None:
    """Cold (parallel, filling the cache) and warm runs equal a plain in-process lint, and
    every cached document decodes to exactly the parsed one."""
    root = shared_parsed.root
    expected = lint(shared_parsed, shared_parsed.paths, Config())
    options = RunOptions(cache_dir=tmp_path / "cache", jobs=2, quiet=True)
    for _ in ("cold", "warm"):
        session = Session.open(root, Config(), None, options)
        corpus = Corpus(root, loader=session.load)
        session.prepare(corpus, corpus.paths)
        found = lint(corpus, corpus.paths, Config(), precomputed=session.diagnostics)
        assert found == expected
    assert session.analysed == []  # the warm run parsed nothing
    for path in shared_parsed.paths:
        assert materialise(corpus.document(path)) == shared_parsed.document(path)  # type: ignore[arg-type]
    assert any(d.rule_id == "MK010" for d in expected)


def test_per_path_overrides_apply_in_workers_and_from_the_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A config file's override turns MK010 off under drafts/: the parse workers, the cache
    and the uncached run all honour it, and editing the config invalidates the entries."""
    from linter.run import parallel

    files = {f"{folder}/d{i}.md": "# T\n\n```python\nx = 1\n" for folder in ("drafts", "final") for i in range(3)}
    root = write(tmp_path / "repo", files)
    (root / ".formalai-lint.yaml").write_text('overrides:\n  - files: ["drafts/**"]\n    rules: {MK010: off}\n', "utf-8")
    monkeypatch.setattr(parallel, "POOL_MIN_BYTES", 0)
    parallel_cold = [d[:4] for d in check(root, jobs=2) if d[3] == "MK010"]
    assert parallel_cold == [(f"final/d{i}.md", 3, 1, "MK010") for i in range(3)]
    assert [d[:4] for d in check(root, jobs=1) if d[3] == "MK010"] == parallel_cold
    assert [d[:4] for d in check(root, cache=False, jobs=1) if d[3] == "MK010"] == parallel_cold
    (root / ".formalai-lint.yaml").write_text("gitignore: true\n", "utf-8")  # the same preset, no override
    with count_parses() as parsed, count_rule_runs() as ran:
        found = [d[:4] for d in check(root, jobs=1) if d[3] == "MK010"]
    # the drafts' MK010 findings were never made: MK010 runs there alone, over the models
    assert parsed == [] and sorted(ran) == [(f"drafts/d{i}.md", "MK010") for i in range(3)]
    assert len(found) == 6


# -- remembered digests (linter.run.cache.DigestIndex) -------------------------------------------


def _age(root: Path, seconds: int = 100) -> None:
    """Set every file's mtime `seconds` in the past (older than the racy window)."""
    past = time.time() - seconds
    for p in root.rglob("*.md"):
        os.utime(p, (past, past))


@contextmanager
def _reads(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    seen: list[str] = []
    original = Corpus.read

    def reading(self: Corpus, relpath: str) -> bytes | None:
        seen.append(relpath)
        return original(self, relpath)

    with monkeypatch.context() as m:
        m.setattr(Corpus, "read", reading)
        yield seen


def test_unchanged_files_are_neither_read_nor_hashed_again(corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _age(corpus)
    cold = check(corpus, jobs=1)
    with _reads(monkeypatch) as read:
        assert check(corpus, jobs=1) == cold
    assert read == []


def test_a_file_changed_since_keeps_its_findings_right(corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _age(corpus)
    assert [d[:4] for d in check(corpus, jobs=1)] == [UNCLOSED]
    # same size, other bytes, and an old mtime of its own: the stat differs, so it is hashed
    fixed = "# B\n\n## 二、目录\n\n```python\nx1\n```"
    assert len(fixed.encode()) == len(FILES["b.md"].encode())
    (corpus / "b.md").write_text(fixed, "utf-8")
    past = time.time() - 50
    os.utime(corpus / "b.md", (past, past))
    with _reads(monkeypatch) as read, count_parses() as parsed:
        assert check(corpus, jobs=1) == []
    assert read == ["b.md", "b.md"] and parsed == ["b.md"]  # hashed, then parsed


def test_a_file_modified_just_now_is_hashed_every_run(corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Git's racy case: a change within the same clock tick as the hashing keeps the stat."""
    _age(corpus)
    os.utime(corpus / "a.md")  # now
    check(corpus, jobs=1)
    with _reads(monkeypatch) as read:
        check(corpus, jobs=1)
    assert read == ["a.md"]


@pytest.mark.parametrize("damage", ["garbage", "wrong shape", "bad entry"])
def test_a_bad_digest_index_is_ignored(corpus: Path, damage: str) -> None:
    _age(corpus)
    cold = check(corpus, jobs=1)
    [index] = list((corpus / CACHE_DIR_NAME).rglob("digests.idx"))
    text = {
        "garbage": "\x00{not json",
        "wrong shape": '{"written": "x", "files": []}',
        "bad entry": '{"written": 9999999999999999999, "files": {"b.md": [1, 2]}}',
    }[damage]
    index.write_text(text, "utf-8")
    with count_parses() as parsed:
        assert check(corpus, jobs=1) == cold
    assert parsed == []


def test_shard_folder_made_by_a_parallel_run_between_write_and_check(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The race CI hit: our first write finds no shard folder, the other run makes it before we
    # look again. The write must then be retried into that folder, not given up with a note.
    directory = tmp_path / "cache"
    directory.mkdir()
    notes: list[str] = []
    store = cache_module.Cache(directory, "e" * 64, "f" * 64, notes.append)
    real_write = cache_module.write_bytes
    calls: list[Path] = []

    def racing_write(path: Path, data: bytes, **kwargs: object) -> None:
        calls.append(path)
        if len(calls) == 1:
            os.makedirs(path.parent)  # the other process wins the mkdir ...
            raise cache_module.UnsafeWrite(f"{path}: folder {path.parent} does not exist")
        real_write(path, data, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(cache_module, "write_bytes", racing_write)
    store.store("models", "ab" + "0" * 62, b"{}")
    assert notes == []
    assert len(calls) == 2 and calls[1].read_bytes() == b"{}"
