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
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .cache import Cache, DigestIndex
from ..config.settings import Config, ResolvedRule
from ..corpus import Corpus
from ..diagnostics import Diagnostic
from ..document.encoding import decode
from .engine import PresetSchemas, SchemaFor, active_rules, rules_for, schema_function
from .entry import EntryError, Reparse, decode_entry, encode_entry
from .findings import Results, analyse, complete, decode_findings, encode_findings, stored_findings
from .keys import file_digest
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
    record: bool = False  # note what the run read, for a run record (linter.run.record)


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

    def rules_for(self, path: str) -> Sequence[ResolvedRule]:
        return rules_for(self.config, path, list(self.rules)) if self.config is not None else self.rules

    def schema(self, path: str) -> Any:
        return self.schema_for(path) if self.schema_for is not None else None

    @property
    def parser(self) -> str:
        return self.config.parser if self.config is not None else DEFAULT_PARSER

    def __call__(self, path: str, data: bytes) -> tuple[Document, list[Diagnostic], Results]:
        return analyse(path, data, self.rules_for(path), self.schema(path), self.max_bytes, self.parser)


@dataclass(frozen=True, slots=True)
class Keys:
    """Where one file's facts are stored: its model and its findings ("" without a cache)."""

    model: str = ""
    findings: str = ""


# What the cache holds for a file: its model (None: not stored) and its stored findings.
Found = tuple[Document | None, Results]


def stored_model(cache: Cache, path: str, key: str, reparse: Reparse | None) -> Document | None:
    """The model stored under `key`, as the document at `path` (a corrupt, truncated or
    foreign entry is a miss: None)."""
    blob = cache.load("models", key)
    if blob is None:
        return None
    try:
        return decode_entry(blob, key, path, reparse=reparse)
    except EntryError:
        return None


def lookup(cache: Cache | None, path: str, keys: Keys, reparse: Reparse | None) -> Found:
    """The stored model and findings of `path` (a corrupt, truncated or foreign entry is a miss)."""
    if cache is None:
        return None, {}
    doc = stored_model(cache, path, keys.model, reparse)
    if doc is None:
        return None, {}
    blob = cache.load("findings", keys.findings)
    if blob is None:
        return doc, {}
    try:
        return doc, decode_findings(blob, keys.findings, path)
    except EntryError:
        return doc, {}


def produce(
    analyser: Analyser, cache: Cache | None, path: str, data: bytes, keys: Keys, found: Found
) -> tuple[Document, list[Diagnostic], bytes | None, bytes]:
    """A document's model and per-document findings: the stored model with the rules that
    have no stored findings run over it, else a parse. Stores what it made; returns the
    document, its findings, the model entry when it parsed and the findings entry."""
    doc, stored = found
    model_blob = None
    if doc is None:
        doc, diagnostics, results = analyser(path, data)
        model_blob = encode_entry(keys.model, doc)
        if cache is not None:
            cache.store("models", keys.model, model_blob)
        updated: Results | None = results
    else:
        def lines() -> list[str]:
            decoded = decode(data, analyser.max_bytes)
            return decoded.text.split("\n") if decoded.encoding.error is None else []

        diagnostics, updated = complete(doc, lines, analyser.rules_for(path), lambda: analyser.schema(path), stored)
    findings_blob = encode_findings(keys.findings, path, updated if updated is not None else stored)
    if cache is not None and updated is not None:
        cache.store("findings", keys.findings, findings_blob)
    return doc, diagnostics, model_blob, findings_blob


# The analyser and cache of a worker process (set by the pool initializer).
_WORKER: tuple[Analyser, Cache | None] | None = None


def _init_worker(analyser: Analyser, cache: Cache | None) -> None:
    global _WORKER
    _WORKER = (analyser, cache)


def _work(batch: list[tuple[str, bytes, Keys]]) -> list[tuple[bytes | None, bytes]]:
    """Produce a batch of (path, data, keys): the model entry when parsed, and the findings
    entry, per file. The workers write the entries themselves, in parallel."""
    assert _WORKER is not None
    analyser, cache = _WORKER
    out = []
    for path, data, keys in batch:
        reparse = _bytes_reparser(path, data, analyser.max_bytes, analyser.parser)
        _, _, model_blob, findings_blob = produce(analyser, cache, path, data, keys, lookup(cache, path, keys, reparse))
        out.append((model_blob, findings_blob))
    return out


