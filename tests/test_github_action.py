"""The composite action (action.yml) and the example workflow (issue 15, item 1): both validate
against the schemas GitHub's editors use (schemastore's, vendored by check-jsonschema, so no
network), and the action's run steps are executed the way the runner does: inputs through the
environment, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files, GITHUB_WORKSPACE, bash."""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from linter.cli.main import cli
from tests.helpers import write_tree

PROJECT = Path(__file__).resolve().parents[1]
ACTION = yaml.safe_load((PROJECT / "action.yml").read_text("utf-8"))
WORKFLOW = yaml.safe_load((PROJECT / "docs" / "github-actions.yml").read_text("utf-8"))
BIN = str(Path(sys.executable).parent)


def validate(path: Path, schema: str) -> subprocess.CompletedProcess[str]:
    pytest.importorskip("check_jsonschema", reason="check-jsonschema is in the `test` extra")
    return subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", f"vendor.{schema}", str(path)],
        capture_output=True, text=True, timeout=120,
    )


def test_action_and_workflow_validate_against_their_schemas(tmp_path: Path) -> None:
    assert validate(PROJECT / "action.yml", "github-actions").returncode == 0
    assert validate(PROJECT / "docs" / "github-actions.yml", "github-workflows").returncode == 0
    # the schemas are strict enough to notice a broken file
    broken = dict(ACTION, runs={"using": "composite", "steps": [{"run": "echo", "shell": "bash", "bogus": 1}]})
    (tmp_path / "action.yml").write_text(yaml.safe_dump(broken), "utf-8")
    assert validate(tmp_path / "action.yml", "github-actions").returncode == 1


def _expand(value: str, inputs: dict[str, str]) -> str:
    """`${{ inputs.X }}` as the runner substitutes it (the only expressions the env uses)."""
    def sub(m: re.Match[str]) -> str:
        return inputs[m.group(1)]

    return re.sub(r"\$\{\{\s*inputs\.([a-z-]+)\s*\}\}", sub, value)


def run_action(workspace: Path, **given: str) -> tuple[subprocess.CompletedProcess[str], dict[str, str], str]:
    """Every `run` step of action.yml but the install (the test's interpreter has the tool)."""
    inputs = {k: str(v.get("default", "")) for k, v in ACTION["inputs"].items()}
    inputs.update({k.replace("_", "-"): v for k, v in given.items()})
    out_file, summary = workspace / "_github_output", workspace / "_summary.md"
    out_file.write_text("", "utf-8")
    summary.write_text("", "utf-8")
    result = None
    for step in ACTION["runs"]["steps"]:
        if "uses" in step or "pip install" in step["run"]:
            continue
        env = {k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")}
        env.update({k: _expand(str(v), inputs) for k, v in step.get("env", {}).items()})
        env.update({
            "PATH": BIN + os.pathsep + env.get("PATH", ""), "GITHUB_ACTION_PATH": str(PROJECT),
            "GITHUB_OUTPUT": str(out_file), "GITHUB_STEP_SUMMARY": str(summary),
            "GITHUB_WORKSPACE": str(workspace), "CI": "true",
        })
        cwd = workspace / _expand(step.get("working-directory", "."), inputs)
        result = subprocess.run([step["shell"], "-e", "-c", step["run"]], cwd=cwd, env=env,
                                capture_output=True, text=True, timeout=300)
    assert result is not None
    outputs = dict(line.split("=", 1) for line in out_file.read_text("utf-8").splitlines())
    return result, outputs, summary.read_text("utf-8")


def test_action_steps_annotate_summarise_and_write_sarif(tmp_path: Path) -> None:
    # 25 findings: more than the 10 + 10 annotations GitHub shows; the config sits in docs/
    docs = {f"docs/d{i}.md": "# 一\n\n# 二\n" for i in range(25)}
    write_tree(tmp_path, {**docs, "docs/.formalai-lint.yaml": "rules: {}\n"})
    r, outputs, summary = run_action(tmp_path, paths="docs", args="--select MK020", sarif="true")
    assert r.returncode == 1, r.stderr
    annotations = [ln for ln in r.stdout.splitlines() if ln.startswith("::error ")]
    assert len(annotations) == 25 and annotations[0].startswith("::error file=docs/d0.md,line=3,col=1,")
    assert outputs == {"exit-code": "1", "sarif-file": "formalai-lint.sarif"}
    rows = [ln for ln in summary.splitlines() if ln.startswith("| docs/")]
    assert len(rows) == 25 and rows[0].startswith("| docs/d0.md | 3 | MK020 | error |")
    assert "| MK020 | `single-h1` | error | 25 |" in summary
    sarif = json.loads((tmp_path / "formalai-lint.sarif").read_text("utf-8"))
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in sarif["runs"][0]["results"]}
    assert len(uris) == 25 and "docs/d0.md" in uris


