"""Commented YAML for what `init` inferred: one schema file per family and the config.

Scalars are written as JSON strings (valid YAML, and unambiguous for regular expressions and
CJK text); each setting is preceded by its evidence as a comment. `tests/test_init.py`
checks that the text loads back to exactly the data the trial linted with.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from .infer import Global, Inferred


def _flow(value: Any) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_flow(k)}: {_flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_flow(v) for v in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    return json.dumps(str(value), ensure_ascii=False)


def _comment(note: str, indent: str) -> list[str]:
    return [f"{indent}# {note}"] if note else []


def schema_text(inf: Inferred) -> str:
    d = inf.data
    lines = [
        f"# Family {inf.family.name}: {inf.family.glob} ({len(inf.family.paths)} documents).",
        "# Written by `formalai-lint init` from what these documents already do; edit freely",
        "# (`formalai-lint schema check FILE` validates it, `formalai-lint docs structure` explains it).",
        f"kind: {_flow(d['kind'])}",
        f"name: {_flow(d['name'])}",
        f"description: {_flow(d['description'])}",
    ]
    if "sections" in d:
        lines += ["sections:", "  closed: false", "  items:"]
        for i, item in enumerate(d["sections"]["items"]):
            lines += _comment(inf.notes.get(f"sections.items.{i}", ""), "    ")
            lines.append(f"    - {_flow(item)}")
    if "numbering" in d:
        lines.append("numbering:")
        for key, spec in d["numbering"].items():
            lines += _comment(inf.notes.get(f"numbering.{key}", ""), "  ")
            lines.append(f"  {key}: {_flow(spec)}")
    if "toc" in d:
        lines += _comment(inf.notes.get("toc", ""), "")
        lines.append(f"toc: {_flow(d['toc'])}")
    if "metadata" in d:
        lines.append("metadata:")
        for key, value in d["metadata"].items():
            lines += _comment(inf.notes.get(f"metadata.{key}", ""), "  ")
            lines.append(f"  {key}: {_flow(value)}")
    return "\n".join(lines) + "\n"


def config_text(families: Sequence[Inferred], glob_rules: Global, schema_paths: Sequence[str], documents: int) -> str:
    lines = [
        f"# formalai-lint configuration written by `formalai-lint init` from {documents} Markdown documents.",
        "# Each setting says what it was measured on; `formalai-lint explain RULE` and",
        "# `formalai-lint docs ci-integration` explain them. The neutral preset keeps the checks",
        "# that hold in any knowledge base (links, anchors, fences, math, duplicate keys).",
        "extends: neutral",
    ]
    if glob_rules.rules:
        lines.append("rules:")
        for name, value in glob_rules.rules.items():
            lines += _comment(glob_rules.notes.get(name, ""), "  ")
            lines.append(f"  {name}: {_flow(value)}")
    if families:
        lines.append("schemas:")
        for inf, path in zip(families, schema_paths):
            lines.append(f"  # {inf.family.name}: {len(inf.family.paths)} documents")
            lines.append(f"  {_flow(inf.family.glob)}: {_flow(path)}")
        lines.append("overrides:")
        for inf in families:
            if not inf.rules:
                continue
            lines.append(f"  # {inf.family.name}: the rules its schema's evidence supports")
            lines.append(f"  - files: {_flow([inf.family.glob])}")
            lines.append("    rules:")
            for name, value in inf.rules.items():
                lines += _comment(inf.rule_notes.get(name, ""), "      ")
                lines.append(f"      {name}: {_flow(value)}")
    return "\n".join(lines) + "\n"
