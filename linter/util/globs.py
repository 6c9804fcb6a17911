"""Path globs, one meaning wherever a config or schema names files.

`ignore`, `overrides[].files`, `schemas` mappings, preset schema globs, reference-family
paths and the audit's entry-point globs all match root-relative POSIX paths with these
rules (`.gitignore` files keep git's own wildmatch, through pathspec):

- `*` and `?` stay inside one path segment; `**` spans folders (`**/` zero or more);
  `[...]` is a character class, `[!...]` its negation;
- a glob matches a path when it matches the whole path, or a folder above it
  (`archive` and `archive/**` both select `archive/a/b.md`);
- a glob without `/` matches a file or folder name at any depth (`*.draft.md`, `drafts`).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence


def _class_body(body: str) -> str:
    """Escape a `[...]` body; a `-` is a range only between two characters."""
    out: list[str] = []
    for k, ch in enumerate(body):
        is_range = ch == "-" and 0 < k < len(body) - 1 and body[k - 1] != "-" and body[k + 1] != "-"
        out.append("-" if is_range else re.escape(ch))
    return "".join(out)


@functools.lru_cache(maxsize=512)
def glob_to_regex(glob: str) -> re.Pattern[str]:
    out: list[str] = []
    i, n = 0, len(glob)
    while i < n:
        c = glob[i]
        if glob.startswith("**/", i):
            out.append(r"(?:[^/]*/)*")  # zero or more whole folders
            i += 3
        elif glob.startswith("**", i):
            out.append(r".*")
            i += 2
        elif c == "*":
            out.append(r"[^/]*")
            i += 1
        elif c == "?":
            out.append(r"[^/]")
            i += 1
        elif c == "[":
            end = glob.find("]", i + 2)
            if end == -1:
                out.append(re.escape(c))
                i += 1
            else:
                body = glob[i + 1 : end]
                negate = body.startswith("!")
                out.append("[" + ("^" if negate else "") + _class_body(body[1:] if negate else body) + "]")
                i = end + 1
        else:
            out.append(re.escape(c))
            i += 1
    try:
        return re.compile("".join(out) + r"\Z")
    except re.error:  # a malformed class such as `[z-a]`: match the glob literally
        return re.compile(re.escape(glob) + r"\Z")


def glob_match(glob: str, path: str) -> bool:
    """True when the root-relative POSIX `path` matches `glob` in full."""
    return glob_to_regex(glob).match(path) is not None


def selects(glob: str, path: str) -> bool:
    """True when `glob` selects `path`: the path, a folder above it, or (no `/`) a name in it."""
    glob = glob.strip()
    if glob.startswith("./"):
        glob = glob[2:]
    anchored = glob.startswith("/")  # as in .gitignore: `/README.md` is the root's only
    glob = glob.strip("/") or "**"
    pattern = glob_to_regex(glob)
    if not anchored and "/" not in glob and any(pattern.match(part) for part in path.split("/")):
        return True
    if pattern.match(path):
        return True
    # a folder above the path: `archive` selects `archive/a.md`
    cut = path.rfind("/")
    while cut > 0:
        if pattern.match(path[:cut]):
            return True
        cut = path.rfind("/", 0, cut)
    return False


def selects_any(globs: Sequence[str], path: str) -> bool:
    return any(selects(g, path) for g in globs)
