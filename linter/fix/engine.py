"""The fix loop: lint, apply the fixes that do not overlap, follow renamed anchors, repeat.

A pass lints the targets as they are in memory, takes every finding with a `Fix` the run
may apply (safe ones; unsafe ones too with `--unsafe-fixes`) in report order, keeps a fix
only when none of its edits overlaps an edit already kept (a fix is all or nothing), and
applies the kept edits to each file bottom-up. Each changed document is parsed again:

- if it no longer has the intended model (a heading level, a code block or a formula's
  TeX differs, or a fix not about math touched a code block or formula), that file's edits
  of this pass are dropped and the file is left alone from then on, and reported;
- the anchors its headings lost are followed into every link of the corpus that pointed at
  them (`linter.fix.anchors`), so a link that resolved before a fix resolves after it.

Passes repeat until one changes nothing; a tenth pass that still changes something means
fixes undo each other, which is reported as an error naming their rules. Nothing is
written here: the caller writes `FixOutcome.changes` (or prints them as a diff).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from ..diagnostics import Applicability, Diagnostic, Fix, TextEdit
from ..document.model import Document
from .anchors import follow_all_renames, renamed_anchors, renamed_titles
from .edits import EditError, Source, apply_edits, conflicts
from .overlay import OverlayCorpus
from .protect import model_problem, touches_protected
from .write import Unreadable, to_bytes, to_source

MAX_PASSES = 10

Lint = Callable[[OverlayCorpus], Sequence[Diagnostic]]
# Parses changed documents into the corpus in one batch (the session's process pool).
Prepare = Callable[[Sequence[str]], None]


@dataclass
class FixOutcome:
    """What a fix run would change, and what is left."""

    changes: dict[str, tuple[bytes, bytes]] = field(default_factory=dict)  # path -> (old, new)
    fixed: int = 0  # findings whose fix was applied (over all passes)
    passes: int = 0
    diagnostics: list[Diagnostic] = field(default_factory=list)  # after the last pass
    problems: list[str] = field(default_factory=list)  # one line each: files left alone, loops
    loop: bool = False
    fixed_by_rule: Counter[str] = field(default_factory=Counter)


def wanted(d: Diagnostic, unsafe: bool) -> bool:
    return d.fix is not None and bool(d.fix.edits) and (unsafe or d.fix.applicability is Applicability.SAFE)


class _Run:
    def __init__(
        self, corpus: OverlayCorpus, targets: Sequence[str], unsafe: bool, prepare: Prepare | None = None
    ) -> None:
        self.corpus = corpus
        self.prepare = prepare
        self.targets = frozenset(targets)
        self.unsafe = unsafe
        self.originals: dict[str, bytes] = {}
        self.sources: dict[str, Source] = {}
        self.refused: dict[str, str] = {}  # path -> why it is left untouched

    def source(self, path: str) -> Source | None:
        if path in self.refused:
            return None
        if path not in self.sources:
            data = self.corpus.read(path)
            if data is None:
                self.refused[path] = "cannot be read; left untouched"
                return None
            try:
                self.sources[path] = to_source(data, self.corpus.max_bytes)
            except Unreadable as exc:
                self.refused[path] = str(exc)
                return None
            self.originals[path] = data
        return self.sources[path]

    def state(self) -> tuple[tuple[str, bytes], ...]:
        """The changed files' texts, to tell a pass that returns to an earlier text."""
        now = ((p, to_bytes(s)) for p, s in sorted(self.sources.items()))
        return tuple((p, data) for p, data in now if data != self.originals[p])

    def select(self, found: Iterable[Diagnostic]) -> tuple[dict[str, list[TextEdit]], list[Diagnostic]]:
        """The fixes of this pass: in report order, each all or nothing, none overlapping."""
        kept: dict[str, list[TextEdit]] = {}
        applied: list[Diagnostic] = []
        seen: set[tuple[TextEdit, ...]] = set()
        for d in found:
            if d.path not in self.targets or not wanted(d, self.unsafe):
                continue
            fix = d.fix
            assert fix is not None
            key = tuple(sorted(set(fix.edits), key=_edit_key))
            if key in seen:  # one fix shared by several findings (a regenerated TOC)
                applied.append(d)
                continue
            if not self._fits(d, fix, kept):
                continue
            seen.add(key)
            for e in key:
                kept.setdefault(e.path, []).append(e)
            applied.append(d)
        return kept, applied

    def _fits(self, d: Diagnostic, fix: Fix, kept: dict[str, list[TextEdit]]) -> bool:
        by_path: dict[str, list[TextEdit]] = {}
        for e in fix.edits:
            by_path.setdefault(e.path, []).append(e)
        for path, edits in by_path.items():
            if self.source(path) is None:
                return False
            if conflicts(edits, kept.get(path, ())) or conflicts(edits, edits):
                return False
            doc = self.corpus.document(path)
            if doc is not None and touches_protected(doc, edits, d.rule_id):
                return False
        return True

    def apply(self, edits: dict[str, list[TextEdit]]) -> dict[str, tuple[Document, Document]]:
        """Apply each file's `edits` in memory; for each file changed, its documents before and
        after. A file whose result does not keep the intended model is put back and refused.

        The changed files are parsed as one batch (`prepare`: the run's process pool), since
        a corpus-wide fix changes hundreds of files per pass."""
        staged: dict[str, tuple[Source, Source, Document]] = {}
        for path in sorted(edits):
            src = self.source(path)
            before = self.corpus.document(path)
            if src is None or before is None:
                continue
            try:
                new = apply_edits(src, edits[path])
            except EditError as exc:
                self.refused[path] = f"fix does not apply ({exc}); left untouched"
                continue
            staged[path] = (src, new, before)
            self.corpus.update(path, to_bytes(new))
        if self.prepare is not None and staged:
            self.prepare(list(staged))
        out: dict[str, tuple[Document, Document]] = {}
        for path, (src, new, before) in staged.items():
            # parsed through the corpus: its loader (the run's session) also refreshes the
            # document's per-document findings, which the next pass's lint reads
            after = self.corpus.document(path)
            problem = "the file's encoding" if after is None else model_problem(before, after, src, new)
            if problem is not None or after is None:
                self.refused[path] = f"fix would change {problem}; left untouched"
                self.corpus.update(path, to_bytes(src))
                self.corpus.document(path)
                continue
            self.sources[path] = new
            out[path] = (before, after)
        return out


