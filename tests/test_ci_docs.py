"""docs/ci-integration.md cannot drift from the code (the workflow: tests/test_github_action.py)."""

from __future__ import annotations

import re
from pathlib import Path


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


# docs/github-actions.yml and action.yml: tests/test_github_action.py (schemas, options, steps run)
