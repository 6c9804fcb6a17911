"""The maintainers' link audit: what is broken, why, where, and which documents nobody reaches.

Built from the same verdicts as the LK rules (linter/links/check.py). The audit reports on
the documents in scope (the PATHS given), but the link graph is the whole corpus: a document
is an orphan only if no document anywhere links to it.

Broken-link causes are grouped the way a maintainer fixes them: missing file, bad anchor,
escapes root, pseudo-link, case/normalisation, and the rarer syntax problems.
"""

from __future__ import annotations

import posixpath
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from ..corpus import Corpus
from ..util.globs import selects_any
from .check import Verdict, checker_for

# Cause -> the group it is listed under (in this order in every report).
GROUPS: dict[str, str] = {
    "missing-file": "missing file",
    "missing-image": "missing file",
    "bad-anchor": "bad anchor",
    "bad-cross-anchor": "bad anchor",
    "escapes-root": "escapes root",
    "local-path": "escapes root",
    "pseudo-link": "pseudo-link",
    "case-mismatch": "case/normalisation",
    "backslash": "syntax",
    "empty": "syntax",
    "unsafe-scheme": "syntax",
}
GROUP_ORDER = ("missing file", "bad anchor", "escapes root", "pseudo-link", "case/normalisation", "syntax")
# Link kinds in the summary: same-file anchors, links to other files, the rest.
KINDS = ("anchor", "file", "pseudo", "external", "other")
# README/INDEX files are reached through folder listings, not links: never orphans.
ENTRY_NAMES = ("readme", "index")


def top_folder(path: str) -> str:
    return path.split("/", 1)[0] if "/" in path else "(root)"


def link_kind(v: Verdict) -> str:
    if v.kind == "anchor":
        return "anchor"
    if v.kind == "pseudo":
        return "pseudo"
    if v.kind in ("relative", "empty"):
        return "file"
    if v.kind in ("external",):
        return "external"
    return "other"


def is_entry_point(path: str, globs: Sequence[str] = ()) -> bool:
    stem = posixpath.splitext(posixpath.basename(path))[0].lower()
    return stem in ENTRY_NAMES or selects_any(globs, path)


@dataclass(frozen=True, slots=True)
class FolderRow:
    folder: str
    documents: int
    counts: dict[str, dict[str, int]]  # kind -> {"ok": n, "broken": n}

    @property
    def links(self) -> int:
        return sum(sum(c.values()) for c in self.counts.values())

    @property
    def broken(self) -> int:
        return sum(c.get("broken", 0) for c in self.counts.values())


@dataclass(frozen=True, slots=True)
class DocStats:
    path: str
    inbound: int  # working links from other documents
    inbound_sources: int  # distinct documents linking here
    inbound_broken: int  # broken links that meant this document (bad anchor, or suggested here)
    outbound: int  # working links to other documents


@dataclass(frozen=True, slots=True)
class Edge:
    source: str
    target: str
    status: str  # "ok" or the cause
    count: int


