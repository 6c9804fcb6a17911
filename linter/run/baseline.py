"""Baselines: record today's findings, then fail only on new ones.

A finding's identity is what it is about, not where it sits: rule + path + a hash of the
offending text (`Diagnostic.context`, else the source line), normalised (NFC, runs of white
space as one space, a heading's number left out), + an occurrence index (the n-th finding
with that rule, path and text). Neither the line number nor the headings above the finding
take part, so inserting text above it, renumbering `### 3.1` to `### 4.1` or renaming the
section it is in keeps it recorded. The occurrence index is the count in the file: the same
broken link twice is recorded as count 2, so a third copy is new.

The file is sorted, indented JSON with a version field: it reviews well in a diff and shrinks
as findings are fixed. Version 1 files (keyed on the section path) are still read: their
entries match on rule, path and the plain text hash, section ignored.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..config.settings import ConfigError
from ..corpus import Corpus
from ..diagnostics import Diagnostic
from ..rules import get_rule
from ..util.escape import excerpt
from ..util.safe_read import ReadRefused, read_bytes
from ..util.safe_write import UnsafeWrite, write_bytes

VERSION = 2
MAX_BYTES = 256 * 1024 * 1024  # a baseline of a million findings is ~250 MB; more is not one
EXCERPT = 80
Key = tuple[str, str, str]  # path, rule, text hash
# `## 四、`, `### 3.1`, `#### 3.1.2.` and `## 第三章` at the start of a heading line, or of a
# heading's text (the context of numbering and TOC findings)
_HEADING_NUMBER = re.compile(
    r"^(#{1,6}\s+|)(?:第?[一二三四五六七八九十百零〇]+[、.．章节]\s*|[0-9]+(?:\.[0-9]+)*\.?\s+)"
)
_SPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """The offending text as identity: NFC, white space collapsed, heading numbers dropped."""
    text = _SPACE.sub(" ", unicodedata.normalize("NFC", text)).strip()
    return _HEADING_NUMBER.sub(r"\1", text)


def _offending_text(d: Diagnostic, corpus: Corpus, lines: dict[str, tuple[str, ...]] | None = None) -> str:
    if d.context:
        return d.context.strip()
    if lines is None:
        src = corpus.lines(d.path)
    elif d.path in lines:
        src = lines[d.path]
    else:
        src = lines[d.path] = corpus.lines(d.path)
    return src[d.line - 1].strip() if 0 < d.line <= len(src) else ""


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class Entry:
    path: str
    rule: str
    text_hash: str
    excerpt: str = ""  # for reviewers only; not part of the identity

    @property
    def key(self) -> Key:
        return (self.path, self.rule, self.text_hash)


def entry_for(
    d: Diagnostic, corpus: Corpus, lines: dict[str, tuple[str, ...]] | None = None, legacy: bool = False
) -> Entry:
    """`lines` caches decoded files across calls; `legacy`: version 1's plain text hash."""
    text = _offending_text(d, corpus, lines)
    return Entry(d.path, d.rule_id, _digest(text if legacy else normalise(text)), text[:EXCERPT])


def fingerprints(diagnostics: Sequence[Diagnostic], corpus: Corpus) -> list[str]:
    """One stable string per finding (SARIF's partialFingerprints): rule, path, normalised
    text and occurrence index, so distinct findings on adjacent lines never share one."""
    lines: dict[str, tuple[str, ...]] = {}
    seen: Counter[Key] = Counter()
    out: dict[int, str] = {}
    order = sorted(range(len(diagnostics)), key=lambda i: diagnostics[i].sort_key())
    for i in order:
        key = entry_for(diagnostics[i], corpus, lines).key
        raw = "\x1f".join([key[1], key[0], key[2], str(seen[key])])
        seen[key] += 1
        # surrogateescape: a file name that is not UTF-8 hashes as its real bytes
        out[i] = hashlib.sha256(raw.encode("utf-8", "surrogateescape")).hexdigest()[:32]
    return [out[i] for i in range(len(diagnostics))]


def _counts(diagnostics: Iterable[Diagnostic], corpus: Corpus) -> tuple[Counter[Key], dict[Key, str]]:
    lines: dict[str, tuple[str, ...]] = {}
    counts: Counter[Key] = Counter()
    excerpts: dict[Key, str] = {}
    for d in diagnostics:
        e = entry_for(d, corpus, lines)
        counts[e.key] += 1
        excerpts.setdefault(e.key, e.excerpt)
    return counts, excerpts


def _document(counts: Counter[Key], excerpts: dict[Key, str]) -> dict[str, Any]:
    findings = [
        {"path": k[0], "rule": k[1], "hash": k[2], "count": n, "text": excerpts.get(k, "")}
        for k, n in sorted(counts.items()) if n > 0
    ]
    return {"version": VERSION, "tool": "formalai-lint", "findings": findings}


def build(diagnostics: Iterable[Diagnostic], corpus: Corpus) -> dict[str, Any]:
    return _document(*_counts(diagnostics, corpus))


@dataclass(frozen=True, slots=True)
class Written:
    """What `write` did, for the one line the CLI prints."""

    findings: int  # entries (counted) in the file now
    updated_files: int  # files whose entries this run replaced
    kept: int  # entries of files this run did not lint, kept as they were (a subset run)

    def describe(self, path: Path) -> str:
        if not self.kept:
            return f"wrote {self.findings} finding(s) to baseline {path}"
        return (
            f"updated baseline {path} for the {self.updated_files} file(s) linted: "
            f"{self.findings} finding(s) recorded, {self.kept} of them in other files kept as they were"
        )


