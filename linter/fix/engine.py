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

A fix that declares the anchors it renames (`Fix.renames`: a numbering plan) has its
document's own TOC entries and links rewritten in the same edit batch, so the document is
parsed once per pass, not twice (once for the fix, once for the links that follow it). The
parse checks the prediction: a document whose anchors came out otherwise is redone without
those link edits and followed from the parsed result like any other.

Passes repeat until one changes nothing; a tenth pass that still changes something means
fixes undo each other, which is reported as an error naming their rules. Nothing is
written here: the caller writes `FixOutcome.changes` (or prints them as a diff).
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace

from ..diagnostics import AnchorRename, Applicability, Diagnostic, Fix, TextEdit
from ..document.model import Document
from .anchors import follow_all_renames, follow_in_text, renamed_anchors, renamed_titles
from .edits import EditError, Source, Taken, apply_edits, overlapping
from .overlay import OverlayCorpus
from .protect import Protected, model_problem, protection_kind
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
        self.data: dict[str, bytes] = {}  # the bytes of each of `sources` (encoded once)
        self.refused: dict[str, str] = {}  # path -> why it is left untouched
        # this pass: the renames the kept fixes declare per document, and the documents
        # whose own links were rewritten with their fix (`apply`)
        self.predicted: dict[str, dict[str, AnchorRename]] = {}
        self.followed: set[str] = set()

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
            self.data[path] = data  # `to_source` checked that the source encodes back to it
        return self.sources[path]

    def state(self) -> tuple[tuple[str, bytes], ...]:
        """The changed files' texts, to tell a pass that returns to an earlier text."""
        return tuple((p, self.data[p]) for p in sorted(self.sources) if self.data[p] != self.originals[p])

    def select(self, found: Iterable[Diagnostic]) -> tuple[dict[str, list[TextEdit]], list[Diagnostic]]:
        """The fixes of this pass: in report order, each all or nothing, none overlapping."""
        kept: dict[str, list[TextEdit]] = {}
        taken: dict[str, Taken] = {}
        guards: dict[tuple[str, str], Protected] = {}  # (path, protection kind) -> its spans
        applied: list[Diagnostic] = []
        seen: set[tuple[TextEdit, ...]] = set()
        self.predicted = {}
        for d in found:
            if d.path not in self.targets or not wanted(d, self.unsafe):
                continue
            fix = d.fix
            assert fix is not None
            key = tuple(sorted(set(fix.edits), key=_edit_key))
            if key in seen:  # one fix shared by several findings (a regenerated TOC)
                applied.append(d)
                continue
            if not self._fits(d, fix, taken, guards):
                continue
            seen.add(key)
            for e in key:
                kept.setdefault(e.path, []).append(e)
                taken.setdefault(e.path, Taken()).add(e)
            if fix.renames:
                self.predicted.setdefault(d.path, {}).update((r.old, r) for r in fix.renames)
            applied.append(d)
        return kept, applied

    def _fits(
        self, d: Diagnostic, fix: Fix, taken: dict[str, Taken], guards: dict[tuple[str, str], Protected]
    ) -> bool:
        by_path: dict[str, list[TextEdit]] = {}
        for e in fix.edits:
            by_path.setdefault(e.path, []).append(e)
        for path, edits in by_path.items():
            if self.source(path) is None:
                return False
            kept = taken.get(path)
            if overlapping(edits) or (kept is not None and any(kept.hits(e) for e in edits)):
                return False
            doc = self.corpus.document(path)
            if doc is None:
                continue
            kind = protection_kind(d.rule_id)
            guard = guards.get((path, kind))
            if guard is None:
                guard = guards[(path, kind)] = Protected(doc, d.rule_id)
            if guard.touched(edits):
                return False
        return True

    def apply(
        self, edits: dict[str, list[TextEdit]], predicted: dict[str, dict[str, AnchorRename]] | None = None
    ) -> dict[str, tuple[Document, Document]]:
        """Apply each file's `edits` in memory; for each file changed, its documents before and
        after. A file whose result does not keep the intended model is put back and refused.
        With `predicted` (the renames the edits' fixes declare), a file's links to its own
        renamed anchors are rewritten in the same batch (`self.followed` names those files).

        The changed files are parsed as one batch (`prepare`: the run's process pool), since
        a corpus-wide fix changes hundreds of files per pass."""
        predicted = predicted or {}
        staged: dict[str, tuple[Source, Source, Document, bytes]] = {}
        ahead: dict[str, dict[str, AnchorRename]] = {}  # files whose own links were edited too
        for path in sorted(edits):
            src = self.source(path)
            before = self.corpus.document(path)
            if src is None or before is None:
                continue
            combined = self._with_own_links(path, before, edits[path], predicted.get(path))
            try:
                new = apply_edits(src, combined or edits[path])
                if combined is not None:
                    ahead[path] = predicted[path]
            except EditError as exc:
                try:  # a link edit overlaps one of the fix's (a regenerated TOC): follow later
                    new = apply_edits(src, edits[path])
                except EditError:
                    self.refused[path] = f"fix does not apply ({exc}); left untouched"
                    continue
            staged[path] = (src, new, before, to_bytes(new))
            self.corpus.update(path, staged[path][3])
        self._parse(list(staged))
        redo = [p for p, want in ahead.items() if not _as_predicted(staged[p][2], self.corpus.document(p), want)]
        for path in redo:  # the prediction was wrong: the fix's own edits only
            src, _, before, _ = staged[path]
            redone = apply_edits(src, edits[path])
            staged[path] = (src, redone, before, to_bytes(redone))
            self.corpus.update(path, staged[path][3])
        self._parse(redo)
        self.followed = set(ahead) - set(redo)
        out: dict[str, tuple[Document, Document]] = {}
        for path, (src, new, before, data) in staged.items():
            # parsed through the corpus: its loader (the run's session) also refreshes the
            # document's per-document findings, which the next pass's lint reads
            after = self.corpus.document(path)
            problem = "the file's encoding" if after is None else model_problem(before, after, src, new)
            if problem is not None or after is None:
                self.refused[path] = f"fix would change {problem}; left untouched"
                self.followed.discard(path)
                self.corpus.update(path, self.data[path])
                self.corpus.document(path)
                continue
            self.sources[path] = new
            self.data[path] = data
            out[path] = (before, after)
        return out

    def _with_own_links(
        self, path: str, before: Document, own: list[TextEdit], renames: dict[str, AnchorRename] | None
    ) -> list[TextEdit] | None:
        """`own` plus the edits that point `path`'s own links at the anchors its fixes will give
        it (None: no renames declared). Links inside the replacement of one of `own` (a TOC the
        same pass regenerates from the old headings) are rewritten inside that replacement,
        and the link edits into the text it replaces are dropped."""
        if not renames:
            return None
        titles = {h.anchor: (h.text, renames[h.anchor].title) for h in before.headings if h.anchor in renames}
        moved = {old: r.new for old, r in renames.items()}
        links = follow_all_renames(self.corpus, {path: moved}, {path: titles}, sources=[path])
        out: list[TextEdit] = []
        replaced: list[tuple[tuple[int, int], tuple[int, int]]] = []
        for e in own:
            if "](" in e.replacement:
                toc = before.toc is not None and before.toc.heading_line <= e.start_line <= before.toc.end_line
                e = replace(e, replacement=follow_in_text(path, e.replacement, moved, titles, toc=toc))
                replaced.append(((e.start_line, e.start_column), (e.end_line, e.end_column)))
            out.append(e)
        replaced.sort()
        return out + [e for e in links if not _inside(e, replaced)]

    def _parse(self, paths: list[str]) -> None:
        if self.prepare is not None and paths:
            self.prepare(paths)


