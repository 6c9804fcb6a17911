"""The run record: a run's final findings with the state of everything it read.

A warm `check` in which nothing changed is answered from one file, without loading a model
or a findings entry and without importing the rules, the parser or YAML (`linter.cli.warm`):
the record is found under a key made of the command line (root, paths, config file,
selection) and the tool, and holds

- the stat of every input besides the documents: the config files (and the root's config
  candidates, so a new one is seen), schema files the config names, the files of the
  parser packages, the git files that say where HEAD is (git history is evidence for
  renamed link targets), and a stamp of the tool's own files (sizes and mtimes);
- a hash of the file listing (every file and folder under the root: link targets, images,
  `.gitignore` files, what preset detection reads) and each `.gitignore`'s stat;
- each document's stat and SHA-256, trusted as the digest index trusts them (`cache.RACY_NS`:
  a file modified within two seconds before the run started is hashed again);
- today's date when a rule reads the clock, the reported findings, the rules' names and
  families, and (after a JSON report) which schema applied to each document.

Any difference is a miss: the ordinary run follows (its models and findings cached) and
writes a new record. The stat of a document is taken before the run reads it and checked
again before the record is written, so an edit during the run never gets a stale record.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import os
import stat
import sys
from collections.abc import Iterable, Mapping, Sequence
from importlib.util import find_spec
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from ..corpus import Corpus
from ..diagnostics import Diagnostic
from ..resources import CACHE_DIR_NAME, schemas_dir
from ..util.safe_read import read_bytes
from .entry import FORMAT
from .folder import is_tag, user_cache_dir
from .result import Applied, LintResult, RunFacts

if TYPE_CHECKING:
    from ..config.settings import Config

_PACKAGE = Path(__file__).resolve().parent.parent
PARSER_PACKAGES = ("markdown_it", "mdit_py_plugins", "pyromark")
CONFIG_CANDIDATES = (".formalai-lint.yaml", ".formalai-lint.yml", "pyproject.toml")
MAX_RECORD_BYTES = 256 * 1024 * 1024
RACY_NS = 2_000_000_000  # as cache.RACY_NS (not imported: that module loads the config layer)
# 2: the findings follow the body, a JSON line per document (`save`)
LAYOUT = 2
# where a loaded record keeps its findings lines, as read (each decoded where it is used)
RAW = "_lines"


def stamp(st: os.stat_result | None) -> list[int] | None:
    return None if st is None else [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev]


def probe(path: Path) -> Any:
    """What a record remembers of an input: a file's stat, "dir" for a folder, None if absent."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    if stat.S_ISDIR(st.st_mode):
        return "dir"
    return stamp(st)


def run_key(
    root: Path,
    paths: Sequence[Path],
    config_file: Path | None,
    selection: Sequence[Sequence[str] | None],
) -> str:
    """The key of a run's record: what the command line asked, and the tool's version."""
    from ..resources import __version__

    facts = {
        "format": FORMAT,
        "tool": __version__,
        "python": list(sys.version_info[:3]),
        "root": os.fsdecode(root),
        "paths": [os.fsdecode(p.resolve()) for p in paths],
        "config": None if config_file is None else os.fsdecode(config_file.resolve()),
        "selection": [None if s is None else list(s) for s in selection],
    }
    return hashlib.sha256(json.dumps(facts, sort_keys=True, ensure_ascii=True).encode()).hexdigest()


@functools.cache
def code_stamp() -> str:
    """The tool's own files by name, size and mtime (its source, presets and schemas), as
    this process found them first: the code it runs was imported then (a walk of 200 files,
    3 ms, was made three times by a check after an edit)."""
    h = hashlib.sha256()
    folders = [_PACKAGE]
    if not schemas_dir().is_relative_to(_PACKAGE):
        folders.append(schemas_dir())
    for folder in folders:
        for dirpath, dirnames, filenames in os.walk(folder):
            dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
            for name in sorted(filenames):
                st = os.stat(os.path.join(dirpath, name))
                h.update(f"{dirpath}/{name}\0{st.st_size}\0{st.st_mtime_ns}\0".encode("utf-8", "surrogateescape"))
    return h.hexdigest()


