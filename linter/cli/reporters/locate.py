"""Where a reported path is relative to, per audience.

Findings carry root-relative paths. A person reads the text report from their shell, so it
names files relative to the current directory (as ruff does): run in `concepts/`, it prints
`INDEX.md`, a path that works there. GitHub places annotations and SARIF results relative to
the repository's top level, which is not the lint root when the config sits in `docs/`: those
formats use the repository root, `GITHUB_WORKSPACE` when the run is inside it, else the
nearest folder above the root holding `.git` (a folder, or a file in a worktree).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from pathlib import Path


def cwd_locator(root: Path, cwd: Path | None = None) -> Callable[[str], str]:
    """A root-relative path as seen from the current directory: relative below it, else
    absolute (as ruff prints it), POSIX separators. The two folders are resolved once per
    report (resolving them for each file was a third of rendering 4,663 findings)."""
    here = (cwd or Path.cwd()).resolve()
    base = root.resolve()

    def locate(path: str) -> str:
        full = base / path
        if full.is_relative_to(here):
            return full.relative_to(here).as_posix()
        return full.as_posix()

    return locate


def repo_root(root: Path, environ: Mapping[str, str] | None = None) -> Path:
    """The folder GitHub resolves paths from, for a lint root `root`."""
    env = os.environ if environ is None else environ
    root = root.resolve()
    workspace = env.get("GITHUB_WORKSPACE")
    if workspace:
        ws = Path(workspace).resolve()
        if root.is_relative_to(ws):
            return ws
    for folder in (root, *root.parents):
        if (folder / ".git").exists():
            return folder
    return root


def from_repo(root: Path, path: str, repo: Path) -> str:
    """`path` (root-relative) relative to the repository root `repo`."""
    prefix = root.resolve().relative_to(repo).as_posix()
    return path if prefix == "." else f"{prefix}/{path}"
