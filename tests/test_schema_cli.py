"""`schema check` and `schema show` (the click group the main CLI mounts as `schema`)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from linter.cli.schema import schema_group
from linter.resources import schemas_dir


def test_check_passes_on_every_shipped_schema(monkeypatch: pytest.MonkeyPatch) -> None:
    """`schema check` validates a shipped file even when validated.json lists it."""
    from linter.schema import loader

    validated: list[str] = []
    original = loader.validate_marked
    monkeypatch.setattr(loader, "validate_marked", lambda marked, source: (validated.append(source), original(marked, source))[1])
    files = [str(p) for p in sorted(schemas_dir().rglob("*.yaml"))]
    result = CliRunner().invoke(schema_group, ["check", *files])
    assert result.exit_code == 0, result.output
    assert len(validated) == len(files)
    assert result.output.count(": ok (") == len(files)
    assert "preset.yaml: ok (preset formalai)" in result.output


def test_broken_schema_exits_2_with_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("kind: document\nname: x\nsections:\n  items:\n    - name: a\n      required: maybe\n", "utf-8")
    result = CliRunner().invoke(schema_group, ["check", str(bad)])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert lines == [f"error: {bad.as_posix()}:6: sections.items.0.required: 'maybe' is not of type 'boolean'"]
    assert "Traceback" not in result.output


def test_missing_file_exits_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(schema_group, ["check", str(tmp_path / "none.yaml")])
    assert result.exit_code == 2 and "cannot read file" in result.stderr


def test_show_prints_a_builtin_schema() -> None:
    result = CliRunner().invoke(schema_group, ["show", "concept-topic"])
    assert result.exit_code == 0
    assert result.output.startswith("# formalai/concept-topic.yaml\nkind: document\nname: concept-topic\n")
    assert "与(三层|收敛)模型的关系" in result.output
    result = CliRunner().invoke(schema_group, ["show", "formalai/preset", "--format", "json"])
    assert result.exit_code == 0 and '"kind": "preset"' in result.output


def test_show_unknown_name_exits_2() -> None:
    result = CliRunner().invoke(schema_group, ["show", "no-such-schema"])
    assert result.exit_code == 2 and result.stderr.startswith("error: no-such-schema: no such schema")
