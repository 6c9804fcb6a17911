"""Which folder is the corpus root, found before any configuration is loaded.

Light on purpose: a warm run answered from its run record (`linter.run.record`) finds the
root, and the config files that would be read, before importing the rules or YAML.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from ..util.safe_read import read_bytes

CONFIG_FILES = (".formalai-lint.yaml", ".formalai-lint.yml")
# A config file larger than this is refused (it is not one a person wrote).
MAX_CONFIG_BYTES = 1 << 20


def has_project_marker(folder: Path) -> bool:
    if any((folder / name).is_file() for name in CONFIG_FILES) or (folder / ".git").exists():
        return True
    pyproject = folder / "pyproject.toml"
    try:  # never opens a FIFO, never reads more than a config may hold
        return b"[tool.formalai-lint]" in read_bytes(pyproject, MAX_CONFIG_BYTES)
    except OSError:
        return False


def find_root(paths: Sequence[Path], cwd: Path | None = None) -> Path:
    """`--root` absent: the nearest ancestor holding a config file or `.git`; else the
    current directory when it contains every path; else the paths' common folder."""
    cwd = (cwd or Path.cwd()).resolve()
    resolved = [p.resolve() for p in paths] or [cwd]
    start = resolved[0] if resolved[0].is_dir() else resolved[0].parent
    for folder in (start, *start.parents):
        if has_project_marker(folder) and all(p.is_relative_to(folder) for p in resolved):
            return folder
    if all(p.is_relative_to(cwd) for p in resolved):
        return cwd
    common = Path(os.path.commonpath([str(p) for p in resolved]))
    return common if common.is_dir() else common.parent
