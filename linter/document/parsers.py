"""Which Markdown parser builds a `Document`, and a stable name for it.

The parser is a setting (`Config.parser`, `--parser`): every parser must produce the same
`Document` for the same bytes, but a cached model records which one built it, so switching
parsers (or upgrading one) never serves a model another parser made.
"""

from __future__ import annotations

from importlib import metadata

MARKDOWN_IT = "markdown-it"
DEFAULT_PARSER = MARKDOWN_IT
CHOICES: tuple[str, ...] = (MARKDOWN_IT,)

# the distributions whose versions decide what each parser produces
_DISTRIBUTIONS: dict[str, tuple[str, ...]] = {
    MARKDOWN_IT: ("markdown-it-py", "mdit-py-plugins"),
}


def _version(distribution: str) -> str:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "missing"


def identity(choice: str) -> str:
    """The parser `choice` resolves to, with its versions (`markdown-it markdown-it-py=3.0.0 ...`)."""
    name = choice if choice in _DISTRIBUTIONS else DEFAULT_PARSER
    versions = " ".join(f"{d}={_version(d)}" for d in _DISTRIBUTIONS[name])
    return f"{name} {versions}"
