"""Built-in presets: FormalAI only where the corpus looks like FormalAI, `neutral` elsewhere,
`extends: none`, and the run saying which preset and schema applied."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import yaml

from linter import lint_paths
from linter.config.detect import detect, layout_globs
from linter.config.files import PRESETS_DIR, _validate, _Where, load_config
from linter.rules import ALL_RULES

from .helpers import write_tree

# The rules whose verdict holds in any knowledge base (README "Adopting it elsewhere").
CONVENTION_FREE = {
    "unreadable-file", "non-utf8-encoding", "byte-order-mark", "unclosed-code-fence", "unused-suppression",
    "bom-hides-heading", "fence-swallows-headings",
    "missing-link-target", "bad-anchor", "bad-cross-file-anchor", "link-escapes-root", "pseudo-link",
    "path-case-mismatch", "backslash-in-link", "empty-link", "unsafe-link-scheme", "missing-image",
    "unclosed-display-math", "stray-double-dollar", "empty-formula", "unrendered-math-delimiters",
    "blank-line-in-display-math", "unbalanced-tex", "markdown-escape-in-math", "duplicate-metadata",
}

# One defect per convention-free kind, and FormalAI habits the neutral preset must not report.
OTHER_STYLE = {
    "guide/intro.md": "text before the title\n\n# Intro\n\n## 1. Start\n\nSee [setup](setup.md) and [gone](gone.md).\n\n"
    "**Updated**: 2025年1月15日\n",
    "guide/setup.md": "# Setup\n\n## 1. Install\n\n```sh\npip install x\n",
}


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "linter", *args], cwd=cwd, capture_output=True, text=True)


def test_every_preset_file_is_a_valid_config() -> None:
    for path in sorted(PRESETS_DIR.glob("*.yaml")):
        _validate(yaml.safe_load(path.read_text("utf-8")) or {}, _Where(path.name, None))
    assert sorted(p.stem for p in PRESETS_DIR.glob("*.yaml")) == ["formalai", "neutral", "none"]


def test_a_shipped_preset_loads_the_same_by_libyaml_and_by_the_checked_path() -> None:
    """Presets are composed by libyaml without the alias walk (`load_yaml(shipped=True)`):
    the same data and the same line of every node as the checked pure-Python path, which
    also finds no alias, anchor or duplicate key in them."""
    from linter.config.files import load_yaml

    def lines(node: yaml.Node | None) -> list[tuple[int, str]]:
        out, stack = [], [node]
        while stack:
            n = stack.pop()
            if n is None:
                continue
            out.append((n.start_mark.line, str(n.tag)))
            if isinstance(n, yaml.MappingNode):
                stack.extend(x for pair in n.value for x in pair)
            elif isinstance(n, yaml.SequenceNode):
                stack.extend(n.value)
        return sorted(out)

    assert hasattr(yaml, "CSafeLoader")  # the wheels ship libyaml; without it both paths are one
    for path in sorted(PRESETS_DIR.glob("*.yaml")):
        text = path.read_text("utf-8")
        checked, fast = load_yaml(text, path.name), load_yaml(text, path.name, shipped=True)
        assert fast[0] == checked[0]
        assert lines(fast[1]) == lines(checked[1])


def test_neutral_preset_takes_a_side_on_every_rule() -> None:
    """A new rule must be listed in neutral.yaml: on when convention-free, off otherwise."""
    rules = yaml.safe_load((PRESETS_DIR / "neutral.yaml").read_text("utf-8"))["rules"]
    names = {r.name for r in ALL_RULES if r.enabled}
    assert names <= set(rules), sorted(names - set(rules))
    on = {name for name, v in rules.items() if v not in (False, "off")}
    assert on == CONVENTION_FREE


def test_detection_needs_a_formalai_layout_glob(tmp_path: Path) -> None:
    assert "concepts/[0-9][0-9]-*/[0-9][0-9].[0-9]*-*.md" in layout_globs() and "**" not in layout_globs()
    other = write_tree(tmp_path / "other", OTHER_STYLE)
    assert detect(other).preset == "neutral"
    formal = write_tree(tmp_path / "formal", {"concepts/01-a/01.1-b.md": "# 01.1-b\n"})
    found = detect(formal)
    assert (found.preset, found.reason) == (
        "formalai", "detected: concepts/01-a/01.1-b.md matches the FormalAI layout glob concepts/[0-9][0-9]-*/[0-9][0-9].[0-9]*-*.md",
    )
    assert detect(formal, ignore=("concepts",)).preset == "neutral"  # ignored files do not count


def test_neutral_reports_only_convention_free_findings(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "kb", OTHER_STYLE)
    result = lint_paths([root], root=root)
    assert [(d.path, d.line, d.rule_id) for d in result.diagnostics] == [
        ("guide/intro.md", 7, "LK001"),
        ("guide/setup.md", 5, "MK010"),
    ]
    assert result.config is not None and result.config.preset == "neutral"


def test_a_config_without_extends_is_detected_too(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "kb", {**OTHER_STYLE, ".formalai-lint.yaml": "rules:\n  h1-first-line: on\n"})
    config = load_config(root)
    assert (config.preset, config.schema_preset) == ("neutral", "neutral")
    found = [(d.line, d.rule_id) for d in lint_paths([root / "guide/intro.md"], root=root).diagnostics]
    assert found == [(1, "MK021"), (7, "LK001")]


def test_extends_formalai_on_any_corpus(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "kb", {**OTHER_STYLE, ".formalai-lint.yaml": "extends: formalai\n"})
    config = load_config(root)
    assert (config.preset, config.preset_reason) == ("formalai", "extends: formalai in .formalai-lint.yaml")
    rules = {d.rule_id for d in lint_paths([root], root=root).diagnostics}
    assert {"MK021", "MT007"} <= rules  # the FormalAI habits, asked for (H1 on line 1, full-width colons)


def test_extends_none_applies_no_preset_and_no_schema(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "kb", {**OTHER_STYLE, ".formalai-lint.yaml": "extends: none\n"})
    config = load_config(root)
    assert (config.preset, config.schema_preset) == ("none", None)
    result = lint_paths([root], root=root)
    # every rule at its default; the schema rules stay quiet without a schema
    assert sorted({d.rule_id for d in result.diagnostics}) == ["LK001", "MK010", "MK021"]
    assert [(d.path, d.schema) for d in result.applied().documents] == [("guide/intro.md", None), ("guide/setup.md", None)]


def test_unknown_preset_names_the_three(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "kb", {"a.md": "# A\n", ".formalai-lint.yaml": "extends: formal\n"})
    r = _run("check", ".", cwd=root)
    assert r.returncode == 2
    assert r.stderr.strip() == (
        "error: .formalai-lint.yaml:1: extends: unknown preset 'formal'; expected one of formalai, neutral, none or a path"
    )


def test_json_and_verbose_say_which_preset_and_schema(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "kb", {"concepts/01-a/01.1-b.md": "# 01.1-b\n", "notes/x.md": "# X\n"})
    data = json.loads(_run("check", ".", "--format", "json", "--no-cache", cwd=root).stdout)
    assert data["preset"]["name"] == "formalai" and data["preset"]["reason"].startswith("detected: concepts/01-a/01.1-b.md")
    assert data["documents"] == [
        {"path": "concepts/01-a/01.1-b.md", "schema": "concept-topic", "schema_source": "schemas/formalai/concept-topic.yaml"},
        {"path": "notes/x.md", "schema": "default", "schema_source": "schemas/formalai/default.yaml"},
    ]
    r = _run("check", "notes", "--verbose", "--no-cache", "--quiet", cwd=root)
    assert r.stderr.splitlines() == [
        f"preset: formalai ({data['preset']['reason']})",
        "schema: notes/x.md: default (schemas/formalai/default.yaml)",
    ]


def test_formalai_preset_writes_out_the_conventions_it_relies_on() -> None:
    """The FormalAI values of the convention options are the preset's settings (and today the
    rules' defaults, so a config built in code behaves the same)."""
    from linter.rules import get_rule

    rules = yaml.safe_load((PRESETS_DIR / "formalai.yaml").read_text("utf-8"))["rules"]
    expected = {
        "h1-first-line": {"position": "first-line"},
        "toc-entry-text": {"text": "exact"},
        "formula-label-without-formula": {"labels": ["数学描述", "形式化表述", "形式化定义"]},
        "metadata-colon": {"colon": "schema"},
        "metadata-value": {"date-formats": ["iso"]},
        "reference-style": {"sections": []},
    }
    for name, options in expected.items():
        assert rules[name]["options"] == options
        rule = get_rule(name)
        assert rule is not None and {k: rule.defaults()[k] for k in options} == options
