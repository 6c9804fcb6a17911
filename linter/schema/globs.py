"""Path globs for schema mappings: `*` and `?` stay inside one path segment, `**` spans
folders, `[...]` is a character class. Paths are root-relative POSIX strings."""

from __future__ import annotations

import functools
import re


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
