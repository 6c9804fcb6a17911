"""The registry, the rule pages, the case files and the README agree with each other."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from linter.api import lint_text
from linter.cli.main import rules_markdown
from linter.config.settings import Config
from linter.rules import ALL_RULES, get_rule
from linter.rules.base import FAMILIES, PAGE_SECTIONS, RULE_ID, RULE_NAME, Rule

CASES = Path(__file__).parent / "rules" / "cases"
README = Path(__file__).resolve().parents[1] / "README.md"
RULE_IDS = [pytest.param(r, id=r.id) for r in ALL_RULES]


def test_ids_and_names_are_unique_and_well_formed() -> None:
    ids = [r.id for r in ALL_RULES]
    names = [r.name for r in ALL_RULES]
    assert len(ids) == len(set(ids))
    assert len(names) == len(set(names))
    for r in ALL_RULES:
        assert RULE_ID.match(r.id), r.id
        assert RULE_NAME.match(r.name), r.name
        assert r.family in FAMILIES


@pytest.mark.parametrize("rule", RULE_IDS)
def test_rule_has_page_sections(rule: Rule) -> None:
    for section in PAGE_SECTIONS:
        assert section in rule.doc, f"{rule.id} page lacks {section}"
    assert rule.summary, rule.id
    if rule.options:
        for name, schema in rule.options.items():
            assert "default" in schema and "description" in schema, f"{rule.id} option {name}"


@pytest.mark.parametrize("rule", RULE_IDS)
def test_rule_has_failing_and_passing_cases(rule: Rule) -> None:
    path = CASES / f"{rule.id}.yaml"
    assert path.is_file(), f"missing {path.name}"
    data = yaml.safe_load(path.read_text("utf-8"))
    assert data["rule"] == rule.id
    cases = data["cases"].values()
    assert any(c.get("expect") for c in cases), "no failing case"
    assert any(not c.get("expect") for c in cases), "no passing case"


def test_lookup_by_id_name_and_case() -> None:
    for r in ALL_RULES:
        assert get_rule(r.id) is r
        assert get_rule(r.name) is r
        assert get_rule(r.id.lower()) is r
    assert get_rule("no-such-rule") is None


def _examples(doc: str, section: str) -> list[tuple[str, str]]:
    """Fenced ```markdown blocks under a `## Section` heading: (path, text). Fence-aware, so
    an example containing `## 一、概述` does not end the section."""
    out: list[tuple[str, str]] = []
    in_section = False
    fence: str | None = None
    path, body = "doc.md", []  # type: ignore[var-annotated]
    for line in doc.split("\n"):
        if fence is None:
            if line.startswith("## "):
                in_section = line.strip() == section
                continue
            m = re.match(r"^(`{3,}|~{3,})(\S*)(.*)$", line)
            if m:
                fence = m.group(1)
                is_md = m.group(2) == "markdown"
                pm = re.search(r"path=(\S+)", m.group(3))
                path, body = (pm.group(1) if pm else "doc.md"), []
                if not (in_section and is_md):
                    body = None  # type: ignore[assignment]
            continue
        if line.strip() == fence:
            if body is not None:
                out.append((path, "\n".join(body) + "\n"))
            fence = None
            continue
        if body is not None:
            body.append(line)
    return out


@pytest.mark.parametrize("rule", [p for p in RULE_IDS if p.values[0].scope == "document"])  # type: ignore[union-attr]
def test_page_examples_fail_and_pass(rule: Rule) -> None:
    """The page cannot lie: its Fails examples trigger the rule, its Passes examples do not."""
    config = Config(only=frozenset({rule.id}))
    for path, text in _examples(rule.doc, "## Fails"):
        found = [d for d in lint_text(text, path, config) if d.rule_id == rule.id]
        assert found, f"{rule.id} Fails example passed:\n{text}"
    passes = _examples(rule.doc, "## Passes")
    assert passes, f"{rule.id} page has no ```markdown example under ## Passes"
    for path, text in passes:
        found = [d for d in lint_text(text, path, config) if d.rule_id == rule.id]
        assert not found, f"{rule.id} Passes example failed: {found}"


def test_readme_rule_table_matches_registry() -> None:
    text = README.read_text("utf-8")
    assert rules_markdown() in text, "README rule table is stale: paste `formalai-lint rules --format markdown`"
