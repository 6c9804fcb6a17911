"""`check --fix`, `--unsafe-fixes` and `--diff`: the fix run and its notes.

The report (any `--format`) is about the findings left after the fixes; the summary line
`N fixed, M remaining, K fixable with --unsafe-fixes` and the files left untouched go to
stderr, so a JSON or SARIF report stays machine-readable. `--diff` prints only the diff.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

import click

from ..api import FixResult, LintResult, fix_paths
from .output import emit


def summary_line(fr: FixResult) -> str:
    left = len(fr.result.diagnostics)
    line = f"{fr.fixed} fixed, {left} remaining"
    if fr.unsafe_fixable:
        line += f", {fr.unsafe_fixable} fixable with --unsafe-fixes"
    return line


def run_fix(
    paths: Sequence[Path], common: dict[str, Any], unsafe: bool, show_diff: bool, output: Path | None
) -> tuple[LintResult, bool]:
    """Fix (or, with `show_diff`, only diff) `paths`; the findings left and whether the
    fixes failed to settle. `--diff` exits here: 1 when something would change, else 0."""
    fr = fix_paths(paths, unsafe=unsafe, write=not show_diff, **common)
    for problem in fr.problems:
        click.echo(f"{'error' if fr.loop and 'did not settle' in problem else 'fix'}: {problem}", err=True)
    if show_diff:
        text = fr.diff()

        def render(stream: TextIO) -> None:
            stream.write(text)

        emit(output, render)
        would = f"{len(fr.changes)} file(s) would change" if fr.changes else "no file would change"
        click.echo(f"{would}; {summary_line(fr).replace(' fixed', ' fixable', 1)}", err=True)
        sys.exit(1 if fr.changes or fr.loop else 0)
    click.echo(f"{summary_line(fr)} ({len(fr.changes)} file(s) changed)", err=True)
    return fr.result, fr.loop