def parser_origins() -> list[list[str | None]]:
    """Where each parser package would be imported from (None: not installed)."""
    out: list[list[str | None]] = []
    for name in PARSER_PACKAGES:
        try:
            spec = find_spec(name)
        except (ImportError, ValueError):
            spec = None
        out.append([name, spec.origin if spec is not None else None])
    return out


def git_inputs(root: Path) -> list[Path]:
    """The files whose stat changes when git's HEAD moves (a commit, a checkout), for the
    nearest checkout holding `root`; the `.git` candidates themselves otherwise."""
    out: list[Path] = []
    for folder in (root, *root.parents):
        dot = folder / ".git"
        out.append(dot)
        if not os.path.lexists(dot):
            continue
        gitdir = dot
        if dot.is_file():
            try:
                text = read_bytes(dot, 4096).decode("utf-8", "replace").strip()
            except OSError:
                break
            if not text.startswith("gitdir:"):
                break
            gitdir = (folder / text.split(":", 1)[1].strip()).resolve()
        common = gitdir
        try:
            common = (gitdir / read_bytes(gitdir / "commondir", 4096).decode("utf-8", "replace").strip()).resolve()
        except OSError:
            pass
        out += [gitdir / "HEAD", gitdir / "logs" / "HEAD", common / "packed-refs"]
        try:
            head = read_bytes(gitdir / "HEAD", 4096).decode("utf-8", "replace").strip()
        except OSError:
            break
        if head.startswith("ref:"):
            ref = head.split(":", 1)[1].strip()
            out += [gitdir / ref, common / ref]
        break
    return out


def listing_hash(corpus: Corpus, cache_folder: Path | None) -> str:
    """Every file and folder under the root but the cache's own (a `--cache-dir` inside the
    root would otherwise change the listing with every entry written)."""
    skip = None
    if cache_folder is not None and cache_folder.resolve().is_relative_to(corpus.root):
        skip = cache_folder.resolve().relative_to(corpus.root).as_posix()
    h = hashlib.sha256()
    for names in (corpus.files, corpus.dirs):
        for name in sorted(names):
            if skip is None or not (name == skip or name.startswith(skip + "/")):
                h.update(name.encode("utf-8", "surrogateescape") + b"\0")
        h.update(b"\1")
    return h.hexdigest()


def folders(root: Path, cache_dir: Path | None) -> list[Path]:
    """The cache folders a run for `root` may have used, in the order it tries them."""
    return [cache_dir] if cache_dir is not None else [root / CACHE_DIR_NAME, user_cache_dir(root)]


def _record_path(folder: Path, key: str) -> Path:
    return folder / f"v{FORMAT}" / "runs" / key[:2] / f"{key}.json"


def replay_path(folder: Path, key: str, report: str) -> Path:
    """Where the report `report` (a hash of how it was rendered) of record `key` is kept."""
    return folder / f"v{FORMAT}" / "runs" / key[:2] / f"{key}.{report[:32]}.out"


def snapshot(corpus: Corpus, started_ns: int) -> tuple[int, dict[str, tuple[int, ...] | None]]:
    """The stat of each document before a run reads any (see `save`)."""
    return started_ns, {p: _tuple(stamp(corpus.stat(p))) for p in corpus.paths}


def _tuple(value: list[int] | None) -> tuple[int, ...] | None:
    return None if value is None else tuple(value)


# -- reading (the warm path) -----------------------------------------------------------------


class Miss(Exception):
    """The record does not answer this run."""


# The record the warm path read and found stale (`answer`), kept for the ordinary run that
# follows in the same process: its few-changed path (`base`) reads the same file, 90 ms on
# the shared corpus. Taken (and dropped) by the next `load` of that key; `forget` drops it.
_missed: tuple[tuple[str, str, str], Any, dict[str, Any], Path] | None = None


def forget() -> None:
    global _missed  # noqa: PLW0603 - a one-slot hand-over between two phases of one process
    _missed = None


