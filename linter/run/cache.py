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
`.gitignore` of `*` at the top. Writes go to a temp file in the same folder and `os.replace`,
so two runs sharing the cache see a whole entry or none; a corrupt or foreign entry is a miss.
A root that is not writable (a read-only checkout) falls back to the user cache folder, and
failing that the run goes on without a cache after a one-line note.
"""

from __future__ import annotations

import dataclasses
import enum
import hashlib
import json
import os
import shutil
import sys
import tempfile
import time
import unicodedata
from collections.abc import Callable, Mapping
from importlib import metadata
from pathlib import Path
from typing import Any

from ..config.settings import Config
from .entry import FORMAT
from ..resources import schemas_dir

CACHE_DIR_NAME = ".formalai-lint-cache"
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
        h.update(path.as_posix().encode() + b"\0")
        try:
            h.update(path.read_bytes())
        except OSError:
            h.update(b"<unreadable>")
    return h.hexdigest()


def environment(config: Config, root: Path) -> str:
    """The hash of everything besides the file itself that a cached entry depends on."""
    facts = {
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
    return hashlib.sha256(f"{environment_hash}\0{path}\0{digest}".encode()).hexdigest()


# A digest is trusted only for a file last modified this long before the index was written.
RACY_NS = 2_000_000_000


class DigestIndex:
    """The SHA-256 of each file, remembered with its size, mtime, inode and device.

    What git's index does for `git status`: a warm run need not read and hash 13 MB of
    unchanged Markdown to find its entries (a tenth of a warm run). A remembered digest is
    used only when all four stat fields still match and the file was modified at least
    RACY_NS before the index was written: a file changed in the same clock tick as it was
    hashed would otherwise look unchanged (git's "racy" case), so it is hashed again. The
    digest only selects an entry; the entry itself is still checked like any other.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._written = 0
        self._files: dict[str, list[Any]] = {}
        self._changed = False
        try:
            data = json.loads(path.read_bytes())
            if isinstance(data, dict) and isinstance(data.get("files"), dict) and isinstance(data.get("written"), int):
                self._written, self._files = data["written"], data["files"]
        except (OSError, ValueError):
            pass  # absent or unreadable: every file is hashed, and the index rewritten

    @staticmethod
    def _stamp(st: os.stat_result) -> list[int]:
        return [st.st_size, st.st_mtime_ns, st.st_ino, st.st_dev]

    def lookup(self, relpath: str, st: os.stat_result) -> str | None:
        found = self._files.get(relpath)
        if (
            isinstance(found, list)
            and len(found) == 5
            and found[:4] == self._stamp(st)
            and st.st_mtime_ns + RACY_NS <= self._written
            and isinstance(found[4], str)
        ):
            return found[4]
        return None

    def remember(self, relpath: str, st: os.stat_result, digest: str) -> None:
        self._files[relpath] = [*self._stamp(st), digest]
        self._changed = True

    def save(self) -> None:
        if not self._changed:
            return
        body = {"written": time.time_ns(), "files": self._files}
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            _atomic_write(self.path, json.dumps(body, separators=(",", ":")).encode())
            self._changed = False
        except OSError:
            pass  # a read-only or full cache folder: the next run hashes again


def user_cache_dir(root: Path) -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    tag = hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:16]
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


def _prepare_dir(directory: Path) -> bool:
    """Create the cache folder with its tag files; False when it cannot be written."""
    if _read_only(directory):
        return False
    try:
        directory.mkdir(parents=True, exist_ok=True)
        for name, text in (("CACHEDIR.TAG", _TAG), (".gitignore", "*\n")):
            if not (directory / name).is_file():
                _atomic_write(directory / name, text.encode())
        probe = tempfile.NamedTemporaryFile(dir=directory, prefix=".probe-", delete=True)
        probe.close()
        return True
    except OSError:
        return False


def _atomic_write(target: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


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
        """The cache for `root` (or `cache_dir`), or None (after a note) when none is writable."""
        env = environment(config, root)
        candidates = [cache_dir] if cache_dir is not None else [root / CACHE_DIR_NAME, user_cache_dir(root)]
        for directory in candidates:
            if _prepare_dir(directory):
                return cls(directory, env, note)
        if note is not None:
            note(f"note: no writable cache folder ({candidates[0]}); running without the cache")
        return None

    def key(self, path: str, data: bytes) -> str:
        return entry_key(self.environment, path, data)

    def key_from_digest(self, path: str, digest: str) -> str:
        return digest_key(self.environment, path, digest)

    def digests(self) -> DigestIndex:
        """The remembered file digests (kept beside this environment's entries)."""
        return DigestIndex(self._folder / "digests.idx")  # JSON, but not an entry

    def _entry_path(self, key: str) -> Path:
        return self._folder / key[:2] / f"{key}.json"

    def load(self, key: str) -> bytes | None:
        try:
            return self._entry_path(key).read_bytes()
        except OSError:
            return None

    def store(self, key: str, blob: bytes) -> None:
        if not self._writable:
            return
        target = self._entry_path(key)
        try:
            try:
                _atomic_write(target, blob)
            except FileNotFoundError:  # the shard folder's first entry: make it (once)
                target.parent.mkdir(parents=True, exist_ok=True)
                _atomic_write(target, blob)
        except OSError as exc:
            # a full disk or a folder gone read-only: stop writing, keep linting
            self._writable = False
            if self._note is not None:
                self._note(f"note: cannot write the cache ({exc.strerror}); continuing without storing")


def clear(directory: Path) -> bool:
    """Delete a cache folder made by this tool (it must carry our CACHEDIR.TAG)."""
    tag = directory / "CACHEDIR.TAG"
    if not tag.is_file() or "formalai-lint" not in tag.read_text("utf-8", "replace"):
        return False
    shutil.rmtree(directory)
    return True
