"""The real `pre-commit` (from PyPI) runs our hook from a clone of this repository."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=cwd, check=True, capture_output=True, text=True, timeout=120
    ).stdout.strip()


def pre_commit(cwd: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", *args], cwd=cwd, env=env,
        capture_output=True, text=True, timeout=600,
    )


def test_hook_definition_is_what_the_docs_promise() -> None:
    import yaml

    hooks = yaml.safe_load((PROJECT / ".pre-commit-hooks.yaml").read_text("utf-8"))
    assert hooks == [
        {
            "id": "formalai-lint",
            "name": "formalai-lint",
            "description": hooks[0]["description"],
            "entry": "formalai-lint check",
            "language": "python",
            "types": ["markdown"],
            "require_serial": True,
        },
        {
            "id": "formalai-lint-fix",
            "name": "formalai-lint (fix)",
            "description": hooks[1]["description"],
            "entry": "formalai-lint check --fix",
            "language": "python",
            "types": ["markdown"],
            "require_serial": True,
        },
    ]


def test_real_pre_commit_run(tmp_path: Path) -> None:
    pytest.importorskip("pre_commit", reason="pre-commit is in the `test` extra")
    if not (PROJECT / ".git").exists():
        pytest.skip("not a git checkout: no commit to use as the hook source")
    sha = git(PROJECT, "rev-parse", "HEAD")
    source = tmp_path / "hook-source"
    git(tmp_path, "clone", "-q", str(PROJECT), str(source))
    git(source, "checkout", "-q", sha)

    docs = tmp_path / "docs-repo"
    docs.mkdir()
    git(docs, "init", "-q")
    (docs / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {source.as_posix()}\n    rev: {sha}\n    hooks:\n      - id: formalai-lint\n",
        "utf-8",
    )
    (docs / "good.md").write_text("# 标题\n\n见 [坏](<bad 文件.md>)。\n", "utf-8")
    (docs / "bad 文件.md").write_text("# 标题\n\n```python\nx = 1\n", "utf-8")
    (docs / "notes.txt").write_text("# not markdown\n\n# second\n", "utf-8")
    git(docs, "add", "-A")

    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pc-home"), "NO_COLOR": "1"}
    env.pop("VIRTUAL_ENV", None)
    first = pre_commit(docs, env, "run", "--all-files", "--color", "never")
    if first.returncode not in (0, 1) or "An unexpected error has occurred" in first.stdout + first.stderr:
        log = tmp_path / "pc-home" / "pre-commit.log"
        detail = log.read_text("utf-8", "replace")[-800:] if log.exists() else first.stdout[-800:]
        if "pip" in detail or "Could not find" in detail or "network" in detail.lower():
            pytest.skip(f"pre-commit could not build the hook environment offline: {detail}")
        pytest.fail(f"pre-commit crashed:\n{first.stdout}\n{first.stderr}")
    assert first.returncode == 1, first.stdout
    assert "formalai-lint" in first.stdout and "Failed" in first.stdout
    assert (
        "bad 文件.md:3:1: MK010 error: code fence ``` (python) is never closed, so line 4 renders as code; "
        "expected a closing ``` [unclosed-code-fence]"
    ) in first.stdout
    assert "notes.txt" not in first.stdout  # types: [markdown]

    (docs / "bad 文件.md").write_text("# 标题\n\n```python\nx = 1\n```\n", "utf-8")
    git(docs, "add", "-A")
    second = pre_commit(docs, env, "run", "--all-files", "--color", "never")
    assert second.returncode == 0, second.stdout
    assert "Passed" in second.stdout
