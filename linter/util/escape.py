"""Untrusted text made safe to print: control characters escaped, quotations kept short.

A heading, a link destination or a file name is written by whoever wrote the document. Raw
ESC/BEL/OSC sequences in a terminal report can retitle the window or hide lines; a newline
splits one finding into two in line-oriented output; an error that quotes a whole file can
show a private key that `extends:` pointed at.
"""

from __future__ import annotations

EXCERPT = 60


def _escape_char(c: str) -> str:
    return c.encode("unicode_escape").decode("ascii")


def escape_controls(text: str) -> str:
    """`text` with every non-printable character (C0/C1 controls, DEL, line and paragraph
    separators, ...) written as a Python escape (`\\x1b`, `\\n`, `\\u2028`), and the
    bytes of a non-UTF-8 file name as `\\xff`; other text, CJK included, unchanged."""
    if text.isprintable():
        return text
    try:  # a file name that is not UTF-8 (os gives its bytes as lone surrogates): as \xff
        text = text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:
        pass  # other lone surrogates: escaped one by one below
    return "".join(c if c.isprintable() else _escape_char(c) for c in text)


def excerpt(text: str | bytes, limit: int = EXCERPT) -> str:
    """At most `limit` characters of untrusted `text`, escaped, with `…` when cut."""
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return escape_controls(text[:limit]) + ("…" if len(text) > limit else "")
