"""The package's own facts: its version, and where the shipped data lives (`schemas/` and `docs/`
in a checkout, `linter/_schemas` and `linter/_docs` in a wheel). The lowest layer, so every layer can read them."""

from __future__ import annotations

from pathlib import Path

__version__ = "0.1.0"
# The root's cache folder (parse cache, external-link results); no document is read from it.
CACHE_DIR_NAME = ".formalai-lint-cache"

_PACKAGE = Path(__file__).resolve().parent


def schemas_dir() -> Path:
    """The folder of built-in schemas (the wheel copy first, then the source checkout's)."""
    installed = _PACKAGE / "_schemas"
    if installed.is_dir():
        return installed
    return _PACKAGE.parent / "schemas"


def docs_dir() -> Path:
    """The folder of the user guide (`docs/`, shipped in the wheel as `linter/_docs`), so
    `formalai-lint docs TOPIC` works offline from an installed tool."""
    installed = _PACKAGE / "_docs"
    if installed.is_dir():
        return installed
    return _PACKAGE.parent / "docs"
