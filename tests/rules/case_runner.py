"""Run one YAML case (see tests/rules/cases/*.yaml) and return found vs expected positions."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from linter.api import fix_paths, lint_paths
from linter.config.settings import Config, RuleSetting
from linter.diagnostics import Diagnostic
from tests.helpers import write_tree


@dataclass(frozen=True)
class Expected:
    at: str  # "LINE:COL" or "PATH:LINE:COL"
    message: str | None = None


def parse_expect(items: list[Any]) -> list[Expected]:
    out = []
    for item in items:
        if isinstance(item, str):
            out.append(Expected(item))
        else:
            out.append(Expected(str(item["at"]), item.get("message")))
    return out


def run_case(rule_id: str, case: dict[str, Any], tmp: Path) -> tuple[list[Diagnostic], bool]:
    """Lint the case's files with only `rule_id` enabled. Returns (findings, multi_file)."""
    multi = "files" in case
    files: dict[str, str] = case["files"] if multi else {case.get("path", "doc.md"): case["text"]}
    write_tree(tmp, files)
    settings = {rule_id: RuleSetting(enabled=True, options=case.get("options", {}))}
    config = Config(rules=settings, only=frozenset({rule_id}))
    targets = [tmp / t for t in case.get("targets", files.keys())]
    result = lint_paths(targets, root=tmp, config=config)
    return [d for d in result.diagnostics if d.rule_id == rule_id], multi


def run_fix_case(rule_id: str, case: dict[str, Any], tmp: Path) -> dict[str, str]:
    """Apply `rule_id`'s fixes (safe and unsafe) to the case's files; their texts after."""
    multi = "files" in case
    files: dict[str, str] = case["files"] if multi else {case.get("path", "doc.md"): case["text"]}
    write_tree(tmp, files)
    settings = {rule_id: RuleSetting(enabled=True, options=case.get("options", {}))}
    config = Config(rules=settings, only=frozenset({rule_id}))
    targets = [tmp / t for t in case.get("targets", files.keys())]
    fix_paths(targets, root=tmp, config=config, unsafe=True)
    return {p: (tmp / p).read_bytes().decode("utf-8") for p in files}
