"""The run record (linter/run/record.py, linter/cli/warm.py): a check with nothing changed is
answered from one file, prints exactly what a --no-cache run prints, and imports neither the
rules, the parser nor YAML; any change to what the run read is a miss, never a stale answer."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from linter.run import record
from tests.helpers import write_tree

FILES = {
    "README.md": "# 总览\n\n- [概念](concepts/a.md#一概述)\n- [坏](concepts/a.md#没有)\n- [缺](missing.md)\n",
    "concepts/a.md": "# A\n\n## 一、概述\n\n```python\nx = 1\n\n见 [总览](../README.md)。\n",
    "concepts/b.md": "# B\n\n[a](a.md#一概述)\n<!-- formalai-lint: disable-next-line=MK010 -->\n",
}
# What a run answered from its record must not import.
HEAVY = ("linter.rules", "linter.config.files", "linter.config.settings", "linter.api", "yaml", "click",
         "markdown_it", "linter.document.parse", "linter.run.parallel", "jsonschema")

_PROBE = """
import sys
from linter.cli.warm import main
try:
    main(sys.argv[2:])
except SystemExit as exc:
    code = exc.code
with open(sys.argv[1], "w") as out:
    out.write("\\n".join([str(code), *sorted(sys.modules)]))
"""


def _age(root: Path, seconds: int = 100) -> None:
    past = time.time() - seconds
    for p in root.rglob("*"):
        if p.is_file() and ".formalai-lint-cache" not in p.parts:
            os.utime(p, (past, past))


def probe(tmp: Path, *args: str) -> tuple[int, str, set[str]]:
    """Run `formalai-lint ARGS` through the warm entry point: exit code, stdout, modules."""
    modules = tmp / "modules.txt"
    done = subprocess.run([sys.executable, "-c", _PROBE, str(modules), *args], capture_output=True, text=True,
                          timeout=300, cwd=tmp)
    assert done.stderr == ""
    code, *names = modules.read_text().split("\n")
    return int(code), done.stdout, set(names)


def cli(tmp: Path, *args: str) -> tuple[int, str]:
    done = subprocess.run([sys.executable, "-c", "import sys; from linter.cli.main import main; main(sys.argv[1:])", *args],
                          capture_output=True, text=True,
                          timeout=300, cwd=tmp)
    return done.returncode, done.stdout


@pytest.fixture()
def repo(tmp_path: Path) -> Path:
    root = write_tree(tmp_path / "repo", FILES)
    _age(root)
    return root


def answered(modules: set[str]) -> bool:
    return not any(m in modules for m in HEAVY)


@pytest.mark.parametrize("extra", [[], ["--format", "json"], ["--strict"], ["--exit-zero"], ["--color", "always"],
                                   ["--output-format", "full"], ["--select", "LK"], ["--max-findings-per-rule", "1"]])
def test_an_unchanged_check_is_answered_from_its_record(repo: Path, tmp_path: Path, extra: list[str]) -> None:
    args = ["check", str(repo), "--quiet", *extra]
    reference = cli(tmp_path, *args, "--no-cache")
    first = probe(tmp_path, *args)
    assert not answered(first[2])  # the first run is an ordinary one, and leaves the record
    second = probe(tmp_path, *args)
    assert answered(second[2]), sorted(m for m in HEAVY if m in second[2])
    assert second[:2] == first[:2] == reference
    assert "MK010" in reference[1] or extra == ["--select", "LK"]


def test_every_change_is_a_miss_and_the_answer_stays_right(repo: Path, tmp_path: Path) -> None:
    args = ["check", str(repo), "--quiet", "--format", "json"]
    probe(tmp_path, *args)

    def after(change: object) -> None:
        code, out, modules = probe(tmp_path, *args)
        assert not answered(modules), change  # the record did not answer
        assert (code, out) == cli(tmp_path, *args, "--no-cache"), change
        again = probe(tmp_path, *args)
        assert answered(again[2]) and again[:2] == (code, out), change  # and a new record does

    (repo / "concepts/a.md").write_text("# A\n\n## 二、概述\n", "utf-8")  # breaks README's anchor
    after("edit")
    same = (repo / "concepts/b.md").read_bytes()
    (repo / "concepts/b.md").write_bytes(same.replace(b"[a]", b"[b]"))  # same size, mtime restored
    os.utime(repo / "concepts/b.md", (time.time() - 100, time.time() - 100))
    after("same-size edit")
    (repo / "missing.md").write_text("# M\n", "utf-8")
    after("new file")
    (repo / "img.png").write_bytes(b"\x89PNG")
    after("new non-Markdown file")
    (repo / ".formalai-lint.yaml").write_text("rules:\n  MK010: warning\n", "utf-8")
    after("new config file")
    (repo / ".formalai-lint.yaml").write_text("rules:\n  MK010: off\n", "utf-8")
    after("config edit")
    (repo / ".gitignore").write_text("concepts/b.md\n", "utf-8")
    after("gitignore")


def test_a_touched_file_is_hashed_and_still_answered(repo: Path, tmp_path: Path) -> None:
    args = ["check", str(repo / "concepts/a.md"), "--quiet"]
    first = probe(tmp_path, *args)
    os.utime(repo / "concepts/a.md")  # new mtime, same bytes (the benchmark's one-file run)
    second = probe(tmp_path, *args)
    assert answered(second[2]) and second[:2] == first[:2] == cli(tmp_path, *args, "--no-cache")


@pytest.mark.parametrize("damage", ["garbage", "truncate", "flip"])
def test_a_damaged_record_is_a_miss(repo: Path, tmp_path: Path, damage: str) -> None:
    args = ["check", str(repo), "--quiet"]
    first = probe(tmp_path, *args)
    # the report kept beside the record is judged by its own checksums and facts (below)
    for kept in (repo / ".formalai-lint-cache").rglob("runs/*/*.out"):
        kept.unlink()
    [path] = list((repo / ".formalai-lint-cache").rglob("runs/*/*.json"))
    blob = path.read_bytes()
    path.write_bytes({"garbage": b"\x00{not json", "truncate": blob[: len(blob) // 2],
                      "flip": blob[:-5] + bytes([blob[-5] ^ 1]) + blob[-4:]}[damage])
    code, out, modules = probe(tmp_path, *args)
    assert not answered(modules) and (code, out) == first[:2]


def test_options_the_warm_path_does_not_know_go_to_the_full_cli(repo: Path, tmp_path: Path) -> None:
    args = ["check", str(repo), "--quiet"]
    probe(tmp_path, *args)
    for more in (["--statistics"], ["-qj1"], ["--", str(repo)], ["--format", "sarif"]):
        code, out, modules = probe(tmp_path, *args, *more)
        assert not answered(modules), more
        assert (code, out) == cli(tmp_path, *args, "--no-cache", *more), more


def test_git_head_moving_is_a_miss(repo: Path, tmp_path: Path) -> None:
    (repo / ".git").rmdir()
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@e", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@e"}
    for command in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "one"]):
        subprocess.run(["git", *command], cwd=repo, check=True, env=env, capture_output=True)
    args = ["check", str(repo), "--quiet"]
    probe(tmp_path, *args)
    assert answered(probe(tmp_path, *args)[2])
    subprocess.run(["git", "commit", "-q", "--allow-empty", "-m", "two"], cwd=repo, check=True, env=env)
    assert not answered(probe(tmp_path, *args)[2])


def test_the_record_holds_no_document_text(repo: Path, tmp_path: Path) -> None:
    """Compactness: findings and stats, not the corpus's text (a finding's context only)."""
    probe(tmp_path, "check", str(repo), "--quiet")
    [path] = list((repo / ".formalai-lint-cache").rglob("runs/*/*.json"))
    assert "x = 1".encode() not in path.read_bytes()
    body = json.loads(path.read_bytes().split(b"\n")[1])
    assert sorted(p for p, _, _ in body["docs"]) == ["README.md", "concepts/a.md", "concepts/b.md"]


def test_run_key_depends_on_the_command_line(tmp_path: Path) -> None:
    base = record.run_key(tmp_path, [tmp_path], None, [None, None, None])
    assert base == record.run_key(tmp_path, [tmp_path], None, [None, None, None])
    assert base != record.run_key(tmp_path, [tmp_path], None, [["LK"], None, None])
    assert base != record.run_key(tmp_path, [tmp_path / "a.md"], None, [None, None, None])
    assert base != record.run_key(tmp_path, [tmp_path], tmp_path / "c.yaml", [None, None, None])


def _in_process(capsys: pytest.CaptureFixture[str], main: Callable[[list[str]], object], *args: str
                ) -> Callable[..., tuple[int, str]]:
    """`run(*more)`: the CLI entry `main` on `args` + `--quiet -j 1` + more, in this process
    (so a test can count what it loads): its exit code and what it printed."""
    def run(*more: str) -> tuple[int, str]:
        with pytest.raises(SystemExit) as done:
            main([*args, "--quiet", "-j", "1", *more])
        return int(done.value.code or 0), capsys.readouterr().out

    return run


def _count_cache_loads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The kinds of cache entries loaded from now on ("models", "findings") until undone."""
    from linter.run import cache as cache_module

    loads: list[str] = []
    original = cache_module.Cache.load

    def counting(self: cache_module.Cache, kind: str, key: str) -> bytes | None:
        loads.append(kind)
        return original(self, kind, key)

    monkeypatch.setattr(cache_module.Cache, "load", counting)
    return loads


