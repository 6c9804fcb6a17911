"""Shared by the tests/test_hardening_*.py files: the CLI run in-process (fast, and the
exit code, stdout and stderr are all checked)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

import linter.cli.main as cli_main


@dataclass
class Run:
    code: int
    out: str
    err: str


def run(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, *args: str) -> Run:
    """`formalai-lint ARGS` in this process (without the CLI's gc tuning)."""
    monkeypatch.setattr(cli_main, "tune_gc", lambda: None)
    capsys.readouterr()
    try:
        cli_main.main(list(args))
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    captured = capsys.readouterr()
    return Run(code, captured.out, captured.err)


def one_line_error(r: Run, *fragments: str) -> None:
    """Exit 2 with exactly one line on stderr, `error: ...`, naming every fragment."""
    assert r.code == 2, (r.code, r.err)
    assert r.err.startswith("error: ") and r.err.count("\n") == 1, r.err
    assert "Traceback" not in r.err and "internal error" not in r.err
    for f in fragments:
        assert f in r.err, (f, r.err)