@dataclass
class Audit:
    scope: tuple[str, ...]
    verdicts: tuple[Verdict, ...]  # every link of the documents in scope
    folders: list[FolderRow] = field(default_factory=list)
    stats: dict[str, DocStats] = field(default_factory=dict)  # every corpus document
    edges: list[Edge] = field(default_factory=list)  # between documents in scope and their targets
    entry_points: tuple[str, ...] = ()

    @property
    def broken(self) -> list[Verdict]:
        return [v for v in self.verdicts if v.broken]

    def broken_by_group(self) -> dict[str, list[Verdict]]:
        groups: dict[str, list[Verdict]] = {g: [] for g in GROUP_ORDER}
        for v in self.broken:
            groups[GROUPS[v.cause]].append(v)
        return {g: vs for g, vs in groups.items() if vs}

    def cause_counts(self) -> Counter[str]:
        return Counter(v.cause for v in self.broken)

    def orphans(self) -> list[str]:
        return [
            p for p in self.scope
            if self.stats[p].inbound_sources == 0 and not is_entry_point(p, self.entry_points)
        ]

    def dead_ends(self) -> list[str]:
        return [p for p in self.scope if self.stats[p].outbound == 0]

    def most_linked(self, n: int = 25) -> list[DocStats]:
        ranked = sorted(self.stats.values(), key=lambda s: (-s.inbound_sources, -s.inbound, s.path))
        return [s for s in ranked[:n] if s.inbound]

    def mostly_broken_inbound(self) -> list[DocStats]:
        """Documents most of whose inbound links fail: typically renamed or moved files."""
        rows = [s for s in self.stats.values() if s.inbound_broken > s.inbound]
        return sorted(rows, key=lambda s: (-s.inbound_broken, s.path))

    def missing_targets(self, n: int = 50) -> list[tuple[str, int, str]]:
        """The most-wanted paths that do not exist: (path, links, suggested target or "")."""
        wanted: Counter[str] = Counter()
        suggested: dict[str, str] = {}
        for v in self.verdicts:
            if v.cause in ("missing-file", "missing-image") and v.wanted is not None:
                wanted[v.wanted] += 1
                if v.suggestion is not None and v.suggestion.target_path:
                    suggested.setdefault(v.wanted, v.suggestion.target_path)
        return [(p, c, suggested.get(p, "")) for p, c in wanted.most_common(n)]

    def external_links(self) -> list[Verdict]:
        """The http(s) links in scope, for an external checker to verify (`--external`)."""
        return [v for v in self.verdicts if v.kind == "external"]

    def totals(self) -> dict[str, int]:
        return {
            "documents": len(self.scope),
            "links": len(self.verdicts),
            "internal": sum(1 for v in self.verdicts if v.internal),
            "broken": len(self.broken),
            "orphans": len(self.orphans()),
            "dead_ends": len(self.dead_ends()),
        }


def _reaches_document(v: Verdict, corpus: Corpus) -> str | None:
    """The document a working link leads to: a Markdown file, or a folder's README."""
    if v.cause != "ok" or v.target is None or v.target == v.source or v.kind != "relative":
        return None
    if v.target.lower().endswith((".md", ".markdown")):
        return v.target
    if corpus.is_dir(v.target):
        readme = f"{v.target}/README.md" if v.target else "README.md"
        return readme if readme in corpus.files else None
    return None


def _meant_document(v: Verdict) -> str | None:
    """The document a broken link was most likely meant for."""
    if v.cause == "bad-cross-anchor":
        return v.target
    if v.suggestion is not None and v.suggestion.target_path and v.cause != "bad-anchor":
        return v.suggestion.target_path
    return None


def build_audit(corpus: Corpus, scope: Iterable[str], entry_points: Sequence[str] = ()) -> Audit:
    """Judge every link of the corpus once and gather the audit for the documents in `scope`."""
    checker = checker_for(corpus)
    scope = tuple(scope)
    in_scope = set(scope)
    inbound: Counter[str] = Counter()
    sources: dict[str, set[str]] = defaultdict(set)
    meant: Counter[str] = Counter()
    outbound: Counter[str] = Counter()
    edge_counts: Counter[tuple[str, str, str]] = Counter()
    scoped: list[Verdict] = []
    for path in corpus.paths:
        for v in checker.verdicts(path):
            reached = _reaches_document(v, corpus)
            if reached is not None and reached != path:
                inbound[reached] += 1
                sources[reached].add(path)
                outbound[path] += 1
            elif v.broken and (m := _meant_document(v)) is not None and m != path:
                meant[m] += 1
            if path in in_scope:
                scoped.append(v)
                dest = reached or (v.wanted if v.broken and v.kind in ("relative", "pseudo") else None)
                if dest is not None and dest != path:
                    edge_counts[(path, dest, "ok" if reached else v.cause)] += 1
    stats = {
        p: DocStats(p, inbound[p], len(sources[p]), meant[p], outbound[p]) for p in corpus.paths
    }
    rows: dict[str, dict[str, dict[str, int]]] = defaultdict(lambda: {k: {"ok": 0, "broken": 0} for k in KINDS})
    docs_per_folder: Counter[str] = Counter(top_folder(p) for p in scope)
    for v in scoped:
        rows[top_folder(v.source)][link_kind(v)]["broken" if v.broken else "ok"] += 1
    folders = [FolderRow(f, docs_per_folder[f], rows[f]) for f in sorted(docs_per_folder)]
    edges = [Edge(s, t, st, n) for (s, t, st), n in sorted(edge_counts.items())]
    return Audit(scope, tuple(scoped), folders, stats, edges, tuple(entry_points))