def test_a_few_changed_documents_load_only_what_they_touch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    """One edited document of twenty: the run lints it and the document linking into it,
    loads their models and their link targets' only, keeps the record's findings for the
    rest, and prints what a --no-cache run prints."""
    from linter.cli.main import main
    from tests.speed_support import count_parses

    files = {f"d{i:02d}.md": f"# D{i}\n\n## 一、节\n\n[下一个](d{(i + 1) % 20:02d}.md#一节)\n" + ("```\n" if i % 7 == 0 else "")
             for i in range(20)}
    root = write_tree(tmp_path / "repo", files)
    _age(root)
    run = _in_process(capsys, main, "check", str(root))
    run()
    (root / "d05.md").write_text("# D5\n\n## 二、节\n\n[下一个](d06.md#一节)\n", "utf-8")  # d04's link now breaks
    loads = _count_cache_loads(monkeypatch)
    with count_parses() as parsed:
        few = run()
    monkeypatch.undo()
    assert parsed == ["d05.md"]
    # d04 (links into d05): model and findings; d05: tried, then parsed, and its recorded
    # version's model (its headings changed, so d04 is linted again); d06: d05's link target
    assert loads.count("models") <= 4 and loads.count("findings") <= 2
    assert few == run("--no-cache")
    assert "d04.md:5:1: LK003" in few[1] or "d04.md:5:" in few[1]


