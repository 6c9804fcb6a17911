"""Issue 12, items 1-2: every write of the tool is safe (atomic, never through a link, never
onto a FIFO or device, never into a folder the tool did not make, never outside the cache
folder for caches). Each test is an attack that succeeded before the fix."""

from __future__ import annotations

import io
import json
import os
import stat
import time
from pathlib import Path

import pytest

from linter.external import cache as external_cache
from linter.external.result import Result
from linter.run.cache import CACHE_DIR_NAME
from tests.hardening import one_line_error, run
from tests.helpers import write_tree

DOC = "# A\n\n## 一、节\n\n[坏](missing.md)\n"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return write_tree(tmp_path / "repo", {"a.md": DOC})


def test_check_refuses_a_user_folder_as_cache_dir(repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "todo.md").write_text("mine", "utf-8")
    r = run(capsys, monkeypatch, "check", str(repo), "--cache-dir", str(notes), "-j", "1")
    one_line_error(r, "notes", "not a folder this tool made")
    assert sorted(p.name for p in notes.iterdir()) == ["todo.md"]  # no CACHEDIR.TAG, no .gitignore of *


def test_check_uses_an_empty_or_own_cache_dir(repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    assert run(capsys, monkeypatch, "check", str(repo), "--cache-dir", str(empty), "-j", "1").code == 1
    assert {"CACHEDIR.TAG", ".gitignore"} <= {p.name for p in empty.iterdir()}
    # ours now: a second run uses it, and `cache clear` deletes it
    assert run(capsys, monkeypatch, "check", str(repo), "--cache-dir", str(empty), "-j", "1").code == 1
    r = run(capsys, monkeypatch, "cache", "clear", "--cache-dir", str(empty))
    assert r.code == 0 and not empty.exists()


def test_cache_clear_keeps_a_tagged_folder_holding_user_files(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    # what an older version left after `check --cache-dir notes`: our tag in a user's folder
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "CACHEDIR.TAG").write_text("Signature: 8a477f597d28d172789f06886806bc55\n# formalai-lint\n")
    (notes / ".gitignore").write_text("*\n")
    (notes / "thesis.md").write_text("years of work")
    r = run(capsys, monkeypatch, "cache", "clear", "--cache-dir", str(notes))
    one_line_error(r, "thesis.md", "not clearing it")
    assert (notes / "thesis.md").read_text() == "years of work"


def test_cache_clear_refuses_a_linked_cache_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    real = tmp_path / "real"
    real.mkdir()
    (real / "CACHEDIR.TAG").write_text("formalai-lint")
    link = tmp_path / "link"
    link.symlink_to(real, target_is_directory=True)
    one_line_error(run(capsys, monkeypatch, "cache", "clear", "--cache-dir", str(link)), "symbolic link")
    assert (real / "CACHEDIR.TAG").exists()


def test_a_committed_cache_symlink_leaving_the_root_is_not_written_through(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    repo = write_tree(tmp_path / "repo", {"a.md": DOC})
    outside = tmp_path / "x"
    outside.mkdir()
    (repo / CACHE_DIR_NAME).symlink_to("../x", target_is_directory=True)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))
    r = run(capsys, monkeypatch, "check", str(repo), "-j", "1")
    assert r.code == 1 and "MD" not in r.err  # the findings are reported; a note says where the cache went
    assert list(outside.iterdir()) == []
    assert any((tmp_path / "user-cache" / "formalai-lint").rglob("*.json"))  # the fallback was used


def test_write_baseline_does_not_follow_a_planted_tmp_symlink(repo: Path, tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str],
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    (repo / "B.json.tmp").symlink_to(victim)
    r = run(capsys, monkeypatch, "check", str(repo), "--write-baseline", str(repo / "B.json"), "--no-cache")
    assert r.code == 0, r.err
    assert victim.read_text() == "precious"
    assert json.loads((repo / "B.json").read_text())["findings"]


