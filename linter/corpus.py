"""A corpus: the Markdown files under a root, parsed lazily, with an anchor index.

Per-document facts (the parsed `Document`) are kept apart from cross-document results, so
parsing can be cached and parallel. `document(path)` parses a file the first time it is
asked for and memoises it: a document linked to by a hundred others is parsed once, and a
pre-commit run on three files parses those three and what they link to, not the corpus.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from .document.encoding import DEFAULT_MAX_BYTES, decode
from .document.model import Document, Encoding
from .util.globs import selects_any

SKIP_DIRS = frozenset({".git", ".hg", ".svn", "node_modules", ".venv", "__pycache__", ".formalai-lint-cache"})
MARKDOWN_SUFFIXES = (".md", ".markdown")

Loader = Callable[[str, bytes], Document]


class Corpus:
    """The documents under `root`. Paths are root-relative POSIX strings."""

    def __init__(
        self,
        root: Path,
        ignore: Sequence[str] = (),
        max_bytes: int = DEFAULT_MAX_BYTES,
        loader: Loader | None = None,
        exclude: Callable[[str], bool] | None = None,
    ) -> None:
        self.root = root.resolve()
        self.ignore = tuple(ignore)
        # A further predicate on root-relative paths (`.gitignore` rules, see linter.config.gitignore)
        self.exclude = exclude
        self.max_bytes = max_bytes
        self._loader: Loader = loader or self._parse
        self._docs: dict[str, Document | None] = {}
        self._files: frozenset[str] | None = None
        self._dirs: frozenset[str] | None = None

    def _parse(self, relpath: str, data: bytes) -> Document:
        from .document.parse import parse_bytes  # here: a run answered from the cache parses nothing

        return parse_bytes(data, relpath, self.max_bytes)

    # -- the file tree ---------------------------------------------------------------------

    def _scan(self) -> None:
        files: set[str] = set()
        dirs: set[str] = {""}
        seen: set[tuple[int, int]] = set()
        # followlinks=False and an inode set: a symlink loop cannot hang discovery
        for dirpath, dirnames, filenames in os.walk(self.root, followlinks=False):
            st = os.stat(dirpath)
            if (st.st_dev, st.st_ino) in seen:
                dirnames[:] = []
                continue
            seen.add((st.st_dev, st.st_ino))
            rel_dir = Path(dirpath).relative_to(self.root).as_posix()
            rel_dir = "" if rel_dir == "." else rel_dir
            dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS)
            for d in dirnames:
                dirs.add(f"{rel_dir}/{d}" if rel_dir else d)
            for f in filenames:
                files.add(f"{rel_dir}/{f}" if rel_dir else f)
        self._files = frozenset(files)
        self._dirs = frozenset(dirs)

    @property
    def files(self) -> frozenset[str]:
        """Every file under the root (any type), for link-target existence checks."""
        if self._files is None:
            self._scan()
        assert self._files is not None
        return self._files

    @property
    def dirs(self) -> frozenset[str]:
        if self._dirs is None:
            self._scan()
        assert self._dirs is not None
        return self._dirs

    @property
    def paths(self) -> tuple[str, ...]:
        """The Markdown documents of the corpus, sorted, ignore globs applied."""
        return tuple(
            sorted(
                p
                for p in self.files
                if p.lower().endswith(MARKDOWN_SUFFIXES) and not self.is_ignored(p)
            )
        )

    def exists(self, relpath: str) -> bool:
        relpath = relpath.strip("/")
        return relpath in self.files or relpath in self.dirs

    def is_dir(self, relpath: str) -> bool:
        return relpath.strip("/") in self.dirs

    def is_ignored(self, relpath: str) -> bool:
        return selects_any(self.ignore, relpath) or (self.exclude is not None and self.exclude(relpath))

    # -- documents -------------------------------------------------------------------------

    def relpath(self, path: Path) -> str:
        return path.resolve().relative_to(self.root).as_posix()

    def read(self, relpath: str) -> bytes | None:
        try:
            return (self.root / relpath).read_bytes()
        except OSError:
            return None

    def stat(self, relpath: str) -> os.stat_result | None:
        """The file's stat (for remembering digests), None when it has none or is not on disk."""
        try:
            return os.stat(self.root / relpath)
        except OSError:
            return None

    def lines(self, relpath: str) -> tuple[str, ...]:
        """The decoded source lines of a document (empty when unreadable)."""
        data = self.read(relpath)
        if data is None:
            return ()
        decoded = decode(data, self.max_bytes)
        return tuple(decoded.text.split("\n")) if decoded.encoding.error is None else ()

    def document(self, relpath: str) -> Document | None:
        """The parsed document at `relpath`, or None if there is no such file."""
        if relpath in self._docs:
            return self._docs[relpath]
        data = self.read(relpath)
        if data is None:
            doc: Document | None = None
            if relpath in self.files:  # listed, but could not be read
                doc = Document(
                    path=relpath,
                    encoding=Encoding("unknown", False, "none", "file cannot be read", "unreadable"),
                    line_count=0,
                )
        else:
            doc = self._loader(relpath, data)
        self._docs[relpath] = doc
        return doc

    def add(self, doc: Document) -> None:
        """Put an already-parsed document (from a cache or a worker process) in the corpus."""
        self._docs[doc.path] = doc

    def parsed(self) -> Iterable[str]:
        return (p for p, d in self._docs.items() if d is not None)

    def anchors(self, relpath: str) -> frozenset[str] | None:
        doc = self.document(relpath)
        return doc.anchors() if doc is not None else None

    def has_anchor(self, relpath: str, anchor: str) -> bool:
        found = self.anchors(relpath)
        return found is not None and anchor in found


class MemoryCorpus(Corpus):
    """A corpus held in memory (for `lint_text`, tests and editor integrations)."""

    def __init__(self, files: dict[str, bytes], root: Path | None = None, **kwargs: object) -> None:
        super().__init__(root or Path("."), **kwargs)  # type: ignore[arg-type]
        self._memory = dict(files)

    def _scan(self) -> None:
        files = set(self._memory)
        dirs = {""}
        for f in files:
            parts = f.split("/")[:-1]
            for i in range(1, len(parts) + 1):
                dirs.add("/".join(parts[:i]))
        self._files = frozenset(files)
        self._dirs = frozenset(dirs)

    def read(self, relpath: str) -> bytes | None:
        return self._memory.get(relpath)

    def stat(self, relpath: str) -> os.stat_result | None:
        return None  # in memory: always read and hashed