def test_an_edit_that_keeps_the_headings_lints_that_document_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    """A paragraph added to d05 leaves its headings and anchors (what a link into it reads)
    as recorded: d04, which links into it, keeps its recorded findings and is not loaded."""
    from linter.cli.main import main
    from tests.speed_support import count_parses

    files = {f"d{i:02d}.md": f"# D{i}\n\n## 一、节\n\n[下一个](d{(i + 1) % 20:02d}.md#一节) [坏](d{(i + 1) % 20:02d}.md#无)\n"
             for i in range(20)}
    root = write_tree(tmp_path / "repo", files)
    _age(root)
    run = _in_process(capsys, main, "check", str(root))
    run()
    (root / "d05.md").write_text(files["d05.md"] + "\n新的一段，[坏链](d06.md#也没有)。\n", "utf-8")
    loads = _count_cache_loads(monkeypatch)
    with count_parses() as parsed:
        few = run()
    monkeypatch.undo()
    assert parsed == ["d05.md"]
    # d05: tried, then parsed, and its recorded version's model; d06: d05's link target
    assert loads.count("models") == 3 and loads.count("findings") == 1
    assert few == run("--no-cache")
    assert "d04.md:5:" in few[1] and "d05.md:7:" in few[1]


# Pieces of documents whose headings, anchors and links into each other change, or not.
_PIECES = ["# 标题\n", "## 一、节\n", "## 二、节\n", "正文。\n", "<a id=\"锚\"></a>\n", "[下](b.md#一节)\n",
           "[锚](b.md#锚)\n", "[上](a.md#二节)\n", "[无](c.md#标题)\n", "```\n", "<!-- 注 -->\n", "\n"]


