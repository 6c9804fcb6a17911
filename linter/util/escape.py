"""Untrusted text made safe to print: control characters escaped, quotations kept short.

A heading, a link destination or a file name is written by whoever wrote the document. Raw
ESC/BEL/OSC sequences in a terminal report can retitle the window or hide lines; a newline
splits one finding into two in line-oriented output; an error that quotes a whole file can
show a private key that `extends:` pointed at.
"""

from __future__ import annotations

import re
import unicodedata

EXCERPT = 60
# C0/C1 controls and DEL, line/paragraph separators, lone surrogates, and the bidi overrides
# and isolates ("Trojan Source"). Not other spaces (U+3000, NBSP are ordinary CJK text) nor
# zero-width joiners (emoji sequences).
_BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_UNSAFE = frozenset(("Cc", "Cs", "Zl", "Zp"))
_FAST = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def _escape_char(c: str) -> str:
    return c.encode("unicode_escape").decode("ascii")


def escape_controls(text: str, keep: str = "") -> str:
    """`text` with every control character (C0/C1 controls, DEL, line and paragraph
    separators, bidi overrides) written as a Python escape (`\\x1b`, `\\n`, `\\u2028`), and the
    bytes of a non-UTF-8 file name as `\\xff`; other text, CJK included, unchanged.
    Characters in `keep` are left for the caller's own escaping (GitHub's `%0A`)."""
    if _FAST.search(text) is None:
        return text
    try:  # a file name that is not UTF-8 (os gives its bytes as lone surrogates): as \xff
        text = text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:
        pass  # other lone surrogates: escaped one by one below
    return "".join(_escape_char(c) if _unsafe(c) and c not in keep else c for c in text)


def _unsafe(c: str) -> bool:
    return c in _BIDI or unicodedata.category(c) in _UNSAFE


def excerpt(text: str | bytes, limit: int = EXCERPT) -> str:
    """At most `limit` characters of untrusted `text`, escaped, with `…` when cut."""
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return escape_controls(text[:limit]) + ("…" if len(text) > limit else "")