def load(root: Path, key: str, cache_dir: Path | None) -> tuple[dict[str, Any], Path] | None:
    """The record stored under `key`, checked for shape and checksum, and the cache folder
    holding it (None: none usable)."""
    found = _load(root, key, cache_dir)
    return None if found is None else (found[0], found[1])


def _load(root: Path, key: str, cache_dir: Path | None) -> tuple[dict[str, Any], Path, Any] | None:
    """`load`, with the record file's `probe` taken before it was read."""
    global _missed  # noqa: PLW0603
    kept, _missed = _missed, None
    if kept is not None and kept[0] == (os.fspath(root), key, os.fspath(cache_dir or "")):
        _, stamp_was, data, folder = kept
        if probe(_record_path(folder, key)) == stamp_was:  # the same file, unchanged since
            return data, folder, stamp_was
    for folder in folders(root, cache_dir):
        if not is_tag(folder / "CACHEDIR.TAG"):
            continue
        target = _record_path(folder, key)
        stamp_before = probe(target)
        try:
            blob = read_bytes(target, MAX_RECORD_BYTES, follow_links=False)
        except OSError:
            continue
        try:
            # the header, then the body and one line per document: split once (each
            # partition of the 5 MB copied it)
            head, body, *lines = blob.split(b"\n")
            header = json.loads(head)
            if not (isinstance(header, dict) and header.get("format") == FORMAT and header.get("layout") == LAYOUT
                    and header.get("key") == key
                    and header.get("sha256") == hashlib.sha256(memoryview(blob)[len(head) + 1:]).hexdigest()):
                continue
            del blob
            data = json.loads(body)
            if isinstance(data, dict):
                data[RAW] = lines  # decoded where they are read: a check after an edit splices most
        except (ValueError, RecursionError):
            continue
        if isinstance(data, dict) and stamp_before is not None:
            return data, folder, stamp_before
    return None


class Answer(NamedTuple):
    """A run answered from its record, and what a replayed report needs to be kept."""

    result: LintResult
    max_findings: int
    folder: Path  # the cache folder holding the record
    check: dict[str, Any]  # the record's facts about what the run read (`CHECK_FIELDS`)


# the record's facts that `fresh` compares with the tree (the rest are the findings)
CHECK_FIELDS = ("today", "code", "parsers", "inputs", "ignore", "max_bytes", "listing", "written", "docs")


def answer(
    root: Path,
    paths: Sequence[Path],
    config_file: Path | None,
    selection: Sequence[Sequence[str] | None],
    cache_dir: Path | None,
    need_applied: bool = False,
) -> Answer | None:
    """The result of the run the command line asks for and its findings cap, when its
    record says nothing it read has changed; None otherwise (the ordinary run follows)."""
    key = run_key(root, paths, config_file, selection)
    found = _load(root, key, cache_dir)
    if found is None:
        return None
    data, folder, stamp_read = found
    from .rows import RowError  # here: a replayed report (linter.run.replay) reads no rows

    try:
        return _answer(root, data, folder, need_applied)
    except (Miss, KeyError, TypeError, ValueError, IndexError, RowError):
        global _missed  # noqa: PLW0603
        _missed = ((os.fspath(root), key, os.fspath(cache_dir or "")), stamp_read, data, folder)
        return None


def _answer(root: Path, data: dict[str, Any], folder: Path, need_applied: bool) -> Answer:
    if need_applied and data["applied"] is None:
        raise Miss("the record has no applied schemas")
    from .rows import diagnostics_from_rows

    corpus = fresh(root, data, folder)
    diagnostics: list[Diagnostic] = []
    for line in data[RAW]:
        path, rows = json.loads(line)
        diagnostics.extend(diagnostics_from_rows(path, rows))
    labels = {rid: (str(name), str(family)) for rid, (name, family) in data["labels"].items()}
    applied = Applied.from_dict(data["applied"]) if data["applied"] is not None else None
    result = LintResult(root, tuple(data["targets"]), tuple(diagnostics), corpus, None, labels, applied)
    return Answer(result, int(data["max_findings"]), folder, {k: data[k] for k in CHECK_FIELDS})


