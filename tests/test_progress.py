"""The progress bar: only on a terminal, never in CI or with --quiet, and it cleans up."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from linter.run import progress
from linter.run.progress import Progress, wanted
from tests.speed_support import write


class Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_wanted_only_on_a_terminal_outside_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    assert wanted(Tty()) is True
    assert wanted(io.StringIO()) is False  # piped
    assert wanted(Tty(), quiet=True) is False
    monkeypatch.setenv("CI", "true")
    assert wanted(Tty()) is False


def test_bar_draws_after_the_delay_and_clears(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = [100.0]
    monkeypatch.setattr(progress.time, "monotonic", lambda: clock[0])
    out = Tty()
    bar = Progress(4, "parsing", enabled=True, stream=out)
    bar.advance()
    assert out.getvalue() == ""  # a short run never shows it
    clock[0] += 1.0
    bar.advance()
    assert out.getvalue() == "\rparsing [###############---------------] 2/4"
    bar.advance(2)
    assert out.getvalue().endswith("[##############################] 4/4")
    bar.close()
    assert out.getvalue().endswith("\r")
    assert out.getvalue().rsplit("\r", 2)[-2].strip() == ""


def test_disabled_bar_writes_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(progress.time, "monotonic", lambda: 1e9)
    out = Tty()
    bar = Progress(3, "parsing", enabled=False, stream=out)
    bar.advance(3)
    bar.close()
    assert out.getvalue() == ""


def test_cli_pipes_no_progress(tmp_path: Path) -> None:
    import subprocess
    import sys

    root = write(tmp_path, {f"d{i}.md": "# T\n" for i in range(3)})
    r = subprocess.run([sys.executable, "-m", "linter", "check", str(root)], capture_output=True, text=True, timeout=120)
    assert r.stderr == "" and "\r" not in r.stdout
