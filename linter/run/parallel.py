"""Per-document work for a run: from the parse cache, or parsed over worker processes.

A `Session` fills a `Corpus` with the documents a run needs before the engine starts:
cached entries are loaded lazily (`linter.run.entry.LazyDocument`); the rest are parsed and
checked, in a process pool when there is enough work (`--jobs`, default: the CPU count).
Workers send back the same JSON entry the cache stores, so a parallel run is the serial run
with the work moved; a crashed or failing pool falls back to the serial path. The session is
also the corpus's loader, so a document first needed by a cross-file rule (a link target)
comes from the cache too.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .cache import Cache, DigestIndex, file_digest
from ..config.settings import Config, ResolvedRule
from ..corpus import Corpus
from ..diagnostics import Diagnostic
from .engine import PresetSchemas, SchemaFor, active_rules, rules_for, schema_function
from .entry import EntryError, Reparse, analyse, decode_entry, encode_entry
from ..document.model import Document
from ..document.parsers import DEFAULT_PARSER
from .progress import Progress

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor

# Below this much Markdown to parse (~0.2 s of work) a pool costs more than it saves.
POOL_MIN_BYTES = 256 * 1024
# Small files go to the workers in batches of about this many bytes (a large file alone):
# one task per file made 20,000 tiny files 1.6-2x slower in the pool than in one process,
# the pool's per-task cost (pickling, a pipe round trip, a future) exceeding the parse.
BATCH_BYTES = 64 * 1024
BATCH_FILES = 200


@dataclass(frozen=True, slots=True)
class RunOptions:
    """How a run gets its per-document facts (the CLI's `--no-cache`, `--jobs`, ...)."""

    cache: bool = True
    cache_dir: Path | None = None
    jobs: int | None = None  # None: the number of CPUs this process may use
    progress: bool = False  # draw a progress bar (the CLI asks only on a TTY outside CI)
    quiet: bool = False  # no notes on stderr
    inbound: bool = True  # check links into the targets from other documents (linter.run.lazy)


def cpu_count() -> int:
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1


@dataclass(frozen=True, slots=True)
class Analyser:
    """Parse + per-document rules for one file; picklable when `schema_for` is."""

    rules: tuple[ResolvedRule, ...]
    schema_for: SchemaFor | None
    max_bytes: int
    config: Config | None = None  # for per-glob rule overrides (engine.rules_for)

    def __call__(self, path: str, data: bytes) -> tuple[Document, list[Diagnostic]]:
        schema = self.schema_for(path) if self.schema_for is not None else None
        rules = rules_for(self.config, path, list(self.rules)) if self.config is not None else self.rules
        return analyse(path, data, rules, schema, self.max_bytes, self.parser)

    @property
    def parser(self) -> str:
        return self.config.parser if self.config is not None else DEFAULT_PARSER


# The analyser and cache of a worker process (set by the pool initializer).
_WORKER: tuple[Analyser, Cache | None] | None = None


def _init_worker(analyser: Analyser, cache: Cache | None) -> None:
    global _WORKER
    _WORKER = (analyser, cache)


def _work(batch: list[tuple[str, bytes, str]]) -> list[bytes]:
    """Parse and check a batch of (path, data, key); one entry blob per file."""
    assert _WORKER is not None
    analyser, cache = _WORKER
    blobs = []
    for path, data, key in batch:
        doc, found = analyser(path, data)
        blob = encode_entry(key, doc, found)
        if cache is not None:
            cache.store(key, blob)  # here, not in the parent: the workers write in parallel
        blobs.append(blob)
    return blobs


def _note_to_stderr(message: str) -> None:
    print(message, file=sys.stderr)


class Session:
    """The per-document results of one run, shared by the engine and the corpus loader."""

    def __init__(
        self,
        analyser: Analyser,
        cache: Cache | None = None,
        jobs: int = 1,
        progress: bool = False,
    ) -> None:
        self.analyser = analyser
        self.cache = cache
        self.jobs = max(1, jobs)
        self.progress = progress
        self.diagnostics: dict[str, list[Diagnostic]] = {}
        self.analysed: list[str] = []  # paths parsed in this run (cache misses), in order
        self.pool_failed = False
        self._digest_index: DigestIndex | None = None

    @classmethod
    def open(
        cls, root: Path, config: Config, schema_for: SchemaFor | None, options: RunOptions
    ) -> Session:
        note = None if options.quiet else _note_to_stderr
        cache = Cache.open(root, config, options.cache_dir, note) if options.cache else None
        schema_for = schema_function(config, root, schema_for)
        analyser = Analyser(tuple(active_rules(config)), schema_for, config.max_bytes, config)
        jobs = options.jobs if options.jobs is not None else cpu_count()
        return cls(analyser, cache, jobs, options.progress)

    def _key(self, path: str, data: bytes) -> str:
        return self.cache.key(path, data) if self.cache is not None else ""

    def _reparser(self, read: Callable[[str], bytes | None], path: str, key: str) -> Reparse:
        """A fresh parse of `path` for an entry whose heavy fields turn out damaged."""

        def reparse() -> Document:
            data = read(path)
            if data is None or self._key(path, data) != key:
                raise EntryError(f"{path}: cache entry damaged and the file changed during the run; run again")
            from ..document.parse import parse_bytes

            return parse_bytes(data, path, self.analyser.max_bytes, self.analyser.parser)

        return reparse

    def _cached(self, path: str, key: str, read: Callable[[str], bytes | None]) -> Document | None:
        if self.cache is None:
            return None
        blob = self.cache.load(key)
        if blob is None:
            return None
        try:
            doc, found = decode_entry(blob, key, path, reparse=self._reparser(read, path, key))
        except EntryError:
            return None  # corrupt, truncated or foreign: a miss, parsed again and rewritten
        self.diagnostics[path] = found
        return doc

    def _keep(self, path: str, key: str, doc: Document, found: list[Diagnostic]) -> None:
        self.diagnostics[path] = found
        self.analysed.append(path)
        if self.cache is not None:
            self.cache.store(key, encode_entry(key, doc, found))

    def load(self, path: str, data: bytes) -> Document:
        """The corpus loader: a document from the cache, else parsed here."""
        key = self._key(path, data)
        doc = self._cached(path, key, lambda _: data)
        if doc is None:
            doc, found = self.analyser(path, data)
            self._keep(path, key, doc, found)
        return doc

    def _lookup_key(self, corpus: Corpus, path: str, digests: DigestIndex) -> tuple[str, int] | None:
        """The entry key of `path` and its size: from the remembered digest when the file is
        unchanged by stat, else by reading and hashing it (None: it cannot be read)."""
        assert self.cache is not None
        st = corpus.stat(path)
        digest = digests.lookup(path, st) if st is not None else None
        if digest is not None and st is not None:
            return self.cache.key_from_digest(path, digest), st.st_size
        data = corpus.read(path)  # after the stat: a change in between is seen next run
        if data is None:
            return None
        digest = file_digest(data)
        if st is not None:
            digests.remember(path, st, digest)
        return self.cache.key_from_digest(path, digest), len(data)

    def _digests(self) -> DigestIndex | None:
        # loaded once per run: a check of a few files calls `prepare` again for inbound links
        if self.cache is not None and self._digest_index is None:
            self._digest_index = self.cache.digests()
        return self._digest_index

    def prepare(self, corpus: Corpus, paths: Sequence[str]) -> None:
        """Put every document of `paths` into `corpus`, with its per-document findings."""
        misses: list[tuple[str, int]] = []
        digests = self._digests()
        for path in paths:
            if digests is not None:
                found = self._lookup_key(corpus, path, digests)
                if found is None:
                    continue  # unreadable: the corpus makes its flagged document
                key, size = found
            else:
                data = corpus.read(path)
                if data is None:
                    continue
                key, size = "", len(data)
            doc = self._cached(path, key, corpus.read)
            if doc is not None:
                corpus.add(doc)
            else:
                misses.append((path, size))
        if digests is not None:
            digests.save()
        if not misses:
            return
        if isinstance(self.analyser.schema_for, PresetSchemas):
            # load once here: forked workers inherit it, and a failure is the parent's
            self.analyser.schema_for.load()
        bar = Progress(len(misses), "parsing", enabled=self.progress)
        try:
            todo = [p for p, _ in misses]
            size = sum(n for _, n in misses)
            if self.jobs > 1 and len(misses) > 1 and size >= POOL_MIN_BYTES:
                todo = self._parallel(corpus, sorted(misses, key=lambda m: -m[1]), bar)
            for path in todo:
                data = corpus.read(path)
                if data is not None:
                    corpus.add(self.load(path, data))
                bar.advance()
        finally:
            bar.close()

    def _parallel(self, corpus: Corpus, misses: list[tuple[str, int]], bar: Progress) -> list[str]:
        """Parse `misses` (largest first) in a pool; returns the paths left for the serial path."""
        # imported here: a run answered from the cache starts no pool (~20 ms of imports)
        from concurrent.futures import ProcessPoolExecutor

        left = {p for p, _ in misses}
        try:
            with ProcessPoolExecutor(
                max_workers=min(self.jobs, len(misses)),
                mp_context=_context(),
                initializer=_init_worker,
                initargs=(self.analyser, self.cache),
            ) as pool:
                for batch, future in self._submit(pool, corpus, misses):
                    try:
                        blobs = future.result()
                        # made by our own worker a moment ago: no checksum to verify
                        done = [decode_entry(b, key, path, verify=False) for (path, key), b in zip(batch, blobs)]
                    except Exception:  # noqa: BLE001 - any worker failure: redo the batch serially
                        self.pool_failed = True
                        continue
                    for (path, _), (doc, found) in zip(batch, done):
                        corpus.add(doc)
                        self.diagnostics[path] = found
                        self.analysed.append(path)
                        left.discard(path)
                        bar.advance()
        except Exception:  # noqa: BLE001 - no pool here (no fork, no semaphores): go serial
            self.pool_failed = True
        return [p for p, _ in misses if p in left]

    def _submit(
        self, pool: ProcessPoolExecutor, corpus: Corpus, misses: list[tuple[str, int]]
    ) -> Iterator[tuple[list[tuple[str, str]], Future[list[bytes]]]]:
        """Keep a few batches per worker in flight (files are read as they are sent, so a
        big corpus is never held in memory twice) and yield them as they finish."""
        from concurrent.futures import FIRST_COMPLETED, wait

        pending: dict[Future[list[bytes]], list[tuple[str, str]]] = {}
        batches = batched(misses)
        window = self.jobs * 4

        def refill() -> None:
            for paths in batches:
                batch: list[tuple[str, bytes, str]] = []
                for path in paths:
                    data = corpus.read(path)
                    if data is not None:
                        batch.append((path, data, self._key(path, data)))
                if batch:
                    pending[pool.submit(_work, batch)] = [(p, k) for p, _, k in batch]
                if len(pending) >= window:
                    return

        refill()
        while pending:
            finished, _ = wait(list(pending), return_when=FIRST_COMPLETED)
            for future in finished:
                batch = pending.pop(future)
                yield batch, future
            refill()


def batched(misses: Sequence[tuple[str, int]]) -> Iterator[list[str]]:
    """Paths in the given order (largest first), grouped into batches of about
    `BATCH_BYTES` (or `BATCH_FILES` files): a file that big is a batch of its own."""
    batch: list[str] = []
    size = 0
    for path, n in misses:
        batch.append(path)
        size += n
        if size >= BATCH_BYTES or len(batch) >= BATCH_FILES:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


def _context() -> Any:
    # fork shares the loaded rules and config with the workers at no cost; elsewhere the
    # analyser is pickled (a pool that cannot start falls back to the serial path)
    import multiprocessing

    if "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    return None

