"""Every file the tool writes goes through here: atomic, never through a symlink, never onto
a device, FIFO or folder, and (when a root is given) only inside that root.

The recipe (as in the guide's reliability notes): a temporary file created with `O_EXCL` in
the target's own folder (so `os.replace` is a rename on one file system), written, flushed
and `fsync`ed, given the mode of the file it replaces, then renamed over the target. A crash
or a full disk leaves either the old file or the new one, never half of either; a committed
symlink at the target or at a predictable temporary name cannot redirect the write.
"""

from __future__ import annotations

import os
import secrets
import stat
from collections.abc import Sequence
from pathlib import Path

_DEFAULT_MODE = 0o644


class UnsafeWrite(Exception):
    """A write refused for safety; the message says which path and why (one line)."""


def _inside(path: Path, root: Path) -> bool:
    try:
        path.relative_to(root)
    except ValueError:
        return False
    return True


def check_target(path: Path, root: Path | None = None) -> Path:
    """The absolute target `path` if writing it is safe, else `UnsafeWrite`.

    Safe: its folder exists and (resolved) is inside `root` when one is given; the target is
    absent or a regular file, and not a symlink (a link is never followed, even to a file
    inside the root: replacing it would silently turn the link into a file).
    """
    target = Path(os.path.abspath(path))
    folder = target.parent
    if not folder.is_dir():
        raise UnsafeWrite(f"{path}: folder {folder} does not exist")
    real_folder = folder.resolve()
    if root is not None:
        real_root = Path(root).resolve()
        if not _inside(real_folder / target.name, real_root):
            raise UnsafeWrite(f"{path}: outside the root {real_root}")
    try:
        info = os.lstat(target)
    except FileNotFoundError:
        return real_folder / target.name
    if stat.S_ISLNK(info.st_mode):
        raise UnsafeWrite(f"{path}: is a symbolic link; not written through it")
    if not stat.S_ISREG(info.st_mode):
        raise UnsafeWrite(f"{path}: not a regular file; not replaced")
    return real_folder / target.name


def write_bytes(path: str | os.PathLike[str], data: bytes | Sequence[bytes], *, root: Path | None = None,
                mode: int | None = None, overwrite: bool = True, durable: bool = True) -> None:
    """Replace (or create) `path` with `data` atomically. Keeps the mode of a file it replaces.

    `data` may be a sequence of chunks, written one after another (a large record is never
    joined into one more copy in memory).

    `mode` applies to a new file (default 0644 less the umask's bits, as `open` would).
    `overwrite=False` creates the file only if nothing is there yet, even in a race (the
    temporary file is hard-linked to the target, which fails when it exists).
    Raises `UnsafeWrite` for a target that is not safe to write, `OSError` for I/O failures
    (the target is then untouched and the temporary file removed).
    `durable=False` skips the two fsyncs, for data that can be rebuilt and is checked when
    read (cache entries): the rename is still atomic, so a crashed process leaves the old
    file or the new one; only a power loss may leave a damaged entry, which reads as a miss.
    """
    target = check_target(Path(path), root)
    try:
        keep = stat.S_IMODE(os.lstat(target).st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        keep = (mode if mode is not None else _DEFAULT_MODE) & ~umask
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    for _ in range(100):
        temp = target.with_name(f".{target.name}.{secrets.token_hex(6)}.tmp")
        try:
            fd = os.open(temp, flags, 0o600)
            break
        except FileExistsError:
            continue
    else:  # pragma: no cover - 100 collisions of 48 random bits
        raise UnsafeWrite(f"{path}: could not create a temporary file beside it")
    try:
        with os.fdopen(fd, "wb") as out:
            if isinstance(data, bytes):
                out.write(data)
            else:
                out.writelines(data)
            out.flush()
            if durable:
                os.fsync(out.fileno())
        os.chmod(temp, keep)
        if overwrite:
            os.replace(temp, target)
        else:
            try:
                os.link(temp, target, follow_symlinks=False)
            except FileExistsError:
                raise UnsafeWrite(f"{path}: already exists; not overwritten") from None
            except OSError:  # a file system without hard links: check, then rename
                if os.path.lexists(target):
                    raise UnsafeWrite(f"{path}: already exists; not overwritten") from None
                os.replace(temp, target)
            else:
                os.unlink(temp)
    except BaseException:
        try:
            os.unlink(temp)
        except OSError:
            pass
        raise
    if durable:
        _fsync_folder(target.parent)


def write_text(path: str | os.PathLike[str], text: str, *, root: Path | None = None,
               encoding: str = "utf-8", mode: int | None = None, overwrite: bool = True) -> None:
    """`write_bytes` of `text` encoded as given (no newline translation)."""
    write_bytes(path, text.encode(encoding), root=root, mode=mode, overwrite=overwrite)


def make_folder(folder: Path, root: Path) -> Path:
    """Create `folder` (and its missing parents) inside `root`; its resolved path.

    `Path.mkdir(parents=True)` follows a symlink among the existing parents, so a committed
    link (`.formalai-lint-cache -> ../x`) would make it create folders outside the root.
    Here the nearest existing ancestor must resolve inside `root` and be a folder; only the
    missing parts below it are made (they cannot be links: they did not exist).
    """
    real_root = Path(root).resolve()
    target = Path(os.path.abspath(folder))
    missing: list[str] = []
    existing = target
    while not os.path.lexists(existing):
        missing.append(existing.name)
        if existing.parent == existing:
            break
        existing = existing.parent
    real = existing.resolve()
    if not _inside(real, real_root):
        raise UnsafeWrite(f"{folder}: outside the root {real_root}")
    if not real.is_dir():
        raise UnsafeWrite(f"{folder}: {existing} is not a folder")
    for name in reversed(missing):
        real = real / name
        try:
            os.mkdir(real)
        except FileExistsError:  # made meanwhile (a parallel run): accept only a real folder
            if os.path.islink(real) or not real.is_dir():
                raise UnsafeWrite(f"{folder}: {real} is not a folder") from None
    return real


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX; a no-op where folders cannot be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