def _inside(e: TextEdit, spans: list[tuple[tuple[int, int], tuple[int, int]]]) -> bool:
    """Whether `e` lies within one of `spans` (sorted spans of one file's non-overlapping edits)."""
    if not spans:
        return False
    i = bisect_right(spans, ((e.start_line, e.start_column), (_END, _END))) - 1
    return i >= 0 and spans[i][0] <= (e.start_line, e.start_column) and (e.end_line, e.end_column) <= spans[i][1]


_END = 1 << 62


def _as_predicted(before: Document, after: Document | None, want: dict[str, AnchorRename]) -> bool:
    """The parsed result renames exactly the anchors the fixes declared, to the titles declared."""
    if after is None:
        return False
    titles = renamed_titles(before, after)
    return renamed_anchors(before, after) == {old: r.new for old, r in want.items()} and all(
        titles[old][1] == r.title for old, r in want.items()
    )


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
    for path, new in run.data.items():
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
    applied = run.apply(edits, run.predicted)
    renames = {path: moved for path, pair in applied.items() if (moved := renamed_anchors(*pair))}
    if renames:
        # TOC entries take the new titles too: otherwise every renumbered entry is a TC004
        # finding, and its TOC is regenerated (and the file parsed again) in one more pass
        titles = {path: renamed_titles(*applied[path]) for path in renames}
        follow: dict[str, list[TextEdit]] = {}
        for e in follow_all_renames(run.corpus, renames, titles, done=frozenset(run.followed)):
            follow.setdefault(e.path, []).append(e)
        run.apply(follow)
    return bool(applied)
