"""Where the cache lives and how the tool knows a folder is its own (no heavy imports: a
warm run answered from its run record reads these before anything else is imported)."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from ..util.safe_read import read_bytes as safe_read_bytes

TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by formalai-lint.\n"
    "# For information about cache directory tags see https://bford.info/cachedir/\n"
)
GITIGNORE = "*\n"


def user_cache_dir(root: Path) -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    tag = hashlib.sha256(os.fsencode(str(root.resolve()))).hexdigest()[:16]
    return Path(base) / "formalai-lint" / tag


def is_tag(path: Path) -> bool:
    """`path` is a regular file (not a link) holding our cache directory tag."""
    try:
        return b"formalai-lint" in safe_read_bytes(path, 4096, follow_links=False)
    except (OSError, ValueError):
        return False
