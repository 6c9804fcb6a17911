"""Issue 12, items 3-6 and 19: no reads through links leaving the root, a linked document
linted once, FIFOs and devices never opened (no hang), sizes checked before reading and at
most the cap read, errors quoting only a short escaped excerpt, UTF-32 recognised.

The hang cases run the CLI in a subprocess with a timeout: before the fix they hung for ever
(the timeout turns that into a failure instead of a stuck suite)."""

from __future__ import annotations

import codecs
import json
import os
import subprocess
import sys
import tracemalloc
from pathlib import Path

import pytest

from linter.config.files import load_config
from linter.config.settings import ConfigError
from linter.corpus import Corpus
from linter.document.encoding import decode
from tests.hardening import one_line_error, run
from tests.helpers import write_tree

SECRET = "TOP-SECRET-outside-the-root"
BROKEN = "# A\n\n## 一、节\n\n[坏](missing.md)\n"


def cli(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "linter", *args], capture_output=True, text=True, timeout=timeout)


def findings(root: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
             *extra: str) -> list[tuple[str, int, str, str]]:
    r = run(capsys, monkeypatch, "check", str(root), "--format", "json", "--no-cache", *extra)
    assert r.code in (0, 1), r.err
    return [(d["path"], d["line"], d["rule"], d["message"]) for d in json.loads(r.out)["diagnostics"]]


# -- item 3: links -----------------------------------------------------------------------------


