"""`schema list` (built-in and configured schemas with their globs and sources) and
`docs TOPIC` (the guide, offline)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from linter.config.starter import starter_config
from linter.schema import load_schema

from .helpers import write_tree

PROJECT = Path(__file__).resolve().parent.parent


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "linter", *args], cwd=cwd, capture_output=True, text=True)


def test_schema_list_names_configured_then_built_in(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "kb", {
        "a.md": "# A\n",
        ".formalai-lint.yaml": 'extends: neutral\nschemas:\n  "notes/**": concept-topic\n  "x/**": my.yaml\n',
        "my.yaml": "kind: document\nname: mine\n",
    })
    r = _run("schema", "list", cwd=root)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[:4] == [
        "configured (.formalai-lint.yaml), tried first:",
        f"  {'notes/**':<48} concept-topic (schemas/formalai/concept-topic.yaml)",
        f"  {'x/**':<48} mine ({(root / 'my.yaml').as_posix()})",
        "preset in use: neutral (extends: neutral in .formalai-lint.yaml)",
    ]
    assert "built-in preset neutral (in use): schemas/neutral/preset.yaml" in lines
    assert f"  {'view/T[0-9][0-9]_*.md':<48} view-topic (schemas/formalai/view-topic.yaml)" in lines


def test_schema_list_reports_a_missing_configured_schema(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "kb", {"a.md": "# A\n", ".formalai-lint.yaml": 'schemas:\n  "notes/**": concept\n'})
    r = _run("schema", "list", cwd=root)
    assert r.returncode == 2 and r.stderr.strip() == "error: concept:1: no such schema file or built-in schema"


def test_starter_config_names_schemas_that_exist() -> None:
    refs = [ln.split(":")[-1].split("#")[0].strip() for ln in starter_config().splitlines() if '"concepts/**/*.md"' in ln]
    assert refs == ["concept-topic"]
    assert load_schema(refs[0]).name == "concept-topic"


def test_docs_topics_offline(tmp_path: Path) -> None:
    r = _run("docs", cwd=tmp_path)
    assert r.returncode == 0
    assert any(ln.startswith("structure ") for ln in r.stdout.splitlines())
    page = _run("docs", "structure", cwd=tmp_path)
    assert page.stdout.startswith((PROJECT / "docs" / "structure.md").read_text("utf-8").splitlines()[0])
    rule = _run("docs", "bad-anchor", cwd=tmp_path)
    assert rule.stdout.startswith("LK002 bad-anchor (links, error)")
    missing = _run("docs", "nope", cwd=tmp_path)
    assert missing.returncode != 0 and missing.stderr.startswith("error: no guide page or rule 'nope'")


def test_the_wheel_ships_the_docs() -> None:
    assert '"docs" = "linter/_docs"' in (PROJECT / "pyproject.toml").read_text("utf-8")