def test_action_on_a_clean_tree_and_on_a_config_error(tmp_path: Path) -> None:
    write_tree(tmp_path, {"a.md": "# 一\n\n正文。\n"})
    r, outputs, summary = run_action(tmp_path, args="--select MK020")
    assert r.returncode == 0 and outputs == {"exit-code": "0"}
    assert "0 error(s), 0 warning(s)" in summary
    bad, outputs, _ = run_action(tmp_path, args="--select NOPE")
    assert bad.returncode == 2 and outputs == {"exit-code": "2"} and "unknown rule" in bad.stderr


def test_sarif_upload_is_guarded_for_forks_and_permissions_are_granted() -> None:
    upload = next(s for s in ACTION["runs"]["steps"] if s.get("uses", "").startswith("github/codeql-action/upload-sarif"))
    assert "github.event.pull_request.head.repo.full_name != github.repository" in upload["if"]
    assert "inputs.sarif == 'true'" in upload["if"]
    assert WORKFLOW["permissions"] == {"contents": "read", "security-events": "write", "actions": "read"}
    install = next(s for s in ACTION["runs"]["steps"] if "run" in s and "pip install" in s["run"])
    assert '"$GITHUB_ACTION_PATH"' in install["run"]  # from the action's own checkout
    assert all("${{" not in s.get("run", "") for s in ACTION["runs"]["steps"])


def _workflow_steps() -> list[dict[str, Any]]:
    steps: list[dict[str, Any]] = WORKFLOW["jobs"]["formalai-lint"]["steps"]
    return steps


def test_workflow_uses_the_action_with_real_options() -> None:
    uses = [s for s in _workflow_steps() if s.get("uses", "").startswith("OWNER/formalai-lint@")]
    assert len(uses) == 2
    for step in uses:
        args = step["with"]["args"].replace("${{ github.base_ref }}", "main")
        args = args.replace("${{ steps.baseline.outputs.args }}", "--baseline .formalai-lint-baseline.json")
        sub = cli.get_command(cli.make_context("formalai-lint", ["check"]), "check")
        assert sub is not None
        sub.make_context("check", shlex.split(args))  # raises on an unknown option
    assert all("${{" not in s.get("run", "") for s in _workflow_steps())


def test_workflow_says_how_to_create_a_missing_baseline(tmp_path: Path) -> None:
    step = next(s for s in _workflow_steps() if s.get("id") == "baseline")
    out = tmp_path / "out"
    out.write_text("", "utf-8")
    env = {**os.environ, "GITHUB_OUTPUT": str(out)}
    r = subprocess.run(["bash", "-e", "-c", step["run"]], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
    assert r.returncode == 0 and "--write-baseline .formalai-lint-baseline.json" in r.stdout
    assert out.read_text("utf-8") == ""
    (tmp_path / ".formalai-lint-baseline.json").write_text("{}", "utf-8")
    r = subprocess.run(["bash", "-e", "-c", step["run"]], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
    assert out.read_text("utf-8") == "args=--baseline .formalai-lint-baseline.json\n"


def test_summary_cells_escape_pipes_and_line_breaks() -> None:
    sys.path.insert(0, str(PROJECT / "scripts"))
    try:
        import github_summary
    finally:
        sys.path.pop(0)
    report = {"root": "/w/docs", "summary": {"errors": 1, "files": 1, "files_with_findings": 1},
              "diagnostics": [{"path": "a|b.md", "line": 2, "rule": "LK001", "name": "missing-link-target",
                               "severity": "error", "message": "x | y\nz"}]}
    text = github_summary.render(report, "/w")
    assert "| docs/a\\|b.md | 2 | LK001 | error | x \\| y z |" in text
