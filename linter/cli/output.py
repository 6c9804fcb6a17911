"""Where a command's report or generated file goes: stdout, or a file written safely.

Every file the CLI writes goes through `linter.util.safe_write`: the report is rendered in
memory first and then replaces the target atomically, so a full disk or a killed run leaves
the old report whole, and a committed symlink or a FIFO at the target is refused. `-` names
stdout explicitly (the only "special file" the CLI writes to).
"""

from __future__ import annotations

import io
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

import click

from ..util.safe_write import UnsafeWrite, write_bytes


def parser_option() -> Callable[[Callable[..., object]], Callable[..., object]]:
    """`--parser`: which Markdown parser builds the documents (linter.document.parsers)."""
    from ..document.parsers import CHOICES

    return click.option(
        "--parser", type=click.Choice(CHOICES), default=None,
        help="Markdown parser: pulldown-cmark (native) or markdown-it (the reference); the same model "
        "either way (docs/parsers.md). Default: the config's `parser:`, else markdown-it.",
    )


def is_stdout(output: Path | None) -> bool:
    return output is None or str(output) == "-"


def write_file(target: Path, text: str, *, overwrite: bool = True) -> None:
    """`text` into `target` (UTF-8) atomically, or a one-line `ClickException` (exit 2).

    A lone surrogate (a file name that is not UTF-8, as `os` gives it) is written as the
    escape `\\udcff` rather than failing the whole report."""
    _write(target, text.encode("utf-8", "backslashreplace"), overwrite)


def _write(target: Path, data: bytes, overwrite: bool = True) -> None:
    try:
        write_bytes(target, data, overwrite=overwrite)
    except UnsafeWrite as exc:
        raise click.ClickException(f"cannot write {exc}") from None
    except OSError as exc:
        raise click.ClickException(f"cannot write {target}: {exc.strerror or exc}") from None


def stdout() -> TextIO:
    """`sys.stdout`, set to escape what UTF-8 cannot encode (see `write_file`)."""
    reconfigure = getattr(sys.stdout, "reconfigure", None)
    if reconfigure is not None:
        try:
            reconfigure(errors="backslashreplace")
        except (ValueError, OSError):  # pragma: no cover - a stream that cannot be changed
            pass
    return sys.stdout


def emit(output: Path | None, render: Callable[[TextIO], None]) -> None:
    """Run `render` on stdout, or on a buffer then written to `output` in one safe write."""
    if is_stdout(output):
        render(stdout())
        return
    assert output is not None
    # encoded as it is written (as `write_file` encodes): a report of 50,000 findings held
    # as text, then copied out and encoded, took three times the memory of its bytes
    raw = io.BytesIO()
    buffer = io.TextIOWrapper(raw, encoding="utf-8", errors="backslashreplace", newline="")
    render(buffer)
    buffer.flush()
    _write(output, raw.getvalue())
