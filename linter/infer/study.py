"""Study a corpus: families, their inferred schemas, the config, and a trial run of both."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..config.files import config_from_text, preset_layer
from ..corpus import Corpus
from ..diagnostics import Diagnostic
from ..run.engine import lint
from ..schema.loader import build_schema, load_marked, validate_marked
from ..schema.model import Schema
from ..schema.resolve import load_preset, resolve
from ..util.globs import selects
from .families import Family, group, ordered
from .infer import Inferred, infer_family, infer_global
from .measure import DocFacts, measure
from .render import config_text, schema_text

CONFIG_NAME = ".formalai-lint.yaml"
SCHEMA_FOLDER = ".formalai-lint/schemas"


@dataclass(frozen=True, slots=True)
class Trial:
    """How a family fares under the inferred config: the documents with no finding from the
    conventions `init` turned on (what adopting the schema costs), and all findings by rule
    (the neutral preset's link, fence and math findings included)."""

    family: str
    documents: int
    passing: int
    by_rule: Counter[str] = field(default_factory=Counter)
    convention_findings: int = 0


@dataclass
class Study:
    documents: int
    families: list[Inferred]
    config: str  # the config file's text
    schemas: dict[str, str]  # root-relative schema path -> text
    trials: list[Trial]
    unfamilied: int  # documents in no family (the neutral preset's schema applies)
    findings: list[Diagnostic]


def _facts(corpus: Corpus, paths: Sequence[str]) -> dict[str, DocFacts]:
    out = {}
    for path in paths:
        doc = corpus.document(path)
        if doc is not None and doc.readable:
            out[path] = measure(doc, corpus.lines(path))
    return out


def study(corpus: Corpus, min_family: int = 5, folder: str = SCHEMA_FOLDER) -> Study:
    paths = corpus.paths
    facts = _facts(corpus, paths)
    families, rest = group([p for p in paths if p in facts], min_family)
    families = ordered(families)
    inferred = [infer_family(f, [facts[p] for p in f.paths]) for f in families]
    glob_rules = infer_global(list(facts.values()))
    schema_paths = [f"{folder}/{inf.family.name}.yaml" for inf in inferred]
    schemas = {path: schema_text(inf) for inf, path in zip(inferred, schema_paths)}
    config = config_text(inferred, glob_rules, schema_paths, len(facts))
    findings = trial_findings(corpus, config, schemas, inferred)
    return Study(len(facts), inferred, config, schemas, trials(inferred, findings), len(rest), findings)


def _schema(text: str, source: str) -> Schema:
    marked = load_marked(text, source)
    validate_marked(marked, source)
    return build_schema(marked.data, source)


def trial_findings(corpus: Corpus, config: str, schemas: dict[str, str], inferred: Sequence[Inferred]) -> list[Diagnostic]:
    """Lint the corpus with the config and schemas in memory (nothing is written yet)."""
    mapping = [(inf.family.glob, _schema(schemas[path], path)) for inf, path in zip(inferred, schemas)]
    mapping += list(load_preset("neutral"))
    settings = config_from_text(config, CONFIG_NAME)

    def schema_for(path: str) -> Schema | None:
        return resolve(path, mapping)

    return lint(corpus, corpus.paths, settings, schema_for)


def convention_free() -> frozenset[str]:
    """The ids of the rules the neutral preset runs (the checks that hold anywhere)."""
    layer = preset_layer("neutral", "")
    return frozenset(rid for rid, s in layer.rules.items() if s.enabled)


def trials(inferred: Sequence[Inferred], findings: Sequence[Diagnostic]) -> list[Trial]:
    free = convention_free()
    by_path: dict[str, Counter[str]] = {}
    for d in findings:
        by_path.setdefault(d.path, Counter())[d.rule_id] += 1
    out = []
    for inf in inferred:
        rules: Counter[str] = Counter()
        passing = 0
        for p in inf.family.paths:
            found = by_path.get(p, Counter())
            rules.update(found)
            passing += not any(r not in free for r in found)
        conventions = sum(k for r, k in rules.items() if r not in free)
        out.append(Trial(inf.family.name, len(inf.family.paths), passing, rules, conventions))
    return out


def family_of(path: str, families: Sequence[Family]) -> Family | None:
    return next((f for f in families if selects(f.glob, path)), None)


def summary(s: Study) -> list[str]:
    """What `init` prints: per family, how many documents pass as they stand."""
    free = convention_free()
    lines = [
        f"studied {s.documents} documents: {len(s.families)} families, {s.unfamilied} in none (neutral schema)",
        "per family: documents passing the inferred schema as they stand, and its findings",
    ]
    for inf, t in zip(s.families, s.trials):
        top = ", ".join(f"{r} {k}" for r, k in t.by_rule.most_common() if r not in free)
        lines.append(
            f"  {t.family} ({inf.family.glob}): {t.passing} of {t.documents} pass"
            + (f"; {t.convention_findings} findings: {top}" if top else "")
        )
    rest = sum(1 for d in s.findings if d.rule_id in free)
    lines.append(f"and {rest} findings of the neutral preset's rules (links, anchors, fences, math, duplicate keys)")
    return lines


def root_corpus(root: Path) -> Corpus:
    from ..config.gitignore import lazy_gitignore

    corpus = Corpus(root, ignore=("**/node_modules/**",))
    corpus.exclude = lazy_gitignore(lambda: corpus.files, corpus.read)
    return corpus