def _edit_key(e: TextEdit) -> tuple[str, int, int, int, int, str]:
    return (e.path, e.start_line, e.start_column, e.end_line, e.end_column, e.replacement)


def run_fixes(corpus: OverlayCorpus, targets: Sequence[str], lint: Lint, *, unsafe: bool = False,
              max_passes: int = MAX_PASSES, prepare: Prepare | None = None) -> FixOutcome:
    """Fix `targets` in `corpus` (in memory) until nothing changes; see the module docstring."""
    run = _Run(corpus, targets, unsafe, prepare)
    out = FixOutcome()
    found = list(lint(corpus))
    seen_states: set[tuple[tuple[str, bytes], ...]] = {()}  # () is the text before any fix
    last_rules: Counter[str] = Counter()
    while True:
        edits, applied = run.select(found)
        if edits and out.passes >= max_passes:
            _loop(out, last_rules)
            break
        if not _apply_pass(run, edits):
            break
        out.passes += 1
        out.fixed += len(applied)
        last_rules = Counter(d.rule_id for d in applied)
        out.fixed_by_rule.update(last_rules)
        found = list(lint(corpus))
        state = run.state()
        if state in seen_states:  # back to an earlier text: fixes undo each other
            _loop(out, last_rules)
            break
        seen_states.add(state)
    out.diagnostics = found
    for path, src in run.sources.items():
        new = to_bytes(src)
        if new != run.originals[path]:
            out.changes[path] = (run.originals[path], new)
    out.problems.extend(f"{p}: {why}" for p, why in sorted(run.refused.items()))
    return out


def _loop(out: FixOutcome, rules: Counter[str]) -> None:
    out.loop = True
    names = ", ".join(sorted(rules)) or "none"
    out.problems.append(f"fixes did not settle after {out.passes} passes (rules {names}); the last pass is kept")


def _apply_pass(run: _Run, edits: dict[str, list[TextEdit]]) -> bool:
    """Apply one pass's own edits, then the link edits that follow the anchors they renamed."""
    applied = run.apply(edits)
    renames = {path: moved for path, pair in applied.items() if (moved := renamed_anchors(*pair))}
    if renames:
        # TOC entries take the new titles too: otherwise every renumbered entry is a TC004
        # finding, and its TOC is regenerated (and the file parsed again) in one more pass
        titles = {path: renamed_titles(*applied[path]) for path in renames}
        follow: dict[str, list[TextEdit]] = {}
        for e in follow_all_renames(run.corpus, renames, titles):
            follow.setdefault(e.path, []).append(e)
        run.apply(follow)
    return bool(applied)
