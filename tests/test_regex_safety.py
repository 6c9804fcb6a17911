"""User-schema regexes that can backtrack without bound are refused at load (issue 12, item 8)."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from linter.cli.main import cli
from linter.util.regex_safety import UnsafePattern, check_pattern
from tests.helpers import write_tree

UNSAFE = [
    r"^(a+)+$",  # nested quantifier
    r"^(\w+\s?)*$",
    r"(x{1,9})+y",
    r"^(.*?,){11}P",
    r"(a|aa)*b",  # alternatives that start alike
    r"(x|xy|yz)*q",
    r"(aa?)*b",  # an optional part that can start the next iteration
    r"(a|)+",  # an empty alternative
    r"(a*)*",
]
SAFE = [
    r"^参考文献$",
    r"^(概述|Overview)\b",
    r"^[零一二三四五六七八九十]+、\s*概述",
    r"^\d+(\.\d+)*$",  # each iteration starts with `.`, which `\d` cannot take
    r"^(?:[A-Z][a-z]+ )*$",
    r"(ab?)*",
    r"(ab|a)*c",
    r"(?:ab|cd)+",
    r"\d{4}-\d{2}-\d{2}",
    r"(?:ab){2,5}",
    r"a++",  # possessive and atomic never backtrack into themselves
    r"(?>a+)+",
]


@pytest.mark.parametrize("pattern", UNSAFE)
def test_unsafe_patterns_are_refused(pattern: str) -> None:
    with pytest.raises(UnsafePattern):
        check_pattern(pattern)


@pytest.mark.parametrize("pattern", SAFE)
def test_safe_patterns_are_accepted(pattern: str) -> None:
    check_pattern(pattern)


def test_the_refused_shapes_really_backtrack() -> None:
    """What the check is for: each extra character doubles the work of a failing match."""
    def cpu(n: int) -> float:
        start = time.process_time()
        re.match(r"(a|aa)*b", "a" * n)
        return time.process_time() - start

    assert cpu(26) > 4 * max(cpu(22), 0.0005)


def _schema(tmp_path: Path, title: str) -> Path:
    return write_tree(
        tmp_path,
        {
            ".formalai-lint.yaml": "schemas:\n  'notes/**': note.yaml\n",
            "note.yaml": f"kind: document\nname: note\nsections:\n  items:\n    - name: a\n      title: '{title}'\n",
            "notes/a.md": "# A\n\n## x\n",
        },
    )


def test_check_refuses_the_schema_with_file_line_and_key(tmp_path: Path) -> None:
    root = _schema(tmp_path, "^(a+)+$")
    run = subprocess.run(
        [sys.executable, "-m", "linter", "check", "notes", "--no-cache"], cwd=root, capture_output=True, text=True
    )
    assert run.returncode == 2
    assert run.stderr.startswith(
        f"error: {root.as_posix()}/note.yaml:6: sections.items.0.title: pattern '^(a+)+$' can backtrack "
        "without bound: nested quantifier"
    )
    assert len(run.stderr.strip().splitlines()) == 1


def test_schema_check_refuses_a_metadata_value_pattern(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "kind: document\nname: x\nmetadata:\n  values:\n    type: object\n    properties:\n"
        "      版本: {type: string, pattern: '^(v|vv)*1$'}\n",
        "utf-8",
    )
    result = CliRunner().invoke(cli, ["schema", "check", str(bad)])
    assert result.exit_code == 2
    assert "bad.yaml:7: metadata.values.properties.版本.pattern: pattern '^(v|vv)*1$' can backtrack" in result.output


def test_a_safe_user_pattern_still_works(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _schema(tmp_path, r"^\d+(\.\d+)*$")
    monkeypatch.chdir(root)
    result = CliRunner().invoke(cli, ["check", "notes", "--no-cache"])
    assert result.exit_code in (0, 1), result.output
