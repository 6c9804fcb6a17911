"""Which Markdown parser builds a `Document`, and a stable name for it.

The parser is a setting (`Config.parser`, `--parser`, the config key `parser:`): every parser
must produce the same `Document` for the same bytes (tests/test_parse_native.py compares them),
but a cached model records which one built it, so switching parsers (or upgrading one) never
serves a model another parser made.

- `pulldown-cmark` (through the `pyromark` wheel), about ten times faster. A document it refuses (a construct it cannot reproduce exactly, or a panic) is parsed with
  markdown-it, so its identity names both (docs/parsers.md).
- `markdown-it` (markdown-it-py): the reference implementation and today's default, and the
  fallback when pyromark is not installed.
"""

from __future__ import annotations

import os
from functools import lru_cache
from importlib import util

MARKDOWN_IT = "markdown-it"
PULLDOWN = "pulldown-cmark"
CHOICES: tuple[str, ...] = (PULLDOWN, MARKDOWN_IT)

# the distributions whose versions decide what each parser produces (the native path falls
# back to markdown-it per document, so markdown-it's versions decide its output too)
_DISTRIBUTIONS: dict[str, tuple[str, ...]] = {
    MARKDOWN_IT: ("markdown-it-py", "mdit-py-plugins"),
    PULLDOWN: ("pyromark", "markdown-it-py", "mdit-py-plugins"),
}


@lru_cache(maxsize=1)
def native_available() -> bool:
    """Whether the pyromark wheel is installed (looked up, not imported: that costs a parse)."""
    try:
        return util.find_spec("pyromark") is not None
    except (ImportError, ValueError):
        return False


# markdown-it until the native path agrees on every generated document (docs/parsers.md:
# tables followed by lines markdown-it does not take as rows still differ)
DEFAULT_PARSER = MARKDOWN_IT


def resolve(choice: str) -> str:
    """The parser `choice` runs as: pulldown-cmark only where pyromark is installed."""
    if choice == PULLDOWN and not native_available():
        return MARKDOWN_IT
    return choice if choice in _DISTRIBUTIONS else DEFAULT_PARSER


# the top-level module of each distribution, beside which an installed wheel keeps its
# `NAME-VERSION.dist-info` folder
_MODULES = {"markdown-it-py": "markdown_it", "mdit-py-plugins": "mdit_py_plugins", "pyromark": "pyromark"}


def _version(distribution: str) -> str:
    found = installed_version(distribution)
    if found is not None:
        return found
    # imported only here: importlib.metadata's import and search of every path entry cost
    # about 40 ms of each run that builds a cache key (a pre-commit run, a config edit)
    from importlib import metadata

    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "missing"


def installed_version(distribution: str) -> str | None:
    """The version in the name of the one `*.dist-info` folder of `distribution` beside its
    module, as a wheel install leaves it (PEP 427: `markdown_it_py-3.0.0.dist-info`); None
    when there is not exactly one (an editable or unusual install: ask importlib.metadata)."""
    module = _MODULES.get(distribution)
    try:
        spec = util.find_spec(module) if module is not None else None
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = os.path.dirname(os.path.abspath(next(iter(spec.submodule_search_locations))))
    prefix = distribution.replace("-", "_").replace(".", "_").lower() + "-"
    try:
        names = [n for n in os.listdir(folder) if n.lower().startswith(prefix) and n.endswith(".dist-info")]
    except OSError:
        return None
    if len(names) != 1:
        return None
    return names[0][len(prefix):-len(".dist-info")] or None


def identity(choice: str) -> str:
    """The parser `choice` resolves to, with its versions
    (`pulldown-cmark pyromark=0.10.3 markdown-it-py=3.0.0 mdit-py-plugins=0.4.2`)."""
    name = resolve(choice)
    versions = " ".join(f"{d}={_version(d)}" for d in _DISTRIBUTIONS[name])
    return f"{name} {versions}"
