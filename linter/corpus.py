"""A corpus: the Markdown files under a root, parsed lazily, with an anchor index.

Per-document facts (the parsed `Document`) are kept apart from cross-document results, so
parsing can be cached and parallel. `document(path)` parses a file the first time it is
asked for and memoises it: a document linked to by a hundred others is parsed once, and a
pre-commit run on three files parses those three and what they link to, not the corpus.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from .document.encoding import DEFAULT_MAX_BYTES, decode
from .document.model import Document, Encoding
from .document.parsers import DEFAULT_PARSER
from .resources import CACHE_DIR_NAME
from .util.globs import selects_any
from .util.safe_read import ReadRefused, read_prefix

SKIP_DIRS = frozenset({".git", ".hg", ".svn", "node_modules", ".venv", "__pycache__", CACHE_DIR_NAME})
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
        parser: str = DEFAULT_PARSER,
    ) -> None:
        self.root = root.resolve()
        self.parser = parser  # which Markdown parser builds documents (linter.document.parsers)
        self.ignore = tuple(ignore)
        # A further predicate on root-relative paths (`.gitignore` rules, see linter.config.gitignore)
        self.exclude = exclude
        self.max_bytes = max_bytes
        self._loader: Loader = loader or self._parse
        self._docs: dict[str, Document | None] = {}
        self._files: frozenset[str] | None = None
        self._dirs: frozenset[str] | None = None
        # symlinked documents whose target is another listed document (linted once, as it)
        self._aliases: frozenset[str] = frozenset()
        self._paths: tuple[frozenset[str], tuple[str, ...]] | None = None  # `paths`, for its listing
        self._root_text = os.fspath(self.root)
        # why a listed file was not read (a link leaving the root, a FIFO or device)
        self.refused: dict[str, str] = {}
        # what higher layers compute once per corpus (the link checker): dies with it
        self.memo: dict[str, object] = {}

    def _parse(self, relpath: str, data: bytes) -> Document:
        from .document.parse import parse_bytes  # here: a run answered from the cache parses nothing

        return parse_bytes(data, relpath, self.max_bytes, self.parser)

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
        self._aliases = frozenset(self._find_aliases(files))

    def _find_aliases(self, files: set[str]) -> Iterable[str]:
        """Markdown symlinks whose target is another Markdown file of the corpus: that file
        is linted, the link is not (its findings would all be reported twice)."""
        for rel in files:
            if not rel.lower().endswith(MARKDOWN_SUFFIXES) or not os.path.islink(os.path.join(self._root_text, rel)):
                continue
            try:
                target = (self.root / rel).resolve().relative_to(self.root).as_posix()
            except (ValueError, OSError, RuntimeError):
                continue  # leaves the root, or a loop: reported when read
            if target != rel and target in files and target.lower().endswith(MARKDOWN_SUFFIXES):
                yield rel

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
        files = self.files
        known = self._paths
        if known is None or known[0] is not files:  # made again only for another listing
            found = tuple(
                sorted(
                    p
                    for p in files
                    if p.lower().endswith(MARKDOWN_SUFFIXES) and p not in self._aliases and not self.is_ignored(p)
                )
            )
            known = self._paths = (files, found)
        return known[1]

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

    def _real(self, relpath: str) -> Path | None:
        """The file to open for `relpath`: itself, or the target of a link that stays inside
        the root; None (the reason in `refused`) for a link leaving it."""
        path = self.root / relpath
        if not os.path.islink(path):
            return path
        try:
            real = path.resolve(strict=True)
            real.relative_to(self.root)
        except (ValueError, RuntimeError):
            self.refused[relpath] = "symbolic link leading outside the root; not read"
            return None
        except OSError:
            self.refused[relpath] = "dangling symbolic link; not read"
            return None
        return real

    def read(self, relpath: str) -> bytes | None:
        """The file's bytes, None when it cannot or must not be read. Never opens a FIFO or
        device and never reads through a link leaving the root; reads at most max_bytes + 1
        bytes of a larger file (enough for the decoder to call it too large)."""
        path = self._real(relpath)
        if path is None:
            return None
        try:
            return read_prefix(path, self.max_bytes + 1)
        except ReadRefused as exc:
            self.refused[relpath] = exc.reason
            return None
        except OSError:
            return None

    def stat(self, relpath: str) -> os.stat_result | None:
        """The file's stat (for remembering digests), None when it has none, is not on disk
        or must not be read (then it is always read, and refused, afresh)."""
        try:
            # one lstat answers for a file that is no link (a run stats every document
            # several times: the record's snapshot and checks, the digest index)
            st = os.lstat(os.path.join(self._root_text, relpath))
            if stat.S_ISLNK(st.st_mode):
                path = self._real(relpath)
                if path is None:
                    return None
                st = os.stat(path)
        except OSError:
            return None
        return st if stat.S_ISREG(st.st_mode) else None

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
                why = self.refused.get(relpath, "file cannot be read")
                doc = Document(
                    path=relpath,
                    encoding=Encoding("unknown", False, "none", why, "unreadable"),
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
