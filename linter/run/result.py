"""What a lint run returns (`LintResult`), importable without the rules or the parser: a run
answered from its run record (`linter.run.record`) builds one and hands it to a reporter."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..corpus import Corpus
from ..diagnostics import Diagnostic

if TYPE_CHECKING:
    from ..config.settings import Config


@dataclass(frozen=True, slots=True)
class AppliedSchema:
    path: str
    schema: str | None  # the schema's name, None when no schema applies
    source: str | None  # the file it came from (`schemas/formalai/concept-topic.yaml`)


@dataclass(frozen=True, slots=True)
class Applied:
    preset: str
    reason: str
    documents: tuple[AppliedSchema, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "preset": {"name": self.preset, "reason": self.reason},
            "documents": [{"path": d.path, "schema": d.schema, "schema_source": d.source} for d in self.documents],
        }

    @staticmethod
    def from_dict(data: Any) -> Applied:
        """The inverse of `to_dict` (a run record stores it); raises on any other shape."""
        preset = data["preset"]
        documents = tuple(AppliedSchema(str(d["path"]), d["schema"], d["schema_source"]) for d in data["documents"])
        if not all(isinstance(x, (str, type(None))) for d in documents for x in (d.schema, d.source)):
            raise ValueError("a schema name or source is not a string")
        return Applied(str(preset["name"]), str(preset["reason"]), documents)


@dataclass(frozen=True, slots=True)
class RunFacts:
    """What a run read, for its run record: when it started, the stat of each document
    before the run read it, and the SHA-256 of the bytes it used (where it hashed them)."""

    started_ns: int
    stamps: Mapping[str, tuple[int, ...] | None]
    digests: Mapping[str, str]
    # each document's cross-file link targets, when the run knows them without loading
    # every model (a run over a few changed documents); None: worked out from the corpus
    deps: Mapping[str, list[str]] | None = None
    # the record's line of each document whose findings came unchanged from that record (a
    # few-changed run): written back as it is, not encoded again
    lines: Mapping[str, bytes] | None = None
    # the rule ids of the findings in `lines` that the run did not decode (a spliced report)
    kept_rules: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class LintResult:
    root: Path
    files: tuple[str, ...]  # the documents linted, root-relative
    diagnostics: tuple[Diagnostic, ...]
    # the corpus the run used (baselines and SARIF fingerprints read section paths from it)
    corpus: Corpus | None = field(default=None, compare=False, repr=False)
    # the configuration the run used (which preset, which schemas: see `applied`)
    config: Config | None = field(default=None, compare=False, repr=False)
    # rule id -> (name, family), when known without the registry (a run record keeps them)
    labels: Mapping[str, tuple[str, str]] | None = field(default=None, compare=False, repr=False)
    # `applied()` already worked out (a run record keeps it for the JSON output)
    known_applied: Applied | None = field(default=None, compare=False, repr=False)
    facts: RunFacts | None = field(default=None, compare=False, repr=False)

    def label(self, rule_id: str) -> tuple[str, str] | None:
        """The rule's (name, family), None for an unknown id."""
        if self.labels is not None and rule_id in self.labels:
            return self.labels[rule_id]
        from ..rules import get_rule

        r = get_rule(rule_id)
        return (r.name, r.family) if r is not None else None

    def applied(self) -> Applied:
        """Which preset applied and why, and which schema applied to each document (for
        `--verbose` and the JSON output). Loads the schemas if the run did not need them."""
        if self.known_applied is not None:
            return self.known_applied
        from ..config.settings import Config
        from .engine import schema_function

        config = self.config or Config.default()
        schema_for = schema_function(config, self.root)
        documents = []
        for path in self.files:
            schema = schema_for(path) if schema_for is not None else None
            documents.append(AppliedSchema(path, getattr(schema, "name", None), getattr(schema, "source", None)))
        return Applied(config.preset, config.preset_reason, tuple(documents))
