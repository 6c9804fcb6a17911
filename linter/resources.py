"""Where the shipped data lives: `schemas/` in a checkout, `linter/_schemas` in a wheel."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def schemas_dir() -> Path:
    """The folder of built-in schemas (the wheel copy first, then the source checkout's)."""
    installed = _PACKAGE / "_schemas"
    if installed.is_dir():
        return installed
    return _PACKAGE.parent / "schemas"
