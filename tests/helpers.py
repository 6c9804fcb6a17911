"""Helpers shared by the tests."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path


def write_tree(root: Path, files: Mapping[str, str | bytes]) -> Path:
    """Write `files` (root-relative path -> text or bytes) under `root`, creating folders, and
    mark `root` with a `.git` folder so root discovery stops there. Returns `root`."""
    (root / ".git").mkdir(parents=True, exist_ok=True)
    for rel, content in files.items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_bytes(content.encode("utf-8"))
    return root