@settings(max_examples=15, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["a.md", "b.md", "c.md"]), st.lists(st.sampled_from(_PIECES), max_size=6)),
                min_size=1, max_size=5))
def test_a_few_changed_check_prints_what_a_no_cache_check_prints(edits: list[tuple[str, list[str]]]) -> None:
    """Random edits, a full check after each (a record's few-changed path: the edited
    document, and those linking into it only when its headings or anchors moved) prints
    exactly what --no-cache prints, and so does the record it writes."""
    import contextlib
    import io
    import tempfile

    from linter.cli.main import main

    from linter.cli.warm import answer

    def run(root: Path, *more: str) -> tuple[int, str]:
        out = io.StringIO()
        with contextlib.redirect_stdout(out), pytest.raises(SystemExit) as done:
            main(["check", str(root), "--quiet", "-j", "1", *more])
        return int(done.value.code or 0), out.getvalue()

    def from_record(root: Path) -> tuple[int | None, str]:
        """The next check answered from the record the last run wrote (kept reports removed)."""
        for kept in (root / ".formalai-lint-cache").rglob("runs/*/*.out"):
            kept.unlink()
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            code = answer(["check", str(root), "--quiet", "-j", "1"])
        return code, out.getvalue()

    with tempfile.TemporaryDirectory() as tmp:
        start = {"a.md": "# 标题\n\n## 一、节\n\n[下](b.md#一节)\n", "b.md": "# 标题\n\n## 一、节\n\n[上](a.md#二节)\n",
                 "c.md": "# 标题\n\n[锚](b.md#锚)\n"}
        root = write_tree(Path(tmp) / "repo", start)
        run(root)
        for name, pieces in edits:
            (root / name).write_text("".join(pieces), "utf-8")
            expected = run(root, "--no-cache")
            assert run(root) == expected
            assert from_record(root) == expected  # the record it wrote (rows kept or made) holds the same


