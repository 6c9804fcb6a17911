"""A check after an edit, printed by splicing the kept report (linter/cli/edited.py): the
bytes, the exit code and the record it writes are those of an ordinary run, for every kind
of text report the warm entry point answers; anything it cannot vouch for is left to the
click CLI."""

from __future__ import annotations

import contextlib
import io
import json
import os
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from linter.cli import edited as edited_module
from tests.helpers import write_tree

START = {
    "a.md": "# 标题\n\n## 一、节\n\n[下](b.md#一节)\n[坏](b.md#无)\n",
    "b.md": "# 标题\n\n## 一、节\n\n[上](a.md#二节)\n\n```\n",
    "c.md": "# 标题\n\n[锚](b.md#锚)\n\n> **来源**: [缺](missing.md)\n",
    "d.md": "# 标题\n\n## 一、节\n\n正文。\n",
}
# Pieces of documents whose headings, anchors, links and findings change, or not.
_PIECES = ["# 标题\n", "## 一、节\n", "## 二、节\n", "### 1.1 小节\n", "正文。\n", "<a id=\"锚\"></a>\n",
           "[下](b.md#一节)\n", "[锚](b.md#锚)\n", "[上](a.md#二节)\n", "[无](c.md#标题)\n", "[坏](nowhere.md)\n",
           "```\n", "<!-- 注 -->\n", "$$\nx^{2\n$$\n", "\ufeff", "\n"]


def _age(root: Path, seconds: int = 100) -> None:
    past = time.time() - seconds
    for p in root.rglob("*"):
        if p.is_file() and ".formalai-lint-cache" not in p.parts:
            os.utime(p, (past, past))


@contextlib.contextmanager
def _counting_splices() -> Iterator[list[int]]:
    """How many checks were printed by a splice (the exit code of each) while inside."""
    calls: list[int] = []
    original = edited_module._splice

    def counting(*args: object, **kwargs: object) -> int:
        code = original(*args, **kwargs)  # type: ignore[arg-type]
        calls.append(code)
        return code

    edited_module._splice = counting
    try:
        yield calls
    finally:
        edited_module._splice = original


def _warm(root: Path, *more: str) -> tuple[int, str]:
    """`formalai-lint check ROOT --quiet -j 1 MORE` through the warm entry point, in this process."""
    from linter.cli.warm import main

    out = io.StringIO()
    # (not pytest.raises: its ExceptionInfo would keep the run's frames, and their corpus, alive)
    code: str | int | None = "no exit"
    with contextlib.redirect_stdout(out):
        try:
            main(["check", str(root), "--quiet", "-j", "1", *more])
        except SystemExit as exc:
            code = exc.code
    assert code != "no exit"
    return int(code or 0), out.getvalue()


def _record_lines(root: Path) -> tuple[dict[str, object], list[bytes]]:
    """The record's body (less the stats of when it was written) and its findings lines."""
    [path] = list((root / ".formalai-lint-cache").rglob("runs/*/*.json"))
    body, *lines = path.read_bytes().split(b"\n")[1:]
    data = json.loads(body)
    for moving in ("written", "docs", "inputs"):
        data.pop(moving)
    return data, lines


@pytest.mark.parametrize("extra", [[], ["--color", "always"], ["--output-format", "full"], ["--strict"],
                                   ["--exit-zero"], ["--max-findings-per-rule", "1"], ["--select", "LK"]])
def test_an_edit_is_spliced_and_prints_what_no_cache_prints(tmp_path: Path, extra: list[str]) -> None:
    root = write_tree(tmp_path / "repo", START)
    _age(root)
    _warm(root, *extra)  # the full run: record and kept report
    edits = [("a.md", START["a.md"] + "\n新的一段。\n[又坏](d.md#无)\n"),  # headings kept: a.md alone
             ("b.md", "# 标题\n\n## 二、节\n"),  # headings moved: a.md and c.md link into it
             ("d.md", "# 标题\n")]  # the last finding of a rule gone, a block less
    for name, text in edits:
        (root / name).write_text(text, "utf-8")
        with _counting_splices() as spliced:
            got = _warm(root, *extra)
        assert got == _warm(root, *extra, "--no-cache")
        assert len(spliced) == 1, name
    assert _warm(root, *extra) == got  # replayed from the report the splice kept


