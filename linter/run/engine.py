"""Run the configured rules over the target documents of a corpus.

The engine stamps each finding with its configured severity (rules never choose it), applies
suppressions, and sorts. Per-document rules run on each target; corpus rules run once with
the targets and lazy access to every other document.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from ..config import suppress
from ..config.settings import Config, ConfigError, ResolvedRule, RuleSetting, merge_setting
from ..corpus import Corpus
from ..diagnostics import Diagnostic
from ..document.model import Document
from .. import rules as registry
from ..rules.base import CorpusContext, DocContext, Rule
from ..util.globs import selects_any

SchemaFor = Callable[[str], Any]


def active_rules(config: Config, rules: Sequence[Rule] | None = None) -> list[ResolvedRule]:
    # the registry is looked up per call, so a test can swap in its own rules
    rules = registry.ALL_RULES if rules is None else rules
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
    return check_document(doc, lines, rules, schema)


def check_document(
    doc: Document, lines: Sequence[str], rules: Sequence[ResolvedRule], schema: Any = None
) -> list[Diagnostic]:
    """The per-document rules over a parsed document and its decoded source lines."""
    lines = tuple(lines)
    out: list[Diagnostic] = []
    for r in applicable(doc, rules):
        out.extend(run_rule(doc, lines, r, schema))
    return out


def applicable(doc: Document, rules: Sequence[ResolvedRule]) -> list[ResolvedRule]:
    """The per-document rules that run on `doc` (an unreadable one: only those reading it)."""
    return [r for r in rules if r.rule.scope == "document" and (doc.readable or r.rule.reads_unreadable)]


def run_rule(doc: Document, lines: tuple[str, ...], r: ResolvedRule, schema: Any = None) -> list[Diagnostic]:
    """One per-document rule's findings on `doc`, stamped with its configured severity."""
    return list(_stamp(r.rule.check(DocContext(doc, r.options, r.rule.id, schema, lines)), r))


def lint_corpus_rules(
    corpus: Corpus,
    targets: Sequence[str],
    rules: Sequence[ResolvedRule],
    inbound: Mapping[str, frozenset[int]] | None = None,
) -> list[Diagnostic]:
    """Cross-document findings: always recomputed, never cached.

    `inbound` maps documents that link into the targets to the lines of those links
    (`linter.run.lazy`): link rules also run over them, and their findings on those lines are
    kept, so renaming a heading in a target reports the links it breaks elsewhere.
    """
    inbound = inbound or {}
    wanted = set(targets)
    out: list[Diagnostic] = []
    for r in rules:
        if r.rule.scope != "corpus":
            continue
        links = r.rule.family == "links" and bool(inbound)
        scope = (*targets, *(p for p in inbound if p not in wanted)) if links else tuple(targets)
        ctx = CorpusContext(corpus, scope, r.options, r.rule.id)
        out.extend(
            d
            for d in _stamp(r.rule.check(ctx), r)
            if d.path in wanted or (links and d.line in inbound.get(d.path, ()))
        )
    return out


class PresetSchemas:
    """The built-in preset's `schema_for`, loaded on first use.

    A warm run takes every per-document finding from the parse cache and never asks for a
    schema, so it does not read, parse and validate the preset's YAML files (nor import
    jsonschema). The preset ships with the tool and its tests load it, so deferring cannot
    hide a broken file; a user's own schemas are loaded up front instead, so a bad one
    fails the run before any document is linted.
    """

    def __init__(self, preset: str = "formalai") -> None:
        self.preset = preset
        self._resolve: SchemaFor | None = None

    def load(self) -> SchemaFor:
        if self._resolve is None:
            self._resolve = _load_schemas((), None, self.preset)
        return self._resolve

    def __call__(self, path: str) -> Any:
        return self.load()(path)


def schema_function(config: Config, root: Any, schema_for: SchemaFor | None = None) -> SchemaFor | None:
    """`schema_for` itself, or else the config's (glob, schema) pairs first, then the
    built-in preset's (the parse cache's workers use the same function)."""
    if schema_for is not None:
        return schema_for
    preset = config.schema_preset
    if not config.schemas:
        return PresetSchemas(preset) if preset else _no_schema
    return _load_schemas(config.schemas, root, preset)


def _no_schema(path: str) -> Any:
    return None


def _load_schemas(user: Sequence[tuple[str, str]], root: Any, preset: str | None = "formalai") -> SchemaFor:
    """The user's (glob, schema) pairs, then the preset's, loaded now; a bad schema is a
    configuration error (exit 2)."""
    from ..schema import SchemaError, schema_resolver

    try:
        return schema_resolver(user, base=root, preset=preset)
    except SchemaError as exc:
        raise ConfigError(str(exc)) from None


