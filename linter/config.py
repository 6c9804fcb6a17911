"""The effective configuration: which rules run, at what severity, with which options.

Parsed once into typed, frozen values; rules receive only their own resolved options.
Loading from `.formalai-lint.yaml` / `pyproject.toml` lives in `linter.config_file`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .diagnostics import Severity
from .encoding import DEFAULT_MAX_BYTES
from .rules.base import Rule


class ConfigError(Exception):
    """A configuration problem the user must fix (exit code 2)."""


@dataclass(frozen=True, slots=True)
class RuleSetting:
    enabled: bool | None = None  # None: the rule's default
    severity: Severity | None = None
    options: Mapping[str, Any] = field(default_factory=dict)


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
    max_bytes: int = DEFAULT_MAX_BYTES

    @staticmethod
    def default() -> Config:
        return Config()

    def resolve(self, rule: Rule) -> ResolvedRule | None:
        """The rule's effective severity and options, or None when it is disabled."""
        if self.only is not None and rule.id not in self.only:
            return None
        setting = self.rules.get(rule.id, RuleSetting())
        enabled = rule.enabled if setting.enabled is None else setting.enabled
        if self.only is not None:
            enabled = True  # selecting a rule explicitly runs it even if off by default
        if not enabled:
            return None
        options = {**rule.defaults(), **dict(setting.options)}
        return ResolvedRule(rule, setting.severity or rule.severity, options)
