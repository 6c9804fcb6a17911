"""Baselines: record today's findings, then fail only on new ones.

A finding's fingerprint is rule + path + section path (the headings above it) + a hash of
the offending text (`Diagnostic.context`, else the stripped source line). The line number
is deliberately left out, so inserting text above a recorded finding does not make it
"new". Identical fingerprints (the same broken link twice in one section) are counted, so
a third copy is new. The file is sorted, indented JSON with a version field: it reviews
well in a diff and shrinks as findings are fixed.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..config.settings import ConfigError
from ..corpus import Corpus
from ..diagnostics import Diagnostic
from ..document.sections import section_path
from ..rules import get_rule
from ..util.escape import excerpt
from ..util.safe_read import ReadRefused, read_bytes
from ..util.safe_write import UnsafeWrite, write_bytes

VERSION = 1
MAX_BYTES = 256 * 1024 * 1024  # a baseline of a million findings is ~250 MB; more is not one
EXCERPT = 80


@dataclass(frozen=True, slots=True, order=True)
class Entry:
    path: str
    rule: str
    section: tuple[str, ...]
    text_hash: str
    excerpt: str = ""  # for reviewers only; not part of the identity

    @property
    def key(self) -> tuple[str, str, tuple[str, ...], str]:
        return (self.path, self.rule, self.section, self.text_hash)


def _offending_text(d: Diagnostic, corpus: Corpus) -> str:
    if d.context:
        return d.context.strip()
    lines = corpus.lines(d.path)
    return lines[d.line - 1].strip() if 0 < d.line <= len(lines) else ""


def entry_for(d: Diagnostic, corpus: Corpus) -> Entry:
    doc = corpus.document(d.path)
    # the headings above the finding (a finding on a heading is placed by its parents:
    # its own text is already in the hash)
    section = section_path(doc.headings, d.line - 1) if doc is not None else ()
    text = _offending_text(d, corpus)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
    return Entry(d.path, d.rule_id, section, digest, text[:EXCERPT])


def fingerprint(d: Diagnostic, corpus: Corpus) -> str:
    """One stable string per finding identity (also SARIF's partialFingerprints)."""
    e = entry_for(d, corpus)
    raw = "\x1f".join([e.rule, e.path, *e.section, e.text_hash])
    return hashlib.sha256(raw.encode("utf-8", "surrogateescape")).hexdigest()[:32]


def build(diagnostics: Iterable[Diagnostic], corpus: Corpus) -> dict[str, Any]:
    counts: Counter[tuple[str, str, tuple[str, ...], str]] = Counter()
    excerpts: dict[tuple[str, str, tuple[str, ...], str], str] = {}
    for d in diagnostics:
        e = entry_for(d, corpus)
        counts[e.key] += 1
        excerpts.setdefault(e.key, e.excerpt)
    findings = [
        {"path": k[0], "rule": k[1], "section": list(k[2]), "hash": k[3], "count": n, "text": excerpts[k]}
        for k, n in sorted(counts.items())
    ]
    return {"version": VERSION, "tool": "formalai-lint", "findings": findings}


def write(path: Path, diagnostics: Iterable[Diagnostic], corpus: Corpus) -> int:
    data = build(diagnostics, corpus)
    text = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    try:  # atomic, never through a link or onto a FIFO or device (util.safe_write)
        # a non-UTF-8 file name (lone surrogates) becomes the JSON escape "\\udcff"
        write_bytes(path, text.encode("utf-8", "backslashreplace"))
    except UnsafeWrite as exc:
        raise ConfigError(f"cannot write baseline {exc}") from None
    except OSError as exc:
        raise ConfigError(f"cannot write baseline {path}: {exc.strerror}") from None
    return sum(f["count"] for f in data["findings"])


def _current_id(rule_id: str) -> str:
    """A baseline written before a rule was renamed (MD010 -> MK010) keeps matching."""
    r = get_rule(rule_id)
    return r.id if r is not None else rule_id


def read(path: Path) -> Counter[tuple[str, str, tuple[str, ...], str]]:
    try:  # stat first (a FIFO is never opened), at most MAX_BYTES read
        data = json.loads(read_bytes(path, MAX_BYTES).decode("utf-8"))
    except ReadRefused as exc:
        raise ConfigError(f"cannot read baseline {path}: {exc.reason}") from None
    except OSError as exc:
        raise ConfigError(f"cannot read baseline {path}: {exc.strerror}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ConfigError(f"baseline {path} is not valid JSON: {excerpt(str(exc), 120)}") from None
    except RecursionError:
        raise ConfigError(f"baseline {path}: JSON nested too deeply; expected a formalai-lint baseline") from None
    if not isinstance(data, dict) or data.get("version") != VERSION or not isinstance(data.get("findings"), list):
        raise ConfigError(f"baseline {path}: expected a formalai-lint baseline with version {VERSION}")
    out: Counter[tuple[str, str, tuple[str, ...], str]] = Counter()
    for i, f in enumerate(data["findings"]):
        try:
            key = (str(f["path"]), _current_id(str(f["rule"])), tuple(str(s) for s in f["section"]), str(f["hash"]))
            out[key] += int(f.get("count", 1))
        except (KeyError, TypeError, ValueError):
            raise ConfigError(f"baseline {path}: findings[{i}] is malformed") from None
    return out


@dataclass(frozen=True, slots=True)
class Comparison:
    new: tuple[Diagnostic, ...]  # not in the baseline: these fail the run
    known: int  # findings matched by the baseline
    fixed: tuple[tuple[str, str, tuple[str, ...], str, int], ...]  # removable entries and how many


def compare(
    diagnostics: Sequence[Diagnostic],
    baseline: Counter[tuple[str, str, tuple[str, ...], str]],
    corpus: Corpus,
    linted: Iterable[str] | None = None,
) -> Comparison:
    """Split findings into new and known; list baseline entries no longer found.

    `linted` limits "fixed" to the files this run looked at (a changed-files run must not
    call every other file's entries removable).
    """
    left = Counter(baseline)
    new: list[Diagnostic] = []
    known = 0
    for d in sorted(diagnostics, key=Diagnostic.sort_key):
        key = entry_for(d, corpus).key
        if left[key] > 0:
            left[key] -= 1
            known += 1
        else:
            new.append(d)
    scope = set(linted) if linted is not None else None
    fixed = tuple(
        (*k, n) for k, n in sorted(left.items()) if n > 0 and (scope is None or k[0] in scope)
    )
    return Comparison(tuple(new), known, fixed)
