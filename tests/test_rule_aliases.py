"""The markdown family's former ids (MD001 … MD900, which clash with markdownlint's) still work
wherever a rule is named: configs, --select, suppression comments, baselines and `explain`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from linter import lint_text
from linter.rules import ALL_RULES, get_rule
from tests.helpers import write_tree

FORMER = {"MD001": "MK001", "MD002": "MK002", "MD003": "MK003", "MD010": "MK010",
          "MD020": "MK020", "MD021": "MK021", "MD900": "MK900"}
THREE_H1 = "# 一\n\n# 二\n\n# 三\n"


def run(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "linter", *args], cwd=root, capture_output=True, text=True, timeout=120
    )


def test_every_former_id_finds_its_renamed_rule_in_any_case() -> None:
    for old, new in FORMER.items():
        assert get_rule(old).id == new  # type: ignore[union-attr]
        assert get_rule(old.lower()).id == new  # type: ignore[union-attr]
    # no markdown rule keeps a markdownlint-style id
    assert not [r.id for r in ALL_RULES if r.id.startswith("MD")]


def test_config_keyed_by_former_id(tmp_path: Path) -> None:
    write_tree(tmp_path, {"a.md": THREE_H1, ".formalai-lint.yaml": "rules:\n  MD020: off\n"})
    r = run(tmp_path, "check", "a.md", "--format", "json")
    assert r.returncode in (0, 1), r.stderr
    assert "MK020" not in {d["rule"] for d in json.loads(r.stdout)["diagnostics"]}


def test_select_by_former_id(tmp_path: Path) -> None:
    write_tree(tmp_path, {"a.md": THREE_H1})
    r = run(tmp_path, "check", "a.md", "--select", "MD020", "--format", "json")
    assert r.returncode == 1, r.stderr
    assert [(d["line"], d["rule"]) for d in json.loads(r.stdout)["diagnostics"]] == [(3, "MK020"), (5, "MK020")]


def test_suppression_by_former_id_silences_and_is_not_unused() -> None:
    text = "# 一\n\n<!-- formalai-lint-disable-next-line MD020 -->\n# 二\n\n# 三\n"
    found = [(d.line, d.rule_id) for d in lint_text(text) if d.rule_id in ("MK020", "MK900")]
    assert found == [(6, "MK020")]


def test_baseline_written_with_former_ids_still_matches(tmp_path: Path) -> None:
    write_tree(tmp_path, {"a.md": THREE_H1})
    base = tmp_path / "baseline.json"
    assert run(tmp_path, "check", "a.md", "--select", "MK020", "--write-baseline", str(base)).returncode == 0
    data = json.loads(base.read_text("utf-8"))
    assert {f["rule"] for f in data["findings"]} == {"MK020"}
    for f in data["findings"]:
        f["rule"] = "MD020"  # as a baseline written before the rename has it
    base.write_text(json.dumps(data), "utf-8")
    r = run(tmp_path, "check", "a.md", "--select", "MK020", "--baseline", str(base))
    assert r.returncode == 0, r.stdout + r.stderr


def test_explain_by_former_id_names_both(tmp_path: Path) -> None:
    r = run(tmp_path, "explain", "MD010")
    assert r.returncode == 0
    assert r.stdout.splitlines()[0] == "MK010 unclosed-code-fence (markdown, error) [formerly MD010]"
