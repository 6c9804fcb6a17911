"""Run the configured rules over the target documents of a corpus.

The engine stamps each finding with its configured severity (rules never choose it), applies
suppressions, and sorts. Per-document rules run on each target; corpus rules run once with
the targets and lazy access to every other document.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from .config import Config, ConfigError, ResolvedRule
from .corpus import Corpus
from .diagnostics import Diagnostic
from .rules import ALL_RULES
from .rules.base import CorpusContext, DocContext, Rule

SchemaFor = Callable[[str], Any]


def active_rules(config: Config, rules: Sequence[Rule] = ALL_RULES) -> list[ResolvedRule]:
    return [r for r in (config.resolve(rule) for rule in rules) if r is not None]


def _stamp(found: Iterable[Diagnostic], resolved: ResolvedRule) -> Iterable[Diagnostic]:
    for d in found:
        yield d.with_severity(resolved.severity)


def lint_document(
    corpus: Corpus,
    path: str,
    rules: Sequence[ResolvedRule],
    schema: Any = None,
) -> list[Diagnostic]:
    """The per-document findings for one file (what a parse cache can store)."""
    doc = corpus.document(path)
    if doc is None:
        return []
    lines = corpus.lines(path) if doc.readable else ()
    out: list[Diagnostic] = []
    for r in rules:
        if r.rule.scope != "document" or (not doc.readable and not r.rule.reads_unreadable):
            continue
        ctx = DocContext(doc, r.options, r.rule.id, schema, lines)
        out.extend(_stamp(r.rule.check(ctx), r))
    return out


def lint_corpus_rules(
    corpus: Corpus, targets: Sequence[str], rules: Sequence[ResolvedRule]
) -> list[Diagnostic]:
    """Cross-document findings: always recomputed, never cached."""
    out: list[Diagnostic] = []
    for r in rules:
        if r.rule.scope != "corpus":
            continue
        ctx = CorpusContext(corpus, tuple(targets), r.options, r.rule.id)
        wanted = set(targets)
        out.extend(d for d in _stamp(r.rule.check(ctx), r) if d.path in wanted)
    return out


def lint(
    corpus: Corpus,
    targets: Sequence[str],
    config: Config,
    schema_for: SchemaFor | None = None,
) -> list[Diagnostic]:
    """Lint `targets` (root-relative paths) against the whole corpus; sorted findings."""
    rules = active_rules(config)
    if schema_for is None:
        # the config's (glob, schema) pairs first, then the built-in FormalAI preset
        from .schema import SchemaError, schema_resolver

        try:
            schema_for = schema_resolver(config.schemas, base=getattr(corpus, "root", None))
        except SchemaError as exc:
            raise ConfigError(str(exc)) from None
    found: list[Diagnostic] = []
    for path in targets:
        found.extend(lint_document(corpus, path, rules, schema_for(path) if schema_for else None))
    found.extend(lint_corpus_rules(corpus, targets, rules))
    return sorted(found, key=Diagnostic.sort_key)