def test_a_check_of_one_file_loads_no_other_model_for_its_record(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    """A pre-commit run names the changed files: its record keeps their link targets only
    (`deps` serves a later full check's few-changed path), so it loads no model of the
    twenty other documents besides the one its link points at, and still answers as a
    --no-cache run does."""
    from linter.cli.main import main

    files = {f"d{i:02d}.md": f"# D{i}\n\n## 一、节\n\n[下一个](d{(i + 1) % 20:02d}.md#一节)\n" for i in range(20)}
    root = write_tree(tmp_path / "repo", files)
    _age(root)
    _in_process(capsys, main, "check", str(root))()  # every model cached
    run = _in_process(capsys, main, "check", str(root / "d05.md"), "--root", str(root))
    (root / "d05.md").write_text("# D5\n\n## 二、节\n\n[下一个](d06.md#没有)\n", "utf-8")
    loads = _count_cache_loads(monkeypatch)
    one = run()
    monkeypatch.undo()
    # d05 (tried, then parsed), d06 (its link target), d04 (links into d05)
    assert loads.count("models") <= 3, loads
    assert one == run("--no-cache") and "d05.md:5:1: LK003" in one[1]
    [path] = [p for p in (root / ".formalai-lint-cache").rglob("runs/*/*.json")
              if b'"targets":["d05.md"]' in p.read_bytes()]
    assert json.loads(path.read_bytes().split(b"\n")[1])["deps"] == {"d05.md": ["d06.md"]}


def test_the_record_the_warm_path_found_stale_is_read_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    """A full check after an edit: the warm path reads the record and finds a document
    changed; the ordinary run's few-changed path takes that record instead of reading and
    checking the file again, and the answer is the --no-cache one."""
    from linter.cli.warm import main as warm_main

    root = write_tree(tmp_path / "repo", FILES)
    _age(root)
    run = _in_process(capsys, warm_main, "check", str(root))
    run()
    (root / "concepts/b.md").write_text("# B\n\n[a](a.md#没有)\n", "utf-8")
    reads: list[str] = []
    original = record.read_bytes

    def counting(path: Path, *args: object, **kwargs: object) -> bytes:
        if "runs" in Path(path).parts:
            reads.append(str(path))
        return original(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(record, "read_bytes", counting)
    checked = []
    original_fresh = record._fresh
    monkeypatch.setattr(record, "_fresh", lambda *args: (checked.append(1), original_fresh(*args))[1])
    edited = run()
    monkeypatch.undo()
    assert len(reads) == 1
    # the kept report's facts were found stale; the record's, the same facts, not checked again
    assert len(checked) == 1
    assert edited == run("--no-cache") and "concepts/b.md:3:1: LK003" in edited[1]
    assert record._missed is None and record._stale is None  # handed over, not kept for the rest of the run


# -- replayed reports (linter/run/replay.py) ---------------------------------------------------


def replayed(modules: set[str]) -> bool:
    """Printed from a kept report: not even the findings were rendered."""
    return answered(modules) and "linter.cli.render" not in modules and "linter.run.rows" not in modules


@pytest.mark.parametrize("extra", [[], ["--format", "json"], ["--color", "always"], ["--select", "LK", "--strict"]])
def test_the_run_after_a_full_run_replays_its_bytes(repo: Path, tmp_path: Path, extra: list[str]) -> None:
    """The full run keeps the report it printed beside its record, so the next identical run
    with nothing changed writes those bytes: no record read, nothing rendered."""
    args = ["check", str(repo), "--quiet", *extra]
    reference = cli(tmp_path, *args, "--no-cache")
    ordinary, replay = (probe(tmp_path, *args) for _ in range(2))
    assert not answered(ordinary[2])
    assert replayed(replay[2]), sorted(m for m in ("linter.cli.render", "linter.run.rows") if m in replay[2])
    assert replay[:2] == ordinary[:2] == reference


@pytest.mark.parametrize("extra", [[], ["--format", "json"], ["--color", "always"]])
def test_without_a_kept_report_the_record_renders_it_and_keeps_it(repo: Path, tmp_path: Path, extra: list[str]) -> None:
    args = ["check", str(repo), "--quiet", *extra]
    ordinary = probe(tmp_path, *args)
    for kept in (repo / ".formalai-lint-cache").rglob("runs/*/*.out"):
        kept.unlink()
    rendered, replay = (probe(tmp_path, *args) for _ in range(2))
    assert answered(rendered[2]) and not replayed(rendered[2]) and replayed(replay[2])
    assert replay[:2] == rendered[:2] == ordinary[:2]


@pytest.mark.parametrize("extra", [["--output", "report.txt"], ["--statistics"], ["--format", "sarif"]])
def test_a_report_the_warm_path_cannot_answer_is_not_kept(repo: Path, tmp_path: Path, extra: list[str]) -> None:
    probe(tmp_path, "check", str(repo), "--quiet", *extra)
    assert list((repo / ".formalai-lint-cache").rglob("runs/*/*.out")) == []


def test_a_kept_report_is_never_replayed_after_a_change(repo: Path, tmp_path: Path) -> None:
    args = ["check", str(repo), "--quiet"]
    for _ in range(3):
        probe(tmp_path, *args)
    changes = [
        lambda: (repo / "concepts/a.md").write_text("# A\n\n## 二、概述\n", "utf-8"),
        lambda: (repo / "new.md").write_text("# N\n\n[x](nowhere.md)\n", "utf-8"),
        lambda: (repo / ".formalai-lint.yaml").write_text("rules:\n  MK010: warning\n", "utf-8"),
    ]
    for change in changes:
        change()
        code, out, modules = probe(tmp_path, *args)
        assert not replayed(modules)
        assert (code, out) == cli(tmp_path, *args, "--no-cache")
        probe(tmp_path, *args)
        again = probe(tmp_path, *args)
        assert replayed(again[2]) and again[:2] == (code, out)


def test_a_report_is_kept_per_working_folder_and_colour(repo: Path, tmp_path: Path) -> None:
    # findings are printed relative to the working folder, so a run from another folder
    # must not replay this one's bytes
    args = ["check", str(repo), "--quiet"]
    for _ in range(3):
        probe(tmp_path, *args)
    elsewhere = repo / "concepts"
    code, out, modules = probe(elsewhere, *args)
    assert not replayed(modules) and (code, out) == cli(elsewhere, *args, "--no-cache")
    assert "../README.md" in out or "README.md" in out
    assert probe(tmp_path, *args, "--color", "always")[1] != probe(tmp_path, *args)[1]


@pytest.mark.parametrize("damage", ["garbage", "truncate", "flip"])
def test_a_damaged_kept_report_is_a_miss(repo: Path, tmp_path: Path, damage: str) -> None:
    args = ["check", str(repo), "--quiet"]
    first = [probe(tmp_path, *args) for _ in range(2)][0]
    [path] = list((repo / ".formalai-lint-cache").rglob("runs/*/*.out"))
    blob = path.read_bytes()
    path.write_bytes({"garbage": b"\x00{not json", "truncate": blob[: len(blob) // 2],
                      "flip": blob[:-5] + bytes([blob[-5] ^ 1]) + blob[-4:]}[damage])
    code, out, modules = probe(tmp_path, *args)
    assert not replayed(modules) and (code, out) == first[:2]


def _record_lines(root: Path) -> list[bytes]:
    """The record's lines after its header: the body, then a line per document with findings."""
    [path] = list((root / ".formalai-lint-cache").rglob("runs/*/*.json"))
    return path.read_bytes().split(b"\n")[1:]


def test_a_few_changed_record_writes_the_lines_of_untouched_documents_back(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """After an edit, the record keeps the untouched documents' findings lines as it read
    them: every line is the one an ordinary full run writes for the same tree."""
    from linter.cli.main import main

    files = {f"d{i:02d}.md": f"# D{i}\n\n## 一、节\n\n[坏](d{(i + 1) % 6:02d}.md#无{i})\n" for i in range(6)}
    root = write_tree(tmp_path / "repo", files)
    _age(root)
    run = _in_process(capsys, main, "check", str(root))
    run()
    (root / "d02.md").write_text(files["d02.md"] + "[又坏](d03.md#也无)\n", "utf-8")
    run()
    few = _record_lines(root)
    for kept in (root / ".formalai-lint-cache").rglob("runs/*/*"):
        kept.unlink()
    run()
    ordinary = _record_lines(root)
    assert len(few) == len(ordinary) == 1 + 6  # the body, then each document's findings
    assert few[1:] == ordinary[1:]
    assert [json.loads(line)[0] for line in few[1:]] == sorted(files)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=3000)
       | st.text(alphabet="路径文档a\\\"/", min_size=1300, max_size=1400), st.sampled_from([[], [[None, 1]]]))
def test_a_findings_lines_document_is_read_from_its_start_alone(path: str, rows: list[object]) -> None:
    """`record._line_path` decodes only a prefix of the line: any path, a long one whose
    prefix ends inside a character or an escape included, comes back whole."""
    line = record._dumps([path, rows])
    assert record._line_path(line) == path


def test_a_findings_line_that_is_not_one_is_refused() -> None:
    for line in (b"", b"[1,[]]", b'{"a":1}', b'["unterminated'):
        with pytest.raises(ValueError):
            record._line_path(line)
