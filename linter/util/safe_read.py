"""Every file the tool reads from a corpus, a config or a cache goes through here.

Reading is an attack surface too: a FIFO named `x.md` (or a cache entry replaced by one)
blocks `open` forever, a link to `/dev/zero` or a sparse 3 GiB file fills memory before any
size check, and a link leaving the root shows a private file's text in the report. So:
`lstat`/`stat` before opening (a FIFO or a device is never opened), open non-blocking (a
file swapped for a FIFO after the stat still cannot block), check the open file again with
`fstat`, and read at most `limit + 1` bytes whatever the file claims its size is.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path


class ReadRefused(OSError):
    """A read refused for safety (not a regular file, a link, too large); `reason` says why."""

    def __init__(self, path: str | os.PathLike[str], reason: str, kind: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.reason = reason
        self.kind = kind  # "not-regular", "link", "too-large"
        self.strerror = reason


def _check(path: str | os.PathLike[str], st: os.stat_result) -> None:
    if stat.S_ISLNK(st.st_mode):
        raise ReadRefused(path, "is a symbolic link; not read through it", "link")
    if not stat.S_ISREG(st.st_mode):
        raise ReadRefused(path, "not a regular file (a FIFO, device or folder); not read", "not-regular")


def read_prefix(path: str | os.PathLike[str], limit: int, *, follow_links: bool = True) -> bytes:
    """At most the first `limit` bytes of the regular file `path` (a larger file is cut,
    not refused: for callers that report "too large" themselves). Refuses like `read_bytes`."""
    return _read(path, limit, follow_links)


def read_bytes(path: str | os.PathLike[str], limit: int | None = None, *, follow_links: bool = True) -> bytes:
    """The bytes of the regular file `path`, at most `limit` of them.

    Raises `ReadRefused` for a FIFO, device, socket or folder (never opened), for a symbolic
    link when `follow_links` is false, and for a file over `limit` bytes (kind "too-large";
    at most `limit + 1` bytes are read to find out, so a lying size cannot fill memory);
    `OSError` for the ordinary failures (missing, no permission).
    """
    st = os.stat(path) if follow_links else os.lstat(path)
    _check(path, st)
    if limit is not None and st.st_size > limit:
        raise ReadRefused(path, f"larger than the {limit:,}-byte limit", "too-large")
    data = _read(path, None if limit is None else limit + 1, follow_links)
    if limit is not None and len(data) > limit:
        raise ReadRefused(path, f"larger than the {limit:,}-byte limit", "too-large")
    return data


def _read(path: str | os.PathLike[str], want: int | None, follow_links: bool) -> bytes:
    """Open without blocking (checked again once open) and read at most `want` bytes."""
    _check(path, os.stat(path) if follow_links else os.lstat(path))
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)
    if not follow_links:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(path, flags)
    try:
        _check(path, os.fstat(fd))
        chunks: list[bytes] = []
        got = 0
        while want is None or got < want:
            chunk = os.read(fd, 1 << 20 if want is None else min(1 << 20, want - got))
            if not chunk:
                break
            chunks.append(chunk)
            got += len(chunk)
    finally:
        os.close(fd)
    return b"".join(chunks)


def read_text(path: str | os.PathLike[str], limit: int | None = None, *, encoding: str = "utf-8",
              follow_links: bool = True) -> str:
    """`read_bytes` decoded (strictly: a `UnicodeDecodeError` is the caller's to report)."""
    return read_bytes(path, limit, follow_links=follow_links).decode(encoding)


def inside(path: Path, root: Path) -> bool:
    """`path` resolved (every link followed) lies inside `root` resolved."""
    try:
        Path(path).resolve().relative_to(Path(root).resolve())
    except (ValueError, OSError, RuntimeError):
        return False
    return True
