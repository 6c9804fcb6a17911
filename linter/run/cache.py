"""The content-addressed parse cache: per-document facts on disk, keyed by what made them.

An entry (see `linter.run.entry`) is found under a key made from
- sha256 of the file's bytes and its root-relative path (the path is part of the document
  and selects its schema),
- the environment: the format version, the tool version and a hash of the tool's own source
  (an editable install changes rules without changing the version), the markdown-it-py and
  mdit-py-plugins versions, the Python and Unicode versions (slugs depend on them), the
  effective configuration, and the schema files.
Cross-file results are never stored: `linter.run.engine` recomputes them every run.

Layout: `<dir>/v<FORMAT>/<environment hash>/<key[:2]>/<key>.json`, with `CACHEDIR.TAG` and a
`.gitignore` of `*` at the top. Every write goes through `linter.util.safe_write` (temp
file, fsync, atomic rename, never through a link, never outside the cache folder), so two runs
sharing the cache see a whole entry or none; a corrupt, foreign, oversized or non-regular
entry (a FIFO) is a miss. A root that is not writable (a read-only checkout) falls back to
the user cache folder, and failing that the run goes on without a cache after a one-line note.

The tool writes only into a folder it made: one that is absent, empty, or tagged with our
`CACHEDIR.TAG`. `--cache-dir notes` on a user's folder is refused (`CacheRefused`, exit 2)
rather than tagged (git and the linter would then ignore its files); a default folder that
is foreign or is a link leaving the root is passed over for the user cache folder.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import hashlib
import json
import os
import re
import shutil
import stat
import sys
import time
import unicodedata
from collections.abc import Callable, Mapping
from importlib import metadata
from pathlib import Path
from typing import Any

from ..config.settings import Config, ConfigError, RuleSetting, merge_setting
from .entry import FORMAT
from ..resources import CACHE_DIR_NAME, schemas_dir
from ..util.safe_read import ReadRefused, read_bytes as safe_read_bytes
from ..util.escape import excerpt
from ..util.safe_write import UnsafeWrite, make_folder, write_bytes

__all__ = ["CACHE_DIR_NAME", "Cache", "CacheRefused", "DigestIndex", "clear"]
# An entry is the JSON of one parsed document (at most max-bytes of Markdown); the digest
# index one line per file. Anything larger is not ours: a miss, never read whole.
MAX_ENTRY_BYTES = 256 * 1024 * 1024
_PACKAGE = Path(__file__).resolve().parent.parent  # the linter package: its sources key the cache
_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by formalai-lint.\n"
    "# For information about cache directory tags see https://bford.info/cachedir/\n"
)

Note = Callable[[str], None]


def dependency_versions() -> dict[str, str]:
    out = {}
    for name in ("markdown-it-py", "mdit-py-plugins"):
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "missing"
    return out


def tool_version() -> str:
    from ..resources import __version__

    return __version__


def code_hash() -> str:
    """A hash of the tool's source files (cheap: ~40 small files)."""
    h = hashlib.sha256()
    for path in sorted(_PACKAGE.rglob("*.py")):
        h.update(path.relative_to(_PACKAGE).as_posix().encode() + b"\0")
        h.update(path.read_bytes() + b"\0")
    return h.hexdigest()


def _canonical(value: Any) -> Any:
    """A JSON-able, order-independent form of a configuration value."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _canonical(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, enum.Enum):
        return _canonical(value.value)
    if isinstance(value, Mapping):
        return sorted([str(k), _canonical(v)] for k, v in value.items())
    if isinstance(value, (set, frozenset)):
        return sorted(json.dumps(_canonical(v), sort_keys=True) for v in value)
    if isinstance(value, (list, tuple)):
        return [_canonical(v) for v in value]
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return repr(value)


def schema_hash(config: Config, root: Path) -> str:
    """The built-in schema files, and any schema file the configuration names (by path)."""
    h = hashlib.sha256()
    folder = schemas_dir()
    files = sorted(p for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else []
    for ref in (ref for _, ref in config.schemas):
        candidate = (root / ref).resolve()  # an absolute ref stays itself
        if candidate.is_file():
            files.append(candidate)
    for path in files:
        h.update(os.fsencode(path.as_posix()) + b"\0")
        try:  # a regular file of a schema's size (the loader refuses far smaller ones)
            h.update(safe_read_bytes(path, 16 * 1024 * 1024))
        except OSError:
            h.update(b"<unreadable>")
    return h.hexdigest()


def clock_dates(config: Config) -> list[str]:
    """Today's date when a rule reading the clock is on: MT006 (future-date) compares with
    today unless its `today` option fixes the date, so yesterday's "future" date must not be
    served from an entry made yesterday. Empty when no rule reads the clock (the cache then
    survives midnight)."""
    from ..rules.metadata import future_date

    base = config.rules.get(future_date.id, RuleSetting())
    candidates = [config.resolve(future_date)]
    candidates += [  # an override may turn it on, or clear `today`, for some files
        dataclasses.replace(config, rules={**config.rules, future_date.id: merge_setting(base, o.rules[future_date.id])},
                            overrides=()).resolve(future_date)
        for o in config.overrides if future_date.id in o.rules
    ]
    if any(c is not None and not c.options.get("today") for c in candidates):
        return [dt.date.today().isoformat()]
    return []


def environment(config: Config, root: Path) -> str:
    """The hash of everything besides the file itself that a cached entry depends on."""
    facts = {
        "today": clock_dates(config),
        "format": FORMAT,
        "tool": tool_version(),
        "code": code_hash(),
        "dependencies": dependency_versions(),
        "python": list(sys.version_info[:2]),
        "unicode": unicodedata.unidata_version,
        "config": _canonical(config),
        "schemas": schema_hash(config, root),
    }
    return hashlib.sha256(json.dumps(facts, sort_keys=True).encode()).hexdigest()


def file_digest(data: bytes) -> str:
    """What identifies a file's content in a key (hex SHA-256 of its bytes)."""
    return hashlib.sha256(data).hexdigest()