def test_write_baseline_refuses_a_symlink_and_a_fifo(repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    (repo / "B.json").symlink_to(victim)
    r = run(capsys, monkeypatch, "check", str(repo), "--write-baseline", str(repo / "B.json"), "--no-cache")
    one_line_error(r, "B.json", "symbolic link")
    assert victim.read_text() == "precious"
    fifo = repo / "F.json"
    os.mkfifo(fifo)
    r = run(capsys, monkeypatch, "check", str(repo), "--write-baseline", str(fifo), "--no-cache")
    one_line_error(r, "F.json", "not a regular file")
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)  # not replaced by a file


def test_baseline_keeps_the_mode_of_the_file_it_replaces(repo: Path, capsys: pytest.CaptureFixture[str],
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    baseline = repo / "B.json"
    baseline.write_text("{}")
    os.chmod(baseline, 0o640)
    assert run(capsys, monkeypatch, "check", str(repo), "--write-baseline", str(baseline), "--no-cache").code == 0
    assert stat.S_IMODE(baseline.stat().st_mode) == 0o640


def test_config_cache_path_cannot_name_a_document(repo: Path, capsys: pytest.CaptureFixture[str],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    (repo / "README.md").write_text("# R\n", "utf-8")
    (repo / ".formalai-lint.yaml").write_text(
        "rules:\n  external-link-broken:\n    enabled: true\n    options:\n      cache_path: README.md\n", "utf-8")
    r = run(capsys, monkeypatch, "check", str(repo), "--no-cache")
    one_line_error(r, ".formalai-lint.yaml:4", "cache_path", "inside .formalai-lint-cache/")
    assert (repo / "README.md").read_text("utf-8") == "# R\n"
    (repo / ".formalai-lint.yaml").write_text(
        "rules:\n  external-link-broken:\n    options:\n      cache_path: ../../etc/x.json\n", "utf-8")
    one_line_error(run(capsys, monkeypatch, "links", str(repo), "--external"), "cache_path")


def test_external_cache_is_never_written_through_a_linked_cache_folder(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root, outside = tmp_path / "root", tmp_path / "outside"
    root.mkdir()
    outside.mkdir()
    (root / CACHE_DIR_NAME).symlink_to(outside, target_is_directory=True)
    now = time.time()
    results = {"https://example.org/": Result("https://example.org/", "ok", "https://example.org/", checked_at=now)}
    external_cache.save(root / CACHE_DIR_NAME / "ext.json", results, now, 3600, root=root)
    assert list(outside.iterdir()) == []
    assert "external-link cache not written" in capsys.readouterr().err
    # and a sub-folder that does not exist yet is not created through the link either
    external_cache.save(root / CACHE_DIR_NAME / "sub" / "ext.json", results, now, 3600, root=root)
    assert list(outside.iterdir()) == []
    # inside a real cache folder it is written
    (root / CACHE_DIR_NAME).unlink()
    external_cache.save(root / CACHE_DIR_NAME / "ext.json", results, now, 3600, root=root)
    assert list(external_cache.load(root / CACHE_DIR_NAME / "ext.json", now, 3600, root=root)) == ["https://example.org/"]


def test_output_is_atomic_a_failed_write_keeps_the_old_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from linter.cli import output as cli_output

    report = tmp_path / "report.json"
    report.write_text('{"old": true}')

    def full_disk(stream: io.StringIO) -> None:
        stream.write('{"diagnostics": [')
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError):
        cli_output.emit(report, full_disk)  # type: ignore[arg-type]
    assert report.read_text() == '{"old": true}'  # before: truncated on open, then half-written

    def fsync_fails(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", fsync_fails)
    with pytest.raises(Exception, match="No space left"):
        cli_output.emit(report, lambda s: s.write('{"new": true}'))  # type: ignore[arg-type, func-returns-value]
    assert report.read_text() == '{"old": true}'
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.json"]  # no temporary left


def test_output_refuses_links_and_fifos_and_dash_is_stdout(repo: Path, tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str],
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    (repo / "out.json").symlink_to(victim)
    r = run(capsys, monkeypatch, "check", str(repo), "--no-cache", "--format", "json", "--output", str(repo / "out.json"))
    one_line_error(r, "out.json", "symbolic link")
    assert victim.read_text() == "precious"
    r = run(capsys, monkeypatch, "links", str(repo), "--format", "dot", "--output", str(repo / "out.json"))
    one_line_error(r, "out.json", "symbolic link")
    os.mkfifo(repo / "pipe.html")
    r = run(capsys, monkeypatch, "links", str(repo), "--format", "html", "-o", str(repo / "pipe.html"))
    one_line_error(r, "pipe.html", "not a regular file")
    r = run(capsys, monkeypatch, "check", str(repo), "--no-cache", "--format", "json", "--output", "-")
    assert r.code == 1 and json.loads(r.out)["diagnostics"] and not (Path.cwd() / "-").exists()


def test_config_schema_output_is_safe(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    (tmp_path / "schema.json").symlink_to(victim)
    one_line_error(run(capsys, monkeypatch, "config-schema", "-o", str(tmp_path / "schema.json")), "symbolic link")
    assert victim.read_text() == "precious"
    # item 20: into a folder that does not exist, a clear error (was "internal error")
    r = run(capsys, monkeypatch, "config-schema", "-o", str(tmp_path / "missing" / "schema.json"))
    one_line_error(r, "missing", "does not exist")
    r = run(capsys, monkeypatch, "config-schema", "-o", str(tmp_path / "ok.json"))
    assert r.code == 0 and json.loads((tmp_path / "ok.json").read_text())["type"] == "object"


def test_init_never_writes_through_a_dangling_link(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "elsewhere.yaml"
    (tmp_path / ".formalai-lint.yaml").symlink_to(target)  # dangling: exists() is False
    r = run(capsys, monkeypatch, "init", "--root", str(tmp_path))
    one_line_error(r, "already exists")
    assert not target.exists()
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    assert run(capsys, monkeypatch, "init", "--root", str(fresh)).code == 0
    assert (fresh / ".formalai-lint.yaml").read_text("utf-8").startswith("#")


def test_make_folder_never_creates_through_a_link_leaving_the_root(tmp_path: Path) -> None:
    from linter.util.safe_write import UnsafeWrite, make_folder

    root, outside = tmp_path / "root", tmp_path / "outside"
    root.mkdir()
    outside.mkdir()
    (root / "cache").symlink_to(outside, target_is_directory=True)
    with pytest.raises(UnsafeWrite, match="outside the root"):
        make_folder(root / "cache" / "v1" / "ab", root)
    assert list(outside.iterdir()) == []  # Path.mkdir(parents=True) would have made v1/ab there
    assert make_folder(root / "real" / "v1", root) == (root / "real" / "v1").resolve()


def test_write_without_overwrite_keeps_an_existing_file(tmp_path: Path) -> None:
    from linter.util.safe_write import UnsafeWrite, write_text

    target = tmp_path / ".formalai-lint.yaml"
    write_text(target, "first", overwrite=False)
    with pytest.raises(UnsafeWrite, match="already exists"):
        write_text(target, "second", overwrite=False)
    assert target.read_text() == "first"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".formalai-lint.yaml"]


def test_every_write_of_the_tool_goes_through_safe_write() -> None:
    """No module but util/safe_write.py writes, renames or makes temporary files itself; the
    two cache modules may make folders (the user-named and user-cache ones) and `cache
    clear` may delete one it checked is its own."""
    import re

    import linter

    package = Path(linter.__file__).parent
    forbidden = re.compile(r"os\.replace|os\.rename|tempfile\.|\.write_text\(|\.write_bytes\(|"
                           r"open\([^)]*['\"][wax]b?['\"]|\.mkdir\(|rmtree")
    allowed = {("run/cache.py", ".mkdir("), ("external/cache.py", ".mkdir("), ("run/cache.py", "rmtree")}
    found = []
    for path in sorted(package.rglob("*.py")):
        rel = path.relative_to(package).as_posix()
        if rel == "util/safe_write.py":
            continue
        for n, line in enumerate(path.read_text("utf-8").splitlines(), 1):
            code = line.split("#", 1)[0]
            for m in forbidden.finditer(code):
                if (rel, m.group()) not in allowed:
                    found.append(f"{rel}:{n}: {line.strip()}")
    assert found == []
