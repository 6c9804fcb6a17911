"""The release checklist (docs/releasing.md) can be followed: one version in two places, a
changelog with an Unreleased section, and the install forms the README documents."""

from __future__ import annotations

import re
from pathlib import Path

from linter.resources import __version__

PROJECT = Path(__file__).resolve().parents[1]


def test_version_is_the_same_in_pyproject_and_the_package() -> None:
    m = re.search(r'^version = "([^"]+)"', (PROJECT / "pyproject.toml").read_text("utf-8"), re.M)
    assert m is not None and m.group(1) == __version__


def test_changelog_has_unreleased_and_the_current_version() -> None:
    headings = re.findall(r"^## (.+)$", (PROJECT / "CHANGELOG.md").read_text("utf-8"), re.M)
    assert headings[0] == "Unreleased"
    assert any(h.split()[0] == __version__ for h in headings[1:])


def test_readme_installs_only_in_ways_that_exist() -> None:
    readme = (PROJECT / "README.md").read_text("utf-8")
    assert "rev: v0.1.0" not in readme  # no such tag exists before a release makes one
    assert "pip install formalai-lint" not in readme  # not on a package index
    assert 'pip install "git+https://github.com/<owner>/formalai-lint@REV"' in readme
    assert (PROJECT / "docs" / "releasing.md").is_file() and (PROJECT / "action.yml").is_file()