def test_a_document_linked_outside_the_root_is_not_read_and_reported_once(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    outside = tmp_path / "private.md"
    outside.write_text(f"# {SECRET}\n\n[{SECRET}](nowhere-{SECRET}.md)\n", "utf-8")
    root = write_tree(tmp_path / "repo", {"a.md": "# A\n"})
    (root / "leak.md").symlink_to(outside)
    found = findings(root, capsys, monkeypatch)
    assert [(p, line, rule) for p, line, rule, _ in found] == [("leak.md", 1, "MK001")]
    assert "symbolic link leading outside the root" in found[0][3]
    assert SECRET not in json.dumps(found)


def test_a_gitignore_linked_outside_the_root_is_not_applied(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "their.gitignore").write_text("b.md\n", "utf-8")
    root = write_tree(tmp_path / "repo", {"a.md": "# A\n", "b.md": BROKEN})
    (root / ".gitignore").symlink_to(tmp_path / "their.gitignore")
    assert ("b.md", 5, "LK001") in [(p, line, rule) for p, line, rule, _ in findings(root, capsys, monkeypatch)]


def test_a_document_linked_inside_the_root_is_linted_once(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    root = write_tree(tmp_path / "repo", {"a.md": BROKEN, "sub/x.md": "# X\n\n[别名](../alias.md)\n"})
    (root / "alias.md").symlink_to("a.md")
    found = [(p, line, rule) for p, line, rule, _ in findings(root, capsys, monkeypatch)]
    assert found == [("a.md", 5, "LK001")]  # not also alias.md:5; a link to alias.md resolves


# -- item 4: FIFOs and devices -----------------------------------------------------------------


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_document_does_not_hang_the_run(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "repo", {"a.md": "# A\n"})
    os.mkfifo(root / "x.md")
    os.mkfifo(tmp_path / "elsewhere")
    (root / "y.md").symlink_to(tmp_path / "elsewhere")  # only as a link target (and outside)
    os.mkfifo(root / "z-target")
    (root / "z.md").symlink_to("z-target")  # a link to a FIFO inside the root
    r = cli("check", str(root), "--format", "json", "--no-cache", timeout=30)
    got = [(d["path"], d["rule"], d["message"]) for d in json.loads(r.stdout)["diagnostics"]]
    assert [(p, rule) for p, rule, _ in got] == [("x.md", "MK001"), ("y.md", "MK001"), ("z.md", "MK001")]
    assert "not a regular file" in got[0][2] and "outside the root" in got[1][2] and "not a regular file" in got[2][2]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_in_place_of_a_cache_entry_or_the_digest_index_does_not_hang(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "repo", {"a.md": BROKEN, "b.md": "# B\n"})
    first = cli("check", str(root), "--format", "json", "-j", "1")
    cache = root / ".formalai-lint-cache"
    entries = sorted(p for p in cache.rglob("*.json"))
    index = next(cache.rglob("digests.idx"))
    assert len([p for p in entries if "models" in p.parts]) == 2  # and their findings entries
    for path in (*entries, index):
        path.unlink()
        os.mkfifo(path)
    again = cli("check", str(root), "--format", "json", "-j", "1", timeout=30)
    assert again.returncode == first.returncode == 1 and again.stdout == first.stdout


def test_a_baseline_fifo_is_refused_not_waited_on(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "repo", {"a.md": BROKEN})
    os.mkfifo(root / "B.json")
    r = cli("check", str(root), "--baseline", str(root / "B.json"), "--no-cache", timeout=30)
    assert r.returncode == 2 and r.stderr.startswith("error: cannot read baseline") and "not a regular file" in r.stderr


def test_a_config_fifo_is_refused(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "repo", {"a.md": "# A\n", ".formalai-lint.yaml": "extends: ./shared.yaml\n"})
    os.mkfifo(root / "shared.yaml")
    r = cli("check", str(root), "--no-cache", timeout=30)
    assert r.returncode == 2 and r.stderr.startswith("error: ") and r.stderr.count("\n") == 1


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero")
def test_a_document_linked_to_a_device_is_not_read(tmp_path: Path) -> None:
    # not run against the old code: it read /dev/zero until memory ran out
    root = write_tree(tmp_path / "repo", {"a.md": "# A\n"})
    (root / "zero.md").symlink_to("/dev/zero")
    corpus = Corpus(root)
    assert corpus.read("zero.md") is None and "outside the root" in corpus.refused["zero.md"]
    r = cli("check", str(root), "--format", "json", "--no-cache", timeout=30)
    assert [(d["path"], d["rule"]) for d in json.loads(r.stdout)["diagnostics"]] == [("zero.md", "MK001")]


# -- item 5: size before reading, at most the cap ----------------------------------------------


def _peak(fn: object) -> int:
    tracemalloc.start()
    try:
        fn()  # type: ignore[operator]
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_an_oversized_document_is_not_read_whole(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "repo", {"a.md": "# A\n"})
    with open(root / "big.md", "wb") as fh:  # sparse: 64 MiB claimed, nothing on disk
        fh.truncate(64 * 1024 * 1024)
    corpus = Corpus(root, max_bytes=1000)
    data = corpus.read("big.md")
    assert data is not None and len(data) == 1001  # the cap + 1: enough to call it too large
    assert _peak(lambda: corpus.read("big.md")) < 1024 * 1024
    doc = corpus.document("big.md")
    assert doc is not None and doc.encoding.error_kind == "too-large"
    assert doc.encoding.error == "file is larger than the 1,000-byte limit"


def test_extends_to_a_huge_file_is_refused_before_reading(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "repo", {".formalai-lint.yaml": "extends: ./huge.yaml\n"})
    with open(root / "huge.yaml", "wb") as fh:
        fh.truncate(64 * 1024 * 1024)
    with pytest.raises(ConfigError, match="config larger than"):
        load_config(root)

    def load() -> None:
        with pytest.raises(ConfigError):
            load_config(root)

    assert _peak(load) < 4 * 1024 * 1024  # before: the 64 MiB file was read whole first


def test_an_oversized_baseline_is_refused_before_reading(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    from linter.run import baseline

    monkeypatch.setattr(baseline, "MAX_BYTES", 1000, raising=False)
    path = tmp_path / "B.json"
    path.write_text(json.dumps({"version": 1, "tool": "formalai-lint", "findings": [], "pad": "x" * 5000}))
    with pytest.raises(ConfigError, match="larger than the 1,000-byte limit"):
        baseline.read(path)


def test_an_oversized_schema_file_is_refused(tmp_path: Path) -> None:
    from linter.schema import SchemaError, read_schema_file

    path = tmp_path / "s.yaml"
    with open(path, "wb") as fh:
        fh.truncate(64 * 1024 * 1024)
    with pytest.raises(SchemaError, match="larger than"):
        read_schema_file(path)
    assert _peak(lambda: pytest.raises(SchemaError, read_schema_file, path)) < 4 * 1024 * 1024


# -- item 6: short, escaped excerpts -----------------------------------------------------------

KEY = "-----BEGIN OPENSSH PRIVATE KEY-----\n" + "\n".join(["b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ" * 2] * 30) + \
    "\n-----END OPENSSH PRIVATE KEY-----\n"


def test_extends_to_any_file_does_not_copy_it_into_the_error(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "id_ed25519").write_text(KEY, "utf-8")
    root = write_tree(tmp_path / "repo", {"a.md": "# A\n", ".formalai-lint.yaml": "extends: ../id_ed25519\n"})
    r = run(capsys, monkeypatch, "check", str(root), "--no-cache")
    one_line_error(r)
    assert "b3BlbnNzaC1rZXktdjE" not in r.err and len(r.err) < 300


def test_a_long_bad_config_value_is_quoted_short_and_escaped(tmp_path: Path) -> None:
    value = "\x1b]0;pwned\x07" + "x" * 5000
    root = write_tree(tmp_path / "repo", {".formalai-lint.yaml": f"ignore: {json.dumps(value)}\n"})
    with pytest.raises(ConfigError) as info:
        load_config(root)
    message = str(info.value)
    assert len(message) < 400 and "\x1b" not in message and "\x07" not in message and "\\x1b" in message


# -- item 19: UTF-32 -----------------------------------------------------------------------------


def test_utf32_is_recognised_not_read_as_utf16(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    text = "# 标题\n\n正文。\n"
    le = decode(codecs.BOM_UTF32_LE + text.encode("utf-32-le"))
    be = decode(codecs.BOM_UTF32_BE + text.encode("utf-32-be"))
    assert (le.encoding.name, le.text) == ("utf-32-le", text)
    assert (be.encoding.name, be.text) == ("utf-32-be", text)
    root = write_tree(tmp_path / "repo", {"标题.md": codecs.BOM_UTF32_LE + text.encode("utf-32-le")})
    found = findings(root, capsys, monkeypatch, "--select", "MK001,MK002")
    assert found == [("标题.md", 1, "MK002", "file is encoded as UTF-32-LE; expected UTF-8")]
