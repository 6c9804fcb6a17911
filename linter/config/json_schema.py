"""The JSON Schema of `.formalai-lint.yaml`, generated from the rule registry.

Each rule may be keyed by id or by name; its value is `true`/`false`, `on`/`off`, a
severity, or a mapping `{enabled, severity, options}` whose `options` are the rule's own
option schema (`Rule.options`). The generated file is checked in as
`schemas/config.schema.json` (editors use it for completion) and a test keeps it in sync:
regenerate with `make schema` or `formalai-lint config-schema --output schemas/config.schema.json`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from ..document.parsers import CHOICES
from ..rules import ALL_RULES
from ..rules.base import Rule

SEVERITIES = ["error", "warning", "info"]
SWITCHES = ["on", "off"]


def _rule_value(r: Rule) -> dict[str, Any]:
    options: dict[str, Any] = {
        "type": "object",
        "additionalProperties": False,
        "properties": {k: dict(v) for k, v in sorted(r.options.items())},
    }
    return {
        "description": f"{r.id} {r.name}: {r.summary}",
        "oneOf": [
            {"type": "boolean"},
            {"enum": SWITCHES + SEVERITIES},
            {
                "type": "object",
                "additionalProperties": False,
                "properties": {
                    "enabled": {"type": "boolean"},
                    "severity": {"enum": SEVERITIES},
                    "options": options,
                },
            },
        ],
    }


def _rules_object(rules: Sequence[Rule]) -> dict[str, Any]:
    props: dict[str, Any] = {}
    for r in rules:
        ref = {"$ref": f"#/$defs/rule-{r.id}"}
        props[r.id] = ref
        props[r.name] = ref
        for alias in r.aliases:  # former ids keep working in existing configs
            props[alias] = ref
    return {
        "type": "object",
        "description": "Rules by id, name or former id: true/false, on/off, a severity, or {enabled, severity, options}.",
        "additionalProperties": False,
        "properties": props,
    }


def build_schema(rules: Sequence[Rule] = ALL_RULES) -> dict[str, Any]:
    globs = {"type": "array", "items": {"type": "string", "minLength": 1}}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "urn:formalai-lint:config",
        "title": "formalai-lint configuration (.formalai-lint.yaml or [tool.formalai-lint])",
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "extends": {
                "description": "A built-in preset (`formalai`, `neutral`, `none`) or a path to another config, relative to this file. Absent: `formalai` when the corpus has the FormalAI layout, else `neutral`.",
                "type": "string",
                "minLength": 1,
            },
            "ignore": {**globs, "description": "Globs of files never linted (root-relative)."},
            "gitignore": {"type": "boolean", "description": "Honour .gitignore files (default true)."},
            "max-bytes": {"type": "integer", "minimum": 1, "description": "Files larger than this are skipped."},
            "parser": {
                "enum": list(CHOICES),
                "description": "The Markdown parser: pulldown-cmark (native, through pyromark; markdown-it where pyromark is missing or refuses a document) or markdown-it (markdown-it-py, the reference and the default). Both build the same model (docs/parsers.md).",
            },
            "max-findings-per-rule": {
                "type": "integer",
                "minimum": 0,
                "description": "Report at most this many findings per rule per file, then one 'and N more' (default 200; 0: all).",
            },
            "rules": {"$ref": "#/$defs/rules"},
            "overrides": {
                "type": "array",
                "description": "Rule settings for some files; later entries win.",
                "items": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["files", "rules"],
                    "properties": {"files": {**globs, "minItems": 1}, "rules": {"$ref": "#/$defs/rules"}},
                },
            },
            "schemas": {
                "type": "object",
                "description": "Glob -> document schema (a built-in name or a path); the first match wins.",
                "additionalProperties": {"type": "string", "minLength": 1},
            },
        },
        "$defs": {"rules": _rules_object(rules), **{f"rule-{r.id}": _rule_value(r) for r in rules}},
    }


def schema_text(rules: Sequence[Rule] = ALL_RULES) -> str:
    """The checked-in file's exact text (stable key order, trailing newline)."""
    return json.dumps(build_schema(rules), ensure_ascii=False, indent=2) + "\n"
