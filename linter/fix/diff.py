"""A unified diff of what `--fix` would change, in the form `patch -p1` applies.

Lines are compared with their own terminators, so a CRLF file's diff carries its `\\r\\n`
and `patch` reproduces the fixed bytes; a last line without a newline gets the usual
`\\ No newline at end of file` marker (difflib does not write it).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")
_NO_NEWLINE = "\\ No newline at end of file\n"


def _lines(data: bytes) -> list[str]:
    # plain utf-8: a BOM stays part of line 1, so removing it shows (and patches) as a change
    # split at \n, \r\n and \r only (str.splitlines also splits at U+2028, \f, ...)
    text = data.decode("utf-8", errors="surrogateescape")
    return [m.group() for m in _LINE.finditer(text) if m.group()]


def _quoted(name: str) -> str:
    """git's form of a header name: as is when plain ASCII without spaces, else in double
    quotes with C escapes and octal UTF-8 bytes (GNU patch 2.7+ reads both)."""
    if all(33 <= ord(c) < 127 and c not in '"\\' for c in name):
        return name
    out = []
    for byte in name.encode("utf-8"):
        c = chr(byte)
        if c in '"\\':
            out.append("\\" + c)
        elif 32 <= byte < 127:
            out.append(c)
        else:
            out.append({9: "\\t", 10: "\\n"}.get(byte, f"\\{byte:03o}"))
    return '"' + "".join(out) + '"'


def file_diff(path: str, old: bytes, new: bytes, context: int = 3) -> str:
    """The diff of one file (empty when nothing changed)."""
    if old == new:
        return ""
    out: list[str] = []
    for line in difflib.unified_diff(_lines(old), _lines(new), _quoted(f"a/{path}"), _quoted(f"b/{path}"), n=context):
        if line.startswith(("---", "+++")):
            out.append(line.rstrip("\n") + "\n")
            continue
        out.append(line)
        if not line.endswith("\n"):
            out.append("\n" + _NO_NEWLINE)
    return "".join(out)


def unified_diff(changes: Mapping[str, tuple[bytes, bytes]], order: Iterable[str] | None = None) -> str:
    """The diffs of every changed file, in path order."""
    paths = list(order) if order is not None else sorted(changes)
    return "".join(file_diff(p, *changes[p]) for p in paths if p in changes)
