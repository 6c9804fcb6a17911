"""Every Python version the project claims is proved (issue 15, item 3): pyproject's
classifiers start at requires-python's floor, .ci/run runs `make test` and then each claimed
version in its own virtualenv, and the code type-checks for the oldest claimed version."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[1]
PYPROJECT = (PROJECT / "pyproject.toml").read_text("utf-8")
CI = (PROJECT / ".ci" / "run").read_text("utf-8")


def claimed() -> list[str]:
    return re.findall(r'"Programming Language :: Python :: (3\.\d+)"', PYPROJECT)


def test_classifiers_start_at_the_declared_minimum_without_gaps() -> None:
    floor = re.search(r'requires-python = ">=(3\.\d+)"', PYPROJECT)
    assert floor is not None
    minors = [int(v.split(".")[1]) for v in claimed()]
    assert claimed()[0] == floor.group(1)
    assert minors == list(range(minors[0], minors[0] + len(minors))) and len(minors) >= 2


def test_ci_runs_make_test_then_every_claimed_version() -> None:
    assert re.search(r"^make test$", CI, re.M), ".ci/run must still run the README's `make test`"
    assert 'make test PYTHON="$py" VENV=".venv-$v"' in CI
    # the script reads the same classifiers this test reads
    script = "sed -n 's/^ *\"Programming Language :: Python :: \\(3\\.[0-9]*\\)\",*$/\\1/p' pyproject.toml"
    out = subprocess.run(["bash", "-c", script], cwd=PROJECT, capture_output=True, text=True, timeout=60)
    assert out.stdout.split() == claimed()


def test_the_code_type_checks_for_the_oldest_claimed_version() -> None:
    pytest.importorskip("mypy")
    r = subprocess.run(
        [sys.executable, "-m", "mypy", "--python-version", claimed()[0]],
        cwd=PROJECT, capture_output=True, text=True, timeout=600,
    )
    assert r.returncode == 0, r.stdout
