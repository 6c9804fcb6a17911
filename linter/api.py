"""The library API the CLI is a thin layer over: lint paths or text, get diagnostics."""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, BinaryIO

from .config.settings import Config, ConfigError
from .config.files import load_config
from .config.root import CONFIG_FILES as CONFIG_FILES, find_root as find_root
from .config.select import apply_selection
from .corpus import Corpus, Loader, MemoryCorpus
from .diagnostics import Diagnostic
from .run.lazy import inbound_links, narrow_inbound
from .run.engine import SchemaFor, lint
from .config.gitignore import lazy_gitignore
from .run.parallel import RunOptions as RunOptions, Session
from .run.result import Applied as Applied, AppliedSchema as AppliedSchema, LintResult as LintResult, RunFacts


__all__ = ["Applied", "AppliedSchema", "CONFIG_FILES", "LintResult", "find_root"]


def collect_targets(corpus: Corpus, paths: Sequence[Path]) -> tuple[str, ...]:
    """Root-relative Markdown paths named by `paths` (folders expand; ignore globs apply)."""
    if not paths:
        return corpus.paths
    wanted: list[str] = []
    all_docs = corpus.paths
    for p in paths:
        rel = corpus.relpath(p)
        if p.is_dir():
            prefix = "" if rel == "." else rel + "/"
            wanted.extend(d for d in all_docs if d.startswith(prefix))
        elif not corpus.is_ignored(rel):
            wanted.append(rel)
    return tuple(dict.fromkeys(wanted))


def with_parser(config: Config, parser: str | None) -> Config:
    """`config` with the parser a caller chose (`--parser`) over the config file's."""
    return config if parser is None else replace(config, parser=parser)


def make_corpus(root: Path, config: Config, loader: Loader | None = None, kind: type[Corpus] = Corpus) -> Corpus:
    """The corpus under `root` with the config's ignore globs and, if on, `.gitignore` rules."""
    corpus = kind(root, ignore=config.ignore, max_bytes=config.max_bytes, loader=loader, parser=config.parser)
    if config.gitignore:
        corpus.exclude = lazy_gitignore(lambda: corpus.files, corpus.read)
    return corpus


@dataclass
class _Run:
    """A run set up: its root, config, session (None without options), corpus and targets."""

    root: Path
    config: Config
    session: Session | None
    corpus: Corpus
    targets: tuple[str, ...]
    options: RunOptions | None
    schema_for: SchemaFor | None
    # after the first lint: the links into the targets (a fix run lints again and again)
    inbound: Mapping[str, frozenset[int]] | None = None
    prepared: bool = False
    # the documents' stat before the run read them, for a run record (`RunOptions.record`)
    before: tuple[int, dict[str, tuple[int, ...] | None]] | None = None


def _setup(
    paths: Sequence[str | Path],
    root: str | Path | None,
    config: Config | None,
    schema_for: SchemaFor | None,
    options: RunOptions | None,
    config_file: str | Path | None,
    changed_since: str | None,
    select: Sequence[str] | None,
    extend_select: Sequence[str] | None = None,
    ignore: Sequence[str] | None = None,
    kind: type[Corpus] = Corpus,
    parser: str | None = None,
) -> _Run:
    as_paths = [Path(p) for p in paths]
    for p in as_paths:
        if not p.exists():
            raise ConfigError(f"path not found: {p}")
    root_path = Path(root).resolve() if root is not None else find_root(as_paths)
    for p in as_paths:
        if not p.resolve().is_relative_to(root_path):
            raise ConfigError(f"{p} is outside the root {root_path}")
    if config is None:
        config = load_config(root_path, config_file)
    config = with_parser(apply_selection(config, select, extend_select, ignore), parser)
    session = Session.open(root_path, config, schema_for, options) if options is not None else None
    corpus = make_corpus(root_path, config, session.load if session is not None else None, kind)
    targets = collect_targets(corpus, as_paths)
    if changed_since is not None:
        from .run.changed import changed_targets

        wanted = set(targets)
        changed, _ = changed_targets(corpus, changed_since)
        targets = tuple(p for p in changed if p in wanted)
    before = None
    if options is not None and options.record and session is not None and session.cache is not None:
        from .run.record import snapshot

        before = snapshot(corpus, time.time_ns())
    return _Run(root_path, config, session, corpus, targets, options, schema_for, before=before)


