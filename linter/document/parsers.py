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


def _version(distribution: str) -> str:
    # imported here: importlib.metadata costs a warm run answered from its record ~40 ms,
    # and that run never asks for a version
    from importlib import metadata

    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "missing"


def identity(choice: str) -> str:
    """The parser `choice` resolves to, with its versions
    (`pulldown-cmark pyromark=0.10.3 markdown-it-py=3.0.0 mdit-py-plugins=0.4.2`)."""
    name = resolve(choice)
    versions = " ".join(f"{d}={_version(d)}" for d in _DISTRIBUTIONS[name])
    return f"{name} {versions}"
