"""The effective configuration: which rules run, at what severity, with which options.

Parsed once into typed, frozen values; rules receive only their own resolved options.
Loading from `.formalai-lint.yaml` / `pyproject.toml` lives in `linter.config.files`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from ..diagnostics import Severity
from ..document.encoding import DEFAULT_MAX_BYTES
from ..document.parsers import DEFAULT_PARSER
from ..rules.base import Rule
from ..util.globs import selects, selects_any


# The FormalAI snapshot's busiest rule has 164 findings in one file: the default reports
# every finding of a real corpus and folds a hostile file's flood into "and N more".
DEFAULT_MAX_FINDINGS = 200

SCHEMA_PRESETS = ("formalai", "neutral")


class ConfigError(Exception):
    """A configuration problem the user must fix (exit code 2)."""


@dataclass(frozen=True, slots=True)
class RuleSetting:
    enabled: bool | None = None  # None: the rule's default
    severity: Severity | None = None
    options: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Override:
    """Rule settings for the files matching `files` (globs), applied after the global ones."""

    files: tuple[str, ...]
    rules: Mapping[str, RuleSetting] = field(default_factory=dict)


def merge_setting(base: RuleSetting, top: RuleSetting) -> RuleSetting:
    """`top` wins key by key; options merge option by option (yamllint's `extend`)."""
    return RuleSetting(
        enabled=base.enabled if top.enabled is None else top.enabled,
        severity=top.severity or base.severity,
        options={**dict(base.options), **dict(top.options)},
    )


@dataclass(frozen=True, slots=True)
class ResolvedRule:
    rule: Rule
    severity: Severity
    options: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class Config:
    rules: Mapping[str, RuleSetting] = field(default_factory=dict)  # keyed by rule id
    ignore: tuple[str, ...] = ()
    # (glob, schema reference) pairs; the first match wins (see linter.schema)
    schemas: tuple[tuple[str, str], ...] = ()
    # when set, only these rule ids run (used by tests and `--select`)
    only: frozenset[str] | None = None
    # `--extend-select`: these run too, even if off by default; `--ignore`: these never run
    extra: frozenset[str] = frozenset()
    exclude: frozenset[str] = frozenset()
    max_bytes: int = DEFAULT_MAX_BYTES
    # at most this many findings per rule per file are reported (0: all); see linter.run.cap
    max_findings_per_rule: int = DEFAULT_MAX_FINDINGS
    overrides: tuple[Override, ...] = ()
    gitignore: bool = True  # skip files that .gitignore files exclude
    source: str | None = None  # the file the config came from, for messages
    # The built-in preset under this config (`formalai`, `neutral` or `none`) and why it
    # applies (`extends: ...`, or what detection found, see linter.config.detect). It also
    # picks the built-in document schemas: `schemas/<preset>/preset.yaml`, none for `none`.
    preset: str = "formalai"
    preset_reason: str = "built-in default"
    # which Markdown parser builds documents (see linter.document.parsers)
    parser: str = DEFAULT_PARSER
    # the config files read (the `extends` chain, absolute paths): a run record stamps them
    files: tuple[str, ...] = ()

    @property
    def schema_preset(self) -> str | None:
        """The built-in schema preset after the config's own `schemas` (None: no built-ins)."""
        return self.preset if self.preset in SCHEMA_PRESETS else None

    @staticmethod
    def default() -> Config:
        return Config()

    def resolve(self, rule: Rule) -> ResolvedRule | None:
        """The rule's effective severity and options, or None when it is disabled."""
        if rule.id in self.exclude:
            return None
        if self.only is not None and rule.id not in self.only and rule.id not in self.extra:
            return None
        setting = self.rules.get(rule.id, RuleSetting())
        enabled = rule.enabled if setting.enabled is None else setting.enabled
        if self.only is not None or rule.id in self.extra:
            enabled = True  # selecting a rule explicitly runs it even if off by default
        if not enabled:
            return None
        options = {**rule.defaults(), **dict(setting.options)}
        return ResolvedRule(rule, setting.severity or rule.severity, options)

    def schema_ref(self, path: str) -> str | None:
        """The schema reference mapped to `path` by the `schemas` globs (first match wins)."""
        return next((ref for glob, ref in self.schemas if selects(glob, path)), None)

    def for_path(self, path: str) -> Config:
        """This config with the overrides whose globs match `path` folded in."""
        matching = [o for o in self.overrides if selects_any(o.files, path)]
        if not matching:
            return self
        rules = dict(self.rules)
        for o in matching:
            for rid, setting in o.rules.items():
                rules[rid] = merge_setting(rules.get(rid, RuleSetting()), setting)
        return replace(self, rules=rules, overrides=())
