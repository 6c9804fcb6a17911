"""The content-addressed cache: parsed models, per-document findings and run records on disk.

- A *model* (`linter.run.entry`): the parsed `Document` of a file, keyed by the SHA-256 of
  its bytes and the model environment (format, tool and source hash, parser identity,
  Python and Unicode versions, max-bytes; `linter.run.keys`). No path, no configuration: a
  config edit or a rename re-uses it, and identical files share one.
- A document's *findings* (`linter.run.findings`): its per-document rules' findings, keyed
  by the model key, the path and the findings environment (schemas), each rule's findings
  further by its options.
- A *run record* (`linter.run.record`): one run's final findings with the stat of every
  file it read, keyed by everything the run depended on; a run with nothing changed is
  answered from it alone.
Cross-file results are not stored per document: the engine recomputes them from the
models, or a run record holds them whole.

Layout: `<dir>/v<FORMAT>/models/<key[:2]>/<key>.json`,
`<dir>/v<FORMAT>/findings/<findings env[:32]>/<key[:2]>/<key>.json`,
`<dir>/v<FORMAT>/runs/<key[:2]>/<key>.json` and `<dir>/v<FORMAT>/digests.idx`, with
`CACHEDIR.TAG` and a `.gitignore` of `*` at the top. Every write goes through
`linter.util.safe_write` (temp file, fsync, atomic rename, never through a link, never
outside the cache folder), so two runs sharing the cache see a whole entry or none; a
corrupt, foreign, oversized or non-regular entry (a FIFO) is a miss. A root that is not
writable (a read-only checkout) falls back to the user cache folder, and failing that the
run goes on without a cache after a one-line note.

The tool writes only into a folder it made: one that is absent, empty, or tagged with our
`CACHEDIR.TAG`. `--cache-dir notes` on a user's folder is refused (`CacheRefused`, exit 2)
rather than tagged (git and the linter would then ignore its files); a default folder that
is foreign or is a link leaving the root is passed over for the user cache folder.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import stat
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from ..config.settings import Config, ConfigError
from .entry import FORMAT
from .keys import findings_environment, findings_key, model_environment, model_key
from .folder import GITIGNORE, TAG, is_tag, user_cache_dir
from ..resources import CACHE_DIR_NAME
from ..util.safe_read import ReadRefused, read_bytes as safe_read_bytes
from ..util.escape import excerpt
from ..util.safe_write import UnsafeWrite, make_folder, write_bytes

__all__ = ["CACHE_DIR_NAME", "Cache", "CacheRefused", "DigestIndex", "clear", "open_folder", "user_cache_dir"]
# An entry is the JSON of one parsed document (at most max-bytes of Markdown); the digest
# index one line per file. Anything larger is not ours: a miss, never read whole.
MAX_ENTRY_BYTES = 256 * 1024 * 1024

Note = Callable[[str], None]


# A digest is trusted only for a file last modified this long before the index was written.
RACY_NS = 2_000_000_000


class DigestIndex:
    """The SHA-256 of each file, remembered with its size, mtime, ctime, inode and device.

    What git's index does for `git status`: a warm run need not read and hash 13 MB of
    unchanged Markdown to find its entries (a tenth of a warm run). The ctime is there as in
    git: `tar -x` or `cp -p` can restore an old mtime after a same-size edit, but no one can
    set the ctime back. A remembered digest is
    used only when all stat fields still match and the file was modified at least
    RACY_NS before the index was written: a file changed in the same clock tick as it was
    hashed would otherwise look unchanged (git's "racy" case), so it is hashed again. The
    digest only selects an entry; the entry itself is still checked like any other.
    """

    def __init__(self, path: Path, root: Path | None = None) -> None:
        self.path = path
        self._root = root  # the cache folder: the index is written only inside it
        self._written = 0
        self._files: dict[str, list[Any]] = {}
        self._changed = False
        try:
            # a FIFO in its place is not opened, a huge or deeply nested file is a miss
            data = json.loads(safe_read_bytes(path, MAX_ENTRY_BYTES, follow_links=False))
            if isinstance(data, dict) and isinstance(data.get("files"), dict) and isinstance(data.get("written"), int):
                self._written, self._files = data["written"], data["files"]
        except (OSError, ValueError, RecursionError):
            pass  # absent, unreadable or corrupt: every file is hashed, and the index rewritten

    @staticmethod
    def _stamp(st: os.stat_result) -> list[int]:
        return [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev]

    def lookup(self, relpath: str, st: os.stat_result) -> str | None:
        return self.known(relpath, self._stamp(st))

    def known(self, relpath: str, stamp: Sequence[int]) -> str | None:
        """The remembered digest for a file whose stat was `stamp` (size, mtime, ctime,
        inode, device), when it can be trusted; else None."""
        found = self._files.get(relpath)
        if (
            isinstance(found, list)
            and len(found) == 6
            and found[:5] == list(stamp)
            and stamp[1] + RACY_NS <= self._written
            and isinstance(found[5], str)
        ):
            return found[5]
        return None

    def remember(self, relpath: str, st: os.stat_result, digest: str) -> None:
        self._files[relpath] = [*self._stamp(st), digest]
        self._changed = True

    def save(self) -> None:
        if not self._changed:
            return
        body = {"written": time.time_ns(), "files": self._files}
        try:
            make_folder(self.path.parent, self._root or self.path.parent)
            write_bytes(self.path, json.dumps(body, separators=(",", ":")).encode(), root=self._root, durable=False)
            self._changed = False
        except (OSError, UnsafeWrite):
            pass  # a read-only or full cache folder, or a planted link: the next run hashes again


def _read_only(folder: Path) -> bool:
    """No write permission bit on the nearest existing folder. Checked by mode, not by
    trying: root (a CI container) may write anywhere, but a checkout made read-only is
    meant to stay untouched."""
    for candidate in (folder, *folder.parents):
        try:
            return not candidate.stat().st_mode & 0o222
        except FileNotFoundError:
            continue
        except OSError:
            return True
    return True


class CacheRefused(ConfigError):
    """A cache folder the tool will not write into or clear (not made by it)."""


_MAKING = re.compile(r"\.gitignore|\.(CACHEDIR\.TAG|\.gitignore)\.[0-9a-f]+\.tmp")
_OURS = re.compile(r"v\d+|CACHEDIR\.TAG|\.gitignore|\.[^/]*\.tmp|[^/]*\.json")


def foreign_reason(directory: Path) -> str | None:
    """Why `directory` is not a folder this tool may write into, or None when it may:
    absent, an empty folder, or a real folder holding our own `CACHEDIR.TAG`."""
    try:
        info = os.lstat(directory)
    except FileNotFoundError:
        return None
    except OSError as exc:
        return f"cannot be read ({exc.strerror})"
    if stat.S_ISLNK(info.st_mode):
        return "is a symbolic link"
    if not stat.S_ISDIR(info.st_mode):
        return "is not a folder"
    if is_tag(directory / "CACHEDIR.TAG"):
        return None
    try:
        with os.scandir(directory) as it:
            # empty, or being made by a parallel run (its tag files, or their temporaries)
            if all(_MAKING.fullmatch(e.name) for e in it):
                return None
    except OSError as exc:
        return f"cannot be read ({exc.strerror})"
    return "is not empty and has no formalai-lint CACHEDIR.TAG (not a folder this tool made)"


def _prepare_dir(directory: Path, root: Path | None) -> Path | None:
    """Create or reuse the cache folder with its tag files: its resolved path, or None when
    it cannot be written. `root`: the folder must stay inside it (checked through links)."""
    if _read_only(directory):
        return None
    try:
        if root is None:  # a folder the user named (or ours in the user cache): made as asked
            directory.mkdir(parents=True, exist_ok=True)
            real = directory.resolve()
        else:
            real = make_folder(directory, root)
        for name, text in (("CACHEDIR.TAG", TAG), (".gitignore", GITIGNORE)):
            if not os.path.lexists(real / name):
                try:
                    write_bytes(real / name, text.encode(), root=real, overwrite=False)
                except UnsafeWrite:
                    if not os.path.lexists(real / name):
                        raise  # not a parallel run that wrote it first
        return real
    except (OSError, UnsafeWrite):
        return None


class Cache:
    """The models, findings and run records of one cache folder, for one configuration."""

    def __init__(self, directory: Path, model_env: str, findings_env: str, note: Note | None = None) -> None:
        self.directory = directory
        self.model_env = model_env
        self.findings_env = findings_env
        self._top = directory / f"v{FORMAT}"
        self._note = note
        self._writable = True

    @classmethod
    def open(
        cls,
        root: Path,
        config: Config,
        cache_dir: Path | None = None,
        note: Note | None = None,
    ) -> Cache | None:
        """The cache for `root` (or `cache_dir`), or None (after a note) when none is writable.

        Raises `CacheRefused` for a `cache_dir` the tool did not make. The default folder
        must be ours and stay inside the root; otherwise the user cache folder is used.
        """
        real = open_folder(root, cache_dir, note)
        if real is None:
            return None
        model_env = model_environment(config)
        return cls(real, model_env, findings_environment(model_env, config, root), note)

    def model_key(self, digest: str) -> str:
        return model_key(self.model_env, digest)

    def findings_key(self, path: str, model: str) -> str:
        return findings_key(self.findings_env, path, model)

    def digests(self) -> DigestIndex:
        """The remembered file digests (one index for every configuration)."""
        return DigestIndex(self._top / "digests.idx", self.directory)  # JSON, but not an entry

    def _path(self, kind: str, key: str) -> Path:
        if kind == "findings":  # one folder per findings environment: an old one is easy to spot
            return self._top / kind / self.findings_env[:32] / key[:2] / f"{key}.json"
        return self._top / kind / key[:2] / f"{key}.json"

    def load(self, kind: str, key: str) -> bytes | None:
        """The blob stored under `key` (kind: "models", "findings" or "runs"), None if absent."""
        try:  # a FIFO or a link planted in place of an entry is a miss, never opened
            return safe_read_bytes(self._path(kind, key), MAX_ENTRY_BYTES, follow_links=False)
        except OSError:
            return None

    def store(self, kind: str, key: str, blob: bytes) -> None:
        if not self._writable:
            return
        target = self._path(kind, key)
        try:
            try:
                write_bytes(target, blob, root=self.directory, durable=False)
            except UnsafeWrite:
                # the shard folder's first entry: make it, never through a link. A parallel
                # run may make it between our write and this line, so an existing real folder
                # is accepted and the write retried once; any other refusal repeats and is
                # reported below.
                make_folder(target.parent, self.directory)
                write_bytes(target, blob, root=self.directory, durable=False)
        except (OSError, UnsafeWrite) as exc:
            # a full disk, a folder gone read-only or a planted link: stop writing, keep linting
            self._writable = False
            if self._note is not None:
                why = exc.strerror if isinstance(exc, OSError) else str(exc)
                self._note(f"note: cannot write the cache ({why}); continuing without storing")


def open_folder(root: Path, cache_dir: Path | None = None, note: Note | None = None) -> Path | None:
    """The cache folder for `root` (or `cache_dir`), made and tagged, or None (after a note)
    when none is writable. Raises `CacheRefused` for a `cache_dir` the tool did not make."""
    if cache_dir is not None:
        reason = foreign_reason(cache_dir)
        if reason is not None:
            raise CacheRefused(f"cache folder {cache_dir} {reason}; not writing into it")
        candidates: list[tuple[Path, Path | None]] = [(cache_dir, None)]
    else:
        own = root / CACHE_DIR_NAME
        candidates = [(user_cache_dir(root), None)]
        reason = foreign_reason(own)
        if reason is None:
            candidates.insert(0, (own, root))
        elif note is not None:
            note(f"note: {own} {reason}; using {candidates[0][0]} for the cache")
    for directory, inside in candidates:
        real = _prepare_dir(directory, inside)
        if real is not None:
            return real
    if note is not None:
        note(f"note: no writable cache folder ({candidates[0]}); running without the cache")
    return None


def clear(directory: Path) -> bool:
    """Delete a cache folder made by this tool; False when there is none to clear.

    Raises `CacheRefused` when `directory` is a link, lacks our `CACHEDIR.TAG`, or holds
    anything besides the tag, its `.gitignore`, the `v<N>` entry folders and JSON result
    files: a user's folder is never deleted, even one that an old version tagged.
    """
    if not os.path.lexists(directory):
        return False
    reason = foreign_reason(directory)
    if reason is None and not is_tag(directory / "CACHEDIR.TAG"):
        return False  # an empty folder: nothing of ours to clear
    if reason is None:
        strangers = [e.name for e in os.scandir(directory) if not _own_entry(e)]
        if strangers:
            reason = f"holds files this tool did not write ({excerpt(', '.join(sorted(strangers)))})"
    if reason is not None:
        raise CacheRefused(f"cache folder {directory} {reason}; not clearing it")
    shutil.rmtree(directory)
    return True


def _own_entry(entry: os.DirEntry[str]) -> bool:
    if not _OURS.fullmatch(entry.name) or entry.is_symlink():
        return False
    if entry.name.startswith("v") and not entry.name.endswith(".json"):
        return entry.is_dir(follow_symlinks=False)
    if entry.name == ".gitignore":
        try:
            return safe_read_bytes(entry.path, 64, follow_links=False) == GITIGNORE.encode()
        except OSError:
            return False
    return entry.is_file(follow_symlinks=False)