def _bytes_reparser(path: str, data: bytes, max_bytes: int, parser: str) -> Reparse:
    def reparse() -> Document:
        from ..document.parse import parse_bytes

        return parse_bytes(data, path, max_bytes, parser)

    return reparse


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
        self.analysed: list[str] = []  # paths parsed in this run (model misses), in order
        self.rechecked: list[str] = []  # paths whose cached model some rules ran over anew
        self.pool_failed = False
        self._digest_index: DigestIndex | None = None
        self._misses: dict[str, tuple[str, Found]] = {}
        self.digests_used: dict[str, str] = {}  # path -> SHA-256 of the bytes this run used  # path -> (digest, what the cache had)

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

    def _keys(self, path: str, digest: str) -> Keys:
        if self.cache is None:
            return Keys()
        model = self.cache.model_key(digest)
        return Keys(model, self.cache.findings_key(path, model))

    def _reparser(self, read: Callable[[str], bytes | None], path: str, digest: str) -> Reparse:
        """A fresh parse of `path` for a model whose heavy fields turn out damaged."""

        def reparse() -> Document:
            data = read(path)
            if data is None or file_digest(data) != digest:
                raise EntryError(f"{path}: cache entry damaged and the file changed during the run; run again")
            from ..document.parse import parse_bytes

            return parse_bytes(data, path, self.analyser.max_bytes, self.analyser.parser)

        return reparse

    def _hit(self, path: str, digest: str, read: Callable[[str], bytes | None]) -> Document | None:
        """The document when the cache holds its model and every finding this run needs
        (then its findings are kept); else None, and what was found is kept for the miss."""
        self.digests_used[path] = digest
        if self.cache is None:
            return None
        found = lookup(self.cache, path, self._keys(path, digest), self._reparser(read, path, digest))
        doc, stored = found
        if doc is not None:
            diagnostics = stored_findings(doc, self.analyser.rules_for(path), stored)
            if diagnostics is not None:
                self.diagnostics[path] = diagnostics
                return doc
        self._misses[path] = (digest, found)
        return None

    def earlier_model(self, path: str, digest: str) -> Document | None:
        """The cached model of `path` as it was when its bytes had `digest` (an earlier
        version of an edited document); None when the cache does not hold it whole."""
        if self.cache is None:
            return None
        doc = stored_model(self.cache, path, self.cache.model_key(digest), None)
        if doc is None:
            return None
        try:
            _ = doc.headings  # the heavy lines' checksum is checked here, not later
        except EntryError:
            return None
        return doc

    def _keep(self, path: str, diagnostics: list[Diagnostic], parsed: bool) -> None:
        self.diagnostics[path] = diagnostics
        (self.analysed if parsed else self.rechecked).append(path)

    def load(self, path: str, data: bytes) -> Document:
        """The corpus loader: a document from the cache, else made here."""
        digest = file_digest(data)
        looked = self._misses.get(path)
        if looked is None or looked[0] != digest:  # not looked up yet, or for other bytes
            doc = self._hit(path, digest, lambda _: data)
            if doc is not None:
                return doc
        _, found = self._misses.pop(path, (digest, (None, {})))
        doc, diagnostics, model_blob, _ = produce(self.analyser, self.cache, path, data, self._keys(path, digest), found)
        self._keep(path, diagnostics, model_blob is not None)
        return doc

    def _lookup_digest(self, corpus: Corpus, path: str, digests: DigestIndex) -> tuple[str, int] | None:
        """The digest of `path` and its size: remembered when the file is unchanged by stat,
        else by reading and hashing it (None: it cannot be read)."""
        st = corpus.stat(path)
        digest = digests.lookup(path, st) if st is not None else None
        if digest is not None and st is not None:
            return digest, st.st_size
        data = corpus.read(path)  # after the stat: a change in between is seen next run
        if data is None:
            return None
        digest = file_digest(data)
        if st is not None:
            digests.remember(path, st, digest)
        return digest, len(data)

    def remembered(self, stamps: Mapping[str, Sequence[int] | None]) -> dict[str, str]:
        """The digests this run used, and for each other document the digest the index
        trusts for the stat it had (`stamps`): what a run record stores without hashing
        the documents a run over a few files never read."""
        out: dict[str, str] = {}
        digests = self._digests()
        if digests is not None:
            for path, st in stamps.items():
                known = digests.known(path, st) if st is not None and path not in self.digests_used else None
                if known is not None:
                    out[path] = known
        out.update(self.digests_used)
        return out

    def _digests(self) -> DigestIndex | None:
        # loaded once per run: a check of a few files calls `prepare` again for inbound links
        if self.cache is not None and self._digest_index is None:
            self._digest_index = self.cache.digests()
        return self._digest_index

    def prepare(self, corpus: Corpus, paths: Sequence[str], *, read_soon: bool = False) -> None:
        """Put every document of `paths` into `corpus`, with its per-document findings.
        `read_soon`: the caller reads the documents' heavy fields next (the fix engine's
        check of each fixed file), so a pooled model is not kept compressed meanwhile."""
        misses: list[tuple[str, int]] = []
        digests = self._digests()
        for path in paths:
            if digests is not None:
                found = self._lookup_digest(corpus, path, digests)
                if found is None:
                    continue  # unreadable: the corpus makes its flagged document
                digest, size = found
                doc = self._hit(path, digest, corpus.read)
                if doc is not None:
                    corpus.add(doc)
                    continue
            else:
                data = corpus.read(path)
                if data is None:
                    continue
                size = len(data)
            # rules over a cached model cost about a quarter of a parse: weigh the pool so
            misses.append((path, size if self._misses.get(path, ("", (None, {})))[1][0] is None else size // 4))
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
                todo = self._parallel(corpus, sorted(misses, key=lambda m: -m[1]), bar, not read_soon)
            for path in todo:
                data = corpus.read(path)
                if data is not None:
                    corpus.add(self.load(path, data))
                bar.advance()
        finally:
            bar.close()

    def _parallel(self, corpus: Corpus, misses: list[tuple[str, int]], bar: Progress, compact: bool = True) -> list[str]:
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
                        done = [self._received(path, digest, keys, blobs, corpus.read, compact)
                                for (path, digest, keys), blobs in zip(batch, future.result())]
                    except Exception:  # noqa: BLE001 - any worker failure: redo the batch serially
                        self.pool_failed = True
                        continue
                    for (path, _, _), (doc, diagnostics, parsed) in zip(batch, done):
                        corpus.add(doc)
                        self._misses.pop(path, None)
                        self._keep(path, diagnostics, parsed)
                        left.discard(path)
                        bar.advance()
        except Exception:  # noqa: BLE001 - no pool here (no fork, no semaphores): go serial
            self.pool_failed = True
        return [p for p, _ in misses if p in left]

    def _received(
        self, path: str, digest: str, keys: Keys, blobs: tuple[bytes | None, bytes],
        read: Callable[[str], bytes | None], compact: bool = True,
    ) -> tuple[Document, list[Diagnostic], bool]:
        """A worker's result: the document (its new model, else the one looked up here),
        its findings for this run's rules, and whether it was parsed."""
        model_blob, findings_blob = blobs
        # made by our own worker a moment ago: no checksum to verify; compact: the parent
        # keeps every document and reads the heavy fields of few
        if model_blob is not None:
            doc = decode_entry(model_blob, keys.model, path, verify=False, compact=compact)
        else:
            looked = self._misses.get(path)
            doc_found = looked[1][0] if looked is not None and looked[0] == digest else None
            if doc_found is None and self.cache is not None:
                # the worker found the model in the cache after this process looked: another
                # worker stored it for a file with the same bytes moments before (a copied
                # folder). Read it as the worker did, rather than redo the batch here serially
                # (on ten copies of the shared corpus that made nine tenths of a cold run serial).
                doc_found, _ = lookup(self.cache, path, keys, self._reparser(read, path, digest))
            if doc_found is None:
                raise EntryError(f"{path}: the worker used a model this process does not have")
            doc = doc_found
        stored = decode_findings(findings_blob, keys.findings, path, verify=False)
        diagnostics = stored_findings(doc, self.analyser.rules_for(path), stored)
        if diagnostics is None:
            raise EntryError(f"{path}: the worker left rules unrun")
        return doc, diagnostics, model_blob is not None

    def _submit(
        self, pool: ProcessPoolExecutor, corpus: Corpus, misses: list[tuple[str, int]]
    ) -> Iterator[tuple[list[tuple[str, str, Keys]], Future[list[tuple[bytes | None, bytes]]]]]:
        """Keep a few batches per worker in flight (files are read as they are sent, so a
        big corpus is never held in memory twice) and yield them as they finish."""
        from concurrent.futures import FIRST_COMPLETED, wait

        pending: dict[Future[list[tuple[bytes | None, bytes]]], list[tuple[str, str, Keys]]] = {}
        batches = batched(misses)
        window = self.jobs * 4

        def refill() -> None:
            for paths in batches:
                batch: list[tuple[str, bytes, Keys]] = []
                sent: list[tuple[str, str, Keys]] = []
                for path in paths:
                    data = corpus.read(path)
                    if data is not None:
                        digest = file_digest(data)
                        keys = self._keys(path, digest)
                        batch.append((path, data, keys))
                        sent.append((path, digest, keys))
                if batch:
                    pending[pool.submit(_work, batch)] = sent
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