# The facts `fresh` last found stale, and where. The warm path checks a kept report's copy
# of a record's facts and then, when that misses, the record's own: the same facts miss the
# same way, and checking them again was 30-40 ms (a scan of the tree) of a check after an
# edit. Taken by the next call; a wrong guess here costs only a Miss (an ordinary run).
_stale: tuple[str, str, dict[str, Any]] | None = None


def fresh(root: Path, data: dict[str, Any], folder: Path) -> Corpus:
    """The corpus when nothing the recorded run read has changed (its `CHECK_FIELDS` in
    `data`); `Miss` otherwise."""
    global _stale  # noqa: PLW0603 - a one-slot memo between two checks of one process
    facts = {k: data[k] for k in CHECK_FIELDS}
    where = (os.fspath(root), os.fspath(folder))
    stale, _stale = _stale, None
    if stale is not None and stale == (*where, facts):
        raise Miss("the same facts were found stale a moment ago")
    try:
        return _fresh(root, data, folder)
    except Miss:
        _stale = (*where, facts)
        raise


def _fresh(root: Path, data: dict[str, Any], folder: Path) -> Corpus:
    if data["today"] is not None and data["today"] != dt.date.today().isoformat():
        raise Miss("a rule reads the clock, and the day changed")
    if data["code"] != code_stamp() or data["parsers"] != parser_origins():
        raise Miss("the tool or a parser changed")
    for path, was in data["inputs"]:
        if probe(Path(path)) != was:
            raise Miss(f"{path} changed")
    corpus = Corpus(root, ignore=tuple(data["ignore"]), max_bytes=int(data["max_bytes"]))
    if listing_hash(corpus, folder) != data["listing"]:
        raise Miss("a file was added, removed or renamed")
    written = int(data["written"])
    for path, was, digest in data["docs"]:
        now = stamp(corpus.stat(path))
        if now is not None and now == was and now[1] + RACY_NS <= written:
            continue
        content = corpus.read(path)  # changed by stat, or too recent to trust: by content
        if content is None or hashlib.sha256(content).hexdigest() != digest:
            raise Miss(f"{path} changed")
    return corpus


# -- writing (after an ordinary run) ---------------------------------------------------------


def save(
    result: LintResult,
    paths: Sequence[Path],
    config_file: Path | None,
    selection: Sequence[Sequence[str] | None],
    cache_dir: Path | None,
    applied: Applied | None = None,
) -> Saved | None:
    """Record `result` for the next identical command line; None when it cannot be (a
    document changed during the run, a rule outside this tree's files is on, no cache)."""
    config, corpus, facts = result.config, result.corpus, result.facts
    if config is None or corpus is None or facts is None or not _recordable(config):
        return None
    docs = _documents(corpus, facts)
    if docs is None:
        return None
    from .cache import open_folder
    from .keys import clock_dates

    folder = open_folder(result.root, cache_dir)
    if folder is None:
        return None
    from .rows import diagnostic_rows

    kept = facts.lines or {}  # lines of the record this run started from, unchanged
    grouped: dict[str, list[Diagnostic]] = {}
    for d in result.diagnostics:
        grouped.setdefault(d.path, []).append(d)
    order = list(grouped)
    if not kept.keys() <= grouped.keys():  # a spliced check after an edit decoded no kept line
        order = sorted(grouped.keys() | kept.keys())
    labels = {}
    for rid in sorted({d.rule_id for d in result.diagnostics}.union(facts.kept_rules)):
        found = result.label(rid)
        if found is not None:
            labels[rid] = list(found)
    body: dict[str, Any] = {
        "written": facts.started_ns,
        "code": code_stamp(),
        "parsers": parser_origins(),
        "inputs": [[os.fsdecode(p), probe(p)] for p in _inputs(result.root, config, config_file, corpus)],
        "ignore": list(config.ignore),
        "max_bytes": config.max_bytes,
        "listing": listing_hash(corpus, folder),
        "docs": docs,
        # read only by `Base`, i.e. by a later full check with this key: a run of a few
        # files records their own targets (loading every document for them made a
        # pre-commit run of one changed file twice as slow)
        "deps": dict(facts.deps) if facts.deps is not None else dependencies(corpus, result.files),
        "today": next(iter(clock_dates(config)), None),
        "targets": list(result.files),
        "labels": labels,
        "applied": applied.to_dict() if applied is not None else None,
        "max_findings": config.max_findings_per_rule,
    }
    # the findings follow the body, one line a document (made one at a time: on ten copies
    # of the shared corpus, 46,630 rows as one object and one string were the run's memory
    # peak); a line read from the record this run started from is written back as it was
    chunks = [_dumps(body)]
    chunks.extend(b"\n" + (kept[path] if path in kept else _dumps([path, diagnostic_rows(path, grouped[path])]))
                  for path in order)
    digest = hashlib.sha256()
    for chunk in chunks:
        digest.update(chunk)
    key = run_key(result.root, paths, config_file, selection)
    header = {"format": FORMAT, "layout": LAYOUT, "key": key, "sha256": digest.hexdigest()}
    from ..util.safe_write import UnsafeWrite, make_folder, write_bytes

    target = _record_path(folder, key)
    try:
        make_folder(target.parent, folder)
        write_bytes(target, [json.dumps(header).encode("ascii") + b"\n", *chunks], root=folder, durable=False)
    except (OSError, UnsafeWrite):
        return None  # a full disk or a read-only folder: the next run is an ordinary one
    return Saved(folder, key, {k: body[k] for k in CHECK_FIELDS})


