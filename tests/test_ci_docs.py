"""docs/ci-integration.md and docs/github-actions.yml cannot drift from the code."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
import yaml

from linter.cli.main import cli
from linter.config.files import config_from_text, layer_from_data
from linter.config.suppress import parse_directives
from linter.document.parse import parse_text

DOCS = Path(__file__).resolve().parents[1] / "docs"


def blocks(lang: str) -> list[str]:
    text = (DOCS / "ci-integration.md").read_text("utf-8")
    return re.findall(rf"^```{lang}\n(.*?)^```\n", text, flags=re.S | re.M)


def test_yaml_config_examples_load() -> None:
    configs = [b for b in blocks("yaml") if b.lstrip().startswith("# .formalai-lint.yaml")]
    assert configs
    for b in configs:
        config = config_from_text(b)
        assert config.rules["MK010"].enabled is False


def test_toml_config_example_loads() -> None:
    import sys

    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib
    (toml,) = blocks("toml")
    data = tomllib.loads(toml)["tool"]["formalai-lint"]
    layer, extends = layer_from_data(data, "pyproject.toml")
    assert extends == "formalai" and layer.rules["MK010"].enabled is False


def test_suppression_example_has_four_directives() -> None:
    example = next(b for b in blocks("markdown") if "formalai-lint-disable-file" in b)
    kinds = [d.kind for d in parse_directives(parse_text(example))]
    assert kinds == ["disable-next-line", "disable", "enable", "disable-file"]


def _commands() -> list[list[str]]:
    workflow = yaml.safe_load((DOCS / "github-actions.yml").read_text("utf-8"))
    steps = workflow["jobs"]["formalai-lint"]["steps"]
    runs = [s["run"] for s in steps if "run" in s and "formalai-lint check" in s["run"]]
    return [shlex.split(r.replace("$BASE_REF", "main"))[1:] for r in runs]


@pytest.mark.parametrize("args", _commands())
def test_workflow_commands_use_real_options(args: list[str]) -> None:
    ctx = cli.make_context("formalai-lint", list(args), resilient_parsing=False)
    sub = cli.get_command(ctx, args[0])
    assert sub is not None
    sub.make_context("check", args[1:])  # raises on an unknown option or a bad choice


def test_workflow_uploads_sarif_and_passes_base_ref_through_env() -> None:
    text = (DOCS / "github-actions.yml").read_text("utf-8")
    workflow = yaml.safe_load(text)
    steps = workflow["jobs"]["formalai-lint"]["steps"]
    upload = next(s for s in steps if s.get("uses", "").startswith("github/codeql-action/upload-sarif"))
    assert upload["with"]["sarif_file"] == "formalai-lint.sarif"
    assert all("${{" not in s.get("run", "") for s in steps)  # no expression pasted into a script