def _lint(run: _Run) -> list[Diagnostic]:
    corpus, targets, config, session, options = run.corpus, run.targets, run.config, run.session, run.options
    if session is None or options is None:
        return lint(corpus, targets, config, run.schema_for)
    if not run.prepared:
        # once per run: a fix run's later passes find every document in the corpus already
        # (a changed one is parsed again, with its per-document findings, by `session.load`)
        session.prepare(corpus, targets)
        # inbound links matter only to link rules that see the whole corpus
        link_rules = any(r.rule.scope == "corpus" and r.rule.family == "links" for r in session.analyser.rules)
        inbound = inbound_links(corpus, targets, session.prepare) if options.inbound and link_rules else None
        if inbound:
            narrow_inbound(corpus, targets, inbound)
        run.inbound, run.prepared = inbound, True
    schema_for = session.analyser.schema_for  # resolved once, shared with the engine
    return lint(corpus, targets, config, schema_for, precomputed=session.diagnostics, inbound=run.inbound)


def lint_paths(
    paths: Sequence[str | Path],
    root: str | Path | None = None,
    config: Config | None = None,
    schema_for: SchemaFor | None = None,
    *,
    options: RunOptions | None = None,
    config_file: str | Path | None = None,
    changed_since: str | None = None,
    select: Sequence[str] | None = None,
    extend_select: Sequence[str] | None = None,
    ignore: Sequence[str] | None = None,
    parser: str | None = None,
) -> LintResult:
    """Lint files and folders. Cross-file checks see the whole corpus under `root`.

    `config` None: the root's `.formalai-lint.yaml` / `pyproject.toml` (or `config_file`).
    `changed_since`: lint only what changed since the merge base with that git revision,
    plus the files linking into changed, renamed or deleted files (see linter.run.changed).
    `select`: run only these rules (ids, names, families or id prefixes), whatever the config
    enables; `extend_select` adds rules, `ignore` removes them (linter.config.select).
    `parser`: the Markdown parser, over the config's `parser:` (linter.document.parsers).
    `options` (the CLI always passes them): per-document work comes from the parse cache or
    a process pool, and links into the targets from other documents are checked
    (`linter.run.lazy`); without, everything is parsed in this process.
    """
    run = _setup(
        paths, root, config, schema_for, options, config_file, changed_since, select, extend_select, ignore,
        parser=parser,
    )
    facts = None
    # (the run record's key leaves `parser` out: both parsers build the same models)
    few = _few_changed(run, [Path(p) for p in paths], config_file, [select, extend_select, ignore])
    if few is not None:
        found, facts = few
    else:
        found = tuple(_lint(run))
        if run.before is not None and run.session is not None:
            facts = RunFacts(run.before[0], run.before[1], run.session.remembered(run.before[1]))
    return LintResult(run.root, run.targets, found, run.corpus, run.config, facts=facts)


@dataclass(frozen=True)
class Edited:
    """A full check whose run record says only a few documents changed, before the record's
    findings of the other documents are decoded: what `lint_paths` completes, and what a
    check after an edit (`cli.edited`) prints by splicing the report kept with the record."""

    run: _Run
    fresh: tuple[Diagnostic, ...]  # the findings of `affected`, linted again
    affected: tuple[str, ...]  # the changed documents and those linking into them
    base: Any  # the record this run started from (`record.Base`)
    facts: RunFacts  # for the new record (the other documents' lines are the record's)


def lint_edited(
    paths: Sequence[str | Path],
    root: str | Path | None = None,
    *,
    options: RunOptions,
    config_file: str | Path | None = None,
    select: Sequence[str] | None = None,
    extend_select: Sequence[str] | None = None,
    ignore: Sequence[str] | None = None,
) -> Edited | None:
    """`lint_paths` of a full check when its run record says only a few documents changed,
    up to the record's findings of the others; None when it does not (run `lint_paths`)."""
    run = _setup(paths, root, None, None, options, config_file, None, select, extend_select, ignore)
    return _edited(run, [Path(p) for p in paths], config_file, [select, extend_select, ignore])


