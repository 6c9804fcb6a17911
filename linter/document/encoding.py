"""Bytes to text, strictly, with the facts a linter must report instead of guessing.

Returns the decoded text (BOM stripped, line endings normalised to `\\n`) and an
`Encoding` record. A file that cannot be read as text gets `Encoding.error`; it is still a
`Document` (empty), so a rule reports it and the run goes on.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

from .model import Encoding, Newline

# Files larger than this are skipped with a diagnostic: markdown-it-py is linear but slow on
# hostile input (guide/reliability.md section 2), and the real corpus's largest file is ~300 KB.
DEFAULT_MAX_BYTES = 5 * 1024 * 1024
# git's binary heuristic: a NUL byte in the first 8000 bytes.
_BINARY_PROBE = 8000


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    encoding: Encoding


def _newline_style(text: str) -> Newline:
    crlf = text.count("\r\n")
    cr = text.count("\r") - crlf
    lf = text.count("\n") - crlf
    kinds = [k for k, n in (("crlf", crlf), ("cr", cr), ("lf", lf)) if n]
    if not kinds:
        return "none"
    if len(kinds) > 1:
        return "mixed"
    return kinds[0]  # type: ignore[return-value]


def _normalise(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _looks_utf16(data: bytes) -> str | None:
    """UTF-16 without a BOM: mostly-ASCII text has NULs at every other byte."""
    probe = data[:_BINARY_PROBE]
    if len(probe) < 4 or len(probe) % 2:
        return None
    even, odd = probe[0::2], probe[1::2]
    if odd.count(0) > 0.4 * len(odd) and even.count(0) == 0:
        return "utf-16-le"
    if even.count(0) > 0.4 * len(even) and odd.count(0) == 0:
        return "utf-16-be"
    return None


def _failed(kind: str, message: str, offset: int | None = None, name: str = "unknown") -> Decoded:
    enc = Encoding(
        name=name,
        bom=False,
        newline="none",
        error=message,
        error_kind=kind,  # type: ignore[arg-type]
        error_offset=offset,
    )
    return Decoded("", enc)


def decode(data: bytes, max_bytes: int = DEFAULT_MAX_BYTES) -> Decoded:
    """Decode a Markdown file's bytes; never raises."""
    if len(data) > max_bytes:
        # the corpus reads at most max_bytes + 1 bytes, so the real size is not known here
        return _failed("too-large", f"file is larger than the {max_bytes:,}-byte limit")
    wide: str | None = None
    bom = False
    # UTF-32 first: its LE BOM FF FE 00 00 starts with UTF-16 LE's FF FE
    if data.startswith(codecs.BOM_UTF32_LE) or data.startswith(codecs.BOM_UTF32_BE):
        wide = "utf-32-le" if data.startswith(codecs.BOM_UTF32_LE) else "utf-32-be"
        data, bom = data[4:], True
    elif data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
        wide = "utf-16-le" if data.startswith(codecs.BOM_UTF16_LE) else "utf-16-be"
        data, bom = data[2:], True
    else:
        wide = _looks_utf16(data)
    if wide is not None:
        try:
            text = data.decode(wide)
        except UnicodeDecodeError as exc:
            return _failed("undecodable", f"invalid {wide} at byte {exc.start}", exc.start, wide)
        return Decoded(_normalise(text), Encoding(wide, bom, _newline_style(text)))
    if b"\x00" in data[:_BINARY_PROBE]:
        return _failed("binary", "file looks binary (it has NUL bytes)", data.index(b"\x00"))
    bom = data.startswith(codecs.BOM_UTF8)
    try:
        text = data.decode("utf-8-sig" if bom else "utf-8")
    except UnicodeDecodeError as exc:
        offset = exc.start + (3 if bom else 0)
        line = data[:offset].count(b"\n") + 1
        return _failed(
            "undecodable",
            f"invalid UTF-8 at byte {offset} (line {line}): {data[exc.start:exc.end]!r}",
            offset,
        )
    name = "utf-8-sig" if bom else "utf-8"
    return Decoded(_normalise(text), Encoding(name, bom, _newline_style(text)))
