"""Bytes to an editable `Source` and back, byte for byte, and the one place fixes write.

Only a file the parser could read is edited: UTF-8 (with or without a byte-order mark) or
UTF-16 with a BOM. Encoding a `Source` nobody edited gives back the exact bytes it came
from (a test checks this on every fixture), so a file's untouched lines, its line endings,
final newline and BOM survive a fix.
"""

from __future__ import annotations

import codecs
from pathlib import Path

from ..document.encoding import DEFAULT_MAX_BYTES, decode
from ..util.safe_write import UnsafeWrite, write_bytes
from .edits import Source

_BOMS = {"utf-8": codecs.BOM_UTF8, "utf-16-le": codecs.BOM_UTF16_LE, "utf-16-be": codecs.BOM_UTF16_BE}


class Unreadable(ValueError):
    """A file that cannot be edited safely (the message says why, in one line)."""


def to_source(data: bytes, max_bytes: int = DEFAULT_MAX_BYTES) -> Source:
    """The editable form of `data`; `Unreadable` when the parser could not read it either."""
    decoded = decode(data, max_bytes)
    enc = decoded.encoding
    if enc.error is not None:
        raise Unreadable(f"cannot be decoded ({enc.error}); left untouched")
    codec = "utf-8" if enc.name in ("utf-8", "utf-8-sig") else enc.name
    if codec not in _BOMS or (codec != "utf-8" and not enc.bom):
        raise Unreadable(f"encoded as {enc.name} without a byte-order mark; left untouched")
    body = data[len(_BOMS[codec]) :] if enc.bom else data
    src = Source.from_text(body.decode(codec), codec, enc.bom)
    if to_bytes(src) != data:  # pragma: no cover - a decoder that does not round-trip
        raise Unreadable("does not decode and encode back to the same bytes; left untouched")
    return src


def to_bytes(src: Source) -> bytes:
    return (_BOMS[src.codec] if src.bom else b"") + src.raw.encode(src.codec)


def write(root: Path, path: str, data: bytes) -> None:
    """Write a fixed file through `safe_write` (atomic, no symlinks, inside `root`, mode kept)."""
    write_bytes(root / path, data, root=root)


__all__ = ["Unreadable", "UnsafeWrite", "to_bytes", "to_source", "write"]