def test_the_record_a_splice_writes_is_an_ordinary_runs(tmp_path: Path) -> None:
    """Its findings lines (kept as read, or made), its labels and everything else but the
    time and stats of the run equal those of an ordinary full run of the same tree."""
    root = write_tree(tmp_path / "repo", START)
    _age(root)
    _warm(root)
    (root / "c.md").write_text("# 标题\n\n正文。\n", "utf-8")  # c.md's findings (and MT rule ids) gone
    (root / "a.md").write_text(START["a.md"] + "[坏](nowhere.md)\n", "utf-8")
    with _counting_splices() as spliced:
        _warm(root)
    assert len(spliced) == 1
    few = _record_lines(root)
    for kept in (root / ".formalai-lint-cache").rglob("runs/*/*"):
        kept.unlink()
    _warm(root)
    assert few == _record_lines(root)
    assert [json.loads(line)[0] for line in few[1]] == ["a.md", "b.md"]


@settings(max_examples=20, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(sorted(START)), st.lists(st.sampled_from(_PIECES), max_size=6)),
                min_size=1, max_size=5))
def test_random_edits_spliced_print_what_no_cache_prints(edits: list[tuple[str, list[str]]]) -> None:
    """After each random edit: the spliced check equals --no-cache (bytes and exit code),
    the report it kept replays the same, and so does its record with the reports removed."""
    from linter.cli.warm import answer

    with tempfile.TemporaryDirectory() as tmp:
        root = write_tree(Path(tmp) / "repo", START)
        _warm(root)
        splices = 0
        for name, pieces in edits:
            (root / name).write_text("".join(pieces), "utf-8")
            expected = _warm(root, "--no-cache")
            with _counting_splices() as spliced:
                assert _warm(root) == expected
            splices += len(spliced)
            assert _warm(root) == expected  # the kept report, replayed
            for kept in (root / ".formalai-lint-cache").rglob("runs/*/*.out"):
                kept.unlink()
            out = io.StringIO()
            with contextlib.redirect_stdout(out):
                code = answer(["check", str(root), "--quiet", "-j", "1"])
            assert (code, out.getvalue()) == expected  # the record, rendered again
        # (an edit the record cannot take, a document renamed or many changed, is no edit here)
        assert splices >= 1


def _one_kept_report(root: Path) -> Path:
    [path] = list((root / ".formalai-lint-cache").rglob("runs/*/*.out"))
    return path


def test_a_kept_report_of_another_record_is_not_spliced(tmp_path: Path) -> None:
    """The kept report must have been printed from the record the run starts from: one left
    from an earlier record (its facts differ) is not spliced, and the answer stays right."""
    root = write_tree(tmp_path / "repo", START)
    _age(root)
    _warm(root)
    older = _one_kept_report(root).read_bytes()
    (root / "a.md").write_text(START["a.md"] + "正文。\n", "utf-8")
    _warm(root)
    _one_kept_report(root).write_bytes(older)  # the report of the record before this one
    (root / "d.md").write_text("# 标题\n\n[坏](nowhere.md)\n", "utf-8")
    with _counting_splices() as spliced:
        got = _warm(root)
    assert spliced == [] and got == _warm(root, "--no-cache")


@pytest.mark.parametrize("damage", ["span", "shape", "count", "twice"])
def test_a_kept_index_that_does_not_fit_is_not_spliced(tmp_path: Path, damage: str) -> None:
    """An index whose spans run past the report, whose entries have another shape or that
    names a document twice is not spliced (its checksum is rewritten, as a bug writing it
    would leave it)."""
    import hashlib

    root = write_tree(tmp_path / "repo", START)
    _age(root)
    _warm(root)
    path = _one_kept_report(root)
    head, facts, index, output = path.read_bytes().split(b"\n", 3)
    entries = json.loads(index)
    if damage == "span":
        entries[0][2] = len(output) + 10
    elif damage == "shape":
        entries[0] = entries[0][:5]
    elif damage == "count":
        entries[0][3] = -1
    else:
        entries.append(list(entries[0]))
    index = json.dumps(entries).encode()
    header = json.loads(head)
    header["index"] = hashlib.sha256(index).hexdigest()
    path.write_bytes(b"\n".join([json.dumps(header).encode(), facts, index, output]))
    (root / "a.md").write_text(START["a.md"] + "正文。\n", "utf-8")
    with _counting_splices() as spliced:
        got = _warm(root)
    assert spliced == [] and got == _warm(root, "--no-cache")