def _few_changed(
    run: _Run, paths: Sequence[Path], config_file: str | Path | None, selection: Sequence[Sequence[str] | None]
) -> tuple[tuple[Diagnostic, ...], RunFacts] | None:
    """A full check whose run record says only a few documents' contents changed: lint
    those and the documents linking into them, keep the record's findings for the rest
    (`linter.run.record.Base`). None: run as usual."""
    edited = _edited(run, paths, config_file, selection)
    if edited is None:
        return None
    try:
        groups = edited.base.findings_outside(edited.affected)
    except ValueError:  # a record line that does not decode (its checksum held): run as usual
        return None
    for d in edited.fresh:
        groups.setdefault(d.path, []).append(d)
    return tuple(d for path in sorted(groups) for d in groups[path]), edited.facts


def _edited(
    run: _Run, paths: Sequence[Path], config_file: str | Path | None, selection: Sequence[Sequence[str] | None]
) -> Edited | None:
    session, corpus = run.session, run.corpus
    from .run import record

    if run.before is None or session is None or run.options is None or run.targets != corpus.paths:
        record.forget()  # a record the warm path read is of no use to this run
        return None
    key = record.run_key(run.root, paths, Path(config_file) if config_file is not None else None, selection)
    base = record.base(run.root, key, run.options.cache_dir, corpus, run.before[1])
    if base is None or len(base.changed) > max(16, len(run.targets) // 20):
        return None  # many changed: the ordinary run, over cached models, is as quick
    # An edit that leaves a document's headings and anchors as they were (a paragraph, a
    # formula, a comment) cannot change a verdict of a link into it: its inbound documents
    # keep their recorded findings. Its old model, still cached by digest, tells.
    session.prepare(corpus, sorted(base.changed))
    pulling = [p for p in base.changed if _target_facts_moved(session, corpus, p, base.was.get(p))]
    affected = base.affected(pulling)
    session.prepare(corpus, [p for p in affected if p not in base.changed])
    fresh = lint(corpus, affected, run.config, session.analyser.schema_for, precomputed=session.diagnostics)
    wanted = set(affected)
    if any(d.path not in wanted for d in fresh):
        return None  # a finding about another document: only the ordinary run places it right
    deps = {p: d for p, d in base.deps.items() if p not in wanted}
    deps.update(record.dependencies(corpus, affected))
    facts = RunFacts(run.before[0], run.before[1], {**base.digests, **session.digests_used}, deps,
                     base.lines_outside(wanted))
    return Edited(run, tuple(fresh), tuple(affected), base, facts)


def _target_facts_moved(session: Session, corpus: Corpus, path: str, digest: str | None) -> bool:
    """Whether `path` may look different to a link into it than when its recorded version
    (bytes of `digest`) was checked; True when that version's model is not cached."""
    from .links.check import target_facts

    old = session.earlier_model(path, digest) if digest is not None else None
    return old is None or target_facts(old) != target_facts(corpus.document(path))


@dataclass(frozen=True, slots=True)
class FixResult:
    """A fix run: the findings left, what changed (or would), and what was left alone."""

    result: LintResult  # the findings after the fixes
    changes: Mapping[str, tuple[bytes, bytes]]  # path -> (bytes before, bytes after)
    fixed: int  # findings whose fix was applied
    unsafe_fixable: int  # findings left that `unsafe=True` would fix
    problems: tuple[str, ...]  # one line each: files left untouched and why, a fix loop
    written: bool  # the changes are on disk (False for a dry run, `write=False`)
    loop: bool = False

    def diff(self) -> str:
        from .fix.diff import unified_diff

        return unified_diff(self.changes)


def fix_paths(
    paths: Sequence[str | Path],
    root: str | Path | None = None,
    config: Config | None = None,
    schema_for: SchemaFor | None = None,
    *,
    options: RunOptions | None = None,
    config_file: str | Path | None = None,
    changed_since: str | None = None,
    select: Sequence[str] | None = None,
    extend_select: Sequence[str] | None = None,
    ignore: Sequence[str] | None = None,
    unsafe: bool = False,
    write: bool = True,
    parser: str | None = None,
) -> FixResult:
    """Lint as `lint_paths` does, apply the findings' fixes (safe ones; unsafe ones too with
    `unsafe`), re-lint until nothing changes, and write the changed files (unless `write`
    is False: then nothing is written and `FixResult.changes` says what would change).

    Only the findings of the targets are fixed (a suppressed finding is not a finding);
    links elsewhere in the corpus that point at an anchor a fix renames are rewritten too.
    A file that cannot be decoded, or whose fix would not keep its model, is left untouched
    and named in `FixResult.problems`.
    """
    from .fix.engine import run_fixes, wanted
    from .fix.overlay import OverlayCorpus
    from .fix.write import UnsafeWrite, write as write_file

    run = _setup(
        paths, root, config, schema_for, options, config_file, changed_since, select, extend_select, ignore, OverlayCorpus,
        parser,
    )
    corpus = run.corpus
    assert isinstance(corpus, OverlayCorpus)
    session = run.session
    prepare = (lambda paths: session.prepare(corpus, paths, read_soon=True)) if session is not None else None
    outcome = run_fixes(corpus, run.targets, lambda _: _lint(run), unsafe=unsafe, prepare=prepare)
    problems = list(outcome.problems)
    changes = dict(sorted(outcome.changes.items()))
    if write:
        for path, (_, new) in changes.items():
            try:
                write_file(run.root, path, new)
            except (UnsafeWrite, OSError) as exc:
                problems.append(f"{path}: not written ({exc})")
    left = tuple(outcome.diagnostics)
    unsafe_left = 0 if unsafe else sum(1 for d in left if d.path in run.targets and wanted(d, True))
    return FixResult(
        LintResult(run.root, run.targets, left, corpus, run.config), changes, outcome.fixed, unsafe_left,
        tuple(problems), write, outcome.loop,
    )


def lint_text(
    text: str,
    path: str = "doc.md",
    config: Config | None = None,
    others: dict[str, str] | None = None,
    schema_for: SchemaFor | None = None,
) -> list[Diagnostic]:
    """Lint one document given as text, optionally beside other in-memory documents."""
    files = {k: v.encode("utf-8") for k, v in (others or {}).items()}
    files[path] = text.encode("utf-8")
    config = config or Config.default()
    corpus = MemoryCorpus(files, parser=config.parser)
    return lint(corpus, [path], config, schema_for)


def lint_stdin(
    data: bytes | BinaryIO,
    filename: str | Path,
    root: str | Path | None = None,
    *,
    config_file: str | Path | None = None,
    select: Sequence[str] | None = None,
    extend_select: Sequence[str] | None = None,
    ignore: Sequence[str] | None = None,
    parser: str | None = None,
) -> LintResult:
    """Lint `data` as the document `filename` (relative to the current directory, inside the
    root; it need not exist), beside the documents on disk (linter.run.stdin). A stream
    (the CLI passes standard input) is read up to the config's `max_bytes` plus one byte,
    so an endless or huge input costs no more than a file that size: it is reported as too
    large, as a file would be."""
    from .run.stdin import StdinCorpus

    name = Path(filename)
    anchor = name.parent if name.parent.exists() else Path(".")
    root_path = Path(root).resolve() if root is not None else find_root([anchor])
    absolute = (Path.cwd() / name).resolve() if not name.is_absolute() else name.resolve()
    if not absolute.is_relative_to(root_path):
        raise ConfigError(f"--stdin-filename {filename} is outside the root {root_path}")
    rel = absolute.relative_to(root_path).as_posix()
    config = with_parser(apply_selection(load_config(root_path, config_file), select, extend_select, ignore), parser)
    if not isinstance(data, bytes):
        data = data.read(config.max_bytes + 1)
    corpus = StdinCorpus(root_path, rel, data, ignore=config.ignore, max_bytes=config.max_bytes, parser=config.parser)
    if config.gitignore:
        corpus.exclude = lazy_gitignore(lambda: corpus.files, corpus.read)
    found = lint(corpus, [rel], config)
    return LintResult(root_path, (rel,), tuple(found), corpus, config)