def write(
    path: Path, diagnostics: Iterable[Diagnostic], corpus: Corpus, linted: Iterable[str] | None = None
) -> Written:
    """Record the findings in `path`. With `linted` (a run on some files) and an existing
    baseline, only the entries of the linted files are replaced; the others are kept, and a
    finding this run saw in another file (a link into a linted one) is added if missing."""
    counts, excerpts = _counts(diagnostics, corpus)
    kept = 0
    scope = set(linted) if linted is not None else None
    if scope is not None and path.exists():
        try:
            old, old_excerpts, _ = _read_entries(path)
        except ConfigError:  # not a baseline (yet): nothing to keep, the file is replaced whole
            old, old_excerpts = Counter(), {}
        for key, n in old.items():
            if key[0] in scope or key[0] not in corpus.files:  # replaced, or the file is gone
                continue
            if n > counts[key]:
                counts[key] = n
            kept += counts[key]
            excerpts.setdefault(key, old_excerpts.get(key, ""))
    data = _document(counts, excerpts)
    text = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    try:
        # atomic (a killed run leaves the old baseline or the new one); a non-UTF-8 file
        # name (lone surrogates) is written as the JSON escape "\\udcff"
        write_bytes(path, text.encode("utf-8", "backslashreplace"))
    except UnsafeWrite as exc:
        raise ConfigError(f"cannot write baseline {exc}") from None
    except OSError as exc:
        raise ConfigError(f"cannot write baseline {path}: {exc.strerror}") from None
    total = sum(f["count"] for f in data["findings"])
    files = len(scope) if scope is not None and kept else len({k[0] for k in counts})
    return Written(total, files, kept)


def _current_id(rule_id: str) -> str:
    """A baseline written before a rule was renamed (MD010 -> MK010) keeps matching."""
    r = get_rule(rule_id)
    return r.id if r is not None else rule_id


@dataclass(frozen=True, slots=True)
class Baseline:
    counts: Counter[Key]
    excerpts: dict[Key, str]
    version: int = VERSION


def _load(path: Path) -> Any:
    try:  # stat first (a FIFO is never opened), at most MAX_BYTES read
        data = json.loads(read_bytes(path, MAX_BYTES).decode("utf-8"))
    except FileNotFoundError:
        raise ConfigError(
            f"baseline {path} does not exist; create it with `formalai-lint check --write-baseline {path}` "
            f"and commit it"
        ) from None
    except ReadRefused as exc:
        raise ConfigError(f"cannot read baseline {path}: {exc.reason}") from None
    except OSError as exc:
        raise ConfigError(f"cannot read baseline {path}: {exc.strerror}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ConfigError(f"baseline {path} is not valid JSON: {excerpt(str(exc), 120)}") from None
    except RecursionError:
        raise ConfigError(f"baseline {path}: JSON nested too deeply; expected a formalai-lint baseline") from None
    if not isinstance(data, dict) or data.get("version") not in (1, VERSION) or not isinstance(data.get("findings"), list):
        raise ConfigError(f"baseline {path}: expected a formalai-lint baseline with version {VERSION}")
    return data


def _read_entries(path: Path) -> tuple[Counter[Key], dict[Key, str], int]:
    data = _load(path)
    out: Counter[Key] = Counter()
    excerpts: dict[Key, str] = {}
    for i, f in enumerate(data["findings"]):
        try:
            key = (str(f["path"]), _current_id(str(f["rule"])), str(f["hash"]))
            out[key] += int(f.get("count", 1))
            excerpts.setdefault(key, str(f.get("text", "")))
        except (KeyError, TypeError, ValueError):
            raise ConfigError(f"baseline {path}: findings[{i}] is malformed") from None
    return out, excerpts, int(data["version"])


def read(path: Path) -> Baseline:
    return Baseline(*_read_entries(path))


@dataclass(frozen=True, slots=True)
class Comparison:
    new: tuple[Diagnostic, ...]  # not in the baseline: these fail the run
    known: int  # findings matched by the baseline
    fixed: tuple[tuple[str, str, str, int], ...]  # removable entries (path, rule, excerpt) and how many


def compare(
    diagnostics: Sequence[Diagnostic],
    baseline: Baseline,
    corpus: Corpus,
    linted: Iterable[str] | None = None,
) -> Comparison:
    """Split findings into new and known; list baseline entries no longer found.

    `linted` limits "fixed" to the files this run looked at (a changed-files run must not
    call every other file's entries removable).
    """
    left = Counter(baseline.counts)
    legacy = baseline.version == 1
    lines: dict[str, tuple[str, ...]] = {}
    new: list[Diagnostic] = []
    known = 0
    for d in sorted(diagnostics, key=Diagnostic.sort_key):
        key = entry_for(d, corpus, lines, legacy).key
        if left[key] > 0:
            left[key] -= 1
            known += 1
        else:
            new.append(d)
    scope = set(linted) if linted is not None else None
    fixed = tuple(
        (k[0], k[1], baseline.excerpts.get(k, ""), n)
        for k, n in sorted(left.items()) if n > 0 and (scope is None or k[0] in scope)
    )
    return Comparison(tuple(new), known, fixed)