def test_a_json_report_is_not_spliced(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "repo", START)
    _age(root)
    _warm(root, "--format", "json")
    assert json.loads(_one_kept_report(root).read_bytes().split(b"\n")[2]) is None  # no index kept
    (root / "a.md").write_text(START["a.md"] + "正文。\n", "utf-8")
    with _counting_splices() as spliced:
        got = _warm(root, "--format", "json")
    assert spliced == [] and got == _warm(root, "--format", "json", "--no-cache")


def test_the_index_spans_each_documents_lines(tmp_path: Path) -> None:
    """Each entry's span is that document's finding lines, its counts theirs."""
    root = write_tree(tmp_path / "repo", START)
    _age(root)
    _warm(root)
    _, _, index, output = _one_kept_report(root).read_bytes().split(b"\n", 3)
    entries = json.loads(index)
    assert [e[0] for e in entries] == ["a.md", "b.md", "c.md"]
    for path, start, end, errors, warnings, fixable, safe, findings, rules in entries:
        lines = output[start:end].decode().splitlines()
        assert len(lines) == findings and all(line.split(":", 1)[0].endswith("/" + path) for line in lines)
        assert errors == sum(" error: " in line for line in lines)
        assert warnings == sum(" warning: " in line for line in lines)
        assert fixable == sum(" [*] " in line for line in lines) and safe <= fixable
        assert rules == sorted({line.split(": ", 1)[1].split(" ", 1)[0] for line in lines})
    assert entries[-1][2] == output.index(b"\n\n") + 1  # then the summary


def test_a_report_kept_in_one_encoding_is_neither_replayed_nor_spliced_in_another(tmp_path: Path) -> None:
    """stdout's encoding is part of how a report was asked for: bytes kept as UTF-8 are not
    printed, whole or in blocks, to a stdout that escapes everything past ASCII."""
    import subprocess
    import sys

    root = write_tree(tmp_path / "repo", START)
    _age(root)

    def check(encoding: str, *more: str) -> tuple[int, bytes]:
        env = {**os.environ, "PYTHONIOENCODING": encoding}
        done = subprocess.run([sys.executable, "-m", "linter", "check", str(root), "--quiet", *more],
                              capture_output=True, env=env, timeout=300)
        return done.returncode, done.stdout

    for _ in range(2):
        utf8 = check("utf-8")
    ascii_expected = check("ascii:backslashreplace", "--no-cache")
    assert b"\\u65e0" in ascii_expected[1] and ascii_expected != utf8  # 无, escaped
    assert check("ascii:backslashreplace") == ascii_expected  # not the kept UTF-8 bytes
    check("utf-8")
    (root / "d.md").write_text("# 标题\n\n[坏](nowhere.md)\n", "utf-8")
    assert check("ascii:backslashreplace") == check("ascii:backslashreplace", "--no-cache")


def test_a_check_naming_files_is_left_to_the_ordinary_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A pre-commit run names the changed files: no splice is tried (its set-up would be
    made twice), and its answer is the --no-cache one."""
    from linter import api

    root = write_tree(tmp_path / "repo", START)
    _age(root)
    from linter.cli.warm import main

    def check(*more: str) -> tuple[int, str]:
        out = io.StringIO()
        code: str | int | None = "no exit"
        with contextlib.redirect_stdout(out):
            try:
                main(["check", str(root / "b.md"), "--root", str(root), "--quiet", "-j", "1", *more])
            except SystemExit as exc:
                code = exc.code
        assert code != "no exit"
        return int(code or 0), out.getvalue()

    check()
    check()
    (root / "b.md").write_text("# 标题\n\n## 二、节\n", "utf-8")
    tried: list[object] = []
    monkeypatch.setattr(api, "lint_edited", lambda *a, **k: tried.append(a))
    got = check()
    monkeypatch.undo()
    assert tried == [] and got == check("--no-cache")
    assert "a.md:5:1: LK003" in got[1]  # a.md's link into b.md#一节 now breaks


def test_a_splice_that_fails_prints_nothing_and_the_ordinary_run_answers(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    root = write_tree(tmp_path / "repo", START)
    _age(root)
    _warm(root)
    (root / "a.md").write_text(START["a.md"] + "正文。\n", "utf-8")

    def broken(*args: object) -> None:
        raise RuntimeError("a bug in the splice")

    monkeypatch.setattr(edited_module, "_splice", broken)
    got = _warm(root)
    monkeypatch.undo()
    assert got == _warm(root, "--no-cache")