def _dumps(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8", "surrogateescape")


class Saved(NamedTuple):
    """Where a record was kept, under which key, and its facts (what `replay.keep` needs)."""

    folder: Path
    key: str
    check: dict[str, Any]


def _recordable(config: Config) -> bool:
    """Only runs whose corpus rules read nothing but this tree (the link rules): an
    external-link check depends on the network and its own cache."""
    from .engine import active_rules

    return all(r.rule.family == "links" for r in active_rules(config) if r.rule.scope == "corpus")


def _documents(corpus: Corpus, facts: RunFacts) -> list[list[Any]] | None:
    """Each document's stat before the run and its digest; None if one changed meanwhile
    (then the bytes the run used are not known)."""
    out: list[list[Any]] = []
    for path in corpus.paths:
        before = facts.stamps.get(path)
        now = _tuple(stamp(corpus.stat(path)))
        if before is None or now != before:
            return None
        digest = facts.digests.get(path)
        if digest is None:
            content = corpus.read(path)
            if content is None:
                return None
            digest = hashlib.sha256(content).hexdigest()
        out.append([path, list(before), digest])
    return out


def _inputs(root: Path, config: Config, config_file: Path | None, corpus: Corpus) -> Iterable[Path]:
    """Every file besides the documents whose change could change the findings."""
    yield from (Path(p) for p in config.files)
    if config_file is None:
        yield from (root / name for name in CONFIG_CANDIDATES)
    for _, ref in config.schemas:
        yield (root / ref).resolve()
    for _, origin in parser_origins():
        if origin is not None:
            yield Path(origin)
    yield from git_inputs(root)
    yield from (root / p for p in sorted(corpus.files) if p.rsplit("/", 1)[-1] == ".gitignore")


# -- a few documents changed (an ordinary run that re-lints only what they touch) ------------


class Base:
    """The record of the same full check when only the contents of some documents changed:
    the other documents' findings stand, except where they link into a changed one."""

    def __init__(self, data: dict[str, Any], changed: set[str], paths: list[str]) -> None:
        self.data = data
        self.changed = changed
        self.paths = paths  # the document of each findings line (`data[RAW]`), in order
        self.digests: dict[str, str] = {path: digest for path, _, digest in data["docs"] if path not in changed}
        # the recorded digests of the changed documents: where their old models are cached
        self.was: dict[str, str] = {path: digest for path, _, digest in data["docs"] if path in changed}
        self.deps: dict[str, list[str]] = {p: list(d) for p, d in data["deps"].items()}

    def affected(self, pulling: Iterable[str] | None = None) -> list[str]:
        """The changed documents and those whose cross-file links resolve into one of
        `pulling` (default: every changed document; a caller leaves out those whose
        facts as a link target, `links.check.target_facts`, are as recorded)."""
        pull = self.changed if pulling is None else set(pulling)
        hit = set(self.changed)
        hit.update(p for p, targets in self.deps.items() if not pull.isdisjoint(targets))
        return sorted(hit)

    def findings_outside(self, affected: Iterable[str]) -> dict[str, list[Diagnostic]]:
        """The recorded findings of the documents not in `affected` (ValueError: they do not decode)."""
        from .rows import diagnostics_from_rows

        skip = set(affected)
        found: dict[str, list[Diagnostic]] = {}
        for path, line in zip(self.paths, self.data[RAW], strict=True):
            if path not in skip:
                found[path] = diagnostics_from_rows(path, json.loads(line)[1])
        return found

    def lines_outside(self, affected: Iterable[str]) -> dict[str, bytes]:
        """The record's findings line of each document not in `affected` (`save` writes it
        back as it is)."""
        skip = set(affected)
        return {path: line for path, line in zip(self.paths, self.data[RAW], strict=True) if path not in skip}


def _line_path(line: bytes) -> str:
    """The document a record's findings line is of (`[path, rows]`), without decoding the
    rows (or the rest of the line: decoding the 5 MB of them was 10 ms)."""
    if not line.startswith(b'["'):
        raise ValueError("a findings line does not start with its document's path")
    try:  # a prefix holds the path (cut inside a character, the tail decodes to surrogates)
        path, _ = _DECODER.raw_decode(line[:_PATH_PREFIX].decode("utf-8", "surrogateescape"), 1)
    except ValueError:
        path, _ = _DECODER.raw_decode(line.decode("utf-8", "surrogateescape"), 1)
    if not isinstance(path, str):
        raise ValueError("a findings line does not start with its document's path")
    return path


_PATH_PREFIX = 4096
_DECODER = json.JSONDecoder()


def base(root: Path, key: str, cache_dir: Path | None, corpus: Corpus,
         stamps: Mapping[str, tuple[int, ...] | None]) -> Base | None:
    """The record of this full check if everything but some documents' contents is as it
    recorded (the same files, config, tool, day); None otherwise. `stamps`: each
    document's stat as the run took it before reading any (`snapshot`)."""
    found = load(root, key, cache_dir)
    if found is None:
        return None
    data, folder = found
    try:
        if data["today"] is not None and data["today"] != dt.date.today().isoformat():
            return None
        if data["code"] != code_stamp() or data["parsers"] != parser_origins() or "deps" not in data:
            return None
        if any(probe(Path(path)) != was for path, was in data["inputs"]):
            return None
        if listing_hash(corpus, folder) != data["listing"] or list(data["targets"]) != list(corpus.paths):
            return None
        written = int(data["written"])
        changed = set()
        for path, was, digest in data["docs"]:
            taken = stamps.get(path)
            now = None if taken is None else list(taken)
            if now is not None and now == was and now[1] + RACY_NS <= written:
                continue
            content = corpus.read(path)
            if content is None or hashlib.sha256(content).hexdigest() != digest:
                changed.add(path)
        return Base(data, changed, [_line_path(line) for line in data[RAW]])
    except (KeyError, TypeError, ValueError, IndexError):
        return None


def dependencies(corpus: Corpus, paths: Iterable[str]) -> dict[str, list[str]]:
    """Each document's cross-file link targets, resolved as the link rules resolve them:
    the documents whose headings its cross-file findings read."""
    from ..links.resolve import resolve, split

    out: dict[str, list[str]] = {}
    for path in paths:
        doc = corpus.document(path)
        if doc is None or not doc.readable:
            continue
        targets = set()
        for dest in [*(x.dest for x in doc.cross_links()), *(p.dest for p in doc.pseudo_links)]:
            parts = split(dest)
            if parts.path:
                targets.add(resolve(path, parts.path).path)
        targets.discard(path)
        if targets:
            out[path] = sorted(targets)
    return out
