"""Config files: discovery, extends, rules by id or name, overrides, errors with lines, safety."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from linter import lint_paths, load_config
from linter.config.settings import ConfigError, RuleSetting
from linter.config.files import config_from_text
from linter.config.json_schema import schema_text
from linter.diagnostics import Severity
from linter.config.starter import starter_config
from tests.helpers import write_tree

PROJECT = Path(__file__).resolve().parents[1]
UNCLOSED = "# 标题\n\n```python\nx = 1\n"
TWO_H1 = "# 一\n\n# 二\n"


write = write_tree


def rules_found(root: Path) -> list[tuple[str, int, str, str]]:
    result = lint_paths([root], root=root)
    # only the two rules the fixtures are built around (other rules may judge them too)
    return [(d.path, d.line, d.rule_id, d.severity.value) for d in result.diagnostics if d.rule_id in ("MK010", "MK020")]


def test_yaml_config_disables_and_relevels_by_id_and_name(tmp_path: Path) -> None:
    write(tmp_path, {
        ".formalai-lint.yaml": "rules:\n  unclosed-code-fence: off\n  MK020: warning\n",
        "a.md": UNCLOSED, "b.md": TWO_H1,
    })
    assert rules_found(tmp_path) == [("b.md", 3, "MK020", "warning")]


def test_pyproject_table(tmp_path: Path) -> None:
    write(tmp_path, {
        "pyproject.toml": '[project]\nname = "x"\n\n[tool.formalai-lint.rules]\nMK010 = false\nsingle-h1 = "info"\n',
        "a.md": UNCLOSED, "b.md": TWO_H1,
    })
    assert rules_found(tmp_path) == [("b.md", 3, "MK020", "info")]


def test_yaml_file_wins_over_pyproject(tmp_path: Path) -> None:
    write(tmp_path, {
        "pyproject.toml": "[tool.formalai-lint]\nignore = ['a.md']\n",
        ".formalai-lint.yaml": "ignore: [b.md]\n",
        "a.md": UNCLOSED, "b.md": TWO_H1,
    })
    assert rules_found(tmp_path) == [("a.md", 3, "MK010", "error")]


def test_overrides_by_glob(tmp_path: Path) -> None:
    write(tmp_path, {
        ".formalai-lint.yaml": (
            "overrides:\n"
            "  - files: ['drafts/**']\n    rules: {MK010: off, MK020: warning}\n"
        ),
        "drafts/a.md": TWO_H1 + "\n```\nx\n", "a.md": UNCLOSED,
    })
    assert rules_found(tmp_path) == [("a.md", 3, "MK010", "error"), ("drafts/a.md", 3, "MK020", "warning")]


def test_extends_path_and_preset(tmp_path: Path) -> None:
    write(tmp_path, {
        "base.yaml": "extends: formalai\nrules:\n  MK010: warning\n  MK020: off\n",
        ".formalai-lint.yaml": "extends: base.yaml\nrules:\n  single-h1: on\n",
        "a.md": UNCLOSED, "b.md": TWO_H1,
    })
    config = load_config(tmp_path)
    assert config.rules["MK010"] == RuleSetting(enabled=True, severity=Severity.WARNING)
    assert config.rules["MK020"].enabled is True  # the nearer file wins, by name or id
    assert "**/node_modules/**" in config.ignore  # from the preset
    assert rules_found(tmp_path) == [("a.md", 3, "MK010", "warning"), ("b.md", 3, "MK020", "error")]


def test_extends_cycle_is_an_error(tmp_path: Path) -> None:
    write(tmp_path, {"a.yaml": "extends: b.yaml\n", "b.yaml": "extends: a.yaml\n"})
    with pytest.raises(ConfigError, match="cycle"):
        load_config(tmp_path, tmp_path / "a.yaml")


def test_gitignore_is_honoured_unless_turned_off(tmp_path: Path) -> None:
    write(tmp_path, {
        ".gitignore": "build/\n*.tmp.md\n",
        "sub/.gitignore": "!keep.tmp.md\n",
        "build/a.md": UNCLOSED, "x.tmp.md": UNCLOSED, "sub/keep.tmp.md": UNCLOSED, "ok.md": UNCLOSED,
    })
    assert [f[0] for f in rules_found(tmp_path)] == ["ok.md", "sub/keep.tmp.md"]
    (tmp_path / ".formalai-lint.yaml").write_text("gitignore: false\n", "utf-8")
    assert len(rules_found(tmp_path)) == 4


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("rules:\n  MK010: off\n  MD999: warning\n", ".formalai-lint.yaml:3: rules.MD999: unknown rule 'MD999'"),
        ("rules:\n  MK010:\n    severity: fatal\n", ".formalai-lint.yaml:3: rules.MK010.severity: 'fatal' is not one of"),
        ("ignore: []\nrulez: {}\n", ".formalai-lint.yaml:2: rulez: unknown key 'rulez'"),
        ("ignore: x.md\n", ".formalai-lint.yaml:1: ignore: 'x.md' is not of type 'array'"),
        ("rules:\n  MK010: off\n  MK010: on\n", ".formalai-lint.yaml:3: duplicate key 'MK010' (first at line 2)"),
        ("ignore: [\n", ".formalai-lint.yaml:2: invalid YAML"),
        ("a: &x [1, 2]\nb: *x\n", ".formalai-lint.yaml:1: YAML anchors (&x) are not allowed"),
        ("extends: nonesuch\n", "extends: only presets"),
        ("overrides:\n  - files: [a.md]\n", ".formalai-lint.yaml:2: overrides[0]: 'rules' is a required property"),
    ],
)
def test_errors_name_line_and_key(text: str, message: str) -> None:
    with pytest.raises(ConfigError) as info:
        config_from_text(text)
    assert str(info.value).startswith(message) or message in str(info.value), str(info.value)


def test_alias_bomb_and_deep_nesting_are_rejected_fast() -> None:
    bomb = 'a: &a ["x","x","x","x","x","x","x","x","x"]\n' + "".join(
        f'{c}: &{c} [*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p}]\n' for p, c in zip("abcdefgh", "bcdefghi")
    )
    with pytest.raises(ConfigError, match="anchors"):
        config_from_text(bomb)
    with pytest.raises(ConfigError, match="nested deeper than 32"):
        config_from_text("[" * 50_000)


def test_cli_config_error_exits_2_with_file_and_line(tmp_path: Path) -> None:
    write(tmp_path, {".formalai-lint.yaml": "rules:\n  MK010:\n    severity: fatal\n", "a.md": "# T\n"})
    r = subprocess.run([sys.executable, "-m", "linter", "check", str(tmp_path)], capture_output=True, text=True, timeout=120)
    assert r.returncode == 2
    assert r.stderr.strip().splitlines() == [
        "error: .formalai-lint.yaml:3: rules.MK010.severity: 'fatal' is not one of ['error', 'warning', 'info']"
    ]
    assert "Traceback" not in r.stderr


def test_toml_syntax_error_exits_2(tmp_path: Path) -> None:
    write(tmp_path, {"pyproject.toml": "[tool.formalai-lint]\nrules = {\n", "a.md": "# T\n"})
    r = subprocess.run([sys.executable, "-m", "linter", "check", str(tmp_path)], capture_output=True, text=True, timeout=120)
    assert r.returncode == 2
    assert r.stderr.startswith("error: pyproject.toml: invalid TOML:") and "line 2" in r.stderr


def test_checked_in_schema_is_current() -> None:
    """Regenerate with `make schema` when this fails."""
    assert (PROJECT / "schemas" / "config.schema.json").read_text("utf-8") == schema_text()


def test_schema_lists_every_rule_with_its_options() -> None:
    from linter.rules import ALL_RULES

    schema = json.loads(schema_text())
    for r in ALL_RULES:
        assert schema["$defs"]["rules"]["properties"][r.name] == {"$ref": f"#/$defs/rule-{r.id}"}
        opts = schema["$defs"][f"rule-{r.id}"]["oneOf"][2]["properties"]["options"]["properties"]
        assert set(opts) == set(r.options)


def test_rule_options_are_validated_against_the_rule_schema() -> None:
    from linter.rules import ALL_RULES

    with_opts = next((r for r in ALL_RULES if r.options), None)
    if with_opts is None:
        pytest.skip("no rule has options yet")
    with pytest.raises(ConfigError, match=f"rules.{with_opts.id}.options: Additional properties"):
        config_from_text(f"rules:\n  {with_opts.id}:\n    options: {{no_such_option: 1}}\n")


def test_init_writes_a_valid_starter_and_refuses_to_overwrite(tmp_path: Path) -> None:
    r = subprocess.run([sys.executable, "-m", "linter", "init", "--root", str(tmp_path)], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0
    target = tmp_path / ".formalai-lint.yaml"
    assert target.read_text("utf-8") == starter_config()
    config = load_config(tmp_path)
    assert "archive/**" in config.ignore and config.rules["MK003"].severity is Severity.WARNING
    target.write_text("# mine\n", "utf-8")
    r = subprocess.run([sys.executable, "-m", "linter", "init", "--root", str(tmp_path)], capture_output=True, text=True, timeout=120)
    assert r.returncode == 2 and "already exists" in r.stderr
    assert target.read_text("utf-8") == "# mine\n"


def test_pyproject_errors_have_best_effort_lines(tmp_path: Path) -> None:
    write(tmp_path, {
        "pyproject.toml": (
            '[project]\nname = "x"\n\n[tool.formalai-lint]\nignore = ["a"]\n\n'
            '[tool.formalai-lint.rules]\nMK010 = false\nMK020 = { severity = "fatal" }\n'
        ),
    })
    with pytest.raises(ConfigError) as info:
        load_config(tmp_path)
    assert str(info.value) == "pyproject.toml:9: rules.MK020.severity: 'fatal' is not one of ['error', 'warning', 'info']"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("rules: !!python/object:os.system {}\n", ".formalai-lint.yaml:1: invalid YAML: could not determine a constructor"),
        ("- a\n- b\n", ".formalai-lint.yaml:1: (top level): expected a mapping of config keys, got a list"),
        ("", None),
    ],
)
def test_odd_yaml(text: str, message: str | None) -> None:
    if message is None:
        assert config_from_text(text).rules == {}
        return
    with pytest.raises(ConfigError) as info:
        config_from_text(text)
    assert str(info.value).startswith(message) and "\n" not in str(info.value)


def test_schema_mapping_first_match_wins_and_nearer_file_first(tmp_path: Path) -> None:
    write(tmp_path, {
        "base.yaml": 'schemas:\n  "**/*.md": generic\n  "concepts/**": base-concept\n',
        ".formalai-lint.yaml": 'extends: base.yaml\nschemas:\n  "concepts/**/*.md": concept\n  "view/*.md": view\n',
    })
    config = load_config(tmp_path)
    assert config.schema_ref("concepts/01-a/01.1-x.md") == "concept"
    assert config.schema_ref("view/T01.md") == "view"
    assert config.schema_ref("docs/x.md") == "generic"
    assert config.schema_ref("LICENSE") is None