def entry_key(environment_hash: str, path: str, data: bytes) -> str:
    return digest_key(environment_hash, path, file_digest(data))


def digest_key(environment_hash: str, path: str, digest: str) -> str:
    """The entry key of a file whose bytes have SHA-256 `digest` (hex)."""
    # surrogateescape: a file name that is not UTF-8 keys its entry by its real bytes
    return hashlib.sha256(f"{environment_hash}\0{path}\0{digest}".encode("utf-8", "surrogateescape")).hexdigest()


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
        found = self._files.get(relpath)
        if (
            isinstance(found, list)
            and len(found) == 6
            and found[:5] == self._stamp(st)
            and st.st_mtime_ns + RACY_NS <= self._written
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
            write_bytes(self.path, json.dumps(body, separators=(",", ":")).encode(), root=self._root)
            self._changed = False
        except (OSError, UnsafeWrite):
            pass  # a read-only or full cache folder, or a planted link: the next run hashes again


def user_cache_dir(root: Path) -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    tag = hashlib.sha256(os.fsencode(str(root.resolve()))).hexdigest()[:16]
    return Path(base) / "formalai-lint" / tag


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


_GITIGNORE = "*\n"
_MAKING = re.compile(r"\.gitignore|\.(CACHEDIR\.TAG|\.gitignore)\.[0-9a-f]+\.tmp")
_OURS = re.compile(r"v\d+|CACHEDIR\.TAG|\.gitignore|\.[^/]*\.tmp|[^/]*\.json")


def _is_tag(path: Path) -> bool:
    try:
        return b"formalai-lint" in safe_read_bytes(path, 4096, follow_links=False)
    except (OSError, ValueError):
        return False


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
    if _is_tag(directory / "CACHEDIR.TAG"):
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
        for name, text in (("CACHEDIR.TAG", _TAG), (".gitignore", _GITIGNORE)):
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
    """Entries for one environment in one cache folder."""

    def __init__(self, directory: Path, environment_hash: str, note: Note | None = None) -> None:
        self.directory = directory
        self.environment = environment_hash
        self._folder = directory / f"v{FORMAT}" / environment_hash[:32]
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
        env = environment(config, root)
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
                return cls(real, env, note)
        if note is not None:
            note(f"note: no writable cache folder ({candidates[0]}); running without the cache")
        return None

    def key(self, path: str, data: bytes) -> str:
        return entry_key(self.environment, path, data)

    def key_from_digest(self, path: str, digest: str) -> str:
        return digest_key(self.environment, path, digest)

    def digests(self) -> DigestIndex:
        """The remembered file digests (kept beside this environment's entries)."""
        return DigestIndex(self._folder / "digests.idx", self.directory)  # JSON, but not an entry

    def _entry_path(self, key: str) -> Path:
        return self._folder / key[:2] / f"{key}.json"

    def load(self, key: str) -> bytes | None:
        try:  # a FIFO or a link planted in place of an entry is a miss, never opened
            return safe_read_bytes(self._entry_path(key), MAX_ENTRY_BYTES, follow_links=False)
        except OSError:
            return None

    def store(self, key: str, blob: bytes) -> None:
        if not self._writable:
            return
        target = self._entry_path(key)
        try:
            try:
                write_bytes(target, blob, root=self.directory)
            except UnsafeWrite:
                # the shard folder's first entry: make it, never through a link. A parallel
                # run may make it between our write and this line, so an existing real folder
                # is accepted and the write retried once; any other refusal repeats and is
                # reported below.
                make_folder(target.parent, self.directory)
                write_bytes(target, blob, root=self.directory)
        except (OSError, UnsafeWrite) as exc:
            # a full disk, a folder gone read-only or a planted link: stop writing, keep linting
            self._writable = False
            if self._note is not None:
                why = exc.strerror if isinstance(exc, OSError) else str(exc)
                self._note(f"note: cannot write the cache ({why}); continuing without storing")


def clear(directory: Path) -> bool:
    """Delete a cache folder made by this tool; False when there is none to clear.

    Raises `CacheRefused` when `directory` is a link, lacks our `CACHEDIR.TAG`, or holds
    anything besides the tag, its `.gitignore`, the `v<N>` entry folders and JSON result
    files: a user's folder is never deleted, even one that an old version tagged.
    """
    if not os.path.lexists(directory):
        return False
    reason = foreign_reason(directory)
    if reason is None and not _is_tag(directory / "CACHEDIR.TAG"):
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
            return safe_read_bytes(entry.path, 64, follow_links=False) == _GITIGNORE.encode()
        except OSError:
            return False
    return entry.is_file(follow_symlinks=False)
