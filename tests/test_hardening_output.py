"""Issue 12, items 14 and 18: a file name that is not UTF-8 never crashes a report (text,
JSON, SARIF, GitHub, JUnit, cached runs, baselines, --changed-since), and control
characters from documents never reach text or GitHub output raw."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.hardening import run
from tests.helpers import write_tree

BAD_NAME = b"\xff\xfe bad.md"


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.email=t@t", "-c", "user.name=t", *args], cwd=root, check=True,
                   capture_output=True)


@pytest.fixture
def odd_repo(tmp_path: Path) -> Path:
    root = write_tree(tmp_path / "repo", {"a.md": "# A\n"})
    try:
        with open(os.fsencode(root) + b"/" + BAD_NAME, "wb") as fh:
            fh.write(b"# X\n\n[a](missing.md)\n")
    except OSError:
        pytest.skip("this file system refuses non-UTF-8 file names")
    return root


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github", "junit"])
def test_a_non_utf8_file_name_is_reported_in_every_format(odd_repo: Path, fmt: str, tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str],
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "cache"
    for _ in range(2):  # cold, then warm from the cache
        r = run(capsys, monkeypatch, "check", str(odd_repo), "--format", fmt, "--cache-dir", str(cache), "-j", "1")
        assert r.code == 1, r.err  # before: exit 2, "internal error: UnicodeEncodeError"
    out = tmp_path / f"report.{fmt}"
    r = run(capsys, monkeypatch, "check", str(odd_repo), "--format", fmt, "--no-cache", "-o", str(out))
    assert r.code == 1, r.err
    written = out.read_bytes().decode("utf-8")  # valid UTF-8
    if fmt in ("text", "github"):
        assert "\\xff\\xfe bad.md" in written  # the undecodable bytes shown as escapes
    if fmt == "json":
        paths = [d["path"] for d in json.loads(written)["diagnostics"]]
        assert paths == [os.fsdecode(BAD_NAME)]  # reads back as the name os gives
    if fmt == "sarif":
        uris = [res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                for res in json.loads(written)["runs"][0]["results"]]
        assert uris == ["%FF%FE%20bad.md"]  # the real bytes, percent-encoded


def test_a_non_utf8_file_name_with_baseline_and_changed_since(odd_repo: Path, tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str],
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    _git(odd_repo, "init", "-q")
    _git(odd_repo, "add", "-A")
    _git(odd_repo, "commit", "-qm", "init")
    baseline = tmp_path / "B.json"
    r = run(capsys, monkeypatch, "check", str(odd_repo), "--no-cache", "--write-baseline", str(baseline))
    assert r.code == 0, r.err
    r = run(capsys, monkeypatch, "check", str(odd_repo), "--no-cache", "--baseline", str(baseline))
    assert r.code == 0 and "1 known finding(s)" in r.err
    with open(os.fsencode(odd_repo) + b"/" + BAD_NAME, "ab") as fh:
        fh.write(b"\n[b](gone.md)\n")
    (odd_repo / "a.md").write_text("# A\n\n见下。\n", "utf-8")
    r = run(capsys, monkeypatch, "check", str(odd_repo), "--no-cache", "--changed-since", "HEAD", "--format", "json")
    assert r.code == 1, r.err
    found = sorted((d["path"], d["line"]) for d in json.loads(r.out)["diagnostics"])
    assert found == [(os.fsdecode(BAD_NAME), 3), (os.fsdecode(BAD_NAME), 5)]


HOSTILE = (
    "# 标题\n\n"
    "## 一、\x1b]0;pwned\x07节\n\n"
    "[x](#%1B]0;pwned%07)\n\n"
    "[y](#a%0Ab)\n"
)


@pytest.mark.parametrize("fmt", ["text", "github"])
def test_control_characters_never_reach_the_output_raw(tmp_path: Path, fmt: str, capsys: pytest.CaptureFixture[str],
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    root = write_tree(tmp_path / "repo", {"a.md": HOSTILE, "b\x1bc.md": "# B\n\n[z](nowhere.md)\n"})
    json_run = run(capsys, monkeypatch, "check", str(root), "--no-cache", "--format", "json")
    n = len(json.loads(json_run.out)["diagnostics"])
    messages = " ".join(d["message"] for d in json.loads(json_run.out)["diagnostics"])
    assert "\x1b" in messages or "\n" in messages  # the attack does reach the findings' data
    r = run(capsys, monkeypatch, "check", str(root), "--no-cache", "--format", fmt, "--color", "never")
    assert r.code == 1
    assert not any(c in r.out for c in "\x1b\x07\r"), repr(r.out)
    finding_lines = [ln for ln in r.out.splitlines() if ln.startswith("::") or re.search(r":\d+:\d+: [A-Z]{2}\d{3}", ln)]
    assert len(finding_lines) == n  # one line per finding: no newline split one in two
    assert "\\x1b" in r.out