def rules_for(config: Config, path: str, shared: list[ResolvedRule]) -> list[ResolvedRule]:
    """The rules for one path: the shared list, or the per-glob overrides' own."""
    if not config.overrides:
        return shared
    # Resolved once per set of matching overrides, not once per document (resolving every
    # rule for each of 600 documents was a tenth of the per-document rule time).
    matching = tuple(i for i, o in enumerate(config.overrides) if selects_any(o.files, path))
    if _by_overrides.get("config") is not config or _by_overrides.get("rules") is not registry.ALL_RULES:
        _by_overrides.clear()
        _by_overrides.update(config=config, rules=registry.ALL_RULES)
    known = _by_overrides.get(matching)
    if not isinstance(known, list):
        known = _by_overrides[matching] = active_rules(config.for_path(path))
    return list(known)


# The last config's resolved rules by the overrides matching a path (see `rules_for`); the
# config and the rule registry are kept too, so a new config or a test's own rules start afresh.
_by_overrides: dict[object, object] = {}


def _corpus_rules(config: Config) -> list[ResolvedRule]:
    """Corpus rules run once: when enabled globally or by any override (then filtered per path)."""
    out = {r.rule.id: r for r in active_rules(config) if r.rule.scope == "corpus"}
    for o in config.overrides:
        for rid in o.rules:
            if rid not in out:
                sub = Config(rules={**config.rules, rid: merge_setting(config.rules.get(rid, RuleSetting()), o.rules[rid])})
                out.update({r.rule.id: r for r in active_rules(sub) if r.rule.id == rid and r.rule.scope == "corpus"})
    return list(out.values())


def _restamp(found: Iterable[Diagnostic], config: Config) -> Iterable[Diagnostic]:
    """Per-glob overrides for corpus-rule findings: drop or re-level them by their path."""
    by_rule = {r.id: r for r in registry.ALL_RULES}
    for d in found:
        resolved = config.for_path(d.path).resolve(by_rule[d.rule_id]) if d.rule_id in by_rule else None
        if resolved is not None:
            yield d.with_severity(resolved.severity)


def _suppress(
    corpus: Corpus, found: list[Diagnostic], targets: Sequence[str], config: Config, shared: list[ResolvedRule]
) -> list[Diagnostic]:
    """Apply inline suppressions per document; add unused-suppression findings (MK900)."""
    by_path: dict[str, list[Diagnostic]] = {}
    for d in found:
        by_path.setdefault(d.path, []).append(d)
    out: list[Diagnostic] = []
    for path in dict.fromkeys([*targets, *by_path]):
        doc = corpus.document(path)
        mine = by_path.get(path, [])
        if doc is None or not doc.comments:
            out.extend(mine)
            continue
        rules = rules_for(config, path, shared)
        active = frozenset(r.rule.id for r in rules)
        kept, unused = suppress.apply(mine, doc, active)
        out.extend(kept)
        md900 = next((r for r in rules if r.rule.id == suppress.UNUSED_RULE_ID), None)
        if md900 is not None:
            out.extend(d.with_severity(md900.severity) for d in unused)
    return out


def lint(
    corpus: Corpus,
    targets: Sequence[str],
    config: Config,
    schema_for: SchemaFor | None = None,
    *,
    precomputed: Mapping[str, Sequence[Diagnostic]] | None = None,
    inbound: Mapping[str, frozenset[int]] | None = None,
) -> list[Diagnostic]:
    """Lint `targets` (root-relative paths) against the whole corpus; sorted findings.

    `precomputed` holds per-document findings already known (from the parse cache or a
    worker process, see `linter.run.parallel`); `inbound` is passed to `lint_corpus_rules`.
    """
    rules = active_rules(config)
    schema_for = schema_function(config, getattr(corpus, "root", None), schema_for)
    found: list[Diagnostic] = []
    for path in targets:
        known = precomputed.get(path) if precomputed is not None else None
        if known is not None:
            found.extend(known)
        else:
            per_path = rules_for(config, path, rules)
            found.extend(lint_document(corpus, path, per_path, schema_for(path) if schema_for else None))
    if config.overrides:
        found.extend(_restamp(lint_corpus_rules(corpus, targets, _corpus_rules(config), inbound), config))
    else:
        found.extend(lint_corpus_rules(corpus, targets, rules, inbound))
    found = _suppress(corpus, found, targets, config, rules)
    return sorted(found, key=Diagnostic.sort_key)
